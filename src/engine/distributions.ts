// Samplers over a named random stream. None allocates per draw: they run inside event handlers.
//
// Every sampler reads uniforms from an Rng whose next() is uniform on [0, 1) with at least 32
// random bits (the generator, xoshiro128**, gives exactly 32). Table-driven samplers (Zipf, empirical)
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

/**
 * x mod n for integers 0 <= x < 2^53, 1 <= n, with x / n < 2^32: the same as x % n, which V8
 * computes with fmod when x is beyond 31 bits (measured ~10x slower). The quotient cannot round
 * up to the next integer: its gap to it, at least 1/n, is wider than half its ulp.
 */
export function modExact(x: number, n: number): number {
  return x - Math.floor(x / n) * n;
}

/**
 * modExact(x, n) with inv = 1 / n given: a multiply instead of a division, for loops where the
 * division sat on every iteration's critical path. With x / n < 2^32 the product is within
 * 2^-19 of the true quotient, so its floor is off by at most one, which one compare mends; the
 * rest is exact (q * n < 2^53).
 */
export function modByInverse(x: number, n: number, inv: number): number {
  const r = x - Math.floor(x * inv) * n;
  return r < 0 ? r + n : r >= n ? r - n : r;
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
      if (x < limit) return modExact(x, n);
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
    // A power of two up to 2^30: the remainder is the low bits (& works on the int32 wrap of x).
    this.mask = n <= 2 ** 30 && (n & (n - 1)) === 0 ? n - 1 : -1;
    this.params = Float64Array.of(n, this.limit, this.mask);
  }

  private readonly mask: number;

  sample(rng: Rng): number {
    const n = this.n;
    for (;;) {
      const x = Math.floor(rng.next() * TWO_32);
      if (x < this.limit) return this.mask >= 0 ? x & this.mask : modExact(x, n);
    }
  }

  /**
   * n, limit and mask as raw doubles for fill(): read from fields into locals, V8 kept them
   * tagged and checked and unboxed them on every iteration.
   */
  private readonly params: Float64Array;

  /** out[0..count) = count draws, the same as count calls of sample(). */
  fill(rng: Rng, out: Float64Array, count: number): void {
    const p = this.params;
    const n = p[0];
    const limit = p[1];
    const mask = p[2];
    for (let k = 0; k < count; k++) {
      let x = Math.floor(rng.next() * TWO_32);
      while (x >= limit) x = Math.floor(rng.next() * TWO_32);
      out[k] = mask >= 0 ? x & mask : modExact(x, n);
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
 * Zipf ranks 1..n with P(k) proportional to k^-theta, exact, with tables of O(log n) entries.
 * Ranks are grouped in blocks [a, a + max(1, floor(a/64))): the first 127 ranks alone, then
 * blocks 1/64 as long as their first rank. An alias table over the blocks' masses picks a block
 * (one uniform: its top bits the column, the bits below the coin); in a block of more than one
 * rank, a rank k uniform in it is kept with probability (a/k)^theta, which a precomputed squeeze
 * (a / last)^theta decides without a power in ~98.5% of draws at theta 1. Block masses are
 * summed term by term below rank ZIPF_DIRECT_SUM and by the Euler-Maclaurin formula above it
 * (first omitted term below 1e-20 of a block's mass there). A 100 GiB volume of 64 KiB tracks
 * has ~730 blocks: the tables (~30 KiB, shared per (n, theta)) stay in cache.
 */
export class ZipfSampler {
  private readonly start: Float64Array;
  private readonly len: Float64Array;
  /** Per block, (a / last)^theta: a uniform rank in the block below it is kept outright. */
  private readonly squeeze: Float64Array;
  /** Alias table over the blocks: (threshold scaled to 2^32, alias) per column. */
  private readonly table: Float64Array;
  private readonly blocks: number;

  constructor(readonly n: number, readonly theta: number) {
    if (!(n >= 1 && Number.isSafeInteger(n))) throw new RangeError(`zipf: n must be a positive integer, got ${n}`);
    if (!(theta > 0 && theta <= 10)) throw new RangeError(`zipf: theta must be in (0, 10], got ${theta}`);
    let t = zipfTables.get(`${n}:${theta}`);
    if (t === undefined) zipfTables.set(`${n}:${theta}`, (t = zipfBlocks(n, theta)));
    ({ start: this.start, len: this.len, squeeze: this.squeeze, table: this.table } = t);
    this.blocks = this.start.length;
  }

  private readonly one = new Float64Array(1);

  sample(rng: Rng): number {
    this.fill(rng, this.one, 1);
    return this.one[0];
  }

  /**
   * out[0..count) = count ranks, the same draws as count calls of sample(). The tables are in
   * locals: rng.next() may call out to refill, after which V8 would reload every field.
   */
  fill(rng: Rng, out: Float64Array, count: number): void {
    const { blocks, table, start, len, squeeze, theta } = this;
    for (let k = 0; k < count; k++) {
      const x = rng.next() * blocks;
      const c = Math.floor(x);
      const j = (x - c) * TWO_32 < table[2 * c] ? c : table[2 * c + 1];
      const a = start[j];
      const m = len[j];
      let rank = a;
      if (m !== 1) {
        for (;;) {
          const y = rng.next() * m;
          const i = Math.floor(y);
          const coin = y - i; // the bits below the rank: uniform and independent of it
          if (coin < squeeze[j] || coin < Math.pow(a / (a + i), theta)) {
            rank = a + i;
            break;
          }
        }
      }
      out[k] = rank;
    }
  }
}

/** Below this rank, block masses are summed term by term (exact to rounding). */
export const ZIPF_DIRECT_SUM = 4096;

interface ZipfTables {
  start: Float64Array;
  len: Float64Array;
  squeeze: Float64Array;
  table: Float64Array;
}

/** Tables shared by the samplers of one (n, theta): one per volume would repeat them. */
const zipfTables = new Map<string, ZipfTables>();

function zipfBlocks(n: number, theta: number): ZipfTables {
  const starts: number[] = [];
  for (let a = 1; a <= n; a += Math.max(1, Math.floor(a / 64))) starts.push(a);
  const start = Float64Array.from(starts);
  const len = Float64Array.from(starts, (a, j) => (j + 1 < starts.length ? starts[j + 1] : n + 1) - a);
  const squeeze = Float64Array.from(starts, (a, j) => Math.pow(a / (a + len[j] - 1), theta));
  const mass = Float64Array.from(starts, (a, j) => zipfSum(a, a + len[j] - 1, theta));
  let sum = 0;
  for (let j = mass.length - 1; j >= 0; j--) sum += mass[j]; // small terms first
  const { prob, alias } = voseAlias(mass, sum);
  const table = new Float64Array(2 * mass.length);
  for (let j = 0; j < mass.length; j++) {
    table[2 * j] = prob[j] * TWO_32;
    table[2 * j + 1] = alias[j];
  }
  return { start, len, squeeze, table };
}

/**
 * Sum of k^-theta over a..b: term by term below ZIPF_DIRECT_SUM, else by Euler-Maclaurin: the
 * integral, the trapezoid ends, and the B2 and B4 terms (f'/12 and f'''/720 differences).
 */
export function zipfSum(a: number, b: number, theta: number): number {
  if (a < ZIPF_DIRECT_SUM) {
    let s = 0;
    for (let k = b; k >= a; k--) s += Math.pow(k, -theta);
    return s;
  }
  const f = (x: number) => Math.pow(x, -theta);
  const d1 = (x: number) => -theta * Math.pow(x, -theta - 1);
  const d3 = (x: number) => -theta * (theta + 1) * (theta + 2) * Math.pow(x, -theta - 3);
  return powIntegral(a, b, theta) + (f(a) + f(b)) / 2 + (d1(b) - d1(a)) / 12 - (d3(b) - d3(a)) / 720;
}

/** Integral of x^-theta from a to b, accurate when b is close to a and when theta is close to 1. */
function powIntegral(a: number, b: number, theta: number): number {
  // a^(1-t) (exp((1-t) ln(b/a)) - 1) / (1-t) = a^(1-t) ln(b/a) expm1OverX((1-t) ln(b/a)).
  const r = Math.log1p((b - a) / a);
  return Math.pow(a, 1 - theta) * r * expm1OverX((1 - theta) * r);
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
    ({ prob: this.prob, alias: this.alias } = voseAlias(weights, total));
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

/**
 * Walker's alias tables by Vose's stable construction: column i keeps entry i with probability
 * prob[i], else gives alias[i]. O(n).
 */
export function voseAlias(weights: ArrayLike<number>, total: number): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
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
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  // Leftovers are 1 up to rounding.
  while (nl > 0) prob[large[--nl]] = 1;
  while (ns > 0) prob[small[--ns]] = 1;
  return { prob, alias };
}
