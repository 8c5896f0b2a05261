// A 2 x 2 x 5 sweep on 2 workers, resumed, redone on 1 worker, and run as 2 shards merged:
// the summary and every run folder must be byte-identical. Through the built CLI (dist/), as a
// user runs it: worker threads always run the compiled code, so in-process runs must too.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSweeps } from '../../src/experiments/merge.js';
import { sweep, type SweepOptions } from '../../src/experiments/sweep.js';
import { readParquetTable } from '../../src/io/output/parquet.js';

const base: Omit<SweepOptions, 'out'> = {
  scenario: 'scenarios/quickstart.yaml',
  vary: [
    { path: 'replication.0.transfer', values: ['pull', 'push'] },
    { path: 'links.0.bandwidth', values: ['100Mbps', '60Mbps'] },
  ],
  seeds: [1, 2, 3, 4, 5],
  duration: '10s',
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

const VARY = ['--vary', 'replication.0.transfer=pull,push', '--vary', 'links.0.bandwidth=100Mbps,60Mbps', '--seeds', '1..5', '--duration', '10s'];

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/repsim.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'repsim-sweep-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sweep (CLI)', () => {
  it('runs 2 x 2 x 5 on 2 workers, skips everything on a re-run, and matches --workers 1 byte for byte', () => {
    const two = join(root, 'two');
    let r = cli('sweep', 'scenarios/quickstart.yaml', ...VARY, '--workers', '2', '--out', two, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ cells: 4, seeds: 5, runs: 20, ran: 20, skipped: 0, rows: 20 });
    const before = tree(two);
    r = cli('sweep', 'scenarios/quickstart.yaml', ...VARY, '--workers', '2', '--out', two, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ ran: 0, skipped: 20 });
    expect(tree(two)).toEqual(before);
    const one = join(root, 'one');
    expect(cli('sweep', 'scenarios/quickstart.yaml', ...VARY, '--workers', '1', '--out', one, '--quiet').code).toBe(0);
    expect(tree(one)).toEqual(before);
  });

  it('2 shards merged equal the unsharded dataset', () => {
    const s1 = join(root, 'shard1');
    const s2 = join(root, 'shard2');
    expect(cli('sweep', 'scenarios/quickstart.yaml', ...VARY, '--shard', '1/2', '--workers', '1', '--out', s1, '--quiet').code).toBe(0);
    expect(cli('sweep', 'scenarios/quickstart.yaml', ...VARY, '--shard', '2/2', '--workers', '2', '--out', s2, '--quiet').code).toBe(0);
    const merged = join(root, 'merged');
    const r = cli('merge', s2, s1, '--out', merged);
    expect(r.code, r.err).toBe(0);
    expect(tree(merged)).toEqual(tree(join(root, 'two')));
  });

  it('exits 2 on bad flags and on incomplete merges', () => {
    let r = cli('sweep', 'scenarios/quickstart.yaml', '--vary', 'links.0.bandwidth=fast', '--out', join(root, 'bad'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/links\.0\.bandwidth/);
    expect(r.err).not.toMatch(/at .*\.js:\d+/); // no stack trace
    r = cli('sweep', 'scenarios/quickstart.yaml', '--seeds', '3..1', '--out', join(root, 'bad'));
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/--seeds 3\.\.1/)]);
    r = cli('merge', join(root, 'shard1'), '--out', join(root, 'partial'));
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/10 of 20 runs are missing/)]);
  });
});

describe('sweep (library)', () => {
  it('writes rows in (cell, seed) order with the varied values as columns', async () => {
    const out = join(root, 'lib');
    const done: string[] = [];
    const r = await sweep({ ...base, out, workers: 1, onRun: (_d, _t, run) => done.push(`${run.cell.index}/${run.seed}`) });
    expect(r.ran).toBe(20);
    expect(done.slice(0, 6)).toEqual(['0/1', '0/2', '0/3', '0/4', '0/5', '1/1']);
    // Timing (for bench/sweep.ts): one entry per run; in this thread the runs follow each other.
    expect(r.timing).toHaveLength(20);
    for (const [i, t] of r.timing.entries()) {
      expect(t.end_ms).toBeGreaterThanOrEqual(t.start_ms);
      if (i > 0) expect(t.start_ms).toBeGreaterThanOrEqual(r.timing[i - 1].end_ms);
      if (process.platform === 'linux') expect(t.cpu_s).toBeGreaterThanOrEqual(0);
    }
    const two = out;
    // Rows in (cell, seed) order, the varied values as written, one row per run (one group).
    const t = tableFromIPC(readFileSync(join(two, 'summary.arrow')));
    expect(t.numRows).toBe(20);
    expect(t.schema.fields.slice(0, 5).map((f) => f.name)).toEqual(['cell', 'replication.0.transfer', 'links.0.bandwidth', 'seed', 'objectives_met']);
    const rows = t.toArray().map((x) => x.toJSON());
    expect(rows.map((x) => `${x['replication.0.transfer']} ${x['links.0.bandwidth']} ${x.seed}`).slice(0, 6)).toEqual([
      'pull 100Mbps 1', 'pull 100Mbps 2', 'pull 100Mbps 3', 'pull 100Mbps 4', 'pull 100Mbps 5', 'pull 60Mbps 1',
    ]);
    // Each row is its run folder's summary.
    const run = JSON.parse(readFileSync(join(two, 'runs', '3_transfer=push,bandwidth=60Mbps', 'seed-5', 'summary.json'), 'utf8'));
    expect(rows[19].rpo_p99_s).toBe(run.groups[0].rpo_p99_s);
    expect(rows[19].transfer).toBe('push');
    // Common random numbers: the same seed writes the same data whatever the cell.
    for (let s = 0; s < 5; s++) expect(rows[s].bytes_written).toBe(rows[15 + s].bytes_written);
    // The Parquet copy holds the same rows.
    const pq = readParquetTable(readFileSync(join(two, 'summary.parquet')));
    expect(pq.numRows).toBe(20);
    expect(pq.getChild('rpo_max_s')!.toArray()).toEqual(t.getChild('rpo_max_s')!.toArray());
  });

  it('refuses to merge incomplete or different sweeps, and to resume a different sweep', async () => {
    await expect(sweep({ ...base, seeds: [1, 2], out: join(root, 'lib') })).rejects.toThrow(/holds a different sweep \(seeds/);
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
