// IO statistics (seed 000 FIG 7): sliding-window write rates from the host's cumulative counts.
import { describe, expect, it } from 'vitest';
import { IoStats } from '../../src/model/iostats.js';

/** Feeds writes (time us, volume, bytes) the way HostIo does: roll, then count. */
function feed(stats: IoStats, cum: Float64Array, writes: [number, number, number][]): void {
  for (const [t, v, b] of writes) {
    if (t >= stats.nextBoundary_us) stats.roll(t);
    cum[v] += b;
  }
}

describe('IoStats', () => {
  it('window rate and peak: bytes per whole second over a 3 s window', () => {
    const cum = new Float64Array(2);
    const s = new IoStats(cum, 3);
    // Second 0: 300 B on v0; second 1: 600 B; second 2: nothing; second 3: 900 B. v1: 30 B in second 1.
    feed(s, cum, [[0, 0, 100], [500_000, 0, 200], [1_000_000, 0, 600], [1_999_999, 1, 30], [3_100_000, 0, 900]]);
    // At 3.1 s the window holds seconds 1, 2 (closed) and 3 (partial): (600 + 0 + 900) / 3.
    expect(s.rate_Bps(0, 3_100_000)).toBe(500);
    expect(s.rate_Bps(1, 3_100_000)).toBe(10);
    // Peaks are taken when a second closes: after second 1, (300 + 600) / 3 = 300.
    expect(s.peak(0)).toBe(300);
    // Closing second 3 (at 4 s) gives (600 + 0 + 900) / 3 = 500.
    expect(s.rate_Bps(0, 4_000_000)).toBe(300); // seconds 2, 3 and the empty 4th
    expect(s.peak(0)).toBe(500);
    expect(s.mean_Bps(0, 4_000_000)).toBe(1800 / 4);
  });

  it('a gap longer than the window forgets everything', () => {
    const cum = new Float64Array(1);
    const s = new IoStats(cum, 2);
    feed(s, cum, [[0, 0, 1000], [100_000_000, 0, 10]]);
    expect(s.rate_Bps(0, 100_500_000)).toBe(5);
    expect(s.peak(0)).toBe(500); // second 0 alone over a 2 s window
  });
});
