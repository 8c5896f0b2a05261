// `repsim sweep <scenario> --vary path=v1,v2 ... --seeds 1..20 [--workers N] [--shard K/N] --out DIR`
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { parseSeeds, parseShard, parseVary } from '../../experiments/plan.js';
import { sweep } from '../../experiments/sweep.js';
import type { OutputFormat } from '../../io/output/index.js';
import { CliError, EXIT_BAD_INPUT } from '../errors.js';
import { openProgress, type Progress } from '../progress.js';
import type { CliCommand } from './index.js';

interface SweepArgs {
  scenario: string;
  vary?: string[];
  seeds?: string;
  set?: string[];
  duration?: string;
  workers?: number;
  shard?: string;
  out: string;
  format: OutputFormat;
  charts: boolean;
  report: boolean;
  quiet: boolean;
  json: boolean;
}

export const sweepCommand: CliCommand = {
  build: () => ({
    command: 'sweep <scenario>',
    describe: 'run every combination of --vary values x --seeds on a worker pool; one summary table',
    builder: (y: Argv) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
        .option('vary', { type: 'string', array: true, describe: 'path=v1,v2,... (repeatable; the cartesian product is run)' })
        .option('seeds', { type: 'string', describe: 'seeds: 1..20, 7 or 1,4,9 (default: the scenario\'s seed)' })
        .option('set', { type: 'string', array: true, describe: 'override a value in every run: path=value' })
        .option('duration', { type: 'string', describe: 'override the simulated duration (e.g. 10m)' })
        .option('workers', { type: 'number', describe: `worker threads (default: every core, ${availableParallelism()} here)` })
        .option('shard', { type: 'string', describe: 'run only shard K of N (K/N, 1-based): for batch engines; see docs/scale-out.md' })
        .option('out', { type: 'string', demandOption: true, describe: 'sweep folder (re-running resumes it)' })
        .option('format', { choices: ['arrow', 'parquet', 'both'] as const, default: 'arrow' as OutputFormat, describe: 'per-run table format' })
        .option('charts', { type: 'boolean', default: false, describe: 'write each run\'s charts (slow)' })
        .option('report', { type: 'boolean', default: false, describe: 'write each run\'s report.html (slow)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar, no summary line' })
        .option('json', { type: 'boolean', default: false, describe: 'print the outcome as JSON' })
        .example('$0 sweep scenarios/pull-vs-push.yaml --vary replication.0.transfer=pull,push --vary links.0.bandwidth=100Mbps,200Mbps --seeds 1..5 --out results/pvp', '2 x 2 cells x 5 seeds')
        .example('$0 sweep s.yaml --vary links.0.bandwidth=50Mbps,100Mbps --seeds 1..100 --shard 3/10 --out shard-3', 'one shard of ten'),
    handler: async (argv: unknown) => {
      const a = argv as SweepArgs;
      if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 1)) {
        throw new CliError(EXIT_BAD_INPUT, `--workers ${a.workers}: expected a whole number >= 1`);
      }
      let bar: Progress | null = null;
      const r = await sweep({
        scenario: a.scenario,
        vary: (a.vary ?? []).map(parseVary),
        seeds: a.seeds === undefined ? null : parseSeeds(a.seeds),
        set: a.set ?? [],
        duration: a.duration ?? null,
        out: a.out,
        workers: a.workers,
        shard: a.shard === undefined ? null : parseShard(a.shard),
        format: a.format,
        charts: a.charts,
        report: a.report,
        onStart: (todo) => (bar = openProgress({ total: todo, unit: 'runs', label: 'sweep', quiet: a.quiet || a.json })),
        onRun: (_done, _total, run) => bar?.increment(1, { note: `${run.cell.name} seed ${run.seed}` }),
      }).finally(() => (bar as Progress | null)?.stop());
      const outcome = {
        out: a.out, cells: r.plan.cells.length, seeds: r.plan.seeds.length, runs: r.runs.length,
        ran: r.ran, skipped: r.skipped, rows: r.table.rows.length,
      };
      if (a.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
      else if (!a.quiet) {
        process.stdout.write(`${cellTable(r.table.rows)}\n\n`);
        process.stdout.write(
          `${r.plan.cells.length} cells x ${r.plan.seeds.length} seeds: ${r.runs.length} runs in this folder ` +
          `(${r.ran} run, ${r.skipped} already complete)\nsummary: ${a.out}/summary.arrow, ${a.out}/summary.parquet (${r.table.rows.length} rows)\n`);
      }
    },
  }),
};

/** Per cell and group: seeds, mean RPO p99, worst RPO max, runs meeting the objectives. */
export function cellTable(rows: Record<string, number | string | null>[]): string {
  const keys: string[] = [];
  const by = new Map<string, Record<string, number | string | null>[]>();
  for (const r of rows) {
    const k = `${r.cell}\u0000${r.group}`;
    if (!by.has(k)) {
      by.set(k, []);
      keys.push(k);
    }
    by.get(k)!.push(r);
  }
  const head = ['cell', 'group', 'seeds', 'RPO p99 s (mean)', 'RPO max s (max)', 'objectives met'];
  const body = keys.map((k) => {
    const rs = by.get(k)!;
    const p99 = rs.reduce((a, r) => a + (r.rpo_p99_s as number), 0) / rs.length;
    const max = Math.max(...rs.map((r) => r.rpo_max_s as number));
    const met = rs.filter((r) => r.objectives_met === 1).length;
    return [String(rs[0].cell), String(rs[0].group), String(rs.length), p99.toFixed(3), max.toFixed(3), `${met}/${rs.length}`];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...body.map(line)].join('\n');
}
