// Sweep planning: `--vary path=v1,v2` flags and `--seeds 1..N` become an ordered list of cells
// (the cartesian product, first --vary outermost) and runs (cell-major, then seed). The order
// is the contract behind determinism: summaries, shards and merges all follow it, never the
// order in which runs finish.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT_BAD_INPUT } from '../cli/errors.js';

export interface VaryAxis {
  /** Scenario path as written (e.g. "links.0.bandwidth"); also the summary column name. */
  path: string;
  /** Values as written (strings), in the order given. */
  values: string[];
}

export interface Cell {
  index: number;
  /** Folder name under runs/: index, then short key=value pairs, file-system safe. */
  name: string;
  /** path -> value as written. */
  values: Record<string, string>;
}

export interface Shard {
  /** 1-based shard number. */
  index: number;
  count: number;
}

/** What identifies a sweep: two folders with equal plans hold runs of the same experiment. */
export interface SweepPlan {
  repsim_sweep: 1;
  version: string;
  scenario: string;
  scenario_sha256: string;
  set: string[];
  duration: string | null;
  format: 'arrow' | 'parquet' | 'both';
  vary: VaryAxis[];
  seeds: number[];
  cells: Cell[];
}

export interface RunRef {
  /** Position in the full plan (cell-major, then seed). */
  index: number;
  cell: Cell;
  seed: number;
}

/** Splits on commas outside brackets/braces/quotes, so YAML flow values like [a,b] survive. */
export function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** "path=v1,v2,..." -> axis; bad input is exit code 2. */
export function parseVary(text: string): VaryAxis {
  const eq = text.indexOf('=');
  const path = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!path) throw new CliError(EXIT_BAD_INPUT, `--vary ${text}: expected path=v1,v2,... (e.g. links.0.bandwidth=100Mbps,200Mbps)`);
  const values = splitValues(text.slice(eq + 1));
  if (values.some((v) => v === '')) throw new CliError(EXIT_BAD_INPUT, `--vary ${text}: empty value in the list`);
  if (new Set(values).size !== values.length) throw new CliError(EXIT_BAD_INPUT, `--vary ${text}: a value is listed twice`);
  return { path, values };
}

/** "1..20", "3", "1,4,9" (and mixes like "1..3,10") -> ordered distinct seeds. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  const bad = (why: string): never => {
    throw new CliError(EXIT_BAD_INPUT, `--seeds ${text}: ${why} (expected e.g. 1..20, 7 or 1,4,9)`);
  };
  for (const part of String(text).split(',').map((s) => s.trim())) {
    const m = /^(\d+)\s*\.\.\s*(\d+)$/.exec(part);
    if (m) {
      const lo = Number(m[1]);
      const hi = Number(m[2]);
      if (hi < lo) bad(`range ${part} is empty`);
      if (hi - lo > 100_000) bad(`range ${part} is too long`);
      for (let s = lo; s <= hi; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) seeds.push(Number(part));
    else bad(`cannot read "${part}"`);
  }
  if (seeds.some((s) => !Number.isSafeInteger(s))) bad('seed too large');
  if (new Set(seeds).size !== seeds.length) bad('a seed is listed twice');
  return seeds;
}

/** "K/N" with 1 <= K <= N. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(String(text).trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new CliError(EXIT_BAD_INPUT, `--shard ${text}: expected K/N with 1 <= K <= N (e.g. 1/4; a Kubernetes index i is shard i+1)`);
  }
  return { index, count };
}

const SAFE = /[^A-Za-z0-9._=+-]/g;

/** The cartesian product of the axes, first axis outermost. */
export function planCells(vary: VaryAxis[]): Cell[] {
  const paths = vary.map((a) => a.path);
  if (new Set(paths).size !== paths.length) throw new CliError(EXIT_BAD_INPUT, '--vary: the same path is varied twice');
  let combos: string[][] = [[]];
  for (const axis of vary) combos = combos.flatMap((c) => axis.values.map((v) => [...c, v]));
  const width = String(Math.max(0, combos.length - 1)).length;
  return combos.map((vals, index) => {
    const values: Record<string, string> = {};
    vary.forEach((a, i) => (values[a.path] = vals[i]));
    const label = vary.map((a, i) => `${a.path.split('.').pop()}=${vals[i]}`.replace(SAFE, '_')).join(',');
    const name = vary.length === 0 ? 'base' : `${String(index).padStart(width, '0')}_${label}`.slice(0, 120);
    return { index, name, values };
  });
}

/** Every run of the plan, cell-major then seed: the canonical order. */
export function planRuns(plan: SweepPlan): RunRef[] {
  return plan.cells.flatMap((cell, c) => plan.seeds.map((seed, s) => ({ index: c * plan.seeds.length + s, cell, seed })));
}

/** Shard K/N owns runs K-1, K-1+N, ...: round robin, so every shard gets a share of every cell. */
export function shardRuns(runs: RunRef[], shard: Shard | null): RunRef[] {
  return shard ? runs.filter((r) => r.index % shard.count === shard.index - 1) : runs;
}

/** The --set list for one cell: the user's --set first, then the varied values. */
export function cellSets(plan: SweepPlan, cell: Cell): string[] {
  return [...plan.set, ...plan.vary.map((a) => `${a.path}=${cell.values[a.path]}`)];
}

export function runDir(dir: string, run: { cell: Cell; seed: number }): string {
  return join(dir, 'runs', run.cell.name, `seed-${run.seed}`);
}

export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The plan file's text: fixed key order, 2-space JSON. */
export function planJson(plan: SweepPlan, shard: Shard | null): string {
  return JSON.stringify({ ...plan, shard }, null, 2) + '\n';
}

/** Parses a sweep.json; returns the plan and its shard. */
export function readPlan(path: string): { plan: SweepPlan; shard: Shard | null } {
  let obj: (SweepPlan & { shard: Shard | null }) | null = null;
  try {
    obj = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(EXIT_BAD_INPUT, `${path}: not a sweep plan (${(e as Error).message})`);
  }
  if (!obj || obj.repsim_sweep !== 1) throw new CliError(EXIT_BAD_INPUT, `${path}: not a repsim sweep plan`);
  const { shard, ...plan } = obj;
  return { plan: plan as SweepPlan, shard: shard ?? null };
}

/** Describes how two plans differ (first difference), or null when they are the same experiment. */
export function planDifference(a: SweepPlan, b: SweepPlan): string | null {
  const keys: (keyof SweepPlan)[] = ['version', 'scenario_sha256', 'set', 'duration', 'format', 'vary', 'seeds'];
  for (const k of keys) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k}: ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`;
  }
  return null;
}
