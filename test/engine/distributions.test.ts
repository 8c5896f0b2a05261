import { describe, expect, it } from 'vitest';
import { Streams, type Rng } from '../../src/engine/random.js';
import {
  EmpiricalSampler,
  LognormalSampler,
  NormalSampler,
  UniformIntSampler,
  ZIPF_DIRECT_SUM,
  ZipfSampler,
  zipfSum,
  exponential,
  exponentialByInversion,
  modByInverse,
  modExact,
  normal,
  uniform,
  uniformInt,
} from '../../src/engine/distributions.js';
import { chiSquare, chiSquareCritical, ksCritical, ksStatistic, mean, normalCdf } from '../helpers/stats.js';

const rng = (name: string, seed = 2024): Rng => new Streams(seed).stream(name);

function sample(n: number, draw: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw();
  return out;
}

/** Exact Zipf pmf over ranks 1..n. */
function zipfPmf(n: number, theta: number): Float64Array {
  const p = new Float64Array(n);
  let h = 0;
  for (let k = n; k >= 1; k--) h += k ** -theta; // smallest terms first, for accuracy
  for (let k = 1; k <= n; k++) p[k - 1] = k ** -theta / h;
  return p;
}

function zipfCounts(n: number, theta: number, draws: number, seed: number): Float64Array {
  const z = new ZipfSampler(n, theta);
  const r = rng(`zipf-${n}-${theta}`, seed);
  const counts = new Float64Array(n);
  for (let i = 0; i < draws; i++) {
    const k = z.sample(r);
    if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new Error(`rank ${k} out of 1..${n}`);
    counts[k - 1]++;
  }
  return counts;
}

describe('exponential (ziggurat)', () => {
  const rate = 2.5;
  const xs = sample(300_000, ((r) => () => exponential(r, rate))(rng('exp')));

  it('has mean 1/rate and second moment 2/rate^2 within 3 standard errors', () => {
    const n = xs.length;
    expect(Math.abs(mean(xs) - 1 / rate)).toBeLessThan((3 * (1 / rate)) / Math.sqrt(n));
    const m2 = mean(xs.map((x) => x * x));
    const sd2 = Math.sqrt(24 - 4) / rate ** 2; // Var(X^2) = E[X^4] - E[X^2]^2 = (24 - 4) / rate^4
    expect(Math.abs(m2 - 2 / rate ** 2)).toBeLessThan((3 * sd2) / Math.sqrt(n));
  });

  it('passes Kolmogorov–Smirnov against 1 - exp(-rate x) at alpha 0.01', () => {
    expect(ksStatistic(xs, (x) => 1 - Math.exp(-rate * x))).toBeLessThan(ksCritical(xs.length, 0.01));
  });

  it('fails KS against a rate 2% off (the test has power)', () => {
    expect(ksStatistic(xs, (x) => 1 - Math.exp(-rate * 1.02 * x))).toBeGreaterThan(ksCritical(xs.length, 0.01));
  });

  it('has the right tail beyond the ziggurat base (x > 7.697 / rate) and the right layer shares', () => {
    // Tail: P = exp(-7.697...) ~ 4.5e-4, resolved by the slow path.
    const edge = 7.697117470131487 / rate;
    const p = Math.exp(-7.697117470131487);
    const tailXs = xs.filter((x) => x > edge);
    const sd = Math.sqrt(xs.length * p * (1 - p));
    expect(Math.abs(tailXs.length - xs.length * p)).toBeLessThan(4 * sd);
    // Memorylessness: the excess over the edge is again Exp(rate).
    const excess = mean(tailXs.map((x) => x - edge));
    expect(Math.abs(excess - 1 / rate)).toBeLessThan((4 * (1 / rate)) / Math.sqrt(tailXs.length));
    // Counts in 60 equal-probability cells: chi-square catches a mis-built layer.
    const cells = new Float64Array(60);
    for (const x of xs) cells[Math.min(59, Math.floor(60 * (1 - Math.exp(-rate * x))))]++;
    const { stat, df } = chiSquare(cells, new Float64Array(60).fill(1 / 60));
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('exponentialByInversion passes the same KS test', () => {
    const r = rng('exp-inv');
    const ys = sample(100_000, () => exponentialByInversion(r, rate));
    expect(ksStatistic(ys, (x) => 1 - Math.exp(-rate * x))).toBeLessThan(ksCritical(ys.length, 0.01));
  });
});

describe('uniform and uniformInt', () => {
  it('uniform(a, b) stays in [a, b) with mean (a + b) / 2', () => {
    const xs = sample(50_000, ((r) => () => uniform(r, -3, 5))(rng('unif')));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...xs)).toBeLessThan(5);
    expect(Math.abs(mean(xs) - 1)).toBeLessThan((3 * 8) / Math.sqrt(12 * xs.length));
  });

  it('uniformInt(7) is uniform over 0..6 (chi-square)', () => {
    const r = rng('int7');
    const counts = new Float64Array(7);
    for (let i = 0; i < 70_000; i++) counts[uniformInt(r, 7)]++;
    const { stat, df } = chiSquare(counts, new Float64Array(7).fill(1 / 7));
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('uniformInt(1) is always 0', () => {
    const r = rng('int1');
    for (let i = 0; i < 100; i++) expect(uniformInt(r, 1)).toBe(0);
  });

  it('uniformInt(3 * 2^50) is exact: low bits and top third both uniform', () => {
    const n = 3 * 2 ** 50;
    const r = rng('intbig');
    const low = new Float64Array(16);
    const third = new Float64Array(3);
    for (let i = 0; i < 30_000; i++) {
      const x = uniformInt(r, n);
      if (!(Number.isInteger(x) && x >= 0 && x < n)) throw new Error(`out of range: ${x}`);
      low[x % 16]++;
      third[Math.floor(x / 2 ** 50)]++;
    }
    // Scaling one 32-bit draw by n would leave the low bits all zero.
    expect(chiSquare(low, new Float64Array(16).fill(1 / 16)).stat).toBeLessThan(chiSquareCritical(15, 0.01));
    expect(chiSquare(third, new Float64Array(3).fill(1 / 3)).stat).toBeLessThan(chiSquareCritical(2, 0.01));
  });

  it('uniformInt reaches n - 1 = 2^53 - 1 range and rejects bad n', () => {
    const r = rng('int53');
    for (let i = 0; i < 1000; i++) {
      const x = uniformInt(r, 2 ** 53);
      expect(x >= 0 && x < 2 ** 53 && Number.isInteger(x)).toBe(true);
    }
    for (const bad of [0, -1, 1.5, NaN, 2 ** 53 + 2, Infinity]) expect(() => uniformInt(r, bad)).toThrow(RangeError);
  });
});

describe('batch draws', () => {
  it('ZipfSampler.fill and UniformIntSampler.fill draw what as many sample() calls draw', () => {
    const z = new ZipfSampler(1_638_400, 0.99);
    for (const n of [16, 100, 3 * 2 ** 20]) {
      const u = new UniformIntSampler(n);
      const [a, b] = [rng('fill', 7), rng('fill', 7)];
      const batch = new Float64Array(1000);
      const one = new Float64Array(1000);
      for (let round = 0; round < 3; round++) {
        // Zipf and slots interleaved by batch, as a workload draws them (refills mid-batch).
        z.fill(a, batch, 300);
        u.fill(a, batch.subarray(300), 700);
        for (let i = 0; i < 300; i++) one[i] = z.sample(b);
        for (let i = 300; i < 1000; i++) one[i] = u.sample(b);
        expect(batch).toEqual(one);
      }
    }
  });

  it('modByInverse equals x mod n, also where x * (1/n) rounds across an integer', () => {
    const r = rng('mod');
    for (const n of [1, 3, 1_638_400, 1_638_401, 2 ** 26 - 1, 2 ** 26]) {
      const inv = 1 / n;
      // Multiples of n and their neighbours, where a quotient off by one would show.
      for (let q = 0; q < 2000; q++) {
        const m = Math.floor(r.next() * Math.min(2 ** 32, 2 ** 53 / n)) * n;
        for (const x of [m - 1, m, m + 1, m + n - 1]) {
          if (x < 0 || x >= 2 ** 53) continue;
          expect(modByInverse(x, n, inv)).toBe(modExact(x, n));
        }
      }
    }
  });
});

describe('normal', () => {
  it('NormalSampler passes KS against the standard normal, with mean 0', () => {
    const s = new NormalSampler();
    const r = rng('normal');
    const xs = sample(50_000, () => s.sample(r));
    expect(ksStatistic(xs, normalCdf)).toBeLessThan(ksCritical(xs.length, 0.01));
    expect(Math.abs(mean(xs))).toBeLessThan(3 / Math.sqrt(xs.length));
  });

  it('normal(rng) passes KS against the standard normal', () => {
    const r = rng('normal-fn');
    const xs = sample(20_000, () => normal(r));
    expect(ksStatistic(xs, normalCdf)).toBeLessThan(ksCritical(xs.length, 0.01));
  });

  it('never hands one stream the spare drawn from another', () => {
    const shared = new NormalSampler();
    shared.sample(rng('A'));
    const b = shared.sample(rng('B'));
    expect(b).toBe(new NormalSampler().sample(rng('B')));
  });
});

describe('LognormalSampler', () => {
  const mean_ = 8;
  const sigma = 0.75;
  const s = new LognormalSampler(mean_, sigma);
  const xs = sample(100_000, ((r) => () => s.sample(r))(rng('lognormal')));

  it('has the requested mean within 3 standard errors', () => {
    const sd = mean_ * Math.sqrt(Math.exp(sigma * sigma) - 1);
    expect(Math.abs(mean(xs) - mean_)).toBeLessThan((3 * sd) / Math.sqrt(xs.length));
    expect(s.mu).toBeCloseTo(Math.log(mean_) - (sigma * sigma) / 2, 12);
  });

  it('has ln(x) normal(mu, sigma) by KS at alpha 0.01', () => {
    const logs = xs.map(Math.log);
    expect(ksStatistic(logs, (y) => normalCdf((y - s.mu) / sigma))).toBeLessThan(ksCritical(xs.length, 0.01));
  });

  it('rejects a non-positive mean', () => {
    expect(() => new LognormalSampler(0, 1)).toThrow(RangeError);
  });
});

describe('ZipfSampler', () => {
  for (const theta of [0.99, 1.0, 0.5, 2.0]) {
    it(`n = 1000, theta = ${theta}: rank frequencies match the exact pmf (chi-square)`, () => {
      const counts = zipfCounts(1000, theta, 200_000, 5);
      const { stat, df } = chiSquare(counts, zipfPmf(1000, theta));
      expect(df).toBeGreaterThan(theta === 2.0 ? 50 : 900);
      expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
    });
  }

  it('n = 1e6, theta = 0.99: top ranks and the mean rank match the exact distribution', () => {
    const n = 1_000_000;
    const theta = 0.99;
    const draws = 300_000;
    const counts = zipfCounts(n, theta, draws, 6);
    const pmf = zipfPmf(n, theta);
    // Top 100 ranks, the rest as one cell.
    const top = 100;
    const obs = new Float64Array(top + 1);
    const exp = new Float64Array(top + 1);
    for (let k = 0; k < n; k++) {
      obs[Math.min(k, top)] += counts[k];
      exp[Math.min(k, top)] += pmf[k];
    }
    const { stat, df } = chiSquare(obs, exp);
    expect(df).toBe(top);
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
    // Mean rank within 3 standard errors of the exact mean.
    let m1 = 0;
    let m2 = 0;
    let sum = 0;
    for (let k = 1; k <= n; k++) {
      m1 += k * pmf[k - 1];
      m2 += k * k * pmf[k - 1];
      sum += k * counts[k - 1];
    }
    const se = Math.sqrt(m2 - m1 * m1) / Math.sqrt(draws);
    expect(Math.abs(sum / draws - m1)).toBeLessThan(3 * se);
    expect(counts[0] / draws).toBeCloseTo(pmf[0], 2);
  });

  it('blocks: the lower half of each block gets its exact share (the rank is not uniform within a block)', () => {
    // Blocks [a, a + max(1, floor(a / 64))) (see ZipfSampler); within a long block the pmf falls
    // by ~1.5%, so its lower half holds ~50.4% of the block's mass.
    const n = 200_000;
    const theta = 0.99;
    const draws = 6_000_000;
    const counts = zipfCounts(n, theta, draws, 9);
    const pmf = zipfPmf(n, theta);
    let obsLow = 0;
    let obsTail = 0;
    let expLow = 0;
    let expTail = 0;
    let uniformLow = 0; // the lower halves' share if ranks were uniform within blocks
    for (let a = 1; a <= n; a += Math.max(1, Math.floor(a / 64))) {
      if (a < 1024) continue; // short blocks say little
      const end = Math.min(n + 1, a + Math.max(1, Math.floor(a / 64)));
      const mid = a + Math.floor((end - a) / 2);
      let block = 0;
      for (let k = a; k < end; k++) block += pmf[k - 1];
      uniformLow += (block * (mid - a)) / (end - a);
      for (let k = a; k < end; k++) {
        obsTail += counts[k - 1];
        expTail += pmf[k - 1];
        if (k < mid) {
          obsLow += counts[k - 1];
          expLow += pmf[k - 1];
        }
      }
    }
    const p = expLow / expTail;
    const se = Math.sqrt((p * (1 - p)) / obsTail);
    expect(Math.abs(obsLow / obsTail - p)).toBeLessThan(4 * se);
    expect(p - uniformLow / expTail).toBeGreaterThan(6 * se); // it would tell a uniform rank in the block
  });

  for (const theta of [0.99, 1.0, 1.5]) {
    it(`theta = ${theta}: the Euler-Maclaurin block sum equals the direct sum to 1e-13`, () => {
      for (const [a, b] of [[ZIPF_DIRECT_SUM, 200_000], [ZIPF_DIRECT_SUM, ZIPF_DIRECT_SUM], [100_000, 3_000_000], [70_000, 71_093], [4100, 4163]]) {
        let direct = 0;
        for (let k = b; k >= a; k--) direct += k ** -theta;
        expect(Math.abs(zipfSum(a, b, theta) - direct) / direct).toBeLessThan(1e-13);
      }
    });
  }

  it('n = 200,000, theta = 0.99: blocks summed term by term and by Euler-Maclaurin meet exactly at ZIPF_DIRECT_SUM', () => {
    const n = 200_000;
    const theta = 0.99;
    const draws = 400_000;
    const counts = zipfCounts(n, theta, draws, 7);
    const pmf = zipfPmf(n, theta);
    // Cells: ranks 1..50 one by one, then bands either side of the switch, then the rest.
    const edges = [50, 1000, ZIPF_DIRECT_SUM - 1000, ZIPF_DIRECT_SUM - 1, ZIPF_DIRECT_SUM + 1000, 120_000, n];
    const cells = 50 + edges.length - 1;
    const obs = new Float64Array(cells);
    const exp = new Float64Array(cells);
    for (let k = 1; k <= n; k++) {
      const c = k <= 50 ? k - 1 : 49 + edges.findIndex((e) => k <= e);
      obs[c] += counts[k - 1];
      exp[c] += pmf[k - 1];
    }
    const { stat, df } = chiSquare(obs, exp);
    expect(df).toBe(cells - 1);
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('handles n = 1 and n = 2', () => {
    const r = rng('zipf-small');
    expect(new ZipfSampler(1, 0.99).sample(r)).toBe(1);
    const two = new ZipfSampler(2, 1);
    const c = [0, 0];
    for (let i = 0; i < 30_000; i++) c[two.sample(r) - 1]++;
    // P(1) = 1 / (1 + 1/2) = 2/3.
    const { stat, df } = chiSquare(c, [2 / 3, 1 / 3]);
    expect(df).toBe(1);
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('rejects n < 1 and theta <= 0', () => {
    expect(() => new ZipfSampler(0, 1)).toThrow(RangeError);
    expect(() => new ZipfSampler(10, 0)).toThrow(RangeError);
  });
});

describe('EmpiricalSampler', () => {
  it('draws each value with its weight (chi-square) and never a zero-weight value', () => {
    const values = [1, 2, 3, 10, 42];
    const weights = [1, 0, 3, 6, 0.5];
    const s = new EmpiricalSampler(values, weights);
    const r = rng('empirical');
    const counts = new Float64Array(values.length);
    for (let i = 0; i < 100_000; i++) counts[values.indexOf(s.sample(r))]++;
    expect(counts[1]).toBe(0);
    const total = weights.reduce((a, b) => a + b, 0);
    const probs = weights.filter((w) => w > 0).map((w) => w / total);
    const { stat, df } = chiSquare(counts.filter((_, i) => weights[i] > 0), probs);
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('matches a skewed 200-entry table (chi-square)', () => {
    const weights = Array.from({ length: 200 }, (_, i) => 1 / (i + 1) ** 1.2);
    const s = new EmpiricalSampler(weights.map((_, i) => i), weights);
    const r = rng('empirical-200');
    const counts = new Float64Array(200);
    for (let i = 0; i < 200_000; i++) counts[s.sampleIndex(r)]++;
    const total = weights.reduce((a, b) => a + b, 0);
    const { stat, df } = chiSquare(counts, weights.map((w) => w / total));
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('rejects empty tables, mismatched lengths and bad weights', () => {
    expect(() => new EmpiricalSampler([], [])).toThrow(RangeError);
    expect(() => new EmpiricalSampler([1, 2], [1])).toThrow(RangeError);
    expect(() => new EmpiricalSampler([1], [-1])).toThrow(RangeError);
    expect(() => new EmpiricalSampler([1, 2], [0, 0])).toThrow(RangeError);
  });
});
