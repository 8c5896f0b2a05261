// The replication-model benchmark of one mode in a process of its own (bench case `model`):
// WARM_UP_RUNS untimed runs, then `runs` timed runs, printed as a JSON array. A user's `repsim
// run` simulates one scenario per process; timing journal and oos-bitmap runs in one process
// made the host's hook call polymorphic and slowed both by the other's compiled code. The first
// two runs of a process are 20-50% slower than the next ones (V8 still compiling and
// re-compiling): a benchmark of the model's throughput times the runs after them.
//
//   node dist/bench/model-child.js <journal|oos-bitmap> <seconds> <runs>

import { eightVolumes, loadText, runModel } from './model.js';

const [mode, seconds, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
if ((mode !== 'journal' && mode !== 'oos-bitmap') || !(seconds > 0) || !(runs >= 1)) {
  console.error('usage: model-child.js <journal|oos-bitmap> <seconds> <runs>');
  process.exit(2);
}
const WARM_UP_RUNS = 2;
const scenario = () => loadText(eightVolumes(mode, seconds), `${mode}.yaml`);
for (let i = 0; i < WARM_UP_RUNS; i++) runModel(scenario());
console.log(JSON.stringify(Array.from({ length: runs }, () => runModel(scenario()))));
