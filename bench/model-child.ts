// The replication-model benchmark of one mode in a process of its own (bench case `model`):
// one untimed run, then `runs` timed runs, printed as a JSON array. A user's `repsim run`
// simulates one scenario per process; timing journal and oos-bitmap runs in one process made
// the host's hook call polymorphic and slowed both by the other's compiled code. The first
// two runs of a process are slower than the rest (JIT tiers, new hidden classes per run): the
// best of the timed runs is the steady state.
//
//   node dist/bench/model-child.js <journal|oos-bitmap> <seconds> <runs>

import { eightVolumes, loadText, runModel } from './model.js';

const [mode, seconds, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
if ((mode !== 'journal' && mode !== 'oos-bitmap') || !(seconds > 0) || !(runs >= 1)) {
  console.error('usage: model-child.js <journal|oos-bitmap> <seconds> <runs>');
  process.exit(2);
}
const scenario = () => loadText(eightVolumes(mode, seconds), `${mode}.yaml`);
runModel(scenario());
console.log(JSON.stringify(Array.from({ length: runs }, () => runModel(scenario()))));
