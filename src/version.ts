// The repsim version written into every output (same scenario + seed + version = same bytes).
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  try {
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-unknown';
  }
}

export const VERSION: string = readVersion();
