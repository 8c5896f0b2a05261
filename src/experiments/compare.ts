// `repsim compare`: options side by side. An option ("arm") is a run folder, or a cell of a sweep
// folder (its seeds are the replicates). Seeds are common random numbers, so arms are compared
// to the baseline (the first arm) seed by seed: paired mean difference and Student-t interval.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { CliError, EXIT_BAD_INPUT } from '../cli/errors.js';
import { readParquetTable } from '../io/output/parquet.js';
import type { GroupSummary, Summary } from '../metrics/records.js';
import { metricValue } from './objective.js';
import { planRuns, readPlan, runDir } from './plan.js';
import { runComplete } from './run-one.js';
import { mean, pairedDifference, quantileSorted, type PairedDifference } from './stats.js';

export const DEFAULT_METRICS = [
  'rpo_p99_s', 'rpo_max_s', 'rpo_mean_s', 'bytes_sent', 'journal_peak_bytes', 'suspended_s', 'host_latency_p99_us',
  'consistency_violations', 'data_loss_bytes', 'rto_s',
];

export interface ArmRun {
  seed: number;
  dir: string;
  summary: Summary;
}

export interface Arm {
  name: string;
  /** In seed order. */
  runs: ArmRun[];
}

export interface MetricRow {
  group: string;
  metric: string;
  baseline_mean: number;
  arm_mean: number;
  diff: PairedDifference;
}

export interface ArmComparison {
  arm: string;
  /** Seeds present in both the arm and the baseline. */
  paired_seeds: number[];
  rows: MetricRow[];
}

export interface CompareResult {
  baseline: string;
  arms: { name: string; seeds: number[] }[];
  groups: string[];
  comparisons: ArmComparison[];
}

function readSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
}

/** Arms from folders: a sweep folder gives one arm per cell; a run folder gives one arm. */
export function loadArms(dirs: string[]): Arm[] {
  const arms: Arm[] = [];
  for (const dir of dirs) {
    if (existsSync(join(dir, 'sweep.json'))) {
      const { plan } = readPlan(join(dir, 'sweep.json'));
      const prefix = dirs.length > 1 ? `${basename(dir)}:` : '';
      // Short labels ("transfer=pull bandwidth=100Mbps") unless two cells would share one.
      const short = plan.cells.map((c) => Object.entries(c.values).map(([p, v]) => `${p.split('.').pop()}=${v}`).join(' ') || c.name);
      const label = new Set(short).size === short.length ? short : plan.cells.map((c) => c.name);
      for (const cell of plan.cells) {
        const runs = planRuns(plan).filter((r) => r.cell.index === cell.index && runComplete(runDir(dir, r)))
          .map((r) => ({ seed: r.seed, dir: runDir(dir, r), summary: readSummary(runDir(dir, r)) }));
        if (runs.length) arms.push({ name: prefix + label[cell.index], runs });
      }
    } else if (existsSync(join(dir, 'summary.json'))) {
      const summary = readSummary(dir);
      arms.push({ name: basename(dir), runs: [{ seed: summary.run.seed, dir, summary }] });
    } else {
      throw new CliError(EXIT_BAD_INPUT, `${dir}: neither a run folder (summary.json) nor a sweep folder (sweep.json)`);
    }
  }
  return arms;
}

/** Group i of every run is compared with group i of the baseline (named as in the baseline). */
export function compareArms(arms: Arm[], metrics: string[] = DEFAULT_METRICS, baselineName?: string): CompareResult {
  if (arms.length < 2) throw new CliError(EXIT_BAD_INPUT, `compare: need at least two runs or sweep cells (got ${arms.length})`);
  const bi = baselineName === undefined ? 0 : arms.findIndex((a) => a.name === baselineName);
  if (bi < 0) throw new CliError(EXIT_BAD_INPUT, `--baseline ${baselineName}: no such option (have ${arms.map((a) => a.name).join(', ')})`);
  const base = arms[bi];
  const groups = base.runs[0].summary.groups.map((g) => g.group);
  const value = (r: ArmRun, gi: number, m: string): number => {
    const g: GroupSummary | undefined = r.summary.groups[gi];
    return g === undefined ? NaN : metricValue(g, m);
  };
  const comparisons = arms.filter((_, i) => i !== bi).map((arm): ArmComparison => {
    const seeds = arm.runs.map((r) => r.seed).filter((s) => base.runs.some((b) => b.seed === s));
    const pick = (a: Arm) => seeds.map((s) => a.runs.find((r) => r.seed === s)!);
    const [b, o] = [pick(base), pick(arm)];
    const rows = groups.flatMap((group, gi) => metrics.map((metric) => {
      const bv = b.map((r) => value(r, gi, metric));
      const ov = o.map((r) => value(r, gi, metric));
      return { group, metric, baseline_mean: mean(bv), arm_mean: mean(ov), diff: pairedDifference(bv, ov) };
    }));
    return { arm: arm.name, paired_seeds: seeds, rows };
  });
  return { baseline: base.name, arms: arms.map((a) => ({ name: a.name, seeds: a.runs.map((r) => r.seed) })), groups, comparisons };
}

const num = (v: number | null): string => {
  if (v === null || !Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
};
const signed = (v: number | null): string => (v !== null && Number.isFinite(v) && v > 0 ? `+${num(v)}` : num(v));

/** The side-by-side table, one block per compared option. */
export function formatComparison(c: CompareResult): string {
  const out: string[] = [];
  for (const cmp of c.comparisons) {
    out.push(`${cmp.arm} vs ${c.baseline} (baseline): ${cmp.paired_seeds.length} paired seed${cmp.paired_seeds.length === 1 ? '' : 's'}` +
      (cmp.paired_seeds.length < 2 ? ' - no confidence interval with one seed (run a sweep with --seeds)' : ''));
    const head = ['group', 'metric', 'baseline', 'option', 'mean diff', '95% CI', 'p'];
    const rows = cmp.rows.map((r) => [
      r.group, r.metric, num(r.baseline_mean), num(r.arm_mean), signed(r.diff.mean),
      r.diff.ci_low === null ? '-' : `[${signed(r.diff.ci_low)}, ${signed(r.diff.ci_high)}]`,
      r.diff.p_value === null ? '-' : r.diff.p_value < 0.001 ? '<0.001' : r.diff.p_value.toFixed(3),
    ]);
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((s, i) => (i < 2 ? s.padEnd(w[i]) : s.padStart(w[i]))).join('  ').trimEnd();
    out.push(line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line), '');
  }
  return out.join('\n').trimEnd();
}

function readTimeseries(dir: string): Table | null {
  if (existsSync(join(dir, 'timeseries.arrow'))) return tableFromIPC(readFileSync(join(dir, 'timeseries.arrow')));
  if (existsSync(join(dir, 'timeseries.parquet'))) return readParquetTable(readFileSync(join(dir, 'timeseries.parquet')));
  return null;
}

/** Pooled RPO quantiles (0..100%) per arm and group, from the runs' time series. */
export function rpoQuantiles(arms: Arm[], groups: string[]): { option: string; group: string; quantile: number; rpo_s: number }[] {
  const out: { option: string; group: string; quantile: number; rpo_s: number }[] = [];
  for (const arm of arms) {
    const perGroup = groups.map(() => [] as number[]);
    for (const r of arm.runs) {
      const t = readTimeseries(r.dir);
      if (!t) continue;
      const names = r.summary.groups.map((g) => g.group);
      const g = t.getChild('group')!.toArray() as unknown as string[];
      const rpo = t.getChild('rpo_s')!.toArray() as Float64Array;
      for (let i = 0; i < rpo.length; i++) {
        const gi = names.indexOf(String(g[i]));
        if (gi >= 0 && gi < groups.length) perGroup[gi].push(rpo[i]);
      }
    }
    perGroup.forEach((xs, gi) => {
      if (xs.length === 0) return;
      xs.sort((a, b) => a - b);
      for (let q = 0; q <= 100; q++) out.push({ option: arm.name, group: groups[gi], quantile: q / 100, rpo_s: quantileSorted(xs, q / 100) });
    });
  }
  return out;
}

const VL = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Vega-Lite specs: RPO distribution per option, and RPO p99 per seed (paired lines). */
export function compareCharts(arms: Arm[], c: CompareResult): Record<string, Record<string, unknown>> {
  const multi = c.groups.length > 1;
  const q = rpoQuantiles(arms, c.groups);
  const perSeed = arms.flatMap((a) => a.runs.flatMap((r) => r.summary.groups.slice(0, c.groups.length)
    .map((g, gi) => ({ option: a.name, group: c.groups[gi], seed: r.seed, rpo_p99_s: g.rpo_p99_s }))));
  const options = arms.map((a) => a.name);
  const font = { config: { font: 'DejaVu Sans' } };
  return {
    'rpo-distribution': {
      $schema: VL, ...font, title: 'RPO distribution per option (all samples of all seeds)', data: { values: q },
      ...(multi ? { facet: { row: { field: 'group', type: 'nominal' } }, spec: ecdfLayer(options) } : ecdfLayer(options)),
    },
    'rpo-p99-by-seed': {
      $schema: VL, ...font, title: 'RPO p99 per seed and option (lines join the same seed)', data: { values: perSeed },
      ...(multi ? { facet: { row: { field: 'group', type: 'nominal' } }, spec: seedLayer(options) } : seedLayer(options)),
    },
  };
}

function ecdfLayer(options: string[]): Record<string, unknown> {
  return {
    width: 560, height: 240,
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'rpo_s', type: 'quantitative', title: 'RPO (s)' },
      y: { field: 'quantile', type: 'quantitative', title: 'share of samples', axis: { format: '%' } },
      color: { field: 'option', type: 'nominal', sort: options, legend: { labelLimit: 400 } },
    },
  };
}

function seedLayer(options: string[]): Record<string, unknown> {
  const x = { field: 'option', type: 'nominal', sort: options, title: null, axis: { labelAngle: -20, labelLimit: 240 } };
  return {
    width: Math.max(240, 120 * options.length), height: 240,
    layer: [
      { mark: { type: 'line', opacity: 0.35 }, encoding: { x, y: { field: 'rpo_p99_s', type: 'quantitative', title: 'RPO p99 (s)' }, detail: { field: 'seed', type: 'nominal' } } },
      { mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y: { field: 'rpo_p99_s', type: 'quantitative' }, color: { field: 'option', type: 'nominal', sort: options, legend: null }, tooltip: [{ field: 'seed' }, { field: 'rpo_p99_s' }] } },
    ],
  };
}
