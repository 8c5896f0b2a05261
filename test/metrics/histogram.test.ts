// Distribution (src/metrics/histogram.ts): run-length and small-value buffering must give the
// same percentiles as recording every value into an HDR histogram, and exact count, mean, max.
import { describe, expect, it } from 'vitest';
import * as hdr from 'hdr-histogram-js';
import { Distribution, hdrIndex, hdrIndexValue } from '../../src/metrics/histogram.js';
import { Streams } from '../../src/engine/random.js';

describe('Distribution', () => {
  it('equals a plain HDR histogram fed every value, with reads interleaved', () => {
    const d = new Distribution();
    const ref = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 });
    const rng = new Streams(5).stream('values');
    let sum = 0;
    let n = 0;
    let max = 0;
    for (let i = 0; i < 50_000; i++) {
      const u = rng.next();
      // Runs of one value, varied values below 2048 (one per bucket) and above (shared buckets),
      // past the direct-count range (2^31), rounding.
      const value = u < 0.5 ? 1000 : u < 0.6 ? Math.floor(u * 3_000) + 0.4 : u < 0.9 ? 65_536 + Math.floor(u * 1e7)
        : u < 0.99 ? Math.floor(u * 2 ** 31) : 2 ** 31 - 1 + Math.floor(u * 1e9);
      const count = u < 0.05 ? 3 : 1;
      d.record(value, count);
      const v = Math.round(value);
      ref.recordValueWithCount(v, count);
      sum += v * count;
      n += count;
      max = Math.max(max, v);
      if (i % 10_000 === 9_999) {
        expect(d.percentile(99)).toBe(Math.min(ref.getValueAtPercentile(99), max));
        expect(d.percentile(50)).toBe(Math.min(ref.getValueAtPercentile(50), max));
      }
    }
    const s = d.summary();
    expect(s.count).toBe(n);
    expect(s.max).toBe(max);
    expect(s.mean).toBeCloseTo(sum / n, 9);
    expect(s.p999).toBe(Math.min(ref.getValueAtPercentile(99.9), max));
  });

  it('counts indices and their lowest values are hdr-histogram-js\'s', () => {
    const ref = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 }) as unknown as {
      countsArrayIndex(v: number): number;
      valueFromIndex(i: number): number;
    };
    const wrong: number[] = [];
    const check = (v: number) => {
      const i = hdrIndex(v);
      if (i !== ref.countsArrayIndex(v) || hdrIndexValue(i) !== ref.valueFromIndex(i)) wrong.push(v);
    };
    for (let v = 0; v < 1 << 16; v++) check(v);
    // Around every power of two up to 2^31 - 1, where a bucket ends and the next begins.
    for (let k = 16; k <= 31; k++) for (let d = -3; d <= 3; d++) if (2 ** k + d < 2 ** 31) check(2 ** k + d);
    const rng = new Streams(7).stream('values');
    for (let n = 0; n < 100_000; n++) check(Math.floor(rng.next() * 2 ** 31));
    expect(wrong).toEqual([]);
  });

  it('an empty distribution reads as zeros', () => {
    expect(new Distribution().summary()).toEqual({ count: 0, mean: 0, p50: 0, p99: 0, p999: 0, max: 0 });
  });
});
