// Helpers for CLI tests: the real launcher (bin/repsim.js, which runs the compiled dist/ that
// `npm test` builds first) and an in-process call of main() with stderr/stdout captured.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/repsim.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `repsim-${prefix}-`));
}

/** Runs the real command line and waits for it. */
export function repsim(args: string[], timeout_ms = 60_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeout_ms });
}

/** Runs the real command line without blocking (so several can run at once). */
export function repsimP(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = repsimAsync(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Starts the real command line (for signals). */
export function repsimAsync(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** main() in this process, with its output captured. */
export async function runMain(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const errWrite = process.stderr.write.bind(process.stderr);
  const outWrite = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  try {
    const code = await main(args);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = errWrite;
    process.stdout.write = outWrite;
  }
}

/** A stack-trace line as Node prints it. */
export const STACK_LINE = /^\s{4}at /m;
