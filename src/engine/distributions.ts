// Samplers over a named random stream. None allocates per draw: they run inside event handlers.
//
// Every sampler reads uniforms from an Rng whose next() is uniform on [0, 1) with at least 32
// random bits (seedrandom's xor4096 gives exactly 32). Table-driven samplers (Zipf, empirical)
// hold only their tables and take the stream per call, so one table can serve many streams.

import type { Rng } from './random.js';

const TWO_32 = 4294967296;
const TWO_21 = 2097152;
const TWO_53 = 9007199254740992;

// Ziggurat tables for Exp(1), 256 layers (Marsaglia & Tsang, 2000), built once at load. Each
// draw takes its layer from the low 8 bits of a 32-bit word and its position from the other 24,
// so the two never share bits (the flaw Doornik found in the original, which reused them).
const ZIG_R = 7.697117470131487; // right edge of the top-most rectangle
const ZIG_V = 3.949659822581572e-3; // area of every layer
const ZIG_M = 16777216; // 2^24 positions per layer
const zigK = new Float64Array(256); // accept position j of layer i at once when j < zigK[i]
const zigW = new Float64Array(256); // x = j * zigW[i]
const zigF = new Float64Array(256); // exp(-x_i) at layer edges
{
  let de = ZIG_R;
  let te = de;
  const q = ZIG_V / Math.exp(-de);
  zigK[0] = (de / q) * ZIG_M;
  zigK[1] = 0;
  zigW[0] = q / ZIG_M;
  zigW[255] = de / ZIG_M;
  zigF[0] = 1;
  zigF[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZIG_V / de + Math.exp(-de));
    zigK[i + 1] = (de / te) * ZIG_M;
    te = de;
    zigF[i] = Math.exp(-de);
    zigW[i] = de / ZIG_M;
  }
}

/**
 * Exponential with the given rate (mean 1/rate), by the ziggurat: ~99% of draws cost one
 * uniform, a table look-up and a multiply, with no log (the hot path of every arrival
 * process). Exact: the rare rest is resolved by rejection and an exact tail.
 */
export function exponential(rng: Rng, rate: number): number {
  const word = (rng.next() * TWO_32) >>> 0;
  const layer = word & 255;
  const pos = word >>> 8;
  if (pos < zigK[layer]) return (pos * zigW[layer]) / rate;
  return exponentialSlow(rng, layer, pos) / rate;
}

function exponentialSlow(rng: Rng, layer: number, pos: number): number {
  for (;;) {
    if (layer === 0) return ZIG_R - Math.log(1 - rng.next()); // the tail beyond ZIG_R, by memorylessness
    const x = pos * zigW[layer];
    if (zigF[layer] + rng.next() * (zigF[layer - 1] - zigF[layer]) < Math.exp(-x)) return x;
    const word = (rng.next() * TWO_32) >>> 0;
    layer = word & 255;
    pos = word >>> 8;
    if (pos < zigK[layer]) return pos * zigW[layer];
  }
}

/** Exponential by inversion, -ln(1 - u) / rate: one log per draw, kept as the reference. */
export function exponentialByInversion(rng: Rng, rate: number): number {
  // 1 - u lies in (0, 1], so the log is finite.
  return -Math.log(1 - rng.next()) / rate;
}

/** Uniform on [a, b) by scaling: nothing cheaper exists. */
export function uniform(rng: Rng, a: number, b: number): number {
  return a + (b - a) * rng.next();
}

/** A uniform 32-bit integer: the top 32 bits of one draw. */
function u32(rng: Rng): number {
  return Math.floor(rng.next() * TWO_32);
}

/**
 * Uniform integer in 0..n-1, exactly (no modulo bias) for n up to 2^53: rejection on a
 * 32-bit word (n <= 2^32) or on a 53-bit word built from two draws. Expected draws < 2.
 */
export function uniformInt(rng: Rng, n: number): number {
  if (!(n >= 1 && n <= TWO_53 && Number.isInteger(n))) {
    throw new RangeError(`uniformInt: n must be an integer in 1..2^53, got ${n}`);
  }
  if (n <= TWO_32) {
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = u32(rng);
      if (x < limit) return x % n;
    }
  }
  const limit = TWO_53 - (TWO_53 % n);
  for (;;) {
    const x = Math.floor(rng.next() * TWO_21) * TWO_32 + u32(rng);
    if (x < limit) return x % n;
  }
}

/**
 * uniformInt(rng, n) for one fixed n <= 2^32, with the argument check and the rejection limit
 * done once: the same draws and results as uniformInt, for per-write use.
 */
export class UniformIntSampler {
  private readonly limit: number;
  constructor(readonly n: number) {
    if (!(n >= 1 && n <= TWO_32 && Number.isInteger(n))) {
      throw new RangeError(`UniformIntSampler: n must be an integer in 1..2^32, got ${n}`);
    }
    this.limit = TWO_32 - (TWO_32 % n);
  }

  sample(rng: Rng): number {
    const n = this.n;
    for (;;) {
      const x = Math.floor(rng.next() * TWO_32);
      if (x < this.limit) return x % n;
    }
  }
}

/** One standard normal by Marsaglia's polar method (no trig); discards the spare. */
export function normal(rng: Rng): number {
  for (;;) {
    const x = 2 * rng.next() - 1;
    const y = 2 * rng.next() - 1;
    const s = x * x + y * y;
    if (s > 0 && s < 1) return x * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Standard normals by Marsaglia's polar method: no trig, and each accepted pair yields two
 * draws, the second cached. The spare is kept only for the stream it came from, so two
 * streams sharing a sampler never exchange draws.
 */
export class NormalSampler {
  private spare = 0;
  private spareFrom: Rng | null = null;

  sample(rng: Rng): number {
    if (this.spareFrom === rng) {
      this.spareFrom = null;
      return this.spare;
    }
    for (;;) {
      const x = 2 * rng.next() - 1;
      const y = 2 * rng.next() - 1;
      const s = x * x + y * y;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = y * f;
        this.spareFrom = rng;
        return x * f;
      }
    }
  }
}

/**
 * Lognormal given the mean of the variable itself and the sigma of its log: exp of a normal
 * with mu = ln(mean) - sigma^2/2, which is what makes E[X] = mean.
 */
export class LognormalSampler {
  readonly mu: number;
  private readonly normal = new NormalSampler();

  constructor(readonly mean: number, readonly sigma: number) {
    if (!(mean > 0) || !(sigma >= 0)) {
      throw new RangeError(`lognormal: need mean > 0 and sigma >= 0, got ${mean}, ${sigma}`);
    }
    this.mu = Math.log(mean) - (sigma * sigma) / 2;
  }

  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * this.normal.sample(rng));
  }
}

/**
 * Zipf ranks 1..n with P(k) proportional to k^-theta, by Hörmann & Derflinger's
 * rejection-inversion (1996): O(1) per draw and no table, so n in the millions costs nothing,
 * and exact (a rejection method, not an approximation). Any theta > 0, including 1.
 */
export class ZipfSampler {
  private readonly hX1: number;
  private readonly hN: number;
  private readonly s: number;
  private readonly oneMinusTheta: number;
  /**
   * hIntegral(k + 0.5) - h(k) for the first ranks, where the hat is loosest and the squeeze
   * test most often fails: the same values the draw would compute, without the logs and exps.
   */
  private readonly accept: Float64Array;
  private readonly guide: ZipfGuide;

  constructor(readonly n: number, readonly theta: number) {
    if (!(n >= 1 && Number.isSafeInteger(n))) throw new RangeError(`zipf: n must be a positive integer, got ${n}`);
    if (!(theta > 0 && theta <= 10)) throw new RangeError(`zipf: theta must be in (0, 10], got ${theta}`);
    this.oneMinusTheta = 1 - theta;
    this.hX1 = this.hIntegral(1.5) - 1;
    this.hN = this.hIntegral(n + 0.5);
    this.s = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
    const ranks = Math.min(n, ZIPF_TABLE);
    const key = `${n}:${theta}`;
    let shared = zipfTables.get(key);
    if (shared === undefined) {
      shared = { accept: acceptTable(this, ranks), guide: new ZipfGuide(this, ranks) };
      zipfTables.set(key, shared);
    }
    this.accept = shared.accept;
    this.guide = shared.guide;
  }

  /** Edges of the rank intervals in x, for the guide: k - s (the squeeze) and k + 0.5. */
  edges(ranks: number): Float64Array {
    const e = new Float64Array(2 * ranks);
    for (let k = 1; k <= ranks; k++) {
      e[2 * k - 2] = k - this.s;
      e[2 * k - 1] = k + 0.5;
    }
    return e;
  }

  /** hIntegral, for the guide's edges. */
  H(x: number): number {
    return this.hIntegral(x);
  }

  sample(rng: Rng): number {
    const n = this.n;
    const hN = this.hN;
    const span = this.hX1 - hN;
    const table = this.accept;
    const g = this.guide;
    for (;;) {
      // u is uniform on (hX1, hN]: the integral of the hat function over [0.5, n + 0.5].
      const u = hN + rng.next() * span;
      if (u < g.top) {
        // The guide table knows the interval of x = hIntegralInverse(u) unless u is within
        // its guard of an interval edge: the same rank and test as computing x, without it.
        const j = g.interval(u);
        if (j >= 0) {
          const k = (j >>> 1) + 1;
          if ((j & 1) === 1 || u >= table[k - 1]) return k;
          continue;
        }
      }
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.s) return k;
      if (u >= (k <= table.length ? table[k - 1] : this.acceptBound(k))) return k;
    }
  }

  /** The rejection test's bound for rank k. */
  acceptBound(k: number): number {
    return this.hIntegral(k + 0.5) - this.h(k);
  }

  /** The hat function's density, x^-theta. */
  private h(x: number): number {
    return Math.exp(-this.theta * Math.log(x));
  }

  /** Antiderivative of h: (x^(1-theta) - 1) / (1 - theta), or ln x when theta = 1. */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return expm1OverX(this.oneMinusTheta * logX) * logX;
  }

  private hIntegralInverse(x: number): number {
    let t = x * this.oneMinusTheta;
    if (t < -1) t = -1; // rounding can push t just below the domain's edge
    return Math.exp(log1pOverX(t) * x);
  }
}

/** Ranks whose rejection bound and guide ZipfSampler tabulates. */
const ZIPF_TABLE = 16384;

/** Tables shared by the samplers of one (n, theta): one per volume would repeat them. */
const zipfTables = new Map<string, { accept: Float64Array; guide: ZipfGuide }>();

/**
 * Maps u to the interval of x = hIntegralInverse(u) among the edges k - s and k + 0.5 of the
 * first ranks, without the log and exp. Exact: each edge b has a guard [H(b - eps), H(b + eps)]
 * with eps = 1e-7 max(1, b), far wider than the rounding of hIntegral and hIntegralInverse
 * (~1e-14 relative); a u inside a guard returns -1 and the caller computes x as before. Edges
 * are found through a bucket table over u, so a look-up scans a few entries.
 */
class ZipfGuide {
  /** Guard of edge j: [lo[j], hi[j]); ascending, disjoint. */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** Per bucket, the number of edges whose guard ends at or before the bucket's start. */
  private readonly first: Int32Array;
  private readonly u0: number;
  private readonly perBucket: number;
  /** u at or above this is beyond the table (the caller computes). */
  readonly top: number;

  constructor(z: ZipfSampler, ranks: number) {
    const edges = z.edges(ranks);
    const m = edges.length;
    this.lo = new Float64Array(m);
    this.hi = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const eps = 1e-7 * Math.max(1, edges[j]);
      this.lo[j] = z.H(edges[j] - eps);
      this.hi[j] = z.H(edges[j] + eps);
    }
    let ok = this.lo[0] < this.hi[0];
    for (let j = 1; j < m; j++) if (!(this.lo[j] > this.hi[j - 1] && this.hi[j] > this.lo[j])) ok = false;
    // Guards that overlap (or NaN edges, for a theta whose squeeze edge is not positive): no guide.
    this.top = ok ? this.lo[m - 1] : -Infinity;
    this.u0 = z.H(0.25); // below every edge's guard (edges start at 1 - s > 0.5 - ...)
    if (!(this.u0 < this.lo[0])) this.u0 = this.lo[0] - 1;
    const buckets = 1 << 16;
    this.perBucket = buckets / (this.top - this.u0);
    this.first = new Int32Array(buckets + 1);
    let j = 0;
    for (let b = 0; b <= buckets; b++) {
      const start = this.u0 + b / this.perBucket;
      while (j < m && this.hi[j] <= start) j++;
      this.first[b] = j;
    }
  }

  /** The interval index of u (edges below it), or -1 when u is within an edge's guard. */
  interval(u: number): number {
    const b = Math.floor((u - this.u0) * this.perBucket);
    let j = b > 0 ? this.first[b] : 0;
    // first[b] counts guards ending at or before the bucket's start, which rounding in b may
    // put a hair above u: step back while the previous guard does not end at or below u.
    while (j > 0 && !(this.hi[j - 1] <= u)) j--;
    const hi = this.hi;
    const m = hi.length;
    while (j < m && hi[j] <= u) j++;
    if (j < m && this.lo[j] <= u) return -1;
    return j;
  }
}

function acceptTable(z: ZipfSampler, ranks: number): Float64Array {
  const t = new Float64Array(ranks);
  for (let k = 1; k <= ranks; k++) t[k - 1] = z.acceptBound(k);
  return t;
}

/** log(1 + x) / x, accurate near 0 (where theta is close to 1). */
function log1pOverX(x: number): number {
  if (Math.abs(x) > 1e-8) return Math.log1p(x) / x;
  return 1 - x * (1 / 2 - x * (1 / 3 - x * (1 / 4)));
}

/** (exp(x) - 1) / x, accurate near 0. */
function expm1OverX(x: number): number {
  if (Math.abs(x) > 1e-8) return Math.expm1(x) / x;
  return 1 + (x / 2) * (1 + (x / 3) * (1 + x / 4));
}

/**
 * Draws values[i] with probability weights[i] / sum, by Walker's alias method with Vose's
 * stable construction: O(n) setup, then O(1) per draw whatever the distribution's shape.
 */
export class EmpiricalSampler {
  private readonly values: Float64Array;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(values: readonly number[], weights: readonly number[]) {
    const n = values.length;
    if (n === 0 || weights.length !== n) {
      throw new RangeError(`empirical: need as many weights as values (>= 1), got ${n} and ${weights.length}`);
    }
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`empirical: weights must be finite and >= 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('empirical: weights sum to 0');
    this.values = Float64Array.from(values);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    this.build(weights, total);
  }

  private build(weights: readonly number[], total: number): void {
    const n = weights.length;
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    // Leftovers are 1 up to rounding.
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1;
  }

  /** Index of the drawn entry (two draws: column, then the coin within it). */
  sampleIndex(rng: Rng): number {
    const n = this.prob.length;
    const i = Math.floor(rng.next() * n);
    return rng.next() < this.prob[i] ? i : this.alias[i];
  }

  sample(rng: Rng): number {
    return this.values[this.sampleIndex(rng)];
  }
}
