// Host workloads: one generator per workload spec, each on its own named random stream, so the
// writes are identical whichever replication policy is simulated. Arrivals are generated lazily
// (one pending arrival per generator); sizes and addresses are drawn per write.

import type { Simulator } from '../engine/sim.js';
import type { Rng, Streams } from '../engine/random.js';
import { EmpiricalSampler, LognormalSampler, UniformIntSampler, ZipfSampler, exponential, modByInverse, modExact, uniformInt } from '../engine/distributions.js';
import type { AddressSpec, ArrivalSpec, SizeSpec, WorkloadSpec } from '../scenario/types.js';
import type { HostIo } from './host.js';
import type { Volume } from './volume.js';
import { TraceReader } from './trace.js';

const US_PER_S = 1_000_000;
/** Largest single host write a size distribution draws (a host's maximum transfer size). */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;

/** Draws arrival times. */
interface ArrivalProcess {
  /**
   * Fills `out` with the following arrivals, rounded to the microsecond, until it is full or an
   * arrival falls after end_us (that one is dropped: the process is over); returns how many.
   */
  fill(out: Float64Array, end_us: number): number;
}

/** A process drawn one gap at a time: next(t) is the time (us, fractional) of the arrival after t. */
abstract class StepArrivals implements ArrivalProcess {
  /** The last arrival drawn by fill(), unrounded (us). */
  private last_us = 0;

  abstract next(t_us: number): number;

  /** One loop per batch: next() is inlined here, where a call per write was not. */
  fill(out: Float64Array, end_us: number): number {
    let t = this.last_us;
    let n = 0;
    while (n < out.length) {
      t = this.next(t);
      const rounded = Math.floor(t + 0.5);
      if (rounded > end_us) break;
      out[n++] = rounded;
    }
    this.last_us = t;
    return n;
  }
}

class ConstantArrivals extends StepArrivals {
  constructor(private readonly gap_us: number) {
    super();
  }
  next(t: number): number {
    return t + this.gap_us;
  }
}

class PoissonArrivals extends StepArrivals {
  constructor(private readonly rng: Rng, private readonly rate_per_us: number) {
    super();
  }
  next(t: number): number {
    return t + exponential(this.rng, this.rate_per_us);
  }
}

/** Two-state Markov-modulated Poisson process (bursts): exponential sojourns in ON and OFF. */
class OnOffArrivals extends StepArrivals {
  private on = true;
  private stateEnd_us: number;
  constructor(private readonly rng: Rng, private readonly spec: Extract<ArrivalSpec, { kind: 'onoff' }>) {
    super();
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
 * rate is linear within a piece, r(t) = r0 + slope (t - start). Unit-rate arrivals (one Exp(1)
 * each) are accumulated in the piece's integrated rate, `pos`, carried over piece ends (the
 * process is memoryless); an arrival at pos is at start + tau, where r0 tau + slope tau^2 / 2 =
 * pos. Each time comes from pos alone, so the square root is off the loop's dependency chain
 * (solving for the gap from the previous time put it on the chain of every write).
 */
export class DiurnalArrivals implements ArrivalProcess {
  private readonly hours: number[];
  private readonly factors: number[];
  private readonly scale: number;
  private readonly peakFactor: number;
  /** The piece [pieceStart_us, pieceEnd_us), and its rate as rate0 + slope * (t - start) (per us). */
  private pieceStart_us = 0;
  private pieceEnd_us = 0;
  private rate0_per_us = 0;
  private slope_per_us2 = 0;
  /** Integrated rate of the whole piece, and at the last arrival (from the piece's start). */
  private pieceTotal = 0;
  private pos = 0;
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
    this.setPiece(0);
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
  /** Sets the piece starting at t: to the next minute, profile point or burst edge. */
  private setPiece(start: number): void {
    const minute = Math.floor(start / PIECE_US) * PIECE_US;
    const day0 = Math.floor(minute / US_PER_DAY) * US_PER_DAY;
    let end = minute + PIECE_US; // minutes divide the day: a piece never straddles midnight
    for (const h of this.hours) {
      const p = day0 + h * US_PER_H;
      if (p > start && p < end) end = p;
    }
    for (const b of this.spec.bursts) {
      for (const e of [b.at_us, b.at_us + b.for_us]) if (e > start && e < end) end = e;
    }
    // Linear in [start, end): the factor at both ends, one burst product.
    const burst = this.burstAt(start);
    const r0 = Math.max(0, (this.scale * this.factorAt((start - day0) / US_PER_H) * burst) / US_PER_S);
    const r1 = Math.max(0, (this.scale * this.factorAt((end - day0) / US_PER_H) * burst) / US_PER_S);
    const span = end - start;
    this.pieceStart_us = start;
    this.pieceEnd_us = end;
    this.rate0_per_us = r0;
    this.slope_per_us2 = (r1 - r0) / span;
    this.pieceTotal = ((r0 + r1) / 2) * span;
  }
  fill(out: Float64Array, end_us: number): number {
    if (!(this.peakFactor > 0)) return 0; // never any write
    let n = 0;
    let pos = this.pos;
    while (n < out.length) {
      pos += exponential(this.rng, 1);
      while (pos >= this.pieceTotal && this.pieceStart_us <= end_us) {
        pos -= this.pieceTotal;
        this.setPiece(this.pieceEnd_us);
      }
      if (this.pieceStart_us > end_us) break; // no rate left before the end (a zero-rate stretch)
      const r0 = this.rate0_per_us;
      // r0 tau + slope tau^2 / 2 = pos, in the form without cancellation.
      const tau = pos > 0 ? (2 * pos) / (r0 + Math.sqrt(Math.max(0, r0 * r0 + 2 * this.slope_per_us2 * pos))) : 0;
      const t = Math.floor(this.pieceStart_us + tau + 0.5);
      if (t > end_us) break;
      out[n++] = t;
    }
    this.pos = pos;
    return n;
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
 * one per volume, made the per-write call megamorphic). A batch of writes draws its ranks first,
 * then its in-track slots (Workload.zipfOffsets), so volumes of one geometry share one loop.
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
    this.geometry = Float64Array.of(this.tracks, this.stride, this.track_bytes, this.align, this.size_bytes);
  }

  private readonly strideHi: number;
  private readonly strideLo: number;

  rank(): number {
    return this.z.sample(this.rng);
  }

  slot(): number {
    return this.within.sample(this.rng);
  }

  fillRanks(out: Float64Array, n: number): void {
    this.z.fill(this.rng, out, n);
  }

  fillSlots(out: Float64Array, n: number): void {
    this.within.fill(this.rng, out, n);
  }

  /** Rank r (0-based) to its track: r * stride mod tracks, exactly. */
  private scatter(r: number): number {
    const n = this.tracks;
    if (n <= 2 ** 26) return modExact(r * this.stride, n);
    return modExact(modExact(modExact(r * this.strideHi, n) * 65536, n) + r * this.strideLo, n);
  }

  /** Offset of a write of len bytes at zipf rank `rank` (1-based), slot `slot` of its track. */
  place(rank: number, slot: number, len: number): number {
    const off = this.scatter(rank - 1) * this.track_bytes + slot * this.align;
    return Math.min(off, Math.max(0, this.size_bytes - len));
  }

  /**
   * tracks, stride, track_bytes, align, size_bytes as raw doubles for placeAll's loop: read from
   * fields (tagged values), V8 converted them on every iteration (~40 instructions per write).
   */
  private readonly geometry: Float64Array;

  /** out[k] = place(ranks[k], slots[k], len[k]) for k < n (out may be ranks). */
  placeAll(ranks: Float64Array, slots: Float64Array, len: Float64Array, out: Float64Array, n: number): void {
    if (this.tracks > 2 ** 26) {
      for (let k = 0; k < n; k++) out[k] = this.place(ranks[k], slots[k], len[k]);
      return;
    }
    const g = this.geometry;
    const tracks = g[0];
    const stride = g[1];
    const track_bytes = g[2];
    const align = g[3];
    const size_bytes = g[4];
    const inv = 1 / tracks;
    for (let k = 0; k < n; k++) {
      const track = modByInverse((ranks[k] - 1) * stride, tracks, inv);
      const off = track * track_bytes + slots[k] * align;
      out[k] = Math.min(off, Math.max(0, size_bytes - len[k]));
    }
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
    this.sameGeometry = this.equalSizes && volumes.every((v) => v.track_size_bytes === volumes[0].track_size_bytes);
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
  /** Zipf: the batch's in-track slots. */
  private readonly bufSlot = new Float64Array(GEN_BATCH);
  private bufPos = 0;
  private bufEnd = 0;
  /** The arrival process passed end_us: the buffer holds the last writes. */
  private arrivalsDone = false;
  /** Share of dependent writes, or -1 when the workload has none (no draw). */
  private readonly depFraction: number;
  /** Host volume index of each of this workload's volumes. */
  private readonly volIndex: Int32Array;

  private generate(): void {
    const n = this.arrivals!.fill(this.bufTime, this.end_us);
    if (n < GEN_BATCH) this.arrivalsDone = true;
    const vol = this.bufVol;
    const len = this.bufLen;
    this.pickVolumes(n);
    if (this.fixedSize >= 0) len.fill(this.fixedSize, 0, n);
    else for (let i = 0; i < n; i++) len[i] = this.sizer();
    if (this.zipf !== null) this.zipfOffsets(this.zipf, n);
    else for (let i = 0; i < n; i++) this.bufOff[i] = this.addressers![vol[i]](len[i]);
    this.host.touchAhead(vol, this.volIndex, this.bufOff, n);
    this.bufPos = 0;
    this.bufEnd = n;
  }

  /**
   * Zipf offsets for writes [0, n): the address stream draws the batch's ranks, then its
   * in-track slots. Volumes of one geometry (size and track size) have identical addressers,
   * so the first one serves the batch in three tight loops.
   */
  private zipfOffsets(zipf: ZipfAddresser[], n: number): void {
    const vol = this.bufVol;
    const ranks = this.bufOff; // the offsets replace the ranks in place
    const slots = this.bufSlot;
    if (this.sameGeometry) {
      zipf[0].fillRanks(ranks, n);
      zipf[0].fillSlots(slots, n);
      zipf[0].placeAll(ranks, slots, this.bufLen, this.bufOff, n);
      return;
    }
    for (let i = 0; i < n; i++) ranks[i] = zipf[vol[i]].rank();
    for (let i = 0; i < n; i++) slots[i] = zipf[vol[i]].slot();
    for (let i = 0; i < n; i++) this.bufOff[i] = zipf[vol[i]].place(ranks[i], slots[i], this.bufLen[i]);
  }

  private pickVolumes(n: number): void {
    const vol = this.bufVol;
    const count = this.volumes.length;
    if (count === 1) vol.fill(0, 0, n);
    else if (this.equalSizes) {
      const rng = this.pickRng;
      for (let i = 0; i < n; i++) vol[i] = Math.floor(rng.next() * count);
    } else for (let i = 0; i < n; i++) vol[i] = this.pickVolume();
  }

  private readonly pickRng: Rng;
  /** Every volume the same size: the pick is floor(u * n), no search. */
  private readonly equalSizes: boolean;
  /** Every volume the same size and track size: one zipf addresser serves them all. */
  private readonly sameGeometry: boolean;
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

  /** A volume with probability proportional to its size. */
  private pickVolume(): number {
    const cum = this.cumW;
    const r = this.pickRng.next() * this.totalWeight;
    let k = 0;
    while (cum[k] <= r) k++;
    return k;
  }

  /**
   * The write's dependency, or null. The test is apart from the search: with no dependent
   * writes the search's call is never made and V8 does not inline it, keeping its inlining
   * budget for the per-write path (the host's track computation).
   */
  private dependency(): Float64Array | null {
    return this.depFraction < 0 ? null : this.findDependency();
  }

  private findDependency(): Float64Array | null {
    if (this.depRng.next() >= this.depFraction) return null;
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
