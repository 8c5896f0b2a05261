import { describe, expect, it } from 'vitest';
import { Streams, XoshiroStream } from '../../src/engine/random.js';
import { chiSquare, chiSquareCritical, correlation } from '../helpers/stats.js';

// The generator is xoshiro128** (src/engine/random.ts); it must match the reference algorithm
// (here written again with BigInt, a different code path) and pass the checks below.

/** xoshiro128** as published (Blackman & Vigna), on unsigned 32-bit BigInts. */
function* reference(state: [number, number, number, number]): Generator<number> {
  const M = 0xffffffffn;
  const s = state.map((v) => BigInt(v >>> 0));
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  for (;;) {
    const result = (rotl((s[1] * 5n) & M, 7n) * 9n) & M;
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    yield Number(result);
  }
}

function draws(seed: number, name: string, n: number): Float64Array {
  const rng = new Streams(seed).stream(name);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next();
  return out;
}

describe('Streams', () => {
  it('gives the same sequence for the same seed and name', () => {
    expect(draws(7, 'writes', 1000)).toEqual(draws(7, 'writes', 1000));
  });

  it('gives different sequences for another seed or another name', () => {
    const base = draws(7, 'writes', 100);
    expect(draws(8, 'writes', 100)).not.toEqual(base);
    expect(draws(7, 'faults', 100)).not.toEqual(base);
  });

  it('matches the reference xoshiro128** draw for draw (draw = output / 2^32), across buffer refills', () => {
    // By hand from state (1, 2, 3, 4): rotl(2 * 5, 7) * 9 = 1280 * 9.
    expect(XoshiroStream.fromState('t', [1, 2, 3, 4]).next() * 2 ** 32).toBe(11520);
    for (const state of [[1, 2, 3, 4], [0x9e3779b9, -1, 0x7fffffff, -0x80000000]] as [number, number, number, number][]) {
      const ours = XoshiroStream.fromState('t', state);
      const ref = reference(state);
      for (let i = 0; i < 1000; i++) {
        const want = ref.next().value as number;
        const got = ours.next();
        if (got !== want / 2 ** 32) throw new Error(`draw ${i}: ${got * 2 ** 32} instead of ${want}`);
      }
    }
  });

  it('draws lie in [0, 1)', () => {
    const xs = draws(3, 'range', 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('makes streams of different names look independent (correlation ~ 0)', () => {
    const n = 100_000;
    const a = draws(1, 'a', n);
    const b = draws(1, 'b', n);
    const lim = 4 / Math.sqrt(n); // 4 standard errors of a correlation under independence
    expect(Math.abs(correlation(a, b))).toBeLessThan(lim);
    // Neighbouring names and lagged draws too.
    expect(Math.abs(correlation(draws(1, 'host1', n), draws(1, 'host2', n)))).toBeLessThan(lim);
    expect(Math.abs(correlation(a.subarray(1), a.subarray(0, n - 1)))).toBeLessThan(lim);
  });

  it('refuses to hand out a name twice', () => {
    const s = new Streams(1);
    s.stream('x');
    expect(() => s.stream('x')).toThrow(/already taken/);
    expect(() => s.stream('y')).not.toThrow();
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => new Streams(1.5)).toThrow();
    expect(() => new Streams(2 ** 60)).toThrow();
  });

  it('is uniform: chi-square on 1e5 draws in 100 bins', () => {
    const bins = new Float64Array(100);
    for (const x of draws(11, 'uniformity', 100_000)) bins[Math.floor(x * 100)]++;
    const { stat, df } = chiSquare(bins, new Float64Array(100).fill(0.01));
    expect(df).toBe(99);
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });

  it('is uniform in pairs: chi-square of successive draws on a 20x20 grid', () => {
    const xs = draws(12, 'pairs', 200_000);
    const bins = new Float64Array(400);
    for (let i = 0; i + 1 < xs.length; i += 2) bins[Math.floor(xs[i] * 20) * 20 + Math.floor(xs[i + 1] * 20)]++;
    const { stat, df } = chiSquare(bins, new Float64Array(400).fill(1 / 400));
    expect(stat).toBeLessThan(chiSquareCritical(df, 0.01));
  });
});
