// Sweeps: every (cell, seed) run of a plan, on a worker-thread pool, into DIR/runs/<cell>/seed-<n>/,
// then one summary for the folder. Completed runs (summary.json present) are skipped, so an
// interrupted sweep resumes where it stopped; the summary is rebuilt from the run folders in
// plan order, so neither the worker count nor the finishing order changes a byte.
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT_BAD_INPUT, EXIT_INTERNAL } from '../cli/errors.js';
import type { OutputFormat } from '../io/output/index.js';
import { loadScenarioFile } from '../io/scenario/load.js';
import { VERSION } from '../version.js';
import { writeDataset, type SummaryTable } from './dataset.js';
import {
  cellSets, fileSha256, planCells, planDifference, planRuns, readPlan, runDir, shardRuns,
  type RunRef, type Shard, type SweepPlan, type VaryAxis,
} from './plan.js';
import { RunPool } from './pool.js';
import { runComplete, type RunOutcome, type RunTask } from './run-one.js';

export interface SweepOptions {
  scenario: string;
  vary: VaryAxis[];
  /** Null: the scenario's own seed. */
  seeds: number[] | null;
  set?: string[];
  duration?: string | null;
  out: string;
  /** Default: every core. 1 runs in this thread. */
  workers?: number;
  shard?: Shard | null;
  format?: OutputFormat;
  charts?: boolean;
  report?: boolean;
  /** Called after each run finishes (done counts this invocation's runs). */
  onRun?: (done: number, total: number, run: RunRef) => void;
  /** Called once the runs to do are known. */
  onStart?: (todo: number, skipped: number) => void;
}

export interface SweepResult {
  plan: SweepPlan;
  /** This shard's runs, in plan order. */
  runs: RunRef[];
  ran: number;
  skipped: number;
  table: SummaryTable;
  /** Timing of each run done by this invocation, in plan order (for benchmarks; see RunOutcome). */
  timing: Pick<RunOutcome, 'start_ms' | 'end_ms' | 'cpu_s'>[];
}

/** Builds the plan, checking that every cell's scenario loads (bad values: exit 2, before any run). */
export function buildPlan(opts: Pick<SweepOptions, 'scenario' | 'vary' | 'seeds' | 'set' | 'duration' | 'format'>): SweepPlan {
  const set = opts.set ?? [];
  const duration = opts.duration ?? null;
  const base = loadScenarioFile(opts.scenario, { set, duration: duration ?? undefined });
  const plan: SweepPlan = {
    repsim_sweep: 1,
    version: VERSION,
    scenario: opts.scenario,
    scenario_sha256: fileSha256(opts.scenario),
    set,
    duration,
    format: opts.format ?? 'arrow',
    vary: opts.vary,
    seeds: opts.seeds ?? [base.seed],
    cells: planCells(opts.vary),
  };
  if (plan.seeds.length === 0) throw new CliError(EXIT_BAD_INPUT, '--seeds: no seeds');
  for (const cell of plan.cells) loadScenarioFile(opts.scenario, { set: cellSets(plan, cell), duration: duration ?? undefined });
  return plan;
}

export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const plan = buildPlan(opts);
  const shard = opts.shard ?? null;
  const planPath = join(opts.out, 'sweep.json');
  if (existsSync(planPath)) {
    const diff = planDifference(readPlan(planPath).plan, plan);
    if (diff) throw new CliError(EXIT_BAD_INPUT, `${opts.out} holds a different sweep (${diff}); use another --out or remove it`);
  }
  const runs = shardRuns(planRuns(plan), shard);
  const todo = runs.filter((r) => !runComplete(runDir(opts.out, r)));
  opts.onStart?.(todo.length, runs.length - todo.length);
  const tasks = todo.map((r): RunTask => {
    const out = runDir(opts.out, r);
    rmSync(out, { recursive: true, force: true }); // leftovers of an interrupted run
    return {
      scenario: opts.scenario, set: cellSets(plan, r.cell), seed: r.seed, duration: plan.duration, out,
      format: plan.format, charts: opts.charts ?? false, report: opts.report ?? false,
    };
  });
  const outcomes = await execute(tasks, todo, opts);
  const failed = outcomes.map((o, i) => ({ o, r: todo[i] })).filter((x) => x.o.error !== null);
  if (failed.length > 0) {
    const first = failed[0];
    throw new CliError(EXIT_INTERNAL,
      `${failed.length} of ${todo.length} runs failed; first: ${first.r.cell.name} seed ${first.r.seed}: ${first.o.error} ` +
      '(completed runs are kept: re-run to resume)');
  }
  const table = await writeDataset(opts.out, plan, shard, runs);
  return {
    plan, runs, ran: todo.length, skipped: runs.length - todo.length, table,
    timing: outcomes.map(({ start_ms, end_ms, cpu_s }) => ({ start_ms, end_ms, cpu_s })),
  };
}

async function execute(tasks: RunTask[], refs: RunRef[], opts: SweepOptions): Promise<RunOutcome[]> {
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), tasks.length));
  const pool = new RunPool(workers);
  let done = 0;
  try {
    return await pool.runAll(tasks, (i) => opts.onRun?.(++done, tasks.length, refs[i]));
  } finally {
    await pool.close();
  }
}
