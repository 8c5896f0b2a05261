// The benchmark registry: each case returns rows that bench/run.ts prints beside their targets.
// Model benchmarks are added by pushing a BenchCase onto `benchCases`.

import {
  HOLD_DEFAULTS,
  MM1_DEFAULTS,
  lindleyMm1,
  runHoldBench,
  WQ_CHECK_SEEDS,
  mm1ExpectedWq,
  mm1WqOverSeeds,
  rateOf,
  timed,
} from '../src/engine/bench.js';
import seedrandom from 'seedrandom';
import { Streams } from '../src/engine/random.js';
import { exponential, exponentialByInversion } from '../src/engine/distributions.js';
import type { Mm1ChildResult } from './mm1-child.js';
import { jsonFromChild } from './child.js';
import { Xor4096Buffered } from './xor4096.js';
import { eightVolumes, loadFile, loadText, runModel, runWithOutput, type ModelRun } from './model.js';
import { sweepRows } from './sweep.js';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the figure should reach, as text (e.g. ">= 6e6"). */
  target?: string;
  /** Whether the target is met, when there is one. */
  pass?: boolean;
}

export interface BenchCase {
  name: string;
  /** Runs only when named (`node dist/bench/run.js bench-day`): too long for every `npm run bench`. */
  optIn?: boolean;
  run(): BenchRow[] | Promise<BenchRow[]>;
}

/** Issue 10's targets. */
const TARGET_CUSTOMERS_PER_S = 6e6;
const TARGET_EVENTS_PER_S = 1.2e7;
const TARGET_VS_BARE = 0.75;
/** Processes of the M/M/1 case (bench/mm1-child.ts), and timed runs of each model in each. */
const MM1_PROCESSES = 5;
const MM1_REPS = 5;
/** The reference points: a plain typed-array heap loop and SimPy 3 on this kind of machine. */
const REFERENCE_BARE_CUSTOMERS_PER_S = 8e6;
const SIMPY_CUSTOMERS_PER_S = 0.13e6;

/** Issue 10's replication-model targets. */
const TARGET_JOURNAL_WRITES_PER_CPU_S = 5e6;
const TARGET_BITMAP_WRITES_PER_CPU_S = 3e6;
const TARGET_OUTPUT_SHARE = 0.1;
const TARGET_DAY_S = 180;
const TARGET_DAY_RSS_BYTES = 2 ** 30;
const MODEL_SECONDS = 60;
/** Processes per mode of the model benchmark, and timed runs in each (best and median reported). */
const MODEL_PROCESSES = 3;
const MODEL_RUNS_PER_PROCESS = 2;
const MODEL_RUNS = MODEL_PROCESSES * MODEL_RUNS_PER_PROCESS;

/** Timed runs of one mode in a child process (bench/model-child.ts). */
function runModelChild(mode: 'journal' | 'oos-bitmap', seconds: number, runs: number): ModelRun[] {
  return jsonFromChild<ModelRun[]>('model-child.js', [mode, String(seconds), String(runs)]);
}

function atMost(name: string, value: number, unit: string, target: number): BenchRow {
  return { name, value, unit, target: `<= ${target}`, pass: value <= target };
}

function atLeast(name: string, value: number, unit: string, target: number): BenchRow {
  return { name, value, unit, target: `>= ${target.toExponential(1)}`, pass: value >= target };
}

export const benchCases: BenchCase[] = [
  {
    name: 'hold',
    run: () => {
      const r = runHoldBench(HOLD_DEFAULTS);
      const label = `hold (${HOLD_DEFAULTS.pending} pending, ${HOLD_DEFAULTS.events} events)`;
      return [
        { name: label, value: r.events_per_s, unit: 'events/s' },
        { name: `${label}, per CPU s`, value: r.cpu_events_per_s, unit: 'events/CPU s' },
      ];
    },
  },
  {
    name: 'mm1',
    run: () => {
      const opts = MM1_DEFAULTS;
      // MM1_PROCESSES fresh processes, each timing the Simulator and the bare loop alternately
      // (MM1_REPS runs of each, so both see the same load): processes differ by up to ~20% with
      // the same code, and one run can lose a third of its speed to the other core's load. The
      // pooled runs give best and median; each pair's ratio (runs side by side in one process)
      // gives the paired median.
      const children = Array.from({ length: MM1_PROCESSES }, () => jsonFromChild<Mm1ChildResult>('mm1-child.js', [String(MM1_REPS)]));
      const pool = (k: 'sim_wall' | 'sim_cpu' | 'bare_wall' | 'bare_cpu'): number[] => children.flatMap((c) => c[k]);
      const sim = rateOf(pool('sim_wall'));
      const simCpu = rateOf(pool('sim_cpu'));
      const bare = rateOf(pool('bare_wall'));
      const bareCpu = rateOf(pool('bare_cpu'));
      const bareCpuRuns = pool('bare_cpu');
      const paired = rateOf(pool('sim_cpu').map((r, i) => r / bareCpuRuns[i]));
      const r = children[0].outcome;
      const wqExpected = mm1ExpectedWq(opts.lambda, opts.mu);
      const lindley = lindleyMm1(opts);
      const relErr = Math.abs(r.wq - wqExpected) / wqExpected;
      const same = children.every((c) => c.bare_wait_sum_us === r.wait_sum_us && c.outcome.wait_sum_us === r.wait_sum_us) && lindley.wait_sum_us === r.wait_sum_us;
      const label = `M/M/1 ${opts.customers / 1e6}M cust. rho ${opts.lambda / opts.mu}`;
      const of = `of ${MM1_PROCESSES * MM1_REPS}`;
      const eventsPerCustomer = r.events / opts.customers;
      return [
        atLeast(`${label}, best ${of}`, sim.best, 'customers/s', TARGET_CUSTOMERS_PER_S),
        { name: `${label}, median ${of}`, value: sim.median, unit: 'customers/s' },
        atLeast(`${label}/CPU s, best ${of}`, simCpu.best, 'customers/CPU s', TARGET_CUSTOMERS_PER_S),
        atLeast(`${label}/CPU s, median ${of}`, simCpu.median, 'customers/CPU s', TARGET_CUSTOMERS_PER_S),
        atLeast(`M/M/1 events, best ${of}`, sim.best * eventsPerCustomer, 'events/s', TARGET_EVENTS_PER_S),
        { name: `bare typed-array heap loop, best ${of}`, value: bare.best, unit: 'customers/s' },
        { name: `bare typed-array heap loop, median ${of}`, value: bare.median, unit: 'customers/s' },
        { name: `bare loop/CPU s, best ${of}`, value: bareCpu.best, unit: 'customers/CPU s' },
        { name: `bare loop/CPU s, median ${of}`, value: bareCpu.median, unit: 'customers/CPU s' },
        { name: 'repsim / bare (wall, best / best)', value: sim.best / bare.best, unit: 'ratio (each side\'s luckiest run)' },
        { name: 'repsim / bare (CPU, best / best)', value: simCpu.best / bareCpu.best, unit: 'ratio (each side\'s luckiest run)' },
        atLeast('repsim / bare (wall, median / median)', sim.median / bare.median, 'ratio', TARGET_VS_BARE),
        atLeast('repsim / bare (CPU, median / median)', simCpu.median / bareCpu.median, 'ratio', TARGET_VS_BARE),
        atLeast('repsim / bare (CPU, median of paired runs)', paired.median, 'ratio', TARGET_VS_BARE),
        {
          name: 'repsim vs the issue\'s reference loop (~8 M customers/s)',
          value: simCpu.median / REFERENCE_BARE_CUSTOMERS_PER_S,
          unit: 'ratio (median per CPU s / 8e6)',
        },
        {
          name: 'repsim vs SimPy 3 (issue figure, 0.13 M customers/s)',
          value: simCpu.median / SIMPY_CUSTOMERS_PER_S,
          unit: 'x (median per CPU s)',
          target: '>= 40',
          pass: simCpu.median / SIMPY_CUSTOMERS_PER_S >= 40,
        },
        {
          // At rho 0.9 the SE over 2e6 customers is ~1.5-2% of Wq, so 2% is only ~1-1.4 SE:
          // on one run the 2% check fails for about half the seeds (5 of seeds 1..10). It is
          // shown here; the checks are the SE-based one below and case mm1-accuracy.
          name: 'M/M/1 Wq (model time units), this run',
          value: r.wq,
          unit: `SE ${r.wq_se.toFixed(3)}, ${(relErr * 100).toFixed(2)}% off`,
          target: `${wqExpected.toFixed(1)} (info)`,
        },
        {
          name: 'M/M/1 Wq error in standard errors',
          value: Math.abs(r.wq - wqExpected) / r.wq_se,
          unit: 'SE',
          target: '<= 3',
          pass: Math.abs(r.wq - wqExpected) <= 3 * r.wq_se,
        },
        {
          name: 'Wq equals bare loop and Lindley, to the us',
          value: same ? 1 : 0,
          unit: 'bool',
          target: '1',
          pass: same,
        },
      ];
    },
  },
  {
    // One 2e6-customer run pins Wq only to ~1.5-2% (1 SE) at rho 0.9. Ten seeds pin it to
    // ~0.6%, where a 2% check is a real test of the engine rather than of the seed's luck.
    name: 'mm1-accuracy',
    run: () => {
      const { wq, se } = mm1WqOverSeeds(MM1_DEFAULTS, WQ_CHECK_SEEDS);
      const expected = mm1ExpectedWq(MM1_DEFAULTS.lambda, MM1_DEFAULTS.mu);
      return [
        {
          name: `M/M/1 Wq, mean of ${WQ_CHECK_SEEDS} seeds x ${MM1_DEFAULTS.customers}`,
          value: wq,
          unit: `SE ${se.toFixed(3)} (across seeds)`,
          target: `${expected.toFixed(1)} +- 2%`,
          pass: Math.abs(wq - expected) <= 0.02 * expected,
        },
      ];
    },
  },
  {
    // Why xoshiro128**: against xor4096 stepped over its state array (repsim's generator before)
    // and the generators seedrandom offers, side by side.
    // Each loop is its own function so no call site is shared (and slowed) between them.
    name: 'rng',
    run: () => {
      const n = 10_000_000;
      const rate = (loop: (n: number) => number): number => {
        for (let w = 0; w < 3; w++) loop(1_000_000); // warm-up, so the loop itself is optimized
        return n / timed(() => loop(n)).seconds;
      };
      const stream = new Streams(1).stream('bench');
      const xor = seedrandom.xor4096('bench');
      const xorBuffered = new Xor4096Buffered('bench');
      const alea = seedrandom.alea('bench');
      const arc4 = seedrandom('bench');
      const row = (name: string, loop: (n: number) => number): BenchRow => ({ name, value: rate(loop), unit: 'draws/s' });
      return [
        row('repsim stream (xoshiro128**, buffered)', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += stream.next();
          return s;
        }),
        row('xor4096 on an Int32Array, buffered (before)', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += xorBuffered.next();
          return s;
        }),
        row('seedrandom xor4096', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += xor();
          return s;
        }),
        row('seedrandom alea', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += alea();
          return s;
        }),
        row('seedrandom default (ARC4)', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += arc4();
          return s;
        }),
        row('exponential, ziggurat', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += exponential(stream, 1);
          return s;
        }),
        row('exponential, inversion (-ln u)', (k) => {
          let s = 0;
          for (let i = 0; i < k; i++) s += exponentialByInversion(stream, 1);
          return s;
        }),
      ];
    },
  },
  {
    // 8 volumes, 50,000 writes/s (zipf), 60 simulated seconds: 3 M host writes per mode.
    name: 'model',
    run: () => {
      // Six runs of each, best and median: on a shared machine one run can lose a fifth of its
      // speed to the other core's load (see BENCHMARKS.md). Each mode runs in processes of its
      // own, as a scenario does under `repsim run` (bench/model-child.ts: two untimed runs, then
      // two timed), three per mode, modes alternating: processes differ (one may run ~20%
      // faster than the next with the same code).
      const rows: BenchRow[] = [];
      const modes = [['journal', TARGET_JOURNAL_WRITES_PER_CPU_S], ['oos-bitmap', TARGET_BITMAP_WRITES_PER_CPU_S]] as const;
      const runs = new Map<string, ModelRun[]>(modes.map(([m]) => [m, []]));
      for (let i = 0; i < MODEL_PROCESSES; i++) {
        for (const [mode] of modes) runs.get(mode)!.push(...runModelChild(mode, MODEL_SECONDS, MODEL_RUNS_PER_PROCESS));
      }
      for (const [mode, target] of modes) {
        const rs = runs.get(mode)!;
        const cpu = rs.map((r) => r.writes / r.cpu_seconds).sort((a, b) => b - a);
        const wall = rs.map((r) => r.writes / r.seconds).sort((a, b) => b - a);
        const label = `${mode}, 8 vols, 50k/s zipf`;
        rows.push(atLeast(`${label}, per CPU s, best of ${MODEL_RUNS}`, cpu[0], 'host writes/CPU s', target));
        rows.push({ name: `${label}, per CPU s, median`, value: cpu[Math.floor(MODEL_RUNS / 2)], unit: 'host writes/CPU s' });
        rows.push({ name: `${label}, wall, best of ${MODEL_RUNS}`, value: wall[0], unit: 'host writes/s' });
      }
      return rows;
    },
  },
  {
    // Output cost: the journal run with Arrow files and 1 s samples, against the same run with
    // no output and a single sample. The difference is what sampling and writing cost.
    name: 'model-output',
    run: async () => {
      const text = eightVolumes('journal', MODEL_SECONDS);
      runModel(loadText(eightVolumes('journal', 2), 'warm-up.yaml'));
      const bare = runModel(loadText(text.replace('sample_every: 1s', `sample_every: ${MODEL_SECONDS}s`), 'bare.yaml'));
      const full = await runWithOutput(loadText(text, 'full.yaml'));
      const share = Math.max(0, full.cpu_seconds - bare.cpu_seconds) / full.cpu_seconds;
      return [
        atMost('sampling + Arrow output, share of CPU', share, 'fraction (vs no output)', TARGET_OUTPUT_SHARE),
        atMost('sampler + closing files, share of wall', (full.sample_s + full.output_s) / full.seconds, 'fraction (timed)', TARGET_OUTPUT_SHARE),
        { name: 'journal with Arrow output, per CPU s', value: full.writes / full.cpu_seconds, unit: 'host writes/CPU s' },
      ];
    },
  },
  {
    // scenarios/bench-day.yaml: 24 h, ~864 M writes, Arrow output; RSS read every simulated minute.
    name: 'bench-day',
    optIn: true,
    run: async () => {
      const s = loadFile('scenarios/bench-day.yaml');
      const rss: number[] = [];
      let peak = 0;
      const r = await runWithOutput(s, () => {
        const v = process.memoryUsage().rss;
        rss.push(v);
        if (v > peak) peak = v;
      });
      const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
      const at = (f: number) => rss[Math.min(rss.length - 1, Math.floor(f * rss.length))];
      const mib = 2 ** 20;
      return [
        atMost('bench-day (24 h, Arrow output), wall', r.seconds, 's', TARGET_DAY_S),
        atMost('bench-day, CPU', r.cpu_seconds, 's', TARGET_DAY_S),
        { name: 'bench-day, host writes', value: r.writes, unit: 'writes' },
        { name: 'bench-day, host writes per CPU s', value: r.writes / r.cpu_seconds, unit: 'host writes/CPU s' },
        atMost('bench-day, peak RSS', maxRss / mib, 'MiB', TARGET_DAY_RSS_BYTES / mib),
        { name: 'bench-day, RSS at 6 h / 12 h / 24 h', value: at(0.25) / mib, unit: `MiB / ${(at(0.5) / mib).toFixed(0)} / ${(at(1) / mib).toFixed(0)}` },
        atMost('bench-day, sampler + closing files, share', (r.sample_s + r.output_s) / r.seconds, 'fraction of wall', TARGET_OUTPUT_SHARE),
        { name: 'bench-day, sampler (86,400 samples)', value: r.sample_s, unit: 's' },
        { name: 'bench-day, closing the output files', value: r.output_s, unit: 's' },
      ];
    },
  },
  {
    // Issue 10, target 4: one 20-run sweep with 1 worker and with 2 (bench/sweep.ts).
    name: 'sweep',
    run: sweepRows,
  },
];
