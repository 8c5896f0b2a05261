// The repsim version written into every output (same scenario + seed + version = same bytes).
// package.json sits one level above src/ when run from sources (vitest, tsx) and two above
// dist/src/ when compiled; the first that names this package wins.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'repsim' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return '0.0.0-unknown';
}

export const VERSION: string = readVersion();
