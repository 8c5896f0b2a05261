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
  /** Sum and count of the values flushed to the histogram (the pending run is added on read). */
  private flushedSum = 0;
  private flushedN = 0;

  // Run-length buffer: most host writes of an asynchronous mode see the same latency, so a
  // repeated value costs one compare and one increment here and reaches the histogram in one
  // call when the value changes or the distribution is read.
  private runValue = -1;
  private runCount = 0;

  /** Records a non-negative value (count times), rounded to an integer. */
  record(value: number, count = 1): void {
    if (value === this.runValue) {
      this.runCount += count;
      return;
    }
    // floor(x + 0.5) is Math.round for x >= 0, and cheaper in V8.
    const v = value > 0 ? Math.floor(value + 0.5) : 0;
    if (v === this.runValue) {
      this.runCount += count;
      return;
    }
    this.flush();
    this.runValue = v;
    this.runCount = count;
    if (v > this.exactMax) this.exactMax = v;
  }

  private flush(): void {
    if (this.runCount === 0) return;
    if (this.runCount === 1) this.h.recordValue(this.runValue);
    else this.h.recordValueWithCount(this.runValue, this.runCount);
    this.flushedSum += this.runValue * this.runCount;
    this.flushedN += this.runCount;
    this.runCount = 0;
  }

  get count(): number {
    return this.flushedN + this.runCount;
  }

  private get sum(): number {
    return this.flushedSum + (this.runCount > 0 ? this.runValue * this.runCount : 0);
  }

  /** Percentile from the histogram (3 significant digits); max and mean are exact. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    this.flush();
    return Math.min(this.h.getValueAtPercentile(p), this.exactMax);
  }

  summary(): Percentiles {
    return {
      count: this.count,
      mean: this.count === 0 ? 0 : this.sum / this.count,
      p50: this.percentile(50),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.exactMax,
    };
  }
}
