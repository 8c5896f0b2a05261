// Point-in-time recovery from journal time stamps (seed 002): the image of the primary at time T
// is a base image plus, in order, every journaled write stamped at or before T. The base is what
// the journal no longer holds (already applied, or rolled off a retention window), so the
// recoverable points are bounded below by the oldest journal entry still held.
//
// WriteLog is the time-ordered log shared by CDP and PIT: parallel typed arrays in a growable
// ring (it sits on the per-write path), with a per-track version image (TrackImage) as its base.
// Versions are write sequence numbers per track, as in model/volume.ts.

import type { JournalPair } from '../replication/journal/pair.js';

/** Per-track versions of a set of volumes (host volume index -> local slot). */
export class TrackImage {
  constructor(readonly versions: Uint32Array[]) {}

  static empty(tracksPerVolume: number[]): TrackImage {
    return new TrackImage(tracksPerVolume.map((n) => new Uint32Array(n)));
  }

  clone(): TrackImage {
    return new TrackImage(this.versions.map((v) => v.slice()));
  }

  /** A write of `seq` to tracks first..last of local volume l. */
  apply(l: number, firstTrack: number, lastTrack: number, seq: number): void {
    this.versions[l].fill(seq, firstTrack, lastTrack + 1);
  }

  /** Tracks whose versions differ from `other` (same shape). */
  diffTracks(other: TrackImage): number {
    let n = 0;
    this.versions.forEach((v, l) => {
      const o = other.versions[l];
      for (let t = 0; t < v.length; t++) if (v[t] !== o[t]) n++;
    });
    return n;
  }
}

const INITIAL = 1024;

/** Time-ordered writes [head, tail) as entry counters; older entries were folded into `base`. */
export class WriteLog {
  private seqA = new Float64Array(INITIAL);
  private timeA = new Float64Array(INITIAL);
  private volA = new Int32Array(INITIAL);
  private firstA = new Int32Array(INITIAL);
  private lastA = new Int32Array(INITIAL);
  private lenA = new Int32Array(INITIAL);
  private depA = new Float64Array(INITIAL);
  private mask = INITIAL - 1;
  head = 0;
  tail = 0;
  /** Bytes (data + per-entry metadata) held. */
  heldBytes = 0;
  /** Issue time of the newest entry folded into the base (-1: none): the oldest recoverable point. */
  baseTime_us = -1;
  baseSeq = 0;

  constructor(readonly base: TrackImage, readonly metadata_bytes: number) {}

  get length(): number {
    return this.tail - this.head;
  }

  append(seq: number, time_us: number, l: number, first: number, last: number, len: number, depSeq: number): void {
    if (this.tail - this.head > this.mask) this.grow();
    if (this.tail > this.head && seq <= this.seqA[(this.tail - 1) & this.mask]) {
      throw new Error(`write log: sequence ${seq} not after ${this.seqA[(this.tail - 1) & this.mask]}`);
    }
    const i = this.tail++ & this.mask;
    this.seqA[i] = seq;
    this.timeA[i] = time_us;
    this.volA[i] = l;
    this.firstA[i] = first;
    this.lastA[i] = last;
    this.lenA[i] = len;
    this.depA[i] = depSeq;
    this.heldBytes += len + this.metadata_bytes;
  }

  seq(k: number): number {
    return this.seqA[this.at(k)];
  }
  time(k: number): number {
    return this.timeA[this.at(k)];
  }
  vol(k: number): number {
    return this.volA[this.at(k)];
  }
  len(k: number): number {
    return this.lenA[this.at(k)];
  }
  dep(k: number): number {
    return this.depA[this.at(k)];
  }

  /** Applies entry k to an image. */
  applyTo(img: TrackImage, k: number): void {
    const i = this.at(k);
    img.apply(this.volA[i], this.firstA[i], this.lastA[i], this.seqA[i]);
  }

  /** Folds the oldest entry into the base image (retention roll-off). */
  rollOff(): void {
    if (this.head === this.tail) throw new Error('write log: roll-off of an empty log');
    const k = this.head;
    this.applyTo(this.base, k);
    this.baseTime_us = this.time(k);
    this.baseSeq = this.seq(k);
    this.heldBytes -= this.len(k) + this.metadata_bytes;
    this.head++;
  }

  /** Drops the oldest entry without folding it into the base (a send queue: it was delivered). */
  dropOldest(): void {
    if (this.head === this.tail) throw new Error('write log: drop from an empty log');
    this.heldBytes -= this.len(this.head) + this.metadata_bytes;
    this.head++;
  }

  /** Copies entries [from, to) of `src` to the end of this log. */
  copyFrom(src: WriteLog, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const i = src.at(k);
      this.append(src.seqA[i], src.timeA[i], src.volA[i], src.firstA[i], src.lastA[i], src.lenA[i], src.depA[i]);
    }
  }

  /** Number of entries [head, k) with seq < `seq`: the end of the prefix before `seq`. */
  endBeforeSeq(seq: number): number {
    return this.search((k) => this.seq(k) < seq);
  }

  /** End of the prefix of entries stamped at or before time_us. */
  endAtTime(time_us: number): number {
    return this.search((k) => this.time(k) <= time_us);
  }

  /** Base + entries [head, end) (+ entries [end, upto) that `replay` accepts). */
  imageAt(end: number, upto = end, replay: (k: number) => boolean = () => false): TrackImage {
    const img = this.base.clone();
    for (let k = this.head; k < end; k++) this.applyTo(img, k);
    for (let k = end; k < upto; k++) if (replay(k)) this.applyTo(img, k);
    return img;
  }

  /** Binary search: first k in [head, tail) where pred fails (pred monotone true..false). */
  private search(pred: (k: number) => boolean): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private at(k: number): number {
    if (k < this.head || k >= this.tail) throw new Error(`write log: entry ${k} not held [${this.head}, ${this.tail})`);
    return k & this.mask;
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const m = n - 1;
    const copy = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      for (let k = this.head; k < this.tail; k++) b[k & m] = a[k & this.mask];
      return b;
    };
    this.seqA = copy(this.seqA);
    this.timeA = copy(this.timeA);
    this.volA = copy(this.volA);
    this.firstA = copy(this.firstA);
    this.lastA = copy(this.lastA);
    this.lenA = copy(this.lenA);
    this.depA = copy(this.depA);
    this.mask = m;
  }
}

export interface PitWindow {
  /** Oldest recoverable point (us), the image before the oldest entry still held. */
  from_us: number;
  /** Newest recoverable point (us). */
  to_us: number;
}

export type PitResult =
  | { ok: true; end: number; point_us: number }
  | { ok: false; reason: string };

/**
 * Resolves "the image at time T" in a log: the prefix of entries stamped at or before T. Fails
 * when T is before the oldest point the log can still produce (seed 002: the restorable image
 * is limited to the images after the oldest journal held) or after the newest entry.
 */
export function pointInTime(log: WriteLog, t_us: number, newest_us: number): PitResult {
  if (log.baseTime_us >= 0 && t_us < log.baseTime_us) {
    return { ok: false, reason: `${(t_us / 1e6).toFixed(3)} s is before the oldest journal held (${(log.baseTime_us / 1e6).toFixed(3)} s)` };
  }
  if (t_us > newest_us) {
    return { ok: false, reason: `${(t_us / 1e6).toFixed(3)} s is after the newest write received (${(newest_us / 1e6).toFixed(3)} s)` };
  }
  return { ok: true, end: log.endAtTime(t_us), point_us: t_us };
}

/**
 * The point-in-time window of a journal pair (seed 002, first and second embodiments): the
 * secondary volume holds everything applied, the secondary journal the entries received but not
 * applied; any point from the applied image to the newest received entry can be restored by
 * applying the entries stamped up to it. Null when nothing is held beyond the applied image.
 */
export function journalPitWindow(pair: JournalPair): PitWindow | null {
  const r = pair.ring;
  if (r.received === r.restored) return null;
  // The applied image's own time may be gone with its entry: the window starts, conservatively,
  // at the oldest entry held.
  return { from_us: r.time(r.restored), to_us: r.time(r.received - 1) };
}

/** The entry end in a journal pair's secondary journal for point T, or a reason it is outside. */
export function journalPointInTime(pair: JournalPair, t_us: number): PitResult {
  const w = journalPitWindow(pair);
  if (w === null) return { ok: false, reason: 'no journal held beyond the applied image' };
  if (t_us < w.from_us) return { ok: false, reason: `before the oldest journal held (${(w.from_us / 1e6).toFixed(3)} s)` };
  if (t_us > w.to_us) return { ok: false, reason: `after the newest journal received (${(w.to_us / 1e6).toFixed(3)} s)` };
  const r = pair.ring;
  let lo = r.restored;
  let hi = r.received;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r.time(mid) <= t_us) lo = mid + 1;
    else hi = mid;
  }
  return { ok: true, end: lo, point_us: t_us };
}
