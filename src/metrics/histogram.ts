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

  // Run-length buffer: most host writes of an asynchronous mode see the same latency, so
  // repeated values are counted here and handed to the histogram in one call.
  private runValue = -1;
  private runCount = 0;

  /** Records a non-negative integer value (count times). */
  record(value: number, count = 1): void {
    const v = value > 0 ? Math.round(value) : 0;
    if (v === this.runValue) {
      this.runCount += count;
    } else {
      this.flush();
      this.runValue = v;
      this.runCount = count;
    }
    if (v > this.exactMax) this.exactMax = v;
    this.sum += v * count;
    this.n += count;
  }

  private flush(): void {
    if (this.runCount === 0) return;
    if (this.runCount === 1) this.h.recordValue(this.runValue);
    else this.h.recordValueWithCount(this.runValue, this.runCount);
    this.runCount = 0;
  }

  get count(): number {
    return this.n;
  }

  /** Percentile from the histogram (3 significant digits); max and mean are exact. */
  percentile(p: number): number {
    if (this.n === 0) return 0;
    this.flush();
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
