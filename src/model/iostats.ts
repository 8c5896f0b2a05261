// IO statistics (seed 000 FIG 7): per-volume write throughput over a sliding window of whole
// seconds, kept as a ring of per-second byte counts (constant memory). The host counts bytes
// per volume anyway (cumulative); a second's bucket is the difference of those counts at its
// ends, so the per-write cost is one time compare (roll) instead of a bucket update.

export class IoStats {
  /** Per volume, window_s buckets: buckets[v * window_s + (second % window_s)]. */
  private readonly buckets: Float64Array;
  private readonly peak_Bps: Float64Array;
  /** Cumulative bytes per volume at the start of the current second. */
  private readonly atSecond: Float64Array;
  private curSecond = 0;
  /** Start of the next second: a write at or after it must call roll() first. */
  nextBoundary_us = 1e6;

  /** `cumBytes`: bytes written per volume so far, kept up to date by the owner. */
  constructor(private readonly cumBytes: Float64Array, readonly window_s: number) {
    if (!Number.isInteger(window_s) || window_s < 1) throw new Error(`IO statistics window must be >= 1 s, got ${window_s}`);
    const volumes = cumBytes.length;
    this.buckets = new Float64Array(volumes * window_s);
    this.peak_Bps = new Float64Array(volumes);
    this.atSecond = new Float64Array(volumes);
  }

  /** Closes the seconds before now's; call before counting a write issued at now_us. */
  roll(now_us: number): void {
    this.advance(Math.floor(now_us / 1e6));
  }

  /** Mean write rate of a volume over the last window (bytes/s); partial windows count as whole. */
  rate_Bps(volume: number, now_us: number): number {
    this.roll(now_us);
    const w = this.window_s;
    let sum = this.cumBytes[volume] - this.atSecond[volume]; // the current, partial second
    for (let i = 0; i < w; i++) if (i !== this.curSecond % w) sum += this.buckets[volume * w + i];
    return sum / w;
  }

  /** Highest window rate seen for a volume (bytes/s), checked at each second boundary. */
  peak(volume: number): number {
    return this.peak_Bps[volume];
  }

  /** Mean rate since time 0 (bytes/s). */
  mean_Bps(volume: number, now_us: number): number {
    return now_us > 0 ? this.cumBytes[volume] / (now_us / 1e6) : 0;
  }

  private advance(second: number): void {
    const w = this.window_s;
    const vols = this.atSecond.length;
    while (this.curSecond < second) {
      // Closing a second: its bucket, then the window rate for the peak.
      const slot = this.curSecond % w;
      for (let v = 0; v < vols; v++) {
        this.buckets[v * w + slot] = this.cumBytes[v] - this.atSecond[v];
        this.atSecond[v] = this.cumBytes[v];
        let sum = 0;
        for (let i = 0; i < w; i++) sum += this.buckets[v * w + i];
        if (sum / w > this.peak_Bps[v]) this.peak_Bps[v] = sum / w;
      }
      this.curSecond++;
      if (second - this.curSecond > w) {
        // A long idle gap: every bucket is stale; jump.
        this.buckets.fill(0);
        this.curSecond = second;
      } else {
        for (let v = 0; v < vols; v++) this.buckets[v * w + (this.curSecond % w)] = 0;
      }
    }
    this.nextBoundary_us = (this.curSecond + 1) * 1e6;
  }
}
