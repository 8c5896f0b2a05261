// Where runs execute: a tinypool of worker threads (the compiled dist/.../worker.js), or this
// thread when one worker is asked for (no start-up cost, and no build needed for tests).
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tinypool } from 'tinypool';
import { CliError, EXIT_INTERNAL } from '../cli/errors.js';
import { runOne, type RunOutcome, type RunTask } from './run-one.js';

/** The compiled worker next to this module; from the TypeScript sources (vitest), the built copy. */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'worker.js');
  const marker = `${sep}src${sep}experiments${sep}`;
  return join(here.slice(0, here.lastIndexOf(marker)), 'dist', 'src', 'experiments', 'worker.js');
}

export class RunPool {
  private readonly pool: Tinypool | null;

  constructor(readonly workers: number) {
    if (workers <= 1) {
      this.pool = null;
      return;
    }
    const filename = workerFile();
    if (!existsSync(filename)) throw new CliError(EXIT_INTERNAL, `worker ${filename} is missing: build first (npm run build)`);
    this.pool = new Tinypool({ filename, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  }

  /** Runs every task; results in task order; onDone(i) as each finishes. */
  async runAll(tasks: RunTask[], onDone?: (i: number) => void): Promise<RunOutcome[]> {
    if (!this.pool) {
      const out: RunOutcome[] = [];
      for (let i = 0; i < tasks.length; i++) {
        out.push(await runOne(tasks[i]));
        onDone?.(i);
      }
      return out;
    }
    const pool = this.pool;
    return Promise.all(tasks.map(async (t, i) => {
      const o = (await pool.run(t)) as RunOutcome;
      onDone?.(i);
      return o;
    }));
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
