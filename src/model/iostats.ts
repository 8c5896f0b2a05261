// IO statistics (seed 000 FIG 7): per-volume write throughput over a sliding window of whole
// seconds, kept as a ring of per-second byte counts (constant memory, O(1) per write). Read by
// destination selection and reported in the summary.

export class IoStats {
  private readonly buckets: Float64Array[];
  private readonly peak_Bps: Float64Array;
  private readonly total: Float64Array;
  private curSecond = 0;

  constructor(volumes: number, readonly window_s: number) {
    if (!Number.isInteger(window_s) || window_s < 1) throw new Error(`IO statistics window must be >= 1 s, got ${window_s}`);
    this.buckets = Array.from({ length: volumes }, () => new Float64Array(window_s));
    this.peak_Bps = new Float64Array(volumes);
    this.total = new Float64Array(volumes);
  }

  private nextBoundary_us = 1e6;

  record(volume: number, now_us: number, bytes: number): void {
    if (now_us >= this.nextBoundary_us) this.advance(Math.floor(now_us / 1e6));
    this.buckets[volume][this.curSecond % this.window_s] += bytes;
    this.total[volume] += bytes;
  }

  /** Mean write rate of a volume over the last window (bytes/s); partial windows count as whole. */
  rate_Bps(volume: number, now_us: number): number {
    this.advance(Math.floor(now_us / 1e6));
    let sum = 0;
    const b = this.buckets[volume];
    for (let i = 0; i < b.length; i++) sum += b[i];
    return sum / this.window_s;
  }

  /** Highest window rate seen for a volume (bytes/s), checked at each second boundary. */
  peak(volume: number): number {
    return this.peak_Bps[volume];
  }

  /** Mean rate since time 0 (bytes/s). */
  mean_Bps(volume: number, now_us: number): number {
    return now_us > 0 ? this.total[volume] / (now_us / 1e6) : 0;
  }

  private advance(second: number): void {
    while (this.curSecond < second) {
      // Closing a second: note the window rate, then clear the bucket the next second reuses.
      for (let v = 0; v < this.buckets.length; v++) {
        const b = this.buckets[v];
        let sum = 0;
        for (let i = 0; i < b.length; i++) sum += b[i];
        const r = sum / this.window_s;
        if (r > this.peak_Bps[v]) this.peak_Bps[v] = r;
      }
      this.curSecond++;
      this.nextBoundary_us = (this.curSecond + 1) * 1e6;
      for (let v = 0; v < this.buckets.length; v++) this.buckets[v][this.curSecond % this.window_s] = 0;
      if (second - this.curSecond > this.window_s) {
        // A long idle gap: every bucket is stale; jump.
        for (const b of this.buckets) b.fill(0);
        this.curSecond = second;
        this.nextBoundary_us = (second + 1) * 1e6;
      }
    }
  }
}
