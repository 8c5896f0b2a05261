// A 2 x 2 x 5 sweep on 2 workers, resumed, redone on 1 worker, and run as 2 shards merged:
// the summary and every run folder must be byte-identical.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSweeps } from '../../src/experiments/merge.js';
import { parseShard } from '../../src/experiments/plan.js';
import { sweep, type SweepOptions } from '../../src/experiments/sweep.js';
import { readParquetTable } from '../../src/io/output/parquet.js';

const base: Omit<SweepOptions, 'out'> = {
  scenario: 'scenarios/quickstart.yaml',
  vary: [
    { path: 'replication.0.transfer', values: ['pull', 'push'] },
    { path: 'links.0.bandwidth', values: ['100Mbps', '60Mbps'] },
  ],
  seeds: [1, 2, 3, 4, 5],
  duration: '20s',
};

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'repsim-sweep-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sweep', () => {
  it('runs 2 x 2 x 5 on 2 workers, skips everything on a re-run, and matches --workers 1 byte for byte', async () => {
    const two = join(root, 'two');
    const done: string[] = [];
    const r = await sweep({ ...base, out: two, workers: 2, onRun: (_d, _t, run) => done.push(`${run.cell.index}/${run.seed}`) });
    expect(r.ran).toBe(20);
    expect(new Set(done).size).toBe(20);
    expect(readdirSync(join(two, 'runs')).sort()).toEqual([
      '0_transfer=pull,bandwidth=100Mbps', '1_transfer=pull,bandwidth=60Mbps',
      '2_transfer=push,bandwidth=100Mbps', '3_transfer=push,bandwidth=60Mbps',
    ]);
    const before = tree(two);
    const again = await sweep({ ...base, out: two, workers: 2, onRun: () => { throw new Error('nothing should run'); } });
    expect([again.ran, again.skipped]).toEqual([0, 20]);
    expect(tree(two)).toEqual(before);

    const one = join(root, 'one');
    await sweep({ ...base, out: one, workers: 1 });
    expect(tree(one)).toEqual(before);

    // Rows in (cell, seed) order, the varied values as written, one row per run (one group).
    const t = tableFromIPC(readFileSync(join(two, 'summary.arrow')));
    expect(t.numRows).toBe(20);
    expect(t.schema.fields.slice(0, 5).map((f) => f.name)).toEqual(['cell', 'replication.0.transfer', 'links.0.bandwidth', 'seed', 'objectives_met']);
    const rows = t.toArray().map((x) => x.toJSON());
    expect(rows.map((x) => `${x['replication.0.transfer']} ${x['links.0.bandwidth']} ${x.seed}`).slice(0, 6)).toEqual([
      'pull 100Mbps 1', 'pull 100Mbps 2', 'pull 100Mbps 3', 'pull 100Mbps 4', 'pull 100Mbps 5', 'pull 60Mbps 1',
    ]);
    // Each row is its run folder's summary.
    const run = JSON.parse(readFileSync(join(two, 'runs', '3_transfer=push,bandwidth=60Mbps', 'seed-4', 'summary.json'), 'utf8'));
    expect(rows[19].rpo_p99_s).toBe(run.groups[0].rpo_p99_s);
    expect(rows[19].transfer).toBe('push');
    // Common random numbers: the same seed writes the same data whatever the cell.
    for (let s = 0; s < 5; s++) expect(rows[s].bytes_written).toBe(rows[15 + s].bytes_written);
    // The Parquet copy holds the same rows.
    const pq = readParquetTable(readFileSync(join(two, 'summary.parquet')));
    expect(pq.numRows).toBe(20);
    expect(pq.getChild('rpo_max_s')!.toArray()).toEqual(t.getChild('rpo_max_s')!.toArray());
  });

  it('2 shards merged equal the unsharded dataset', async () => {
    const s1 = join(root, 'shard1');
    const s2 = join(root, 'shard2');
    const a = await sweep({ ...base, out: s1, workers: 1, shard: parseShard('1/2') });
    const b = await sweep({ ...base, out: s2, workers: 2, shard: parseShard('2/2') });
    expect([a.runs.length, b.runs.length]).toEqual([10, 10]);
    const merged = join(root, 'merged');
    await mergeSweeps([s2, s1], merged);
    expect(tree(merged)).toEqual(tree(join(root, 'two')));
  });

  it('refuses to merge incomplete or different sweeps, and to resume a different sweep', async () => {
    await expect(mergeSweeps([join(root, 'shard1')], join(root, 'partial'))).rejects.toThrow(/10 of 20 runs are missing/);
    await expect(sweep({ ...base, seeds: [1, 2], out: join(root, 'two') })).rejects.toThrow(/holds a different sweep \(seeds/);
    const other = join(root, 'other');
    await sweep({ ...base, vary: [{ path: 'links.0.bandwidth', values: ['100Mbps'] }], seeds: [1], out: other, workers: 1 });
    await expect(mergeSweeps([join(root, 'shard1'), other], join(root, 'm2'))).rejects.toThrow(/different sweep/);
  });

  it('rejects a bad varied value before running anything (exit 2, located)', async () => {
    const out = join(root, 'bad');
    await expect(sweep({ ...base, vary: [{ path: 'links.0.bandwidth', values: ['100Mbps', 'fast'] }], out })).rejects.toThrow();
    expect(() => readdirSync(out)).toThrow();
  });
});
