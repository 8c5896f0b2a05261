// Out-of-sync bitmap asynchronous copy (seed 003; IBM Global Copy / Global Mirror).
//
// The primary keeps one OOS bit per track per volume. A host write only sets bits (O(1), no
// allocation); a drain passes over the bitmaps continuously (word scans, volume after volume)
// and sends each dirty track as one message, at most max_concurrent unacknowledged. A track
// written many times between two passes goes once (coalescing); a small write still costs a
// whole track (amplification), unless transfer_unit: sectors sends only its modified sectors.
// The data a message carries is the track's content when it is sent.
//
// Without consistency groups the recoverable image is the secondary volumes as they stand,
// track by track (the oracle will find them inconsistent under dependent writes). With them
// (cg-formation.ts), it is the last consistency group: the instant virtual copy at the
// secondary, which holds exactly the writes up to the group's cut (the newest write issued
// before the increment started: writes after it were held until the change recording existed,
// and collisions keep the cut's image of a track until it is sent).

import { Bitmap } from '../../model/bitmap.js';
import { HOLD, type HostWrite } from '../../model/host.js';
import type { LinkDirection } from '../../model/link.js';
import type { BitmapSpec } from '../../scenario/types.js';
import type { Gauges, GroupContext, Loss, ReplicationMode } from '../mode.js';
import { CgFormation, type CgParticipant } from './cg-formation.js';
import { DirtyOrder } from './dirty-order.js';
import { HeldWrites, NONE, type Release } from './held-writes.js';
import { SectorMap } from './sectors.js';
import { TrackTable } from './track-table.js';

/** Per-track dirty counters without consistency groups: issue time of the oldest, writes, bytes. */
const DIRTY_FIRST = 0;
const DIRTY_WRITES = 1;
const DIRTY_BYTES = 2;
const DIRTY_STRIDE = 3;

export class OosBitmapMode implements ReplicationMode, CgParticipant {
  readonly mode = 'oos-bitmap' as const;
  private readonly spec: BitmapSpec;
  /** collision: send-old-image (else new-image). */
  private readonly sendOldImage: boolean;
  /** Host volume index -> local index, or -1. */
  private readonly local: Int32Array;
  private readonly trackSize: number[];
  private readonly lastTrackBytes: number[];
  readonly oos: Bitmap[];
  /** Change recording (seed 003): tracks written since the current increment's cut. */
  readonly cr: Bitmap[];
  /** Per volume, the words of its OOS and change-recording pair (OOS word w at 2w). */
  private readonly pairWords: Uint32Array[];
  // Per-track versions (write seqs) are kept only where something reads them: without
  // consistency groups (contains() asks the secondary volumes) or for the exact oracle.
  // Otherwise they would cost two random memory accesses per write for nothing.
  /** Per track, the seq of the newest write to it at the primary. */
  private readonly priVer: Uint32Array[] | null;
  /** Per track, the seq of the newest write whose data reached the secondary volume. */
  readonly secVer: Uint32Array[] | null;
  /** With versions and groups: per track with a collision, the cut's version (its old image). */
  private readonly cutVer: Uint32Array[] | null;
  private readonly sectors: Array<SectorMap | null>;
  // Without consistency groups: per track, the writes (and bytes) that start on it since it was
  // last sent and the issue time of the oldest of them. A write is in the image once its first
  // track's data has arrived (as contains() and the oracle see it), so RPO and loss agree.
  // Interleaved per track (DIRTY_* offsets, DIRTY_STRIDE apart): one cache line per write.
  private readonly dirty: Float64Array[];
  /** Tracks in the order they became dirty: the oldest missing write without a scan. */
  private readonly dirtyOrder = new DirtyOrder();
  private missingWrites = 0;
  private missingBytes = 0;
  readonly cg: CgFormation | null;
  private readonly fwd: LinkDirection;
  private readonly rev: LinkDirection;
  private readonly rxData: number;
  private readonly rxAck: number;
  // In-flight track messages: fixed slots, a stack of free ones.
  private readonly slotVol: Int32Array;
  private readonly slotTrack: Float64Array;
  private readonly slotVer: Float64Array;
  private readonly slotBytes: Float64Array;
  private readonly slotFirst: Float64Array;
  private readonly slotWrites: Float64Array;
  private readonly slotDataBytes: Float64Array;
  private readonly slotArrived: Uint8Array;
  private readonly slotBusy: Uint8Array;
  /** Per slot, the writes released when its track is acknowledged (a HeldWrites list handle). */
  private readonly slotHeld: Float64Array;
  private readonly free: Int32Array;
  private freeTop: number;
  private curVol = 0;
  private readonly cursor: Float64Array;
  // Group counters.
  private writes = 0;
  private bytes = 0;
  private lastSeq = 0;
  private sentBytes = 0;
  tracksSent = 0;
  // The recoverable image with consistency groups: the last formed group, and the candidate.
  private imageCut = 0;
  private imageFirst_us = Infinity;
  private imageWrites = 0;
  private imageBytes = 0;
  private candCut = 0;
  private candFirst_us = Infinity;
  private candWrites = 0;
  private candBytes = 0;
  // Increment in progress: recording to change recording, holding acks (INCREMENT_PENDING).
  private recording = false;
  private holding = false;
  private readonly held = new HeldWrites();
  /** Writes whose acknowledgement waits for the run command (a HeldWrites list). */
  private pendingHeld = NONE;
  /** send-old-image: tracks whose old image goes first (flat l, t pairs). */
  private readonly collisionQ: number[] = [];
  private collisionHead = 0;
  /**
   * send-old-image: per track, the list of writes waiting for its old image to be sent. A track
   * has an old image pending exactly when it is set in both OOS and change recording (OOS only
   * loses bits while recording), so no map of old images is needed.
   */
  private readonly heldOn: TrackTable | null;
  /** The host's release as a plain function, for HeldWrites.drain. */
  private readonly release: Release;
  private newImages = 0;
  newImagePeak_bytes = 0;
  collisions = 0;
  coordinationHolds = 0;
  /** With ctx.exact: the instant virtual copy at the secondary (the last group), per track. */
  private readonly flashImage: Uint32Array[] | null;
  private copying = false;
  private copyStart_us = Infinity;
  private firstPassDone = false;
  /** Completed passes of the drain over all volumes (the first one ends the initial copy). */
  private passes = 0;
  private failed = false;

  constructor(readonly ctx: GroupContext) {
    this.spec = ctx.spec.bitmap;
    this.sendOldImage = this.spec.collision === 'send-old-image';
    const vols = ctx.volumes;
    this.local = new Int32Array(ctx.host.volumes.length).fill(-1);
    vols.forEach((v, i) => (this.local[v.index] = i));
    this.trackSize = vols.map((v) => v.track_size_bytes);
    this.lastTrackBytes = vols.map((v) => v.size_bytes - (v.tracks - 1) * v.track_size_bytes);
    // Interleaved: a write after the cut tests OOS and sets change recording in one cache line.
    const maps = vols.map((v) => Bitmap.pair(v.tracks));
    this.oos = maps.map((m) => m[0]);
    this.pairWords = maps.map((m) => m[0].words);
    this.cr = maps.map((m) => m[1]);
    const versions = !this.spec.consistency_groups || ctx.exact === true;
    this.priVer = versions ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    this.secVer = versions ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    this.cutVer = versions && this.spec.consistency_groups ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    this.heldOn = this.spec.consistency_groups && this.spec.collision === 'send-old-image'
      ? new TrackTable(vols.length)
      : null;
    this.sectors = vols.map((v) =>
      this.spec.transfer_unit === 'sectors' ? new SectorMap(v.tracks, v.track_size_bytes, this.spec.sector_bytes) : null);
    const perTrack = !this.spec.consistency_groups;
    this.dirty = perTrack ? vols.map((v) => new Float64Array(v.tracks * DIRTY_STRIDE)) : [];
    this.cursor = new Float64Array(vols.length);
    this.flashImage = ctx.exact && this.spec.consistency_groups ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    const n = this.spec.max_concurrent;
    this.slotVol = new Int32Array(n);
    this.slotTrack = new Float64Array(n);
    this.slotVer = new Float64Array(n);
    this.slotBytes = new Float64Array(n);
    this.slotFirst = new Float64Array(n);
    this.slotWrites = new Float64Array(n);
    this.slotDataBytes = new Float64Array(n);
    this.slotArrived = new Uint8Array(n);
    this.slotBusy = new Uint8Array(n);
    this.slotHeld = new Float64Array(n).fill(NONE);
    this.free = new Int32Array(n);
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
    this.freeTop = n;
    this.fwd = ctx.link.from(ctx.source_site);
    this.rev = ctx.link.from(ctx.target_site);
    this.rxData = this.fwd.addReceiver((slot) => this.onData(slot));
    this.rxAck = this.rev.addReceiver((slot) => this.onAck(slot));
    this.cg = this.spec.consistency_groups
      ? new CgFormation(ctx.sim, ctx.events, ctx.name, this.spec, this.fwd, this.rev, this)
      : null;
    const host = ctx.host;
    this.release = (seq, volume, track, issued_us) => host.release(seq, volume, track, issued_us);
    for (const v of vols) ctx.host.addHook(v.index, this);
    const how = `${this.spec.consistency_groups ? 'with' : 'without'} consistency groups, ${this.spec.transfer_unit}`;
    ctx.events.emit(ctx.name, 'pair_state',
      `SMPL->${ctx.spec.initial_copy ? 'COPY' : 'PAIR'} (oos-bitmap pair created to ${ctx.target_site}, ${how})`);
    // With an initial copy, consistency groups start forming after its first pass (Global Copy
    // first, then Global Mirror); the pair is COPY until then (and, with groups, until the first).
    if (ctx.spec.initial_copy) this.startInitialCopy();
    else this.cg?.start();
  }

  private startInitialCopy(): void {
    this.copying = true;
    // Nothing recoverable yet: RPO counts from pair creation.
    this.imageFirst_us = this.ctx.sim.now;
    this.copyStart_us = this.ctx.sim.now;
    for (let l = 0; l < this.oos.length; l++) this.oos[l].setAll();
    this.pump();
  }

  // ---- host writes ----

  onWrite(w: HostWrite): number {
    const l = this.local[w.volume];
    this.writes++;
    this.bytes += w.length_bytes;
    this.lastSeq = w.seq;
    if (this.imageFirst_us === Infinity) this.imageFirst_us = w.issued_us;
    const first = w.track;
    // Most writes stay on their first track: a multiply settles it, no division.
    const end = w.offset_bytes + w.length_bytes;
    const size = this.trackSize[l];
    const last = end <= (first + 1) * size ? first : Math.floor((end - 1) / size);
    let held = false;
    if (!this.recording) {
      for (let t = first; t <= last; t++) this.markNormal(l, t, w);
    } else {
      if (this.candFirst_us === Infinity) this.candFirst_us = w.issued_us;
      for (let t = first; t <= last; t++) {
        if (this.markRecording(l, t, w) && !held) {
          this.holdForOldImage(l, t, w);
          held = true;
        }
      }
      if (this.holding && !held) {
        this.pendingHeld = this.held.append(this.pendingHeld, w.seq, w.issued_us, w.volume, w.track);
        this.coordinationHolds++;
        held = true;
      }
    }
    if (this.cg === null) {
      const d = this.dirty[l];
      const at = first * DIRTY_STRIDE;
      if (d[at + DIRTY_WRITES] === 0) {
        d[at + DIRTY_FIRST] = w.issued_us;
        this.dirtyOrder.push(w.issued_us, l, first);
      }
      d[at + DIRTY_WRITES]++;
      d[at + DIRTY_BYTES] += w.length_bytes;
      this.missingWrites++;
      this.missingBytes += w.length_bytes;
    }
    if (this.freeTop > 0) this.pump();
    return held ? HOLD : 0;
  }

  /** Loads the OOS / change-recording words of the coming writes (HostIo.touchAhead). */
  touch(volumes: Int32Array, tracks: Float64Array, n: number): number {
    const local = this.local;
    const words = this.pairWords;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const l = local[volumes[i]];
      if (l >= 0) acc ^= words[l][Bitmap.pairWord(tracks[i])];
    }
    return acc;
  }

  private markNormal(l: number, t: number, w: HostWrite): void {
    if (this.priVer !== null) this.priVer[l][t] = w.seq;
    this.oos[l].set(t);
    const sm = this.sectors[l];
    if (sm !== null) sm.mark(t, w.offset_bytes, w.length_bytes);
  }

  /**
   * A write after the cut: it marks change recording. On a track of the increment not yet sent
   * (a collision, FIG 6 / 7A), the cut's image is kept for the drain. Returns true when the
   * write must wait for that old image to be sent (send-old-image).
   */
  private markRecording(l: number, t: number, w: HostWrite): boolean {
    // Both bits of t from its pair of words (OOS, then change recording), one cache line;
    // change recording is set only where it is clear (hot tracks repeat).
    const words = this.pairWords[l];
    const at = Bitmap.pairWord(t);
    const m = 1 << (t & 31);
    const inOos = (words[at] & m) !== 0;
    const inCr = (words[at + 1] & m) !== 0;
    if (!inCr) {
      this.cr[l].set(t);
      if (inOos) this.collide(l, t);
    }
    if (this.priVer !== null) this.priVer[l][t] = w.seq;
    const sm = this.sectors[l];
    if (sm !== null) sm.mark(t, w.offset_bytes, w.length_bytes);
    return inOos && this.sendOldImage;
  }

  /** The first write after the cut to a track of the increment not yet sent. */
  private collide(l: number, t: number): void {
    if (this.priVer !== null) this.cutVer![l][t] = this.priVer[l][t];
    this.collisions++;
    if (this.sendOldImage) {
      this.collisionQ.push(l, t);
    } else {
      this.newImages++;
      const mem = this.newImages * this.trackSize[l];
      if (mem > this.newImagePeak_bytes) this.newImagePeak_bytes = mem;
    }
  }

  private holdForOldImage(l: number, t: number, w: HostWrite): void {
    const on = this.heldOn!;
    const i = on.entry(l, t);
    on.setAt(i, this.held.append(on.valueAt(i), w.seq, w.issued_us, w.volume, w.track));
  }

  // ---- the drain ----

  private oosTotal(): number {
    let n = 0;
    for (let l = 0; l < this.oos.length; l++) n += this.oos[l].count;
    return n;
  }

  /** Sends dirty tracks while slots are free: old images first, then the OOS pass. */
  private pump(): void {
    if (this.failed) return;
    while (this.freeTop > 0) {
      let l = -1;
      let t = -1;
      const q = this.collisionQ;
      while (this.collisionHead < q.length) {
        const cl = q[this.collisionHead];
        const ct = q[this.collisionHead + 1];
        this.collisionHead += 2;
        if (this.oos[cl].get(ct)) {
          l = cl;
          t = ct;
          break;
        }
      }
      if (this.collisionHead > 0 && this.collisionHead === q.length) {
        q.length = 0;
        this.collisionHead = 0;
      }
      if (l < 0) {
        if (this.oosTotal() === 0) break;
        l = this.nextDirtyVolume();
        t = this.nextTrack;
        this.cursor[l] = t + 1;
      }
      this.send(l, t);
    }
  }

  /** Set by nextDirtyVolume: the track its pass continues with. */
  private nextTrack = -1;

  /** The volume whose pass continues; a pass goes to the end of a volume, then the next. */
  private nextDirtyVolume(): number {
    const n = this.oos.length;
    for (let k = 0; k <= n; k++) {
      const l = this.curVol;
      this.nextTrack = this.oos[l].nextSet(this.cursor[l]);
      if (this.nextTrack >= 0) return l;
      this.cursor[l] = 0;
      this.curVol = (l + 1) % n;
      if (this.curVol === 0) this.passes++;
    }
    throw new Error('oos-bitmap: bit count and bitmap words disagree');
  }

  private send(l: number, t: number): void {
    this.oos[l].clear(t);
    // Set in OOS and change recording: a collision; the cut's image (old image) goes and the
    // new one waits in change recording.
    const old = this.recording && this.cr[l].get(t);
    if (!this.recording && this.cr[l].count !== 0) throw new Error('oos-bitmap: change recording set outside an increment');
    const ver = this.priVer === null ? 0 : old ? this.cutVer![l][t] : this.priVer[l][t];
    if (old && !this.sendOldImage) this.newImages--;
    let bytes = t === this.oos[l].bits - 1 ? this.lastTrackBytes[l] : this.trackSize[l];
    const sm = this.sectors[l];
    if (sm !== null) {
      const c = sm.count(t);
      if (c > 0) bytes = Math.min(bytes, c * this.spec.sector_bytes);
      // Sectors written after the cut stay marked for the track's next pass (conservative).
      if (!this.cr[l].get(t)) sm.clearTrack(t);
    }
    const s = this.free[--this.freeTop];
    this.slotVol[s] = l;
    this.slotTrack[s] = t;
    this.slotVer[s] = ver;
    this.slotBytes[s] = bytes;
    this.slotArrived[s] = 0;
    this.slotBusy[s] = 1;
    // Writes held for this track's old image (also from an abandoned increment) go with it.
    this.slotHeld[s] = this.heldOn !== null && this.heldOn.size > 0 ? this.heldOn.delete(l, t) : NONE;
    if (this.cg === null) {
      const d = this.dirty[l];
      const at = t * DIRTY_STRIDE;
      this.slotFirst[s] = d[at + DIRTY_FIRST];
      this.slotWrites[s] = d[at + DIRTY_WRITES];
      this.slotDataBytes[s] = d[at + DIRTY_BYTES];
      d[at + DIRTY_WRITES] = 0;
      d[at + DIRTY_BYTES] = 0;
    }
    this.sentBytes += bytes;
    this.tracksSent++;
    this.fwd.send(bytes, this.rxData, s);
  }

  /** At the secondary: the track's data is written to the secondary volume. */
  private onData(s: number): void {
    if (this.failed) return; // the secondary's image is frozen at the failure
    const l = this.slotVol[s];
    const t = this.slotTrack[s];
    const sec = this.secVer;
    if (sec !== null && this.slotVer[s] > sec[l][t]) sec[l][t] = this.slotVer[s];
    this.slotArrived[s] = 1;
    if (this.cg === null) {
      this.missingWrites -= this.slotWrites[s];
      this.missingBytes -= this.slotDataBytes[s];
    }
    this.rev.send(0, this.rxAck, s);
  }

  private onAck(s: number): void {
    const list = this.slotHeld[s];
    if (list !== NONE) {
      this.slotHeld[s] = NONE;
      if (this.holding) this.pendingHeld = this.held.concat(this.pendingHeld, list);
      else this.held.drain(list, this.release);
    }
    this.slotBusy[s] = 0;
    this.free[this.freeTop++] = s;
    this.pump();
    if (this.cg !== null && this.cg.state === 'CG_IN_PROGRESS') this.cg.checkDrained();
    if (this.copying && !this.firstPassDone && (this.passes > 0 || (this.freeTop === this.free.length && this.oosTotal() === 0))) {
      this.firstPassDone = true;
      if (this.cg === null) this.copyDone();
      else this.cg.start();
    }
  }

  private copyDone(): void {
    this.copying = false;
    this.ctx.events.emit(this.ctx.name, 'pair_state', 'COPY->PAIR (initial copy complete)');
  }

  // ---- consistency-group participant (cg-formation.ts) ----

  beginIncrement(): void {
    this.candCut = this.lastSeq;
    this.candFirst_us = Infinity;
    this.candWrites = this.writes;
    this.candBytes = this.bytes;
    this.recording = true;
    this.holding = true;
  }

  run(): number {
    this.holding = false;
    const list = this.pendingHeld;
    this.pendingHeld = NONE;
    return this.held.drain(list, this.release);
  }

  tracksToDrain(): number {
    // Tracks still to send, plus tracks sent but not yet acknowledged by the secondary.
    return this.oosTotal() + (this.free.length - this.freeTop);
  }

  flashed(): void {
    if (this.flashImage !== null) for (let l = 0; l < this.flashImage.length; l++) this.flashImage[l].set(this.secVer![l]);
    this.imageCut = this.candCut;
    this.imageFirst_us = this.candFirst_us;
    this.imageWrites = this.candWrites;
    this.imageBytes = this.candBytes;
    if (this.copying) this.copyDone();
  }

  mergeChangeRecording(_formed: boolean): number {
    let merged = 0;
    for (let l = 0; l < this.oos.length; l++) {
      merged += this.cr[l].count;
      if (this.cr[l].count > 0) this.oos[l].orFrom(this.cr[l]);
      this.cr[l].clearAll();
    }
    this.recording = false; // an abandoned increment: tracks now go with their current content
    this.newImages = 0;
    this.pump();
    return merged;
  }

  // ---- the recoverable image ----

  rpo_us(now: number): number {
    const oldest = this.cg !== null ? this.imageFirst_us : this.oldestMissingPerTrack();
    return oldest === Infinity ? 0 : Math.max(0, now - oldest);
  }

  /** Without consistency groups: the oldest write not yet on the secondary volume. */
  private oldestMissingPerTrack(): number {
    let oldest = this.dirtyOrder.oldest(this.stillDirty);
    if (this.copying && this.copyStart_us < oldest) oldest = this.copyStart_us;
    for (let s = 0; s < this.slotVol.length; s++) {
      if (this.slotBusy[s] === 1 && this.slotArrived[s] === 0 && this.slotWrites[s] > 0 && this.slotFirst[s] < oldest) {
        oldest = this.slotFirst[s];
      }
    }
    return oldest;
  }

  /** Is the dirty-order entry (time, l, t) still the track's oldest unsent write? */
  private readonly stillDirty = (time_us: number, l: number, t: number): boolean => {
    const at = t * DIRTY_STRIDE;
    const d = this.dirty[l];
    return d[at + DIRTY_WRITES] > 0 && d[at + DIRTY_FIRST] === time_us;
  };

  contains(vol: number, track: number, seq: number): boolean {
    const l = this.local[vol];
    if (l < 0) return false;
    if (this.cg !== null) return seq <= this.imageCut;
    return this.secVer![l][track] >= seq;
  }

  imageVersions(): Uint32Array[] | null {
    if (!this.ctx.exact) return null;
    return this.cg === null ? this.secVer : this.flashImage;
  }

  loss(_now: number): Loss {
    if (this.cg !== null) return { writes: this.writes - this.imageWrites, bytes: this.bytes - this.imageBytes };
    return { writes: this.missingWrites, bytes: this.missingBytes };
  }

  failover(_now: number): number {
    this.failed = true;
    this.cg?.stop();
    // Global Mirror recovery restores the consistency-group copy onto the secondary volumes.
    return this.ctx.spec.promotion_delay_us + (this.cg !== null ? this.spec.flash_time_us : 0);
  }

  state(): string {
    return this.copying ? 'COPY' : 'PAIR';
  }

  gauges(out: Gauges): void {
    let tracks = 0;
    let bytes = 0;
    for (let l = 0; l < this.oos.length; l++) {
      const n = this.oos[l].count + this.cr[l].count;
      tracks += n;
      bytes += n * this.trackSize[l];
    }
    for (let s = 0; s < this.slotVol.length; s++) {
      if (this.slotBusy[s] === 1 && this.slotArrived[s] === 0) bytes += this.slotBytes[s];
    }
    out.backlog_bytes = bytes;
    out.primary_journal_bytes = 0;
    out.secondary_journal_bytes = 0;
    out.oos_tracks = tracks;
  }

  bytesSent(): number {
    return this.sentBytes;
  }

  extra(): Record<string, number | string | null> {
    const st = this.cg?.stats;
    const formed = st?.formed ?? 0;
    return {
      transfer_unit: this.spec.transfer_unit,
      tracks_sent: this.tracksSent,
      cg_formed: st ? formed : null,
      cg_failed: st ? st.failed : null,
      cg_forced: st ? st.forced : null,
      cg_formation_mean_ms: st && formed > 0 ? st.formation_sum_us / formed / 1000 : null,
      cg_formation_max_ms: st && formed > 0 ? st.formation_max_us / 1000 : null,
      cg_drain_mean_ms: st && formed > 0 ? st.drain_sum_us / formed / 1000 : null,
      collisions: this.collisions,
      coordination_holds: this.coordinationHolds,
      new_image_peak_bytes: this.newImagePeak_bytes,
    };
  }
}
