import { describe, expect, it } from 'vitest';
import { mean, pairedDifference, quantileSorted, sd, studentTCdf, studentTQuantile } from '../../src/experiments/stats.js';

describe('paired statistics', () => {
  it('matches published Student t quantiles', () => {
    // Two-sided 95% critical values (t_{0.975, df}) from standard tables.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 6);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764451, 6);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2621572, 6);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452296, 6);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.1692727, 6);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5); // -> normal
    // df = 1 is Cauchy: CDF(t) = 1/2 + atan(t)/pi.
    for (const t of [-3, -0.5, 0, 0.7, 5]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
    // df = 2: CDF(t) = 1/2 + t / (2 sqrt(2 + t^2)).
    for (const t of [-2, 0.3, 4]) expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
  });

  it('computes the paired mean difference and its 95% interval', () => {
    const base = [10, 12, 9, 11, 13];
    const opt = [8, 11, 8, 9, 12]; // differences -2 -1 -1 -2 -1
    const d = pairedDifference(base, opt);
    expect(d.n).toBe(5);
    expect(d.mean).toBeCloseTo(-1.4, 12);
    expect(d.sd).toBeCloseTo(Math.sqrt(0.3), 12);
    const half = 2.7764451 * Math.sqrt(0.3 / 5);
    expect(d.ci_low).toBeCloseTo(-1.4 - half, 6);
    expect(d.ci_high).toBeCloseTo(-1.4 + half, 6);
    expect(d.p_value!).toBeLessThan(0.01);
    // Pairing removes the seed-to-seed spread that an unpaired comparison would carry.
    expect(sd(base)).toBeGreaterThan(d.sd * 2);
    expect(pairedDifference([1], [2])).toMatchObject({ n: 1, mean: 1, ci_low: null, ci_high: null });
    expect(pairedDifference([1, 2, 3], [1, 2, 3])).toMatchObject({ mean: 0, ci_low: 0, ci_high: 0, p_value: null });
  });

  it('helpers', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });
});
