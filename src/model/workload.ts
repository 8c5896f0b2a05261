// Host workloads: one generator per workload spec, each on its own named random stream, so the
// writes are identical whichever replication policy is simulated. Arrivals are generated lazily
// (one pending arrival per generator); sizes and addresses are drawn per write.

import type { Simulator } from '../engine/sim.js';
import type { Rng, Streams } from '../engine/random.js';
import { EmpiricalSampler, LognormalSampler, UniformIntSampler, ZipfSampler, exponential, modExact, uniformInt } from '../engine/distributions.js';
import type { AddressSpec, ArrivalSpec, SizeSpec, WorkloadSpec } from '../scenario/types.js';
import type { HostIo } from './host.js';
import type { Volume } from './volume.js';
import { TraceReader } from './trace.js';

const US_PER_S = 1_000_000;
/** Largest single host write a size distribution draws (a host's maximum transfer size). */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;

/** Draws the time (us, fractional) of the next arrival after `t`. */
interface ArrivalProcess {
  next(t_us: number): number;
}

class ConstantArrivals implements ArrivalProcess {
  constructor(private readonly gap_us: number) {}
  next(t: number): number {
    return t + this.gap_us;
  }
}

class PoissonArrivals implements ArrivalProcess {
  constructor(private readonly rng: Rng, private readonly rate_per_us: number) {}
  next(t: number): number {
    return t + exponential(this.rng, this.rate_per_us);
  }
}

/** Two-state Markov-modulated Poisson process (bursts): exponential sojourns in ON and OFF. */
class OnOffArrivals implements ArrivalProcess {
  private on = true;
  private stateEnd_us: number;
  constructor(private readonly rng: Rng, private readonly spec: Extract<ArrivalSpec, { kind: 'onoff' }>) {
    this.stateEnd_us = exponential(rng, 1 / spec.on_mean_us);
  }
  next(t: number): number {
    for (;;) {
      const rate = (this.on ? this.spec.on_rate_per_s : this.spec.off_rate_per_s) / US_PER_S;
      const cand = rate > 0 ? t + exponential(this.rng, rate) : Infinity;
      if (cand <= this.stateEnd_us) return cand;
      t = this.stateEnd_us; // memoryless: restart the draw at the state change
      this.on = !this.on;
      this.stateEnd_us = t + exponential(this.rng, 1 / (this.on ? this.spec.on_mean_us : this.spec.off_mean_us));
    }
  }
}

/**
 * Non-homogeneous Poisson process with a 24 h piecewise-linear profile (scaled so its mean over
 * the day is rate_per_s) times burst factors, drawn exactly by inverting the integrated rate:
 * pieces are at most a minute long and cut at the profile's points and at burst edges, so the
 * rate is linear within a piece, r(t) = r0 + slope (t - t0), and the time to the next arrival
 * solves r tau + slope tau^2 / 2 = E for one E ~ Exp(1), carried over piece ends (one draw and
 * one square root per write: thinning took a second draw and rejected some candidates).
 */
export class DiurnalArrivals implements ArrivalProcess {
  private readonly hours: number[];
  private readonly factors: number[];
  private readonly scale: number;
  private readonly peakFactor: number;
  /** The piece [pieceStart_us, pieceEnd_us), and its rate as rate0 + slope * (t - start) (per us). */
  private pieceStart_us = -1;
  private pieceEnd_us = -1;
  private rate0_per_us = 0;
  private slope_per_us2 = 0;
  constructor(private readonly rng: Rng, rate_per_s: number, private readonly spec: Extract<ArrivalSpec, { kind: 'diurnal' }>) {
    const pts = [...spec.points].sort((a, b) => a[0] - b[0]);
    if (pts[0][0] > 0) pts.unshift([0, pts[pts.length - 1][1]]);
    if (pts[pts.length - 1][0] < 24) pts.push([24, pts[0][1]]);
    this.hours = pts.map((p) => p[0]);
    this.factors = pts.map((p) => p[1]);
    let area = 0;
    for (let i = 1; i < pts.length; i++) area += ((this.factors[i] + this.factors[i - 1]) / 2) * (this.hours[i] - this.hours[i - 1]);
    this.scale = rate_per_s / (area / 24);
    this.peakFactor = Math.max(...this.factors);
  }
  private burstAt(t_us: number): number {
    let burst = 1;
    for (const b of this.spec.bursts) if (t_us >= b.at_us && t_us < b.at_us + b.for_us) burst *= b.factor;
    return burst;
  }
  /** The profile's factor at hour h in [0, 24]. */
  private factorAt(h: number): number {
    let i = 1;
    while (this.hours[i] < h) i++;
    const h0 = this.hours[i - 1];
    return this.factors[i - 1] + ((this.factors[i] - this.factors[i - 1]) * (h - h0)) / (this.hours[i] - h0 || 1);
  }
  /** Sets the piece holding t: from t's minute, cut at profile points and burst edges after t. */
  private setPiece(t_us: number): void {
    const minute = Math.floor(t_us / PIECE_US) * PIECE_US;
    const day0 = Math.floor(minute / US_PER_DAY) * US_PER_DAY;
    let start = minute;
    let end = minute + PIECE_US; // minutes divide the day: a piece never straddles midnight
    for (const h of this.hours) {
      const p = day0 + h * US_PER_H;
      if (p > start && p <= t_us) start = p;
      if (p > t_us && p < end) end = p;
    }
    for (const b of this.spec.bursts) {
      for (const e of [b.at_us, b.at_us + b.for_us]) {
        if (e > start && e <= t_us) start = e;
        if (e > t_us && e < end) end = e;
      }
    }
    // Linear in [start, end): the factor at both ends, one burst product.
    const burst = this.burstAt(start);
    const r0 = (this.scale * this.factorAt((start - day0) / US_PER_H) * burst) / US_PER_S;
    const r1 = (this.scale * this.factorAt((end - day0) / US_PER_H) * burst) / US_PER_S;
    this.pieceStart_us = start;
    this.pieceEnd_us = end;
    this.rate0_per_us = r0;
    this.slope_per_us2 = (r1 - r0) / (end - start);
  }
  next(t: number): number {
    if (!(this.peakFactor > 0)) return Infinity; // never any write
    let e = exponential(this.rng, 1); // the integrated rate to cover
    for (;;) {
      if (t < this.pieceStart_us || t >= this.pieceEnd_us) this.setPiece(t);
      const slope = this.slope_per_us2;
      const r = Math.max(0, this.rate0_per_us + slope * (t - this.pieceStart_us));
      const span = this.pieceEnd_us - t;
      const toEnd = r * span + (slope * span * span) / 2;
      if (!(e < toEnd)) {
        // Not in this piece: carry the rest over (the process is memoryless).
        e -= Math.max(0, toEnd);
        t = this.pieceEnd_us;
        continue;
      }
      if (e <= 0) return t;
      // r tau + slope tau^2 / 2 = e, in the form without cancellation.
      return t + (2 * e) / (r + Math.sqrt(Math.max(0, r * r + 2 * slope * e)));
    }
  }
}

const US_PER_H = 3_600_000_000;
/** Writes a workload generates ahead (see Workload.generate). */
const GEN_BATCH = 256;
const US_PER_DAY = 24 * US_PER_H;
/** Width of a piece of DiurnalArrivals' thinning bound: one minute. */
const PIECE_US = 60_000_000;

type Sizer = () => number;
type Addresser = (length_bytes: number) => number;

function makeSizer(spec: SizeSpec, rng: Rng, align: number): Sizer {
  const up = (b: number) => Math.max(align, Math.ceil(b / align) * align);
  switch (spec.dist) {
    case 'fixed':
      return () => spec.bytes;
    case 'uniform': {
      const lo = up(spec.min_bytes) / align;
      const n = Math.floor(spec.max_bytes / align) - lo + 1;
      return () => (lo + uniformInt(rng, Math.max(1, n))) * align;
    }
    case 'lognormal': {
      const s = new LognormalSampler(spec.mean_bytes, spec.sigma);
      // The lognormal has no upper bound; a host IO has one (its maximum transfer size).
      const cap = Math.floor(MAX_WRITE_BYTES / align) * align;
      return () => Math.min(cap, up(s.sample(rng)));
    }
    case 'empirical': {
      const s = new EmpiricalSampler(spec.bins.map((b) => b.bytes), spec.bins.map((b) => b.weight));
      return () => s.sample(rng);
    }
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A stride coprime with n, near n * 0.618: scatters zipf ranks over the volume. */
function scatterStride(n: number): number {
  let s = Math.max(1, Math.floor(n * 0.6180339887));
  while (gcd(s, n) !== 1) s++;
  return s;
}

/**
 * Zipf-popular tracks scattered over the volume, a uniform aligned offset within the track. A
 * class, not a closure: one call site serves every volume's instance monomorphically (closures,
 * one per volume, made the per-write call megamorphic).
 */
class ZipfAddresser {
  private readonly z: ZipfSampler;
  private readonly stride: number;
  private readonly within: UniformIntSampler;
  private readonly tracks: number;
  private readonly track_bytes: number;
  private readonly size_bytes: number;

  constructor(theta: number, vol: Volume, private readonly rng: Rng, private readonly align: number) {
    this.z = new ZipfSampler(vol.tracks, theta);
    this.stride = scatterStride(vol.tracks);
    this.within = new UniformIntSampler(Math.max(1, Math.floor(vol.track_size_bytes / align)));
    this.tracks = vol.tracks;
    this.track_bytes = vol.track_size_bytes;
    this.size_bytes = vol.size_bytes;
    // rank * stride stays below 2^53 (exact) up to 2^26 tracks; beyond, split the stride.
    this.strideHi = Math.floor(this.stride / 65536);
    this.strideLo = this.stride % 65536;
    if (vol.tracks > 2 ** 32) throw new Error(`volume ${vol.name}: more than 2^32 tracks`);
  }

  private readonly strideHi: number;
  private readonly strideLo: number;

  /** Rank r (0-based) to its track: r * stride mod tracks, exactly. */
  private scatter(r: number): number {
    const n = this.tracks;
    if (n <= 2 ** 26) return modExact(r * this.stride, n);
    return modExact(modExact(modExact(r * this.strideHi, n) * 65536, n) + r * this.strideLo, n);
  }

  offset(len: number): number {
    const track = this.scatter(this.z.sample(this.rng) - 1);
    const off = track * this.track_bytes + this.within.sample(this.rng) * this.align;
    return Math.min(off, Math.max(0, this.size_bytes - len));
  }
}

/** Addresses other than zipf (Workload calls ZipfAddresser instances directly). */
function makeAddresser(spec: Exclude<AddressSpec, { dist: 'zipf' }>, rng: Rng, vol: Volume, align: number): Addresser {
  const slots = Math.floor(vol.size_bytes / align);
  const clampOffset = (off: number, len: number) => Math.min(off, Math.max(0, vol.size_bytes - len));
  switch (spec.dist) {
    case 'uniform': {
      if (slots > 2 ** 32) return (len) => clampOffset(uniformInt(rng, slots) * align, len);
      const u = new UniformIntSampler(slots);
      return (len) => clampOffset(u.sample(rng) * align, len);
    }
    case 'sequential': {
      const cursors = Array.from({ length: spec.streams }, (_, k) =>
        Math.floor((k * slots) / spec.streams) * align);
      let k = 0;
      return (len) => {
        const s = k++ % spec.streams;
        let off = cursors[s];
        if (off + len > vol.size_bytes) off = 0;
        cursors[s] = off + len;
        return off;
      };
    }
    case 'hotspot': {
      const hotSlots = Math.max(1, Math.floor(slots * spec.fraction));
      return (len) => {
        const hot = rng.next() < spec.share;
        const slot = hot ? uniformInt(rng, hotSlots) : hotSlots + uniformInt(rng, Math.max(1, slots - hotSlots));
        return clampOffset(slot * align, len);
      };
    }
  }
}

/** One generator: arrivals, and per write a volume, size and address. */
export class Workload {
  private readonly arrivals: ArrivalProcess | null;
  private readonly trace: TraceReader | null;
  /** Draws a write's size (the same for every volume of the workload). */
  private readonly sizer: Sizer;
  /** The size of every write when the size spec is fixed (no sizer call per write), else -1. */
  private readonly fixedSize: number;
  /** Per volume, its addresser (not zipf), or null. */
  private readonly addressers: Addresser[] | null;
  /** With zipf addresses, the per-volume addressers called directly (no closure per write). */
  private readonly zipf: ZipfAddresser[] | null;
  /** Cumulative volume sizes, for the volume pick; the last is the total. */
  private readonly cumW: Float64Array;
  private readonly totalWeight: number;
  private readonly depRng: Rng;
  private readonly depOut = new Float64Array(3);
  private readonly depTmp = new Float64Array(3);
  private next_us = 0;
  private readonly kind: number;

  constructor(
    private readonly sim: Simulator,
    private readonly host: HostIo,
    streams: Streams,
    index: number,
    readonly spec: WorkloadSpec,
    private readonly volumes: Volume[],
    /** Volume indices whose trails a dependent write looks at (empty: no dependency). */
    private readonly depOn: number[],
    private readonly end_us: number,
    traceDir: string,
  ) {
    const label = spec.app ?? spec.volume ?? `w${index}`;
    const arrRng = streams.stream(`workload.${index}.${label}.arrivals`);
    const sizeRng = streams.stream(`workload.${index}.${label}.size`);
    const addrRng = streams.stream(`workload.${index}.${label}.address`);
    const pickRng = streams.stream(`workload.${index}.${label}.volume`);
    this.depRng = streams.stream(`workload.${index}.${label}.dependent`);
    this.trace = spec.arrivals.kind === 'trace'
      ? new TraceReader(spec.arrivals.file, traceDir, spec.arrivals.time_scale) : null;
    this.arrivals = this.trace ? null : makeArrivals(spec, arrRng);
    this.sizer = makeSizer(spec.size, sizeRng, spec.align_bytes);
    this.fixedSize = spec.size.dist === 'fixed' ? spec.size.bytes : -1;
    const addr = spec.address;
    if (addr.dist === 'zipf') {
      this.zipf = volumes.map((v) => new ZipfAddresser(addr.theta, v, addrRng, spec.align_bytes));
      this.addressers = null;
    } else {
      this.zipf = null;
      this.addressers = volumes.map((v) => makeAddresser(addr, addrRng, v, spec.align_bytes));
    }
    let acc = 0;
    this.cumW = Float64Array.from(volumes, (v) => (acc += v.size_bytes));
    this.totalWeight = acc;
    this.equalSizes = volumes.every((v) => v.size_bytes === volumes[0].size_bytes);
    this.pickRng = pickRng;
    for (const v of depOn) host.trackCompletions(v);
    this.volIndex = Int32Array.from(volumes, (v) => v.index);
    this.depFraction = spec.dependent !== null && depOn.length > 0 ? spec.dependent.fraction : -1;
    this.kind = sim.register(`workload ${label}`, () => (this.trace ? this.onTraceArrival() : this.onArrival()));
    if (this.trace) {
      const t = this.nextTraceArrival();
      if (t >= 0) this.sim.at(t, this.kind);
    } else {
      this.generate();
      if (this.bufEnd > 0) this.sim.at(Math.max(this.sim.now, this.bufTime[0]), this.kind);
    }
  }

  // Writes generated ahead (not for traces), GEN_BATCH at a time in tight loops, one stream
  // after another. Each stream is private to this workload and drawn in the same order as one
  // write at a time, so the writes are the same; nothing else reads these streams.
  private readonly bufTime = new Float64Array(GEN_BATCH);
  private readonly bufVol = new Int32Array(GEN_BATCH);
  private readonly bufOff = new Float64Array(GEN_BATCH);
  private readonly bufLen = new Float64Array(GEN_BATCH);
  private bufPos = 0;
  private bufEnd = 0;
  /** The arrival process passed end_us: the buffer holds the last writes. */
  private arrivalsDone = false;
  /** Share of dependent writes, or -1 when the workload has none (no draw). */
  private readonly depFraction: number;
  /** Host volume index of each of this workload's volumes. */
  private readonly volIndex: Int32Array;

  private generate(): void {
    let n = 0;
    while (n < GEN_BATCH) {
      this.next_us = this.arrivals!.next(this.next_us);
      const t = Math.floor(this.next_us + 0.5);
      if (t > this.end_us) {
        this.arrivalsDone = true;
        break;
      }
      this.bufTime[n++] = t;
    }
    const vol = this.bufVol;
    const len = this.bufLen;
    for (let i = 0; i < n; i++) vol[i] = this.pickVolume();
    if (this.fixedSize >= 0) len.fill(this.fixedSize, 0, n);
    else for (let i = 0; i < n; i++) len[i] = this.sizer();
    const zipf = this.zipf;
    if (zipf !== null) for (let i = 0; i < n; i++) this.bufOff[i] = zipf[vol[i]].offset(len[i]);
    else for (let i = 0; i < n; i++) this.bufOff[i] = this.addressers![vol[i]](len[i]);
    this.host.touchAhead(vol, this.volIndex, this.bufOff, n);
    this.bufPos = 0;
    this.bufEnd = n;
  }

  private readonly pickRng: Rng;
  /** Every volume the same size: the pick is floor(u * n), no search. */
  private readonly equalSizes: boolean;
  private stopped = false;

  /** Stops the generator (its site failed): the pending arrival is dropped when it fires. */
  stop(): void {
    this.stopped = true;
  }

  /** Volumes this workload writes to. */
  get targets(): readonly Volume[] {
    return this.volumes;
  }

  /** Time (us) of the next trace record, or -1 when there is none before the end. */
  private nextTraceArrival(): number {
    const t = this.trace!.nextTime_us();
    return t < 0 || t > this.end_us ? -1 : Math.max(this.sim.now, t);
  }

  /**
   * Issues this arrival's write, then the following ones inline for as long as nothing else is
   * pending before them (Simulator.advanceTo): the same order of events as one queue entry per
   * write, without the queue's cost on the per-write path.
   */
  private onArrival(): void {
    for (;;) {
      if (this.stopped) return; // the site is lost: the generator stops
      const i = this.bufPos++;
      this.host.issue(this.volIndex[this.bufVol[i]], this.bufOff[i], this.bufLen[i], this.dependency());
      if (this.bufPos === this.bufEnd) {
        if (this.arrivalsDone) return;
        this.generate();
        if (this.bufEnd === 0) return;
      }
      const t = Math.max(this.sim.now, this.bufTime[this.bufPos]);
      if (!this.sim.advanceTo(t)) {
        this.sim.at(t, this.kind);
        return;
      }
    }
  }

  private onTraceArrival(): void {
    for (;;) {
      if (this.stopped) return;
      const rec = this.trace!.take();
      const vol = this.traceVolume(rec.disk);
      if (vol >= 0) {
        const v = this.volumes[vol];
        const len = Math.min(rec.size_bytes, v.size_bytes);
        const off = Math.min(rec.offset_bytes % v.size_bytes, v.size_bytes - len);
        this.host.issue(v.index, off, len, this.dependency());
      }
      const t = this.nextTraceArrival();
      if (t < 0) return;
      if (!this.sim.advanceTo(t)) {
        this.sim.at(t, this.kind);
        return;
      }
    }
  }

  private traceVolume(disk: string): number {
    if (this.spec.arrivals.kind !== 'trace') return -1;
    const name = this.spec.arrivals.disks[disk];
    return name === undefined ? -1 : this.volumes.findIndex((v) => v.name === name);
  }

  private pickVolume(): number {
    const n = this.volumes.length;
    if (n === 1) return 0;
    const u = this.pickRng.next();
    if (this.equalSizes) return Math.floor(u * n);
    const cum = this.cumW;
    const r = u * this.totalWeight;
    let k = 0;
    while (cum[k] <= r) k++;
    return k;
  }

  private dependency(): Float64Array | null {
    if (this.depFraction < 0 || this.depRng.next() >= this.depFraction) return null;
    const now = this.sim.now;
    let best = -1;
    const tmp = this.depTmp;
    for (const v of this.depOn) {
      if (this.host.trails[v].latestCompleted(now, tmp) && tmp[0] > best) {
        best = tmp[0];
        this.depOut.set(tmp);
      }
    }
    return best >= 0 ? this.depOut : null;
  }
}

function makeArrivals(spec: WorkloadSpec, rng: Rng): ArrivalProcess {
  const a = spec.arrivals;
  switch (a.kind) {
    case 'constant':
      return new ConstantArrivals(US_PER_S / spec.rate_per_s);
    case 'poisson':
      return new PoissonArrivals(rng, spec.rate_per_s / US_PER_S);
    case 'onoff':
      return new OnOffArrivals(rng, a);
    case 'diurnal':
      return new DiurnalArrivals(rng, spec.rate_per_s, a);
    case 'trace':
      throw new Error('trace arrivals are read by TraceReader');
  }
}
