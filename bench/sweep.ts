// Sweep scaling (issue 10, target 4): one 20-run sweep (2 link bandwidths x 10 seeds of a journal
// scenario, ~1-2 s of CPU per run) through the sweep() the CLI calls, with 1 worker (in this
// thread) and with 2 (worker threads), into fresh folders. Wall times give the speed-up; CPU
// times tell overhead (more CPU for the same runs) from contention (the same CPU, spread over
// a longer wall time because the machine's cores are busy with something else).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVary } from '../src/experiments/plan.js';
import { sweep } from '../src/experiments/sweep.js';
import { jsonFromChild } from './child.js';
import { eightVolumes } from './model.js';

const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);

export const SWEEP_SEEDS = 10;
/**
 * Simulated seconds per run: ~2 s of CPU at 50,000 writes/s (10 M writes at ~5 M writes per CPU
 * s). Each worker thread compiles the model afresh (~0.5 s of CPU beside its runs, on the same
 * two cores) where the in-thread worker reuses this process's compiled code: runs of 1 s made
 * that a fifth of the 2-worker sweep, which a sweep of real runs (minutes each) never sees.
 */
export const SWEEP_RUN_S = 200;

export interface SweepTiming {
  workers: number;
  runs: number;
  wall_s: number;
  /** CPU of this process (all threads) over the sweep. */
  cpu_s: number;
  /** Sums over the runs of their wall time and of the CPU time of the thread that ran each. */
  run_wall_s: number;
  run_cpu_s: number;
  /** From the call to the first run's start (plan, pool and worker start-up). */
  startup_s: number;
  /** From the last run's end to the return (summary files, pool shut-down). */
  tail_s: number;
}

/** Runs the sweep into a fresh folder and returns its timing and summary.arrow bytes. */
export async function timeSweep(scenarioPath: string, workers: number): Promise<SweepTiming & { summary: Buffer }> {
  const out = mkdtempSync(join(tmpdir(), `repsim-sweep-${workers}w-`));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.timeOrigin + performance.now();
    const r = await sweep({
      scenario: scenarioPath,
      vary: [parseVary('links.0.bandwidth=5Gbps,10Gbps')],
      seeds: Array.from({ length: SWEEP_SEEDS }, (_, i) => i + 1),
      out,
      workers,
    });
    const t1 = performance.timeOrigin + performance.now();
    const c = process.cpuUsage(c0);
    return {
      workers,
      runs: r.ran,
      wall_s: (t1 - t0) / 1000,
      cpu_s: (c.user + c.system) / 1e6,
      run_wall_s: sum(r.timing.map((t) => t.end_ms - t.start_ms)) / 1000,
      run_cpu_s: sum(r.timing.map((t) => t.cpu_s)),
      startup_s: (Math.min(...r.timing.map((t) => t.start_ms)) - t0) / 1000,
      tail_s: (t1 - Math.max(...r.timing.map((t) => t.end_ms))) / 1000,
      summary: readFileSync(join(out, 'summary.arrow')),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Writes the sweep's scenario to a temporary file; the caller removes its folder. */
export function sweepScenario(): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'repsim-sweep-scn-'));
  const path = join(dir, 'sweep.yaml');
  writeFileSync(path, eightVolumes('journal', SWEEP_RUN_S));
  return { path, dir };
}

/** Issue 10, target 4. */
export const TARGET_SWEEP_SPEEDUP = 1.8;

export interface SweepRow {
  name: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
}


/** timeSweep in a fresh process (bench/sweep-child.ts). */
function timeSweepInChild(path: string, workers: number): SweepTiming & { summary: Buffer } {
  const t = jsonFromChild<SweepTiming & { summary: string }>('sweep-child.js', [path, String(workers)]);
  return { ...t, summary: Buffer.from(t.summary, 'base64') };
}

/** Sweeps of each worker count, alternating (1, 2, 1, 2, ...): the least disturbed of each is compared. */
export const SWEEP_REPEATS = 3;

/** The 'sweep' case: 1 worker, then 2, each in a process of its own, SWEEP_REPEATS times, then the rows. */
export async function sweepRows(): Promise<SweepRow[]> {
  const { path, dir } = sweepScenario();
  try {
    const ones: SweepTiming[] = [];
    const twos: SweepTiming[] = [];
    let same = true;
    for (let i = 0; i < SWEEP_REPEATS; i++) {
      const one = timeSweepInChild(path, 1);
      const two = timeSweepInChild(path, 2);
      same &&= one.summary.equals(two.summary);
      ones.push(one);
      twos.push(two);
    }
    const fastest = (ts: SweepTiming[]): SweepTiming => ts.reduce((a, b) => (b.wall_s < a.wall_s ? b : a));
    const one = fastest(ones);
    const two = fastest(twos);
    const speedup = one.wall_s / two.wall_s;
    const rows: SweepRow[] = [];
    for (const t of [one, two]) {
      const label = `sweep ${t.runs} runs, ${t.workers} worker${t.workers > 1 ? 's' : ''}`;
      rows.push({ name: `${label}, wall, best of ${SWEEP_REPEATS}`, value: t.wall_s, unit: `s (all: ${(t.workers === 1 ? ones : twos).map((x) => x.wall_s.toFixed(1)).join(', ')})` });
      rows.push({ name: `${label}, CPU (process)`, value: t.cpu_s, unit: 's, all threads' });
      rows.push({ name: `${label}, CPU per run`, value: t.run_cpu_s / t.runs, unit: 's, its thread' });
      rows.push({ name: `${label}, run wall / run CPU`, value: t.run_wall_s / t.run_cpu_s, unit: 'x (> 1: runs wait for a core)' });
      rows.push({ name: `${label}, start-up + tail`, value: t.startup_s + t.tail_s, unit: `s (start-up ${t.startup_s.toFixed(2)} s)` });
    }
    rows.push({
      name: 'sweep speed-up, 2 workers vs 1 (wall, best / best)',
      value: speedup,
      unit: `x (pairs: ${ones.map((o, i) => (o.wall_s / twos[i].wall_s).toFixed(2)).join(', ')})`,
      target: `>= ${TARGET_SWEEP_SPEEDUP}`,
      pass: speedup >= TARGET_SWEEP_SPEEDUP,
    });
    // The same from CPU times, as if each thread had a core to itself: the serial parts plus
    // the runs' CPU spread over the workers. Far above the wall figure = contention, not overhead.
    const ideal = (w: SweepTiming): number => w.startup_s + w.tail_s + w.run_cpu_s / w.workers;
    rows.push({ name: 'sweep speed-up, from CPU times (own cores)', value: ideal(one) / ideal(two), unit: 'x (serial parts + run CPU / workers)' });
    rows.push({ name: 'sweep summary.arrow equal, 1 vs 2 workers', value: same ? 1 : 0, unit: 'bool', target: '1', pass: same });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
