// The M/M/1 benchmark in a process of its own (bench case `mm1`): after a JIT warm-up of both,
// `reps` timed runs of the Simulator's M/M/1 and of the bare loop, alternating, printed as JSON.
// A process runs the same code up to ~20% faster or slower than the next (BENCHMARKS.md), so
// the case pools several processes rather than trusting one.
//
//   node dist/bench/mm1-child.js <reps>

import { MM1_DEFAULTS, runMm1Bench, timed, type Mm1Outcome } from '../src/engine/bench.js';
import { bareMm1 } from './bare.js';

export interface Mm1ChildResult {
  /** Customers per second, wall and CPU, of each timed run, in order (pairs share an index). */
  sim_wall: number[];
  sim_cpu: number[];
  bare_wall: number[];
  bare_cpu: number[];
  /** The last Simulator run's outcome, and the bare loop's wait sum. */
  outcome: Mm1Outcome;
  bare_wait_sum_us: number;
}

const reps = Number(process.argv[2]);
if (!(reps >= 1)) {
  console.error('usage: mm1-child.js <reps>');
  process.exit(2);
}
const opts = MM1_DEFAULTS;
bareMm1({ ...opts, customers: 200_000 }); // JIT warm-up (runMm1Bench warms up the Simulator's)
const bare = { wall: [] as number[], cpu: [] as number[], wait_sum_us: NaN };
const sim = runMm1Bench(opts, reps, () => {
  const t = timed(() => bareMm1(opts));
  bare.wait_sum_us = t.value.wait_sum_us;
  bare.wall.push(opts.customers / t.seconds);
  bare.cpu.push(opts.customers / t.cpu_seconds);
});
const result: Mm1ChildResult = {
  sim_wall: sim.samples.wall,
  sim_cpu: sim.samples.cpu,
  bare_wall: bare.wall,
  bare_cpu: bare.cpu,
  outcome: { wq: sim.wq, wq_se: sim.wq_se, wait_sum_us: sim.wait_sum_us, events: sim.events },
  bare_wait_sum_us: bare.wait_sum_us,
};
console.log(JSON.stringify(result));
