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

/** Values counted directly before they reach the histogram: below 65.536 ms of latency. */
const SMALL = 1 << 16;

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

  // Values below SMALL are counted in a plain array (allocated on first use) and handed to the
  // histogram when it is read: hdr-histogram-js's recordValue costs ~200 ns (a log2 and two
  // pows), and writes released one by one (held by a consistency group) vary in latency.
  private small: Float64Array | null = null;
  private smallPending = 0;

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
    if (this.runValue < SMALL) {
      (this.small ??= new Float64Array(SMALL))[this.runValue] += this.runCount;
      this.smallPending++;
    } else if (this.runCount === 1) this.h.recordValue(this.runValue);
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

  /** Hands the small values' counts to the histogram. */
  private flushSmall(): void {
    const small = this.small;
    if (small === null || this.smallPending === 0) return;
    for (let v = 0; v < SMALL; v++) {
      if (small[v] === 0) continue;
      this.h.recordValueWithCount(v, small[v]);
      small[v] = 0;
    }
    this.smallPending = 0;
  }

  /** Percentile from the histogram (3 significant digits); max and mean are exact. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    this.flush();
    this.flushSmall();
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
