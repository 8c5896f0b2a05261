import { describe, expect, it } from 'vitest';
import type { CdpMode } from '../../src/recovery/cdp.js';
import { journalPitWindow, journalPointInTime, pointInTime } from '../../src/recovery/pit.js';
import type { JournalMode } from '../../src/replication/journal/mode.js';
import { makeRun, WriteRecorder } from './helpers.js';

const scenario = (repl: string) => `
name: pit-test
seed: 9
duration: 4m
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 200Mbps, latency: 5ms }]
volumes: [{ name: db, site: main, size: 256MiB }]
workloads: [{ volume: db, rate: 200/s, size: 8KiB, address: uniform }]
replication:
  - ${repl}
`;

describe('point-in-time recovery from time stamps', () => {
  it('CDP log: any time inside the window gives the primary image at that time; older times fail', () => {
    const { run } = makeRun(scenario('{ group: db, mode: cdp, to: dr, cdp: { retention: 1m, bookmark_every: 30s } }'));
    const rec = new WriteRecorder(run);
    run.run();
    const log = (run.groups[0].mode as CdpMode).log;
    expect(log.baseTime_us).toBeGreaterThan(170e6);
    for (const t of [log.baseTime_us, 200e6 + 123, 230e6]) {
      const r = pointInTime(log, t, 240e6);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const img = log.imageAt(r.end);
      expect(img.versions[0]).toEqual(rec.image([0], (_s, i) => rec.time[i] <= t)[0]);
    }
    const old = pointInTime(log, 100e6, 240e6);
    expect(old.ok).toBe(false);
    if (!old.ok) expect(old.reason).toContain('before the oldest journal held');
    expect(pointInTime(log, 241e6, 240e6).ok).toBe(false);
  });

  it('journal: the secondary journal bounds the points: from the oldest entry held to the newest received', () => {
    const { run } = makeRun(scenario('{ group: db, mode: journal, transfer: push, to: dr, restore_every: 10s }'));
    const rec = new WriteRecorder(run);
    run.runTo(95e6); // 5 s after the apply at 90 s: the secondary journal holds about 5 s
    const pair = (run.groups[0].mode as JournalMode).pairs[0];
    const w = journalPitWindow(pair)!;
    expect(w.from_us).toBeGreaterThan(89e6);
    expect(w.to_us).toBeGreaterThan(94.9e6);
    const t = 92.5e6;
    const r = journalPointInTime(pair, t);
    expect(r.ok).toBe(true);
    if (r.ok) {
      // Entries applied in order up to the one stamped at or before t: the newest write issued by t.
      expect(pair.ring.seq(r.end - 1)).toBe(rec.seq[rec.time.findLastIndex((x) => x <= t)]);
    }
    const before = journalPointInTime(pair, 80e6);
    expect(before.ok).toBe(false);
    if (!before.ok) expect(before.reason).toContain('before the oldest journal held');
  });
});
