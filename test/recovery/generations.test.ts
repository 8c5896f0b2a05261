import { describe, expect, it } from 'vitest';
import { makeRun, WriteRecorder } from './helpers.js';

const RB = 8192;
const scenario = (extra: string, duration = '75s') => `
name: generations-test
seed: 11
duration: ${duration}
sites: [main, remote]
links: [{ between: [main, remote], bandwidth: 400Mbps, latency: 10ms }]
volumes:
  - { name: db, site: main, size: 64MiB }
  - { name: log, site: main, size: 16MiB }
apps:
  - { id: 1, name: DB, volumes: [db] }
  - { id: 2, name: LOG, volumes: [log] }
business_processes: [{ id: 1, name: sales, apps: [1, 2] }]
workloads:
  - { app: DB, rate: 300/s, size: { dist: uniform, min: 4KiB, max: 32KiB }, address: { dist: hotspot, fraction: 10%, share: 90% }, dependent: { fraction: 0.3, on: LOG } }
  - { app: LOG, rate: 100/s, size: 4KiB, address: sequential }
replication:
  - { group: sales, mode: journal, transfer: push, to: remote, restore_every: 1s }
generations:
  - { group: sales, mirrors: 2, every: 20s, copy_rate: 100MB/s }
${extra}
`;

function setup(extra: string, duration?: string) {
  const { run, sink } = makeRun(scenario(extra, duration));
  const rec = new WriteRecorder(run);
  const summary = run.run();
  return { run, sink, rec, summary, set: run.recovery.generations[0] };
}

describe('local-mirror generations', () => {
  it('each split holds exactly the primary image at its command; rotation resyncs the oldest differentially', () => {
    const { set, rec, sink, summary } = setup('');
    // Splits at 20 s (mirror 0), 40 s (mirror 1); at 60 s mirror 0 (the oldest) is resynced, then split.
    const splits = sink.events.filter((e) => e.kind === 'generation_split');
    expect(splits).toHaveLength(3);
    expect(sink.events.filter((e) => e.kind === 'generation_resync')).toHaveLength(1);
    for (const m of set.mirrors) {
      expect(m.state).toBe('SPLIT');
      // The split command carries the newest write issued at its time.
      const cmd = rec.seq[rec.time.findLastIndex((t) => t <= m.split_us)];
      expect(m.splitSeq).toBe(cmd);
      [0, 1].forEach((v, l) => {
        const truth = rec.regionImage(v, RB, (s) => s <= m.splitSeq);
        expect(m.versions![l]).toEqual(truth);
      });
    }
    expect(set.generation(1)!.generation).toBe(3);
    expect(set.generation(2)!.generation).toBe(2);
    expect(set.generation(3)).toBeNull();
    const g = summary.groups[0];
    // The resync copied the regions written on the SPVOL since generation 1's split, far less than the volumes.
    const resync = Number(g.extra.generation_resync_bytes);
    expect(set.resyncLog).toHaveLength(1);
    const x = set.resyncLog[0];
    const touched = [0, 1].reduce((a, v) => a + rec.regionsTouched(v, RB, (s) => s > x.from_seq && s <= x.to_seq).size, 0);
    expect(resync).toBe(touched * RB);
    expect(resync).toBeLessThan(0.6 * (80 * 1024 * 1024));
    expect(g.extra.generation_violations).toBe(0);
    // The flush waits for the journal: about one restore period, never more than two.
    expect(Number(g.extra.generation_split_flush_max_s)).toBeGreaterThan(0);
    expect(Number(g.extra.generation_split_flush_max_s)).toBeLessThan(2.1);
  });
});

describe('restore to the primary', () => {
  const files = `restores:
  - { at: 70s, from_generation: 2, volume: db, regions: [{ offset: 0B, length: 2MiB }, { offset: 40MiB, length: 1MiB }] }
  - { at: 71s, from_generation: 1, volume: log }`;

  it('a file restore copies only the differential regions inside the files; a volume restore all differential regions', () => {
    const { run, rec, sink, summary } = setup(files);
    const [fileR, volR] = run.recovery.restores.map((r) => r.result!);
    // Files: regions in the ranges written between the generation's split and the flush point.
    const inFiles = (r: number) => r < (2 << 20) / RB || (r >= (40 << 20) / RB && r < (41 << 20) / RB);
    const changed = rec.regionsTouched(0, RB, (s) => s > fileR.split_seq && s <= fileR.flush_seq);
    const want = [...changed].filter(inFiles).length;
    expect(fileR.regions).toBe(want);
    expect(fileR.bytes).toBe(want * RB);
    expect(want).toBeGreaterThan(0);
    expect(want).toBeLessThan((3 << 20) / RB); // not every region of the files changed: only those are copied
    expect(fileR.mismatched_regions).toBe(0);
    expect(fileR.full_bytes).toBe(64 * 1024 * 1024);
    // Whole volume: every region written since the split.
    const changedLog = rec.regionsTouched(1, RB, (s) => s > volR.split_seq && s <= volR.flush_seq);
    expect(volR.bytes).toBe(changedLog.size * RB);
    expect(volR.mismatched_regions).toBe(0);
    expect(volR.generation).toBe(3);
    expect(fileR.generation).toBe(2);
    // Time: the flush, then the bytes over 400 Mbps; far below a full copy.
    expect(fileR.done_us - fileR.copy_start_us).toBeGreaterThanOrEqual(Math.floor((fileR.bytes * 8) / 400) + 10_000);
    const g = summary.groups[0];
    expect(g.extra.restore_bytes).toBe(fileR.bytes + volR.bytes);
    expect(g.extra.restore_full_bytes).toBe(80 * 1024 * 1024);
    expect(g.extra.restore_mismatched_regions).toBe(0);
    expect(Number(g.extra.restore_s)).toBeLessThan(Number(g.extra.restore_full_s));
    expect(sink.events.filter((e) => e.kind === 'restore_done')).toHaveLength(2);
  });

  it('a restore from a generation not held fails, reported', () => {
    const { summary, sink } = setup('restores: [{ at: 30s, from_generation: 2, volume: db }]', '40s');
    expect(summary.groups[0].extra.restores_failed).toBe(1);
    expect(sink.events.find((e) => e.kind === 'restore_failed')?.detail).toContain('no generation 2');
  });
});
