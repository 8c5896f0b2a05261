import { describe, expect, it } from 'vitest';
import { TrackImage, WriteLog, pointInTime } from '../../src/recovery/pit.js';

describe('WriteLog', () => {
  it('keeps entries in order across growth, rolls off into the base, finds points by time and seq', () => {
    const log = new WriteLog(TrackImage.empty([100, 50]), 64);
    // 5000 writes: seq k+1 at time 10k us, to volume k%2, tracks (k*7)%40 .. +1
    for (let k = 0; k < 5000; k++) log.append(k + 1, 10 * k, k % 2, (k * 7) % 40, ((k * 7) % 40) + 1, 4096, k > 0 ? k : -1);
    expect(log.length).toBe(5000);
    expect(log.heldBytes).toBe(5000 * (4096 + 64));
    for (let i = 0; i < 1234; i++) log.rollOff();
    expect(log.baseSeq).toBe(1234);
    expect(log.baseTime_us).toBe(12330);
    expect(log.heldBytes).toBe((5000 - 1234) * (4096 + 64));
    expect(log.seq(log.head)).toBe(1235);
    expect(log.endAtTime(20_005)).toBe(2001); // entries with time <= 20005 us: seq 1..2001
    expect(log.endBeforeSeq(3000)).toBe(2999);
    // The image at a point = base + entries up to it = the same writes applied from scratch.
    const end = log.endAtTime(30_000);
    const img = log.imageAt(end);
    const scratch = TrackImage.empty([100, 50]);
    for (let k = 0; k < 3001; k++) scratch.apply(k % 2, (k * 7) % 40, ((k * 7) % 40) + 1, k + 1);
    expect(img.diffTracks(scratch)).toBe(0);
    expect(pointInTime(log, 12_000, 49_990).ok).toBe(false);
    expect(pointInTime(log, 50_000, 49_990).ok).toBe(false);
    expect(pointInTime(log, 30_000, 49_990)).toEqual({ ok: true, end, point_us: 30_000 });
  });

  it('refuses out-of-order sequence numbers and entries not held', () => {
    const log = new WriteLog(TrackImage.empty([10]), 0);
    log.append(5, 0, 0, 0, 0, 1, -1);
    expect(() => log.append(5, 1, 0, 0, 0, 1, -1)).toThrow(/not after/);
    log.rollOff();
    expect(() => log.seq(0)).toThrow(/not held/);
  });
});
