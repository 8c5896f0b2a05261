// Merging shard folders: the run folders are copied under one DIR/runs/ and the summary is
// rebuilt from them in plan order, by the same code as an unsharded sweep, so the merged
// dataset is byte-identical to one made on a single machine.
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT_BAD_INPUT } from '../cli/errors.js';
import { writeDataset, type SummaryTable } from './dataset.js';
import { planDifference, planRuns, readPlan, runDir, type RunRef, type SweepPlan } from './plan.js';
import { runComplete } from './run-one.js';

export interface MergeResult {
  plan: SweepPlan;
  runs: RunRef[];
  /** Runs copied from the inputs (runs already in the output are kept). */
  copied: number;
  table: SummaryTable;
}

export async function mergeSweeps(inputs: string[], out: string): Promise<MergeResult> {
  if (inputs.length === 0) throw new CliError(EXIT_BAD_INPUT, 'merge: give at least one sweep folder');
  const plans = inputs.map((dir) => {
    const path = join(dir, 'sweep.json');
    if (!existsSync(path)) throw new CliError(EXIT_BAD_INPUT, `${dir}: no sweep.json (not a sweep or shard folder)`);
    return { dir, ...readPlan(path) };
  });
  const plan = plans[0].plan;
  for (const p of plans.slice(1)) {
    const diff = planDifference(plan, p.plan);
    if (diff) throw new CliError(EXIT_BAD_INPUT, `${p.dir} is a different sweep from ${plans[0].dir} (${diff})`);
  }
  const runs = planRuns(plan);
  const outAbs = resolve(out);
  let copied = 0;
  for (const r of runs) {
    const target = runDir(out, r);
    if (runComplete(target)) continue;
    const source = plans.map((p) => runDir(p.dir, r)).find((d) => resolve(d) !== resolve(target) && runComplete(d));
    if (!source) continue;
    cpSync(source, target, { recursive: true, filter: (src) => !/\.tmp-/.test(src) });
    copied++;
  }
  const missing = runs.filter((r) => !runComplete(runDir(out, r)));
  if (missing.length > 0) {
    const shards = plans.map((p) => (p.shard ? `${p.shard.index}/${p.shard.count}` : 'all')).join(', ');
    throw new CliError(EXIT_BAD_INPUT,
      `merge: ${missing.length} of ${runs.length} runs are missing from the inputs (shards given: ${shards}); ` +
      `first missing: ${missing[0].cell.name} seed ${missing[0].seed}. Runs found so far are in ${outAbs}.`);
  }
  const table = await writeDataset(out, plan, null, runs);
  return { plan, runs, copied, table };
}
