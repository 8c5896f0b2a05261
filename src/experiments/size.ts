// `repsim size`: the smallest (or largest) value of one scenario quantity that meets an
// objective on every seed (or a chosen share of seeds), by bisection over a range the user
// gives. Seeds are common random numbers, so each probe sees the same writes and the search is
// monotone in practice; every probe is kept as evidence. Next to the answer: the vendor rule of
// thumb for that quantity (rules.ts), to show where the rule over- or under-sizes.
import { availableParallelism } from 'node:os';
import { CliError, EXIT_BAD_INPUT, EXIT_INTERNAL } from '../cli/errors.js';
import {
  formatBandwidth_bps, formatDuration_us, formatSize_bytes, parseBandwidth_bps, parseDuration_us, parseRate_per_s,
  parseSize_bytes,
} from '../io/scenario/units.js';
import { loadScenarioFile } from '../io/scenario/load.js';
import type { Summary } from '../metrics/records.js';
import { runMeets, worstValue, type Objective } from './objective.js';
import { RunPool } from './pool.js';
import { ruleFor, type RuleOfThumb } from './rules.js';
import type { RunTask } from './run-one.js';

export type Direction = 'smallest' | 'largest';
export type QuantityKind = 'bandwidth' | 'size' | 'duration' | 'rate' | 'number';

export interface Quantity {
  kind: QuantityKind;
  /** Base units: bps, bytes, microseconds, per second, or plain. */
  lo: number;
  hi: number;
  format(v: number): string;
}

const KINDS: Array<{ kind: QuantityKind; parse: (s: string) => number; format: (v: number) => string }> = [
  { kind: 'bandwidth', parse: parseBandwidth_bps, format: formatBandwidth_bps },
  { kind: 'size', parse: parseSize_bytes, format: formatSize_bytes },
  { kind: 'duration', parse: parseDuration_us, format: formatDuration_us },
  { kind: 'rate', parse: parseRate_per_s, format: (v) => `${v}/s` },
  { kind: 'number', parse: (s) => { const n = Number(s); if (s.trim() === '' || !Number.isFinite(n)) throw new Error('nan'); return n; }, format: (v) => String(v) },
];

/** "path=lo..hi" -> path and the range in base units (both ends of one kind, lo < hi). */
export function parseRange(text: string): { path: string; q: Quantity } {
  const m = /^([^=]+)=(.+?)\.\.(.+)$/.exec(text.trim());
  if (!m) throw new CliError(EXIT_BAD_INPUT, `--vary ${text}: expected path=lo..hi, e.g. links.0.bandwidth=10Mbps..1Gbps`);
  const [, path, loText, hiText] = m.map((s) => s.trim());
  for (const k of KINDS) {
    let lo: number;
    let hi: number;
    try {
      lo = k.parse(loText);
      hi = k.parse(hiText);
    } catch {
      continue;
    }
    if (!(lo < hi)) throw new CliError(EXIT_BAD_INPUT, `--vary ${text}: the low end must be below the high end`);
    return { path, q: { kind: k.kind, lo: Math.ceil(lo), hi: Math.floor(hi), format: k.format } };
  }
  throw new CliError(EXIT_BAD_INPUT, `--vary ${text}: cannot read "${loText}" and "${hiText}" as two values of one kind (bandwidth, size, duration, rate or number)`);
}

/** Larger is better for capacities and bandwidths; smaller for intervals, latencies and write rates. */
export function defaultDirection(path: string): Direction {
  if (/(every|interval|latency|delay)$/.test(path) || /^workloads\.\d+\.(rate|on_rate)$/.test(path)) return 'largest';
  return 'smallest';
}

export interface Probe {
  value: number;
  text: string;
  met: number;
  seeds: number;
  ok: boolean;
  /** Least favourable value of each objective's metric over seeds and groups. */
  worst: Record<string, number>;
}

export interface SizeOptions {
  scenario: string;
  /** "path=lo..hi". */
  vary: string;
  objectives: Objective[];
  seeds: number[] | null;
  /** Share of seeds that must meet the objectives (default 1: every seed). */
  share?: number;
  set?: string[];
  duration?: string | null;
  workers?: number;
  direction?: Direction | null;
  /** Stop when the bracket is narrower than this fraction of the answer (default 0.01). */
  tolerance?: number;
  group?: string | null;
  /** Bandwidth rule of thumb's safety factor (default 1.2). */
  safety?: number;
  onProbe?: (p: Probe) => void;
}

export interface SizeResult {
  path: string;
  kind: QuantityKind;
  direction: Direction;
  objectives: string[];
  seeds: number[];
  share: number;
  /** found: answer is the boundary; always: even the easy end of the range meets it; never: not even the hard end. */
  status: 'found' | 'always' | 'never';
  answer: number | null;
  answer_text: string | null;
  /** The nearest value tested that fails (the other side of the bracket). */
  failing: number | null;
  probes: Probe[];
  rule: (RuleOfThumb & { group: string; text: string | null; vs_answer: number | null }) | null;
  notes: string[];
}

/** Rounds to 3 significant digits when that stays strictly inside (lo, hi): readable probes. */
export function midpoint(lo: number, hi: number): number | null {
  const mid = (lo + hi) / 2;
  const nice = Number(mid.toPrecision(3));
  if (nice > lo && nice < hi && Number.isInteger(nice)) return nice;
  const whole = Math.round(mid);
  return whole > lo && whole < hi ? whole : null;
}

export async function size(opts: SizeOptions): Promise<SizeResult> {
  const { path, q } = parseRange(opts.vary);
  const set = opts.set ?? [];
  const duration = opts.duration ?? null;
  const base = loadScenarioFile(opts.scenario, { set, duration: duration ?? undefined });
  const seeds = opts.seeds ?? [base.seed];
  const share = opts.share ?? 1;
  if (!(share > 0 && share <= 1)) throw new CliError(EXIT_BAD_INPUT, `--share ${share}: expected a fraction in (0, 1]`);
  if (opts.objectives.length === 0) throw new CliError(EXIT_BAD_INPUT, 'give an --objective, e.g. \'rpo_p99_s<=30\'');
  const tolerance = opts.tolerance ?? 0.01;
  // The path must be settable: load both ends once (bad input: exit 2 before any run).
  for (const v of [q.lo, q.hi]) loadScenarioFile(opts.scenario, { set: [...set, `${path}=${q.format(v)}`], duration: duration ?? undefined });
  const notes: string[] = [];
  let direction = opts.direction ?? defaultDirection(path);
  const pool = new RunPool(Math.max(1, Math.min(opts.workers ?? availableParallelism(), seeds.length)));
  const probes: Probe[] = [];
  const cache = new Map<number, Probe>();
  const probe = async (value: number): Promise<Probe> => {
    const hit = cache.get(value);
    if (hit) return hit;
    const text = q.format(value);
    const tasks: RunTask[] = seeds.map((seed) => ({
      scenario: opts.scenario, set: [...set, `${path}=${text}`], seed, duration, out: null, format: 'arrow', charts: false, report: false,
    }));
    const outcomes = await pool.runAll(tasks);
    const bad = outcomes.find((o) => o.error !== null);
    if (bad) throw new CliError(EXIT_INTERNAL, `run at ${path}=${text} failed: ${bad.error}`);
    const summaries = outcomes.map((o) => o.summary as Summary);
    const met = summaries.filter((s) => runMeets(s, opts.objectives, opts.group ?? null)).length;
    const worst: Record<string, number> = {};
    for (const o of opts.objectives) worst[o.text] = worstValue(summaries, o, opts.group ?? null);
    const p: Probe = { value, text, met, seeds: seeds.length, ok: met >= Math.ceil(share * seeds.length - 1e-9), worst };
    cache.set(value, p);
    probes.push(p);
    opts.onProbe?.(p);
    return p;
  };
  try {
    const atLo = await probe(q.lo);
    const atHi = await probe(q.hi);
    if (!opts.direction && atLo.ok !== atHi.ok) {
      const inferred: Direction = atHi.ok ? 'smallest' : 'largest';
      if (inferred !== direction) notes.push(`the objective holds at the ${atLo.ok ? 'low' : 'high'} end only: searching for the ${inferred} value`);
      direction = inferred;
    }
    let good = direction === 'smallest' ? atHi : atLo; // the end that should meet the objective
    let bad = direction === 'smallest' ? atLo : atHi;
    let status: SizeResult['status'] = 'found';
    if (!good.ok) status = 'never';
    else if (bad.ok) status = 'always';
    else {
      for (;;) {
        const width = Math.abs(good.value - bad.value);
        if (width <= tolerance * Math.abs(good.value)) break;
        const mid = midpoint(Math.min(good.value, bad.value), Math.max(good.value, bad.value));
        if (mid === null) break;
        const p = await probe(mid);
        if (p.ok) good = p;
        else bad = p;
      }
      const nonMonotone = probes.filter((p) => (direction === 'smallest' ? p.value > good.value : p.value < good.value) && !p.ok);
      if (nonMonotone.length) notes.push(`not monotone: ${nonMonotone.map((p) => p.text).join(', ')} failed on the passing side`);
    }
    const answer = status === 'never' ? null : status === 'always' ? bad.value : good.value;
    return {
      path, kind: q.kind, direction, objectives: opts.objectives.map((o) => o.text), seeds, share, status,
      answer, answer_text: answer === null ? null : q.format(answer), failing: status === 'found' ? bad.value : null,
      probes, rule: rule(base, path, opts.safety ?? 1.2, answer, q), notes,
    };
  } finally {
    await pool.close();
  }
}

/** A rounded, readable value for messages (the exact one is in `value`). */
export function humanValue(kind: QuantityKind, v: number): string {
  const sig = (x: number) => String(Number(x.toPrecision(4)));
  switch (kind) {
    case 'bandwidth': return v >= 1e9 ? `${sig(v / 1e9)}Gbps` : v >= 1e6 ? `${sig(v / 1e6)}Mbps` : `${sig(v / 1e3)}Kbps`;
    case 'size': return v >= 2 ** 30 ? `${sig(v / 2 ** 30)}GiB` : v >= 2 ** 20 ? `${sig(v / 2 ** 20)}MiB` : `${sig(v / 1024)}KiB`;
    case 'duration': return v >= 1e6 ? `${sig(v / 1e6)}s` : `${sig(v / 1e3)}ms`;
    default: return sig(v);
  }
}

function rule(base: ReturnType<typeof loadScenarioFile>, path: string, safety: number, answer: number | null, q: Quantity): SizeResult['rule'] {
  const r = ruleFor(base, path, safety);
  if (!r) return null;
  const value = r.value === null ? null : Math.ceil(r.value);
  return {
    ...r, value,
    text: value === null ? null : humanValue(q.kind, value),
    vs_answer: value === null || answer === null || answer === 0 ? null : value / answer,
  };
}
