// Where runs execute: a tinypool of worker threads, or this thread when one worker is asked for
// (no start-up cost, and no build needed for tests). Workers load the bundled worker
// (scripts/bundle-worker.mjs: a few files, where the compiled tree is ~600 modules to resolve
// and load in every thread) when it is fresh, else the compiled dist/.../worker.js.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
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

/**
 * The bundle built from the compiled worker (dist/worker/worker.js beside dist/src/), if it
 * exists and no file it was built from (its inputs.json) is newer: after a tsc-only rebuild it
 * would run stale code. Else null.
 */
export function freshWorkerBundle(compiled: string = workerFile()): string | null {
  const dir = join(dirname(compiled), '..', '..', 'worker');
  const bundle = join(dir, 'worker.js');
  const list = join(dir, 'inputs.json');
  if (!existsSync(bundle) || !existsSync(list)) return null;
  const built_ms = statSync(bundle).mtimeMs;
  const inputs = JSON.parse(readFileSync(list, 'utf8')) as string[];
  for (const rel of inputs) {
    const input = resolve(dir, rel);
    if (!existsSync(input) || statSync(input).mtimeMs > built_ms) return null;
  }
  return bundle;
}

export class RunPool {
  private readonly pool: Tinypool | null;

  constructor(readonly workers: number) {
    if (workers <= 1) {
      this.pool = null;
      return;
    }
    const compiled = workerFile();
    if (!existsSync(compiled)) throw new CliError(EXIT_INTERNAL, `worker ${compiled} is missing: build first (npm run build)`);
    const filename = freshWorkerBundle(compiled) ?? compiled;
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
