// The M/M/1 benchmark in a process of its own (bench case `mm1`): after a JIT warm-up of both,
// `reps` timed runs of the Simulator's M/M/1 and of the bare loop, alternating, printed as JSON.
// A process runs the same code up to ~20% faster or slower than the next (BENCHMARKS.md), so
// the case pools several processes rather than trusting one.
//
//   node dist/bench/mm1-child.js <reps>

import { MM1_DEFAULTS, simulateMm1, timed, type Mm1Outcome } from '../src/engine/bench.js';
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
simulateMm1({ ...opts, customers: 200_000 }); // JIT warm-up
bareMm1({ ...opts, customers: 200_000 });
const runs = { sim_wall: [] as number[], sim_cpu: [] as number[], bare_wall: [] as number[], bare_cpu: [] as number[] };
let last: { outcome: Mm1Outcome; bare_wait_sum_us: number } | null = null;
for (let i = 0; i < reps; i++) {
  const sim = timed(() => simulateMm1(opts));
  const bare = timed(() => bareMm1(opts));
  last = { outcome: sim.value, bare_wait_sum_us: bare.value.wait_sum_us };
  runs.sim_wall.push(opts.customers / sim.seconds);
  runs.sim_cpu.push(opts.customers / sim.cpu_seconds);
  runs.bare_wall.push(opts.customers / bare.seconds);
  runs.bare_cpu.push(opts.customers / bare.cpu_seconds);
}
const result: Mm1ChildResult = { ...runs, ...last! };
console.log(JSON.stringify(result));
