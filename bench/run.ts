// `npm run bench`: runs every registered case and prints each figure beside its target.

import os from 'node:os';
import { benchCases, type BenchRow } from './cases.js';

function fmt(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 10) return String(v);
  return Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toFixed(4);
}

function line(r: BenchRow): string {
  const status = r.pass === undefined ? '' : r.pass ? 'ok' : 'MISS';
  return `${r.name.padEnd(48)} ${fmt(r.value).padStart(11)} ${r.unit.padEnd(30)} ${(r.target ?? '').padEnd(12)} ${status}`;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), ${os.platform()}`);
  for (const c of benchCases) {
    if (only.length > 0 ? !only.includes(c.name) : c.optIn === true) continue;
    for (const r of await c.run()) console.log(line(r));
  }
}

await main();
