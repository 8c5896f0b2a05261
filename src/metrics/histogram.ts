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

// HDR layout at 3 significant digits (unit 1): values below 2048 one per bucket, then buckets
// of 1024 sub-buckets, each twice as wide as the one before. A value's counts index is
// bucket * 1024 + (value >> bucket), where bucket = max(0, floor(log2(value)) - 10).
const SUB_MAGNITUDE = 10;
const SUB_HALF = 1 << SUB_MAGNITUDE;
/** Values counted directly before they reach the histogram: below 2^31 (35 minutes in us). */
const DIRECT_LIMIT = 2 ** 31;
/** Counts indices of the values below DIRECT_LIMIT. */
const DIRECT_INDICES = (31 - SUB_MAGNITUDE + 1) * SUB_HALF;

/** hdr-histogram-js's counts index of an integer value in [0, 2^31) at 3 significant digits. */
export function hdrIndex(v: number): number {
  const bucket = Math.max(0, 31 - Math.clz32(v) - SUB_MAGNITUDE);
  return bucket * SUB_HALF + (v >>> bucket);
}

/** The lowest value of a counts index (hdr-histogram-js's valueFromIndex). */
export function hdrIndexValue(i: number): number {
  const bucket = (i >>> SUB_MAGNITUDE) - 1;
  return bucket <= 0 ? i : ((i & (SUB_HALF - 1)) + SUB_HALF) * 2 ** bucket;
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

  // Values below DIRECT_LIMIT are counted per HDR counts index in a plain array (allocated on
  // first use) and handed to the histogram, each index as its lowest value, when it is read:
  // the histogram's counts, hence its percentiles, are the same as if every value had gone to
  // it, and hdr-histogram-js's recordValue costs ~200 ns (a log2 and two pows), while writes
  // released one by one (held by a consistency group) vary in latency.
  private direct: Float64Array | null = null;
  private directPending = 0;

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
    if (this.runValue < DIRECT_LIMIT) {
      (this.direct ??= new Float64Array(DIRECT_INDICES))[hdrIndex(this.runValue)] += this.runCount;
      this.directPending++;
    } else this.h.recordValueWithCount(this.runValue, this.runCount);
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

  /** Hands the directly counted values to the histogram. */
  private flushDirect(): void {
    const direct = this.direct;
    if (direct === null || this.directPending === 0) return;
    for (let i = 0; i < DIRECT_INDICES; i++) {
      if (direct[i] === 0) continue;
      this.h.recordValueWithCount(hdrIndexValue(i), direct[i]);
      direct[i] = 0;
    }
    this.directPending = 0;
  }

  /** Percentile from the histogram (3 significant digits); max and mean are exact. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    this.flush();
    this.flushDirect();
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
