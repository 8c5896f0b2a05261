import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../../src/io/output/parquet.js';
import { ResultsWriter, type ResultsOptions } from '../../../src/io/output/results-writer.js';
import type { Summary } from '../../../src/metrics/records.js';
import { syntheticEvents, syntheticRows, syntheticSummary } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'repsim-results-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SAMPLES = 5000; // x2 groups = 10,000 rows: two Arrow batches / Parquet row groups at 8192
const rows = syntheticRows(SAMPLES);
const events = syntheticEvents(SAMPLES);
const summary = syntheticSummary();
const YAML = 'name: synthetic\nseed: 7\n';
const base: ResultsOptions = { formats: 'both', objective_rpo_s: 30, charts: false, report: false };

async function writeRun(dir: string, opts: Partial<ResultsOptions> = {}, s: Summary = summary): Promise<void> {
  const out = await ResultsWriter.open(dir, { ...base, ...opts });
  for (const r of rows) out.timeseries(r);
  for (const e of events) out.event(e);
  await out.close(s, YAML);
}

const plain = (t: { toArray(): { toJSON(): object }[] }) => t.toArray().map((r) => ({ ...r.toJSON() }));

describe('ResultsWriter', () => {
  const dir = join(root, 'both');

  it('writes every file of DESIGN section 5, readable back identically (Arrow and Parquet)', async () => {
    await writeRun(dir);
    expect(readdirSync(dir).sort()).toEqual([
      'events.arrow', 'events.parquet', 'scenario.resolved.yaml', 'summary.arrow', 'summary.json',
      'summary.parquet', 'timeseries.arrow', 'timeseries.parquet',
    ]);
    expect(readFileSync(join(dir, 'scenario.resolved.yaml'), 'utf8')).toBe(YAML);
    const ts = tableFromIPC(readFileSync(join(dir, 'timeseries.arrow')));
    expect(plain(ts)).toEqual(rows as unknown as object[]);
    const ev = tableFromIPC(readFileSync(join(dir, 'events.arrow')));
    expect(plain(ev)).toEqual(events as unknown as object[]);
    const tsPq = readParquetTable(readFileSync(join(dir, 'timeseries.parquet')));
    expect(plain(tsPq)).toEqual(rows as unknown as object[]);
    const evPq = readParquetTable(readFileSync(join(dir, 'events.parquet')));
    expect(plain(evPq)).toEqual(events as unknown as object[]);
  });

  it('writes summary.json with a stable key order and summary.arrow with extra flattened', () => {
    const json = readFileSync(join(dir, 'summary.json'), 'utf8');
    expect(JSON.parse(json)).toEqual(summary);
    expect(json.startsWith('{\n  "run": {\n    "name": "synthetic",\n    "seed": 7,')).toBe(true);
    const t = tableFromIPC(readFileSync(join(dir, 'summary.arrow')));
    expect(t.numRows).toBe(2);
    const names = t.schema.fields.map((f) => f.name);
    expect(names.slice(-4)).toEqual(['cg_failed', 'cg_formed', 'journal_full_events', 'policy']);
    const [sales, payroll] = plain(t) as Record<string, unknown>[];
    expect(sales).toMatchObject({ group: 'sales', transfer: 'pull', rto_s: null, cg_formed: null, journal_full_events: 3, policy: 'suspend' });
    expect(payroll).toMatchObject({ group: 'payroll', transfer: null, data_loss_bytes: 17 * 16384, rto_s: 42.125, cg_formed: 118, policy: null });
    expect(JSON.parse(t.schema.metadata.get('repsim.run')!)).toEqual(summary.run);
  });

  it('DuckDB reads the Parquet files and agrees with the rows written', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const ts = join(dir, 'timeseries.parquet').replace(/'/g, "''");
      const r = await conn.runAndReadAll(`select count(*)::INTEGER, max(rpo_s), sum(oos_tracks) from '${ts}'`);
      const [[count, maxRpo, sumOos]] = r.getRowsJS();
      expect(count).toBe(rows.length);
      expect(maxRpo).toBe(Math.max(...rows.map((x) => x.rpo_s)));
      expect(sumOos).toBe(rows.reduce((a, x) => a + x.oos_tracks, 0));
      const g = await conn.runAndReadAll(`select "group", count(*)::INTEGER from '${ts}' group by 1 order by 1`);
      expect(g.getRowsJS()).toEqual([['payroll', SAMPLES], ['sales', SAMPLES]]);
      const s = await conn.runAndReadAll(`select "group", rto_s, cg_formed from '${join(dir, 'summary.parquet')}' order by 1`);
      expect(s.getRowsJS()).toEqual([['payroll', 42.125, 118], ['sales', null, null]]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('gives byte-identical files for the same rows', async () => {
    const again = join(root, 'again');
    await writeRun(again);
    for (const f of readdirSync(dir)) expect(Buffer.compare(readFileSync(join(dir, f)), readFileSync(join(again, f))), f).toBe(0);
  });

  it("formats: 'parquet' leaves no Arrow files; 'arrow' no Parquet files", async () => {
    await writeRun(join(root, 'pq'), { formats: 'parquet' });
    expect(readdirSync(join(root, 'pq')).sort()).toEqual([
      'events.parquet', 'scenario.resolved.yaml', 'summary.json', 'summary.parquet', 'timeseries.parquet',
    ]);
    await writeRun(join(root, 'ar'), { formats: 'arrow' });
    expect(readdirSync(join(root, 'ar')).sort()).toEqual([
      'events.arrow', 'scenario.resolved.yaml', 'summary.arrow', 'summary.json', 'timeseries.arrow',
    ]);
  });

  it('abort mid-run and a failing close leave nothing behind', async () => {
    const aborted = join(root, 'aborted');
    const out = await ResultsWriter.open(aborted, base);
    for (const r of rows.slice(0, 9000)) out.timeseries(r); // one batch already on disk
    out.abort();
    expect(existsSync(aborted)).toBe(false);

    const failing = join(root, 'failing');
    const out2 = await ResultsWriter.open(failing, base);
    out2.timeseries(rows[0]);
    const bad = { ...summary, groups: [{ ...summary.groups[0], group: null as unknown as string }] };
    await expect(out2.close(bad, YAML)).rejects.toThrow(/group is not nullable/);
    expect(existsSync(failing)).toBe(false);
  });

  it('an empty run still writes readable tables', async () => {
    const empty = join(root, 'empty');
    const out = await ResultsWriter.open(empty, base);
    await out.close({ run: summary.run, groups: [] }, YAML);
    expect(tableFromIPC(readFileSync(join(empty, 'timeseries.arrow'))).numRows).toBe(0);
    expect(readParquetTable(readFileSync(join(empty, 'events.parquet'))).numRows).toBe(0);
  });
});


describe('ResultsWriter in a reused folder', () => {
  it('replaces the previous run: its files this run does not write are removed', async () => {
    const dir = join(root, 'reused');
    await writeRun(dir, { formats: 'both' });
    await writeRun(dir, { formats: 'arrow' });
    expect(readdirSync(dir).sort()).toEqual(['events.arrow', 'scenario.resolved.yaml', 'summary.arrow', 'summary.json', 'timeseries.arrow']);
  });
});
