// Small goodness-of-fit helpers for distribution tests (fixed seeds, so results are stable).

/** Kolmogorov–Smirnov statistic D of a sample against a continuous CDF. */
export function ksStatistic(sample: readonly number[] | Float64Array, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** KS critical value (Stephens' approximation), accurate to ~1% for n >= 35. */
export function ksCritical(n: number, alpha: 0.05 | 0.01 | 0.001 = 0.01): number {
  const c = { 0.05: 1.358, 0.01: 1.628, 0.001: 1.949 }[alpha];
  const s = Math.sqrt(n);
  return c / (s + 0.12 + 0.11 / s);
}

/** Upper quantile of the standard normal for the alphas used here. */
const Z_UPPER = { 0.05: 1.6449, 0.01: 2.3263, 0.001: 3.0902 } as const;

/** Chi-square critical value by Wilson–Hilferty (within ~1% for df >= 3). */
export function chiSquareCritical(df: number, alpha: 0.05 | 0.01 | 0.001 = 0.01): number {
  const a = 2 / (9 * df);
  return df * (1 - a + Z_UPPER[alpha] * Math.sqrt(a)) ** 3;
}

/**
 * Pearson chi-square of observed counts against expected probabilities (summing to 1). Adjacent
 * cells are merged until each expects at least `minExpected`, as the test requires.
 */
export function chiSquare(
  observed: ArrayLike<number>,
  probs: ArrayLike<number>,
  minExpected = 5,
): { stat: number; df: number } {
  if (observed.length !== probs.length) throw new Error('chiSquare: lengths differ');
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i];
  const cellO: number[] = [];
  const cellE: number[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < probs.length; i++) {
    o += observed[i];
    e += probs[i] * total;
    if (e >= minExpected) {
      cellO.push(o);
      cellE.push(e);
      o = 0;
      e = 0;
    }
  }
  // A short last cell joins the one before it.
  if (cellO.length === 0) throw new Error('chiSquare: too few expected counts');
  cellO[cellO.length - 1] += o;
  cellE[cellE.length - 1] += e;
  let stat = 0;
  for (let c = 0; c < cellO.length; c++) stat += (cellO[c] - cellE[c]) ** 2 / cellE[c];
  return { stat, df: cellO.length - 1 };
}

/** Standard normal CDF (erf by Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation. */
export function stdev(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - m) ** 2;
  return Math.sqrt(ss / (xs.length - 1));
}

/** Pearson correlation of two equal-length samples. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
