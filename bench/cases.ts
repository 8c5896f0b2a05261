// The benchmark registry: each case returns rows that bench/run.ts prints beside their targets.
// Model benchmarks are added by pushing a BenchCase onto `benchCases`.

import {
  HOLD_DEFAULTS,
  MM1_DEFAULTS,
  lindleyMm1,
  runHoldBench,
  runMm1Bench,
  simulateMm1,
} from '../src/engine/bench.js';
import { bareMm1 } from './bare.js';

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
  run(): BenchRow[] | Promise<BenchRow[]>;
}

/** A short run first, so the figures measure optimized code rather than the JIT warming up. */
function warmUp(): void {
  simulateMm1({ ...MM1_DEFAULTS, customers: 200_000 });
  bareMm1({ ...MM1_DEFAULTS, customers: 200_000 });
}

const TARGET_CUSTOMERS_PER_S = 6e6;
const TARGET_VS_BARE = 0.75;

export const benchCases: BenchCase[] = [
  {
    name: 'hold',
    run: () => {
      const r = runHoldBench(HOLD_DEFAULTS);
      const label = `hold (${HOLD_DEFAULTS.pending} pending, ${HOLD_DEFAULTS.events} events)`;
      return [{ name: label, value: r.events_per_s, unit: 'events/s' }];
    },
  },
  {
    name: 'mm1',
    run: () => {
      warmUp();
      const opts = MM1_DEFAULTS;
      const r = runMm1Bench(opts);
      const bare = bareMm1(opts);
      const bareRate = opts.customers / bare.seconds;
      const lindley = lindleyMm1(opts);
      const relErr = Math.abs(r.wq - r.wq_expected) / r.wq_expected;
      const wqBare = bare.wait_sum_us / opts.customers / 1e6;
      return [
        {
          name: `M/M/1 customers (${opts.customers}, rho ${opts.lambda / opts.mu})`,
          value: r.customers_per_s,
          unit: 'customers/s',
          target: `>= ${TARGET_CUSTOMERS_PER_S.toExponential(0)}`,
          pass: r.customers_per_s >= TARGET_CUSTOMERS_PER_S,
        },
        { name: 'M/M/1 events', value: r.events_per_s, unit: 'events/s', target: '>= 1.2e7', pass: r.events_per_s >= 1.2e7 },
        { name: 'bare typed-array heap loop', value: bareRate, unit: 'customers/s' },
        {
          name: 'repsim / bare',
          value: r.customers_per_s / bareRate,
          unit: 'ratio',
          target: `>= ${TARGET_VS_BARE}`,
          pass: r.customers_per_s / bareRate >= TARGET_VS_BARE,
        },
        {
          name: 'M/M/1 Wq (time units)',
          value: r.wq,
          unit: `+- ${r.wq_se.toFixed(3)} (batch-means SE)`,
          target: `${r.wq_expected} +- 2%`,
          pass: relErr <= 0.02,
        },
        {
          name: 'Wq equal to bare loop and Lindley recursion',
          value: wqBare === r.wq && lindley.wq === r.wq ? 1 : 0,
          unit: 'bool',
          target: '1',
          pass: wqBare === r.wq && lindley.wq === r.wq,
        },
      ];
    },
  },
];
