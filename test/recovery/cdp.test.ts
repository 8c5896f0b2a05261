import { describe, expect, it } from 'vitest';
import type { CdpMode } from '../../src/recovery/cdp.js';
import { ExactOracle } from '../../src/metrics/exact-oracle.js';
import { makeRun, WriteRecorder } from './helpers.js';

/** The exact oracle over the recorded writes: is `image` the primary image at one instant? */
function exactMismatches(rec: WriteRecorder, tracks: number[], image: Uint32Array[]): number {
  const o = new ExactOracle(tracks);
  rec.seq.forEach((s, i) => o.record(s, rec.vol[i], rec.first[i], rec.last[i]));
  return o.check(image).length;
}

const scenario = (cdp: string, duration = '8m') => `
name: cdp-test
seed: 3
duration: ${duration}
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 200Mbps, latency: 5ms }]
volumes:
  - { name: db, site: main, size: 1GiB }
  - { name: log, site: main, size: 256MiB }
apps:
  - { id: 1, name: DB, volumes: [db] }
  - { id: 2, name: LOG, volumes: [log] }
workloads:
  - { app: DB, rate: 150/s, size: 8KiB, address: uniform, dependent: { fraction: 0.5, on: LOG } }
  - { app: LOG, rate: 50/s, size: 4KiB, address: sequential }
replication:
  - group: "db, log"
    mode: cdp
    to: dr
    cdp: ${cdp}
`;

function setup(cdp: string, duration?: string) {
  const { run, sink } = makeRun(scenario(cdp, duration), { exact: true });
  const rec = new WriteRecorder(run);
  const mode = run.groups[0].mode as CdpMode;
  const summary = run.run();
  return { run, sink, rec, mode, summary, vols: [0, 1] };
}

function sameImage(a: Uint32Array[], b: Uint32Array[]): boolean {
  return a.length === b.length && a.every((v, l) => v.length === b[l].length && v.every((x, t) => x === b[l][t]));
}

describe('cdp defect recovery', () => {
  it('any-point: recovers exactly the primary image just before the corrupt write', () => {
    const { rec, mode, summary, sink, vols } = setup('{ retention: 10m, bookmark_every: 1m, defect: { at: 200s, detect_after: 90s } }');
    const r = mode.recovery!;
    expect(r.kind).toBe('any-point');
    // The corrupt write is the first write issued at or after the defect time.
    const i = rec.time.findIndex((t) => t >= 200e6);
    expect(mode.defectSeq).toBe(rec.seq[i]);
    expect(r.point_seq).toBe(rec.seq[i] - 1);
    const truth = rec.image(vols, (s) => s < mode.defectSeq);
    expect(sameImage(r.image!.versions, truth)).toBe(true);
    // The replayed image: everything received by the discovery except the defect and its dependents.
    const tainted = new Set<number>([mode.defectSeq]);
    for (let k = i + 1; k < rec.seq.length; k++) if (tainted.has(rec.dep[k])) tainted.add(rec.seq[k]);
    // Writes still in flight at discovery are not in the target journal: the replay ends at the newest arrival.
    expect(r.newest_seq).toBeGreaterThanOrEqual(rec.seq[rec.time.findLastIndex((t) => t <= 290e6 - 20_000)]);
    const replayTruth = rec.image(vols, (s) => s <= r.newest_seq && !tainted.has(s));
    expect(sameImage(r.replayed!.versions, replayTruth)).toBe(true);
    expect(r.skipped_writes).toBe([...tainted].filter((s) => s <= r.newest_seq).length);
    expect(r.violations).toBe(0);
    const g = summary.groups[0];
    expect(g.extra.cdp_recovered_point_age_s).toBeCloseTo((290e6 - rec.time[i]) / 1e6, 9);
    expect(g.extra.cdp_replay_s).toBeCloseTo(r.replay_bytes / 400e6, 5);
    expect(exactMismatches(rec, [16384, 4096], r.image!.versions)).toBe(0);
    // Every sampled recoverable image (the newest received write) was a primary image.
    expect(g.extra.exact_checks).toBe(480);
    expect(g.extra.exact_violations).toBe(0);
    expect(sink.events.filter((e) => e.kind === 'defect')).toHaveLength(1);
    expect(sink.events.filter((e) => e.kind === 'recovery')[0].t_s).toBe(290);
    expect(g.consistency_violations).toBe(0);
  });

  it('bookmarks only: recovers the newest bookmark before the defect', () => {
    const { rec, mode, sink, vols, summary } = setup('{ retention: 10m, bookmark_every: 1m, any_point: false, defect: { at: 200s, detect_after: 90s } }');
    const r = mode.recovery!;
    expect(r.kind).toBe('bookmark');
    expect(r.point_us).toBe(180e6); // bookmarks at 60, 120, 180, 240 s; the defect is at 200 s
    const bookmarkSeq = rec.seq[rec.time.findLastIndex((t) => t <= 180e6)];
    expect(r.point_seq).toBe(bookmarkSeq);
    expect(sameImage(r.image!.versions, rec.image(vols, (s) => s <= bookmarkSeq))).toBe(true);
    expect(r.violations).toBe(0);
    expect(mode.bookmarkViolations).toBe(0);
    expect(exactMismatches(rec, [16384, 4096], r.image!.versions)).toBe(0);
    expect(summary.groups[0].extra.exact_violations).toBe(0);
    expect(sink.events.filter((e) => e.kind === 'bookmark').length).toBe(8);
  });

  it('the retention window rolls off the oldest writes into the replica image', () => {
    const { rec, mode, run, vols } = setup('{ retention: 2m, bookmark_every: 30s }', '5m');
    const log = mode.log;
    const now = run.sim.now;
    // The oldest held write is inside the window; the newest rolled-off one is outside it.
    expect(log.time(log.head)).toBeGreaterThanOrEqual(mode.log.baseTime_us);
    expect(log.baseTime_us).toBeLessThan(now - 120e6);
    expect(log.time(log.head)).toBeGreaterThanOrEqual(now - 120e6 - 1e6); // rolled on the last arrival
    // The replica image is exactly the primary up to the newest rolled-off write.
    expect(sameImage(log.base.versions, rec.image(vols, (s) => s <= log.baseSeq))).toBe(true);
    // A defect older than the window is lost.
    expect(mode.bookmarks[0].seq).toBeGreaterThanOrEqual(log.baseSeq);
  });

  it('retention by capacity keeps the journal under its size and reports sizing', () => {
    const { mode, summary } = setup('{ retention: 1h, retention_size: 20MiB, bookmark_every: 1m, defect: { at: 60s, detect_after: 200s }, recovery_window: 30m }', '5m');
    expect(mode.peakRetention_bytes).toBeLessThanOrEqual(20 * 1024 * 1024);
    expect(mode.peakRetention_bytes).toBeGreaterThan(19 * 1024 * 1024);
    // 150/s x (8 KiB + 64 B) + 50/s x (4 KiB + 64 B): ~1.45 MB/s; needs 200 s + 30 min.
    const g = summary.groups[0];
    expect(g.extra.cdp_required_retention_s).toBe(200 + 1800);
    const rate = (150 * (8192 + 64) + 50 * (4096 + 64));
    expect(Number(g.extra.cdp_sizing_bytes) / (rate * 2000)).toBeCloseTo(1, 1);
    // 20 MiB hold about 14 s of writes: the defect 200 s back has rolled off.
    expect(mode.recovery!.kind).toBe('lost');
    expect(g.extra.cdp_recovery).toBe('lost');
  });
});

describe('cdp replay after a defect with dependent writes', () => {
  it('skips the corrupt write and everything depending on it, transitively; the replayed image is consistent', () => {
    // Constant arrivals at the same instants on both volumes; each write depends on the other
    // volume's latest completed write.
    const { run } = makeRun(`
name: chain
seed: 4
duration: 35s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 1Gbps, latency: 2ms }]
volumes: [{ name: a, site: main, size: 64MiB }, { name: b, site: main, size: 64MiB }]
apps: [{ id: 1, name: A, volumes: [a] }, { id: 2, name: B, volumes: [b] }]
workloads:
  - { app: A, rate: 100/s, arrivals: constant, size: 8KiB, address: uniform, dependent: { fraction: 1, on: B } }
  - { app: B, rate: 100/s, arrivals: constant, size: 8KiB, address: uniform, dependent: { fraction: 1, on: A } }
replication:
  - { group: "a, b", mode: cdp, to: dr, cdp: { retention: 1m, bookmark_every: 10s, defect: { at: 20s, detect_after: 10s } } }
`);
    const rec = new WriteRecorder(run);
    run.run();
    const mode = run.groups[0].mode as CdpMode;
    const r = mode.recovery!;
    const tainted = new Set<number>([mode.defectSeq]);
    for (let k = 0; k < rec.seq.length; k++) if (rec.seq[k] <= r.newest_seq && tainted.has(rec.dep[k])) tainted.add(rec.seq[k]);
    // Every write depends on the other volume's write 10 ms earlier: one chain from the defect on
    // carries half of the later writes.
    expect(tainted.size).toBeGreaterThan(900);
    expect(r.skipped_writes).toBe(tainted.size);
    expect(sameImage(r.replayed!.versions, rec.image([0, 1], (s) => s <= r.newest_seq && !tainted.has(s)))).toBe(true);
    expect(r.violations).toBe(0);
  });
});
