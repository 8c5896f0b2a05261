// Runs a compiled bench script (next to this module) in a fresh Node process and parses the
// JSON it prints: as `repsim run` and `repsim sweep` start, with nothing compiled yet.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function jsonFromChild<T>(script: string, args: string[]): T {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [path, ...args], { encoding: 'utf8' })) as T;
}
