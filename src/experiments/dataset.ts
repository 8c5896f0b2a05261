// The sweep dataset's summary: one row per run and replication group (one row per run for a
// one-group scenario), built from the run folders' summary.json in plan order. Sweeps, resumed
// sweeps and merged shards all go through here, so equal run folders give equal bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArrowTableWriter, type ColumnSpec } from '../io/output/arrow-writer.js';
import { OutputDir } from '../io/output/outdir.js';
import { arrowFileToParquet } from '../io/output/parquet.js';
import { flattenSummary } from '../io/output/schemas.js';
import type { Summary } from '../metrics/records.js';
import { planJson, runDir, type RunRef, type Shard, type SweepPlan } from './plan.js';

/** Columns that come before the group columns. */
export const RUN_COLUMNS = ['cell', 'seed', 'objectives_met'] as const;

export function readRunSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
}

export interface SummaryTable {
  columns: ColumnSpec[];
  rows: Record<string, number | string | null>[];
}

/** Rows in the order of `runs` (which callers keep in plan order), groups in run order. */
export function summaryTable(dir: string, plan: SweepPlan, runs: RunRef[]): SummaryTable {
  const summaries = runs.map((r) => readRunSummary(runDir(dir, r)));
  const flat = flattenSummary(summaries.flatMap((s) => s.groups));
  const varyCols: ColumnSpec[] = plan.vary.map((a) => ({ name: a.path, kind: 'utf8' }));
  const lead: ColumnSpec[] = [
    { name: 'cell', kind: 'utf8' },
    ...varyCols,
    { name: 'seed', kind: 'f64' },
    { name: 'objectives_met', kind: 'f64' },
  ];
  const taken = new Set(lead.map((c) => c.name));
  const clash = flat.columns.find((c) => taken.has(c.name));
  if (clash) throw new Error(`summary column "${clash.name}" is also a run column`);
  const rows: SummaryTable['rows'] = [];
  let k = 0;
  runs.forEach((r, i) => {
    for (const _ of summaries[i].groups) {
      const row: SummaryTable['rows'][number] = { cell: r.cell.name };
      for (const a of plan.vary) row[a.path] = r.cell.values[a.path];
      row.seed = r.seed;
      row.objectives_met = summaries[i].run.objectives_met ? 1 : 0;
      Object.assign(row, flat.rows[k++]);
      rows.push(row);
    }
  });
  return { columns: [...lead, ...flat.columns], rows };
}

/**
 * Writes DIR/sweep.json, DIR/summary.arrow and DIR/summary.parquet atomically (temp names, then
 * renamed). The Arrow schema carries the plan (without the shard) as metadata.
 */
export async function writeDataset(dir: string, plan: SweepPlan, shard: Shard | null, runs: RunRef[]): Promise<SummaryTable> {
  const table = summaryTable(dir, plan, runs);
  const out = new OutputDir(dir);
  try {
    out.writeFile('sweep.json', planJson(plan, shard));
    const metadata = new Map([['repsim.sweep', JSON.stringify(plan)]]);
    const w = new ArrowTableWriter(out.tempPath('summary.arrow'), table.columns, { metadata });
    for (const row of table.rows) w.append(row);
    w.close();
    await arrowFileToParquet(out.tempPath('summary.arrow'), out.tempPath('summary.parquet'));
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return table;
}
