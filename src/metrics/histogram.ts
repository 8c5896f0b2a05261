// Value distributions (host latency, RPO) kept in HDR histograms: constant memory whatever the
// number of samples, 3 significant digits.

import * as hdr from 'hdr-histogram-js';

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export class Distribution {
  private readonly h = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 });
  private exactMax = 0;
  private sum = 0;
  private n = 0;

  /** Records a non-negative integer value (count times). */
  record(value: number, count = 1): void {
    const v = Math.max(0, Math.round(value));
    if (count === 1) this.h.recordValue(v);
    else this.h.recordValueWithCount(v, count);
    if (v > this.exactMax) this.exactMax = v;
    this.sum += v * count;
    this.n += count;
  }

  get count(): number {
    return this.n;
  }

  /** Percentile from the histogram (3 significant digits); max and mean are exact. */
  percentile(p: number): number {
    if (this.n === 0) return 0;
    return Math.min(this.h.getValueAtPercentile(p), this.exactMax);
  }

  summary(): Percentiles {
    return {
      count: this.n,
      mean: this.n === 0 ? 0 : this.sum / this.n,
      p50: this.percentile(50),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.exactMax,
    };
  }
}
