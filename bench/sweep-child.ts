// One timed sweep in a process of its own (bench case `sweep`), printed as JSON: as `repsim
// sweep` runs, with nothing compiled yet. Timed in the bench's own process, the 1-worker sweep
// ran on code the earlier cases had already compiled, while the workers compiled it afresh.
//
//   node dist/bench/sweep-child.js <scenario.yaml> <workers>

import { timeSweep } from './sweep.js';

const [path, workers] = [process.argv[2], Number(process.argv[3])];
if (path === undefined || !(workers >= 1)) {
  console.error('usage: sweep-child.js <scenario.yaml> <workers>');
  process.exit(2);
}
const t = await timeSweep(path, workers);
console.log(JSON.stringify({ ...t, summary: t.summary.toString('base64') }));
