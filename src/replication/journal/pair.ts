// A journal pair: the primary journal at the source, the secondary journal at the target, the
// transfer between them and the restore at the target. Pair states follow Hitachi Universal
// Replicator:
//
//   COPY --(initial copy / resync drained)--> PAIR
//   PAIR --(primary journal above pful_fraction)--> PFUL --(below again)--> PAIR
//   PFUL --(above for pfus_watch, or journal full; on_full=suspend)--> PFUS
//   PFUS --(resync_after elapsed, link up)--> COPY --(differential copy done, journal caught up)--> PAIR
//
// While PFUS the journal is discarded and writes mark a per-volume differential bitmap. A resync
// (or initial copy) journals new writes again from its start, as HUR does, while the
// differential tracks are copied; the journal is transferred once the copy is done, and the pair
// is PAIR (consistent) when the secondary has received every entry journaled before the copy
// finished. Until then the recoverable image stays the last consistent one (everything received
// before the suspension), because the track copy is not order-preserving. With on_full=throttle
// (inflow control) host acknowledgements are held until journal space frees, and nothing is lost.

import type { Simulator } from '../../engine/sim.js';
import { Bitmap } from '../../model/bitmap.js';
import { HOLD, type HostWrite } from '../../model/host.js';
import type { GroupContext } from '../mode.js';
import { JournalRing } from './ring.js';
import { Restore } from './restore.js';
import { PullTransfer, PushTransfer, type Transfer } from './transfer.js';

/** PSUE: torn down by the control plane (its site or storage failed; see halt()). */
export type JournalPairState = 'COPY' | 'PAIR' | 'PFUL' | 'PFUS' | 'PSUE';

/** PFUL is left when usage falls this far (fraction of capacity) below the threshold. */
export const PFUL_HYSTERESIS = 0.05;
/** Bound on writes held by inflow control; beyond it the pair suspends (reported). */
export const MAX_HELD_WRITES = 1 << 20;

export class JournalPair {
  readonly ring: JournalRing;
  readonly transfer: Transfer;
  readonly restore: Restore;
  state: JournalPairState = 'PAIR';
  /** Differential (OOS) bitmaps per local volume, for suspension and resync. */
  readonly diff: Bitmap[];
  /** Host volume index -> local index, or -1. */
  private readonly local: Int32Array;
  readonly capacity_bytes: number;
  readonly secondary_capacity_bytes: number;
  /** PFUL thresholds: enter above pful_fraction of capacity, leave below it minus the hysteresis. */
  private readonly pfulAbove_bytes: number;
  private readonly pfulBelow_bytes: number;
  private readonly throttle: boolean;
  /** Issue time of the oldest write missing from the image while suspended/copying; Infinity in PAIR. */
  private oldestMissing_us = Infinity;
  /** Writes and data bytes the image lacks that are not in the journal (suspended, resync). */
  missingWrites = 0;
  missingBytes = 0;
  private suspendedSince_us = -1;
  suspendedTotal_us = 0;
  private pfulSince_us = -1;
  private pfusTimer = -1;
  private readonly pfusKind: number;
  private readonly resyncKind: number;
  peakPrimary_bytes = 0;
  peakSecondary_bytes = 0;
  /** Seq of the newest write in the image when suspended (entries received at suspension). */
  private imageSeqAtSuspend = 0;
  // Inflow control: held writes in FIFO order (bounded by MAX_HELD_WRITES).
  private heldQ: { seq: number[]; time: number[]; vol: number[]; offset: number[]; len: number[] } =
    { seq: [], time: [], vol: [], offset: [], len: [] };
  private heldHead = 0;
  heldBytes = 0;
  resyncBytesSent = 0;
  suspensions = 0;
  // Conservation counters (ReplicationMode.accounting): written = received + pending + discarded.
  writtenBytes = 0;
  receivedBytes = 0;
  discardedBytes = 0;
  dirtiedTracks = 0;
  resentTracks = 0;

  /**
   * Exact-oracle image: per local volume, the seq of the newest received write on each track.
   * Kept only with ctx.exact; dropped (null) after a suspension or initial copy, because the
   * track copy's content is not tracked write by write.
   */
  imageVersions: Uint32Array[] | null = null;

  constructor(readonly ctx: GroupContext, readonly volumes: number[], readonly label: string) {
    const j = ctx.spec.journal;
    const sim = ctx.sim;
    this.capacity_bytes = j.capacity_bytes;
    this.secondary_capacity_bytes = j.secondary_capacity_bytes;
    this.pfulAbove_bytes = j.pful_fraction * j.capacity_bytes;
    this.pfulBelow_bytes = (j.pful_fraction - PFUL_HYSTERESIS) * j.capacity_bytes;
    this.throttle = j.on_full === 'throttle';
    this.ring = new JournalRing(j.metadata_bytes, Math.ceil(j.capacity_bytes / j.metadata_bytes) + 1);
    this.local = new Int32Array(ctx.host.volumes.length).fill(-1);
    volumes.forEach((v, i) => (this.local[v] = i));
    this.diff = volumes.map((v) => new Bitmap(ctx.host.volumes[v].tracks));
    this.transfer = ctx.spec.transfer === 'pull' ? new PullTransfer(this) : new PushTransfer(this);
    this.restore = new Restore(this);
    if (ctx.exact) this.imageVersions = volumes.map((v) => new Uint32Array(ctx.host.volumes[v].tracks));
    this.pfusKind = sim.register(`${label}:pfus-watch`, () => this.onPfusWatch());
    this.resyncKind = sim.register(`${label}:resync`, () => this.startResync());
  }

  get sim(): Simulator {
    return this.ctx.sim;
  }

  /**
   * Starts the pair: in PAIR, or with a copy of every track (initial copy), or (control plane,
   * delta resync after a failure, src/control/failover.ts) with a copy of only `tracks`, one
   * bitmap per local volume: the tracks where the target's image differs from the new primary.
   */
  start(initialCopy: boolean, tracks?: Bitmap[]): void {
    if (initialCopy) {
      this.imageVersions = null;
      for (let l = 0; l < this.diff.length; l++) {
        const b = this.diff[l];
        const before = b.count;
        if (tracks) b.orFrom(tracks[l]);
        else b.setAll();
        this.dirtiedTracks += b.count - before; // accounting
      }
      this.oldestMissing_us = this.sim.now; // nothing consistent yet: RPO counts from pair creation
      this.suspendedSince_us = this.sim.now;
      this.beginCopy(tracks ? 'delta resync' : 'initial copy');
    }
    this.restore.start();
    this.transfer.kick();
  }

  /**
   * Host write hook: journal it, hold it (inflow control) or record it in the bitmap. The
   * common case (room in the journal, nothing held, not suspended) is kept small so that V8
   * inlines it into the host's issue; the others are in onWriteElse.
   */
  onWrite(w: HostWrite): number {
    const len = w.length_bytes;
    this.writtenBytes += len;
    // The room test is written out here and in onWriteElse: as a method it cost ~70
    // instructions per write (V8 then stopped inlining this hook into the host's issue).
    const r = this.ring;
    if (this.state !== 'PFUS' && this.heldCount() === 0 && r.primaryBytes + len + r.metadata_bytes <= this.capacity_bytes) {
      this.journal(w.seq, w.issued_us, w.volume, w.offset_bytes, len);
      return 0;
    }
    return this.onWriteElse(w, len);
  }

  /** onWrite when suspended, holding writes, or without room: as written there, in order. */
  private onWriteElse(w: HostWrite, len: number): number {
    if (this.state === 'PFUS') {
      this.markDiff(w.volume, w.offset_bytes, len, w.issued_us);
      return 0;
    }
    const after = this.ring.primaryBytes + len + this.ring.metadata_bytes;
    if (this.throttle) {
      if (this.heldCount() > 0 || after > this.capacity_bytes) return this.hold(w);
    } else if (after > this.capacity_bytes) {
      // Full, also during a resync: HUR suspends the pair again (a copy that had to chase
      // new writes through the bitmap would never finish under the same overload).
      this.suspend(this.state === 'COPY' ? 'journal full during resync' : 'journal full');
      this.markDiff(w.volume, w.offset_bytes, len, w.issued_us);
      return 0;
    }
    this.journal(w.seq, w.issued_us, w.volume, w.offset_bytes, len);
    return 0;
  }

  private journal(seq: number, time_us: number, vol: number, offset: number, len: number): void {
    this.ring.append(seq, time_us, vol, offset, len);
    const used = this.ring.primaryBytes;
    if (used > this.peakPrimary_bytes) this.peakPrimary_bytes = used;
    // checkFill() can act only in PFUL, or in PAIR above the threshold (an append only grows
    // the journal): skip the call on the common path.
    if (used > this.pfulAbove_bytes ? this.state === 'PAIR' || this.state === 'PFUL' : this.state === 'PFUL') this.checkFill();
    this.transfer.kick();
  }

  // ---- inflow control ----

  private heldCount(): number {
    return this.heldQ.seq.length - this.heldHead;
  }

  private hold(w: HostWrite): number {
    if (this.heldCount() >= MAX_HELD_WRITES) {
      this.suspend(`inflow control held more than ${MAX_HELD_WRITES} writes`);
      this.markDiff(w.volume, w.offset_bytes, w.length_bytes, w.issued_us);
      return 0;
    }
    const q = this.heldQ;
    q.seq.push(w.seq);
    q.time.push(w.issued_us);
    q.vol.push(w.volume);
    q.offset.push(w.offset_bytes);
    q.len.push(w.length_bytes);
    this.heldBytes += w.length_bytes;
    if (this.heldCount() === 1) this.ctx.events.emit(this.ctx.name, 'inflow_control', `${this.label}: host writes held`);
    return HOLD;
  }

  /** Journal space freed: admit held writes in order. */
  onPrimaryFreed(): void {
    const q = this.heldQ;
    while (this.heldCount() > 0) {
      const h = this.heldHead;
      const cost = q.len[h] + this.ring.metadata_bytes;
      if (this.ring.primaryBytes + cost > this.capacity_bytes) break;
      this.heldHead++;
      this.heldBytes -= q.len[h];
      this.journal(q.seq[h], q.time[h], q.vol[h], q.offset[h], q.len[h]);
      this.ctx.host.release(q.seq[h], q.vol[h], this.ctx.host.volumes[q.vol[h]].trackOf(q.offset[h]));
    }
    if (this.heldHead > 4096 && this.heldHead * 2 > q.seq.length) this.compactHeld();
    this.checkFill();
  }

  private compactHeld(): void {
    const q = this.heldQ;
    const h = this.heldHead;
    this.heldQ = { seq: q.seq.slice(h), time: q.time.slice(h), vol: q.vol.slice(h), offset: q.offset.slice(h), len: q.len.slice(h) };
    this.heldHead = 0;
  }

  oldestHeld_us(): number {
    return this.heldCount() > 0 ? this.heldQ.time[this.heldHead] : Infinity;
  }

  // ---- journal fill: PFUL / PFUS ----

  private checkFill(): void {
    if (this.state !== 'PAIR' && this.state !== 'PFUL') return;
    const used = this.ring.primaryBytes;
    // Hysteresis: leave PFUL only 5 points below the threshold, so a journal hovering at the
    // threshold does not flap between PAIR and PFUL on every batch.
    const over = used > this.pfulAbove_bytes;
    const under = used < this.pfulBelow_bytes;
    if (over && this.state === 'PAIR') {
      this.setState('PFUL', `primary journal above ${pct(this.ctx.spec.journal.pful_fraction)}`);
      this.pfulSince_us = this.sim.now;
      if (this.ctx.spec.journal.on_full === 'suspend') {
        this.pfusTimer = this.sim.schedule(this.ctx.spec.journal.pfus_watch_us, this.pfusKind);
      }
    } else if (under && this.state === 'PFUL') {
      this.setState('PAIR', 'primary journal below threshold');
      this.cancelPfus();
    }
  }

  private cancelPfus(): void {
    if (this.pfusTimer >= 0) this.sim.cancel(this.pfusTimer);
    this.pfusTimer = -1;
  }

  private onPfusWatch(): void {
    this.pfusTimer = -1;
    if (this.state === 'PFUL') this.suspend(`journal above threshold for ${this.ctx.spec.journal.pfus_watch_us / 1e6} s`);
  }

  /** PFUS: discard what was not sent, record changed tracks from now on. */
  suspend(reason: string): void {
    if (this.state === 'PFUS') return;
    this.cancelPfus();
    this.suspensions++;
    this.imageVersions = null;
    const r = this.ring;
    // Entries never sent are discarded into the differential bitmap; sent ones still arrive.
    for (let k = r.sent; k < r.in; k++) {
      this.markDiff(r.vol(k), r.offset(k), r.len(k), r.time(k));
    }
    r.truncate(r.sent);
    if (this.state === 'COPY') {
      // Suspended again during a resync: the image is still the one of the first suspension.
      if (this.transfer.isCopying) this.transfer.stopCopy();
      this.catchUpEnd = -1;
    } else {
      this.imageSeqAtSuspend = r.sent > r.received ? r.seq(r.sent - 1) : this.lastReceivedSeq();
      this.imageEnd = r.sent;
      this.suspendedSince_us = this.sim.now;
    }
    this.setState('PFUS', reason);
    const after = this.ctx.spec.journal.resync_after_us;
    if (after > 0) this.sim.schedule(after, this.resyncKind);
  }

  private startResync(): void {
    if (this.state !== 'PFUS') return;
    // Wait for the link and for journal data in flight (sent, not yet received). Not for
    // transfer.inflight(): pull keeps read commands outstanding at all times, so waiting for
    // none would postpone a pull pair's resync forever.
    if (!this.ctx.link.isUp || this.ring.sent > this.ring.received) {
      this.sim.schedule(1_000_000, this.resyncKind);
      return;
    }
    this.beginCopy('resync: copying differential tracks');
  }

  /** Entry index where the copy ended (the journal catches up to it); -1 while copying. */
  /** Ring entry where the recoverable image ends while suspended or copying. */
  private imageEnd = 0;
  private catchUpEnd = -1;

  private beginCopy(why: string): void {
    this.catchUpEnd = -1;
    this.setState('COPY', why);
    this.transfer.startCopy();
  }

  /** Journal transfer runs in PAIR/PFUL, and in COPY once the track copy is done (catch-up). */
  transferActive(): boolean {
    return this.state === 'PAIR' || this.state === 'PFUL' || (this.state === 'COPY' && this.catchUpEnd >= 0);
  }

  /** The differential copy drained every bitmap; the journal now catches up. */
  onCopyDone(): void {
    if (this.state !== 'COPY') return; // halted (PSUE) or suspended again (PFUS) mid-copy
    this.catchUpEnd = this.ring.in;
    this.ctx.events.emit(this.ctx.name, 'copy_done', `${this.label}: tracks copied, journal catching up to entry ${this.catchUpEnd}`);
    this.onReceived();
    this.transfer.kick();
  }

  /** Called on each arrival at the secondary: a caught-up copy makes the pair consistent. */
  onReceived(): void {
    if (this.state !== 'COPY' || this.catchUpEnd < 0 || this.ring.received < this.catchUpEnd) return;
    // A write that found the journal full during the catch-up went to the bitmap and restarted
    // the track copy: the image lacks it until that copy is done too (onCopyDone comes again).
    if (this.transfer.isCopying || this.diffTracks() > 0) return;
    this.oldestMissing_us = Infinity;
    this.missingWrites = 0;
    this.missingBytes = 0;
    if (this.suspendedSince_us >= 0) this.suspendedTotal_us += this.sim.now - this.suspendedSince_us;
    this.suspendedSince_us = -1;
    this.imageSeqAtSuspend = 0;
    this.catchUpEnd = -1;
    this.setState('PAIR', 'copy complete, journal caught up');
  }

  private markDiff(vol: number, offset: number, len: number, issued_us: number): void {
    const l = this.local[vol];
    const v = this.ctx.host.volumes[vol];
    const first = v.trackOf(offset);
    const last = v.trackOf(offset + len - 1);
    for (let t = first; t <= last; t++) if (this.diff[l].set(t)) this.dirtiedTracks++;
    if (issued_us < this.oldestMissing_us) this.oldestMissing_us = issued_us;
    this.missingWrites++;
    this.missingBytes += len;
    this.discardedBytes += len; // accounting: journaled data is never in the bitmap too
  }

  private trackSize(vol: number): number {
    return this.ctx.host.volumes[vol].track_size_bytes;
  }

  diffTracks(): number {
    let n = 0;
    for (const b of this.diff) n += b.count;
    return n;
  }

  // ---- the recoverable image ----

  private lastReceivedSeq(): number {
    return this.lastReceivedSeq_;
  }
  /** Seq of the newest entry received at the target (kept by the transfer on each arrival). */
  lastReceivedSeq_ = 0;

  /** Newest write seq in the recoverable image (received entries count). */
  imageSeq(): number {
    if (this.state === 'PFUS' || this.state === 'COPY') return this.imageSeqAtSuspend;
    return this.lastReceivedSeq();
  }

  /**
   * Issue time of the oldest acknowledged write the image lacks, or Infinity. Writes held by
   * inflow control are not acknowledged to the host yet: they count once they are journaled.
   */
  oldestMissing(): number {
    const r = this.ring;
    let t = this.oldestMissing_us;
    if (r.received < r.in) t = Math.min(t, r.time(r.received));
    return t;
  }

  /** Acknowledged writes (and their bytes) the image lacks. */
  missing(): { writes: number; bytes: number } {
    const r = this.ring;
    // Suspended or copying, the image is the pre-suspension one: it lacks everything journaled
    // after the suspension point (entries in flight then still arrive and belong to it).
    const steady = this.state === 'PAIR' || this.state === 'PFUL';
    const from = steady ? r.received : Math.max(r.oldest, this.imageEnd);
    return {
      writes: this.missingWrites + (r.in - from),
      bytes: this.missingBytes + r.dataBytes(from, r.in),
    };
  }

  /** Writes held by inflow control: issued, not acknowledged, not journaled yet. */
  unacked(): number {
    return this.heldCount();
  }

  /** Exact-oracle image: entries [from, to) reached the secondary. */
  applyToImage(from: number, to: number): void {
    const img = this.imageVersions;
    if (img === null || this.state === 'COPY') return;
    const r = this.ring;
    for (let k = from; k < to; k++) {
      const v = r.vol(k);
      const vol = this.ctx.host.volumes[v];
      const a = img[this.local[v]];
      const first = vol.trackOf(r.offset(k));
      const last = vol.trackOf(r.offset(k) + r.len(k) - 1);
      for (let t = first; t <= last; t++) a[t] = r.seq(k);
    }
  }

  noteSecondary(): void {
    const s = this.ring.secondaryBytes;
    if (s > this.peakSecondary_bytes) this.peakSecondary_bytes = s;
  }

  suspendedNow_us(now: number): number {
    return this.suspendedTotal_us + (this.suspendedSince_us >= 0 ? now - this.suspendedSince_us : 0);
  }

  /**
   * Control plane: the pair is torn down because its source or target failed. No more journal
   * transfer or copy (transferActive() is false in PSUE); held host writes are released (the
   * host stops waiting for a pair that is gone). The recoverable image is left as it is.
   */
  halt(why: string): void {
    if (this.state === 'PSUE') return;
    this.cancelPfus();
    const q = this.heldQ;
    for (let h = this.heldHead; h < q.seq.length; h++) {
      this.ctx.host.release(q.seq[h], q.vol[h], this.ctx.host.volumes[q.vol[h]].trackOf(q.offset[h]));
    }
    this.heldHead = q.seq.length;
    this.discardedBytes += this.heldBytes; // accounting: released, never journaled
    this.heldBytes = 0;
    this.setState('PSUE', why);
  }

  setState(next: JournalPairState, why: string): void {
    if (next === this.state) return;
    this.ctx.events.emit(this.ctx.name, 'pair_state', `${this.label}: ${this.state}->${next} (${why})`);
    this.state = next;
  }
}

function pct(f: number): string {
  return `${Math.round(f * 100)}%`;
}
