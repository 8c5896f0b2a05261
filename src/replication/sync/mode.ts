// Synchronous remote mirror (seed 004's remote mirror; DRBD protocol C). A host write is
// acknowledged only when the secondary has stored it: it crosses the link (serialization +
// latency), the secondary writes it (the storage's service time) and acknowledges (latency), so
// on an idle link the host sees service + 2 x latency + size / bandwidth.
//
// Mirror states (seed 004 copy management table):
//   SIMPLEX (not mirrored; after failover)
//   COPY    (mirrored, copy in progress: initial copy or differential resync; writes are mirrored
//            synchronously, the secondary is not yet consistent: the image is the one it held
//            before the copy started, as kept by a snapshot taken before resync)
//   DUPLEX  (mirrored, identical)
//   SPLIT   (mirror suspended; writes are recorded in the pending bitmap, one bit per region)
// On link failure, on_link_failure decides: fence (writes block until the link returns; nothing
// is ever lost) or split (writes continue, tracked in the pending bitmap; when the link returns
// the pending regions are copied (differential copy) and the pair goes COPY -> DUPLEX).

import { Bitmap } from '../../model/bitmap.js';
import { HOLD, type HostWrite } from '../../model/host.js';
import type { LinkDirection } from '../../model/link.js';
import type { Gauges, GroupContext, Loss, ReplicationMode } from '../mode.js';

export type MirrorState = 'SIMPLEX' | 'COPY' | 'DUPLEX' | 'SPLIT';

/** Mirrored writes on the link at once (beyond, they wait at the primary, still held). */
export const MAX_ON_WIRE = 1024;
/** Writes waiting for the link beyond which a pair splits even when fenced (the model's bound). */
export const MAX_WAITING = 1 << 20;
/** While split, the primary probes the link this often. */
export const PROBE_US = 100_000;
/** Differential copy: largest message and messages in flight. */
export const COPY_BATCH_BYTES = 1 << 20;
export const COPY_INFLIGHT = 4;

export class SyncMode implements ReplicationMode {
  readonly mode = 'sync' as const;
  pairState: MirrorState = 'DUPLEX';
  private readonly local: Int32Array;
  private readonly region_bytes: number;
  /** Pending bitmaps (seed 004): regions written while split, to copy at resync. */
  readonly pending: Bitmap[];
  private readonly fwd: LinkDirection;
  private readonly rev: LinkDirection;
  private readonly rxWrite: number;
  private readonly rxAck: number;
  private readonly rxCopy: number;
  private readonly rxCopyAck: number;
  private readonly ackKind: number;
  private readonly probeKind: number;
  // Mirrored writes, FIFO; counters: [head, arrived) stored at the secondary, not yet acknowledged;
  // [arrived, wire) on the link; [wire, tail) waiting for room on the link.
  private cap = 1024;
  private qSeq = new Float64Array(this.cap);
  private qIssued = new Float64Array(this.cap);
  private qVol = new Int32Array(this.cap);
  private qTrack = new Float64Array(this.cap);
  private qOff = new Float64Array(this.cap);
  private qLen = new Float64Array(this.cap);
  private qHeld = new Uint8Array(this.cap);
  private head = 0;
  private arrived = 0;
  private wire = 0;
  private tail = 0;
  /** Writes and bytes mirrored but not yet stored at the secondary. */
  private ringWrites = 0;
  private ringBytes = 0;
  /** Writes the image lacks outside the ring (split, or while the image is frozen by a copy). */
  private frozenWrites = 0;
  private frozenBytes = 0;
  private frozenFirst_us = Infinity;
  /** Newest write seq in the recoverable image. */
  private imageSeq = 0;
  private lastSeq = 0;
  private copyInflight = 0;
  private copying = false;
  /** From the start of a copy until it completes the image stands still (split included). */
  private imageFrozen = false;
  private readonly copyCursor: number[];
  private fenced = false;
  private sentBytes = 0;
  splits = 0;
  resyncBytes = 0;
  fencedWrites = 0;
  pendingPeak = 0;
  private splitSince_us = -1;
  private splitTotal_us = 0;
  private failed = false;
  // With ctx.exact: per-track versions of the primary, of the secondary, and the image frozen
  // while a copy runs. Copied regions are not tracked per write: after a copy the secondary's
  // versions are known again (= the primary's) once no mirrored write is on the link.
  private readonly priVer: Uint32Array[] | null;
  private readonly secVer: Uint32Array[] | null;
  private frozenVer: Uint32Array[] | null = null;
  private exactUnknown = false;

  constructor(readonly ctx: GroupContext) {
    const vols = ctx.volumes;
    this.region_bytes = ctx.spec.sync.region_bytes;
    this.local = new Int32Array(ctx.host.volumes.length).fill(-1);
    vols.forEach((v, i) => (this.local[v.index] = i));
    this.pending = vols.map((v) => new Bitmap(Math.ceil(v.size_bytes / this.region_bytes)));
    this.copyCursor = vols.map(() => 0);
    this.priVer = ctx.exact ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    this.secVer = ctx.exact ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    this.fwd = ctx.link.from(ctx.source_site);
    this.rev = ctx.link.from(ctx.target_site);
    this.rxWrite = this.fwd.addReceiver((seq) => this.onRemoteWrite(seq));
    this.rxAck = this.rev.addReceiver((seq) => this.onAck(seq));
    this.rxCopy = this.fwd.addReceiver((bytes) => this.rev.send(0, this.rxCopyAck, bytes));
    this.rxCopyAck = this.rev.addReceiver(() => this.onCopyAck());
    this.ackKind = ctx.sim.register(`${ctx.name}:sync-remote-done`, (seq) => this.rev.send(0, this.rxAck, seq));
    this.probeKind = ctx.sim.register(`${ctx.name}:sync-probe`, () => this.probe());
    for (const v of vols) ctx.host.addHook(v.index, this);
    if (ctx.spec.initial_copy) {
      this.pairState = 'SIMPLEX';
      this.setState('COPY', `pair created to ${ctx.target_site}: initial copy`);
      for (const b of this.pending) b.setAll();
      this.frozenFirst_us = ctx.sim.now;
      this.startCopy();
    } else {
      ctx.events.emit(ctx.name, 'pair_state', `SIMPLEX->DUPLEX (pair created to ${ctx.target_site}, synchronized)`);
    }
  }

  // ---- host writes ----

  onWrite(w: HostWrite): number {
    this.lastSeq = w.seq;
    if (this.failed) return 0;
    if (this.priVer !== null) this.setVersion(this.priVer, w.volume, w.offset_bytes, w.length_bytes, w.seq);
    if (this.pairState === 'SPLIT') {
      this.markPending(w.volume, w.offset_bytes, w.length_bytes);
      this.addFrozen(w.issued_us, w.length_bytes);
      return 0;
    }
    if (!this.ctx.link.isUp) {
      if (this.ctx.spec.sync.on_link_failure === 'split') {
        this.split('link down');
        this.markPending(w.volume, w.offset_bytes, w.length_bytes);
        this.addFrozen(w.issued_us, w.length_bytes);
        return 0;
      }
      if (!this.fenced) {
        this.fenced = true;
        this.ctx.events.emit(this.ctx.name, 'fence', 'link down: host writes blocked until it returns');
      }
      this.fencedWrites++;
    }
    if (this.tail - this.head >= MAX_WAITING) {
      this.split(`more than ${MAX_WAITING} writes waiting for the link`);
      this.markPending(w.volume, w.offset_bytes, w.length_bytes);
      this.addFrozen(w.issued_us, w.length_bytes);
      return 0;
    }
    if (this.imageFrozen) this.addFrozen(w.issued_us, w.length_bytes);
    this.push(w);
    this.pumpWire();
    return HOLD;
  }

  private push(w: HostWrite): void {
    if (this.tail - this.head === this.cap) this.grow();
    const i = this.tail++ & (this.cap - 1);
    this.qSeq[i] = w.seq;
    this.qIssued[i] = w.issued_us;
    this.qVol[i] = w.volume;
    this.qTrack[i] = w.track;
    this.qOff[i] = w.offset_bytes;
    this.qLen[i] = w.length_bytes;
    this.qHeld[i] = 1;
    this.ringWrites++;
    this.ringBytes += w.length_bytes;
  }

  private grow(): void {
    const n = this.cap * 2;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      for (let k = this.head; k < this.tail; k++) b[k & (n - 1)] = a[k & (this.cap - 1)];
      return b;
    };
    this.qSeq = copy(this.qSeq);
    this.qIssued = copy(this.qIssued);
    this.qVol = copy(this.qVol);
    this.qTrack = copy(this.qTrack);
    this.qOff = copy(this.qOff);
    this.qLen = copy(this.qLen);
    this.qHeld = copy(this.qHeld);
    this.cap = n;
  }

  private pumpWire(): void {
    while (this.wire < this.tail && this.wire - this.head < MAX_ON_WIRE) {
      const i = this.wire++ & (this.cap - 1);
      this.sentBytes += this.qLen[i];
      this.fwd.send(this.qLen[i], this.rxWrite, this.qSeq[i]);
    }
  }

  /** At the secondary: the write is stored after the storage's service time, then acknowledged. */
  private onRemoteWrite(seq: number): void {
    if (this.failed) return; // the image is frozen at the failure
    const i = this.arrived & (this.cap - 1);
    if (this.qSeq[i] !== seq) throw new Error(`sync: write ${seq} arrived out of order (expected ${this.qSeq[i]})`);
    this.arrived++;
    if (this.secVer !== null) {
      this.setVersion(this.secVer, this.qVol[i], this.qOff[i], this.qLen[i], seq);
      if (this.exactUnknown && this.pairState === 'DUPLEX' && this.arrived === this.tail) this.knowExactImage();
    }
    this.ringWrites--;
    this.ringBytes -= this.qLen[i];
    if (!this.imageFrozen && seq > this.imageSeq) this.imageSeq = seq;
    this.ctx.sim.schedule(this.ctx.host.service_time_us, this.ackKind, seq);
  }

  private onAck(seq: number): void {
    if (this.failed) return; // the primary is gone: held writes never complete
    const i = this.head & (this.cap - 1);
    if (this.qSeq[i] !== seq) throw new Error(`sync: acknowledgement ${seq} out of order (expected ${this.qSeq[i]})`);
    this.head++;
    if (this.qHeld[i] === 1) {
      this.qHeld[i] = 0;
      this.ctx.host.release(seq, this.qVol[i], this.qTrack[i]);
    }
    if (this.fenced) {
      this.fenced = false;
      this.ctx.events.emit(this.ctx.name, 'fence', 'link back: host writes resume');
    }
    this.pumpWire();
  }

  // ---- split and resync ----

  private split(why: string): void {
    this.setState('SPLIT', why);
    this.splits++;
    this.splitSince_us = this.ctx.sim.now;
    this.copying = false;
    // Writes not yet on the link go to the pending bitmap; all held writes complete now.
    for (let k = this.wire; k < this.tail; k++) {
      const i = k & (this.cap - 1);
      this.markPending(this.qVol[i], this.qOff[i], this.qLen[i]);
      this.ringWrites--;
      this.ringBytes -= this.qLen[i];
      if (!this.imageFrozen) this.addFrozen(this.qIssued[i], this.qLen[i]); // else counted already
    }
    for (let k = this.head; k < this.tail; k++) {
      const i = k & (this.cap - 1);
      if (this.qHeld[i] === 1) {
        this.qHeld[i] = 0;
        this.ctx.host.release(this.qSeq[i], this.qVol[i], this.qTrack[i]);
      }
    }
    this.tail = this.wire;
    this.ctx.sim.schedule(PROBE_US, this.probeKind);
  }

  private probe(): void {
    if (this.failed || this.pairState !== 'SPLIT') return;
    if (!this.ctx.link.isUp) {
      this.ctx.sim.schedule(PROBE_US, this.probeKind);
      return;
    }
    this.splitTotal_us += this.ctx.sim.now - this.splitSince_us;
    this.splitSince_us = -1;
    if (!this.imageFrozen) {
      // The image freezes: mirrored writes still on the link now count as missing too.
      if (this.arrived < this.wire) this.frozenFirst_us = Math.min(this.frozenFirst_us, this.qIssued[this.arrived & (this.cap - 1)]);
      this.frozenWrites += this.ringWrites;
      this.frozenBytes += this.ringBytes;
    }
    this.setState('COPY', `link back: differential copy of ${this.pendingRegions()} pending regions`);
    this.startCopy();
  }

  private startCopy(): void {
    if (!this.imageFrozen && this.secVer !== null) this.frozenVer = this.secVer.map((a) => a.slice());
    this.imageFrozen = true;
    this.copying = true;
    this.copyCursor.fill(0);
    this.pumpCopy();
  }

  private pumpCopy(): void {
    while (this.copying && this.copyInflight < COPY_INFLIGHT) {
      const bytes = this.collectRegions();
      if (bytes === 0) break;
      this.copyInflight++;
      this.sentBytes += bytes;
      this.resyncBytes += bytes;
      this.fwd.send(bytes, this.rxCopy, bytes);
    }
    if (this.copying && this.copyInflight === 0 && this.pendingRegions() === 0) this.copyDone();
  }

  /** Takes up to COPY_BATCH_BYTES of pending regions (clearing them); returns their bytes. */
  private collectRegions(): number {
    const max = Math.max(COPY_BATCH_BYTES, this.region_bytes);
    let bytes = 0;
    for (let l = 0; l < this.pending.length && bytes === 0; l++) {
      const bm = this.pending[l];
      while (bytes + this.region_bytes <= max) {
        const r = bm.nextSet(this.copyCursor[l]);
        if (r < 0) break;
        bm.clear(r);
        this.copyCursor[l] = r + 1;
        bytes += this.region_bytes;
      }
    }
    return bytes;
  }

  private onCopyAck(): void {
    if (this.failed) return;
    this.copyInflight--;
    this.pumpCopy();
  }

  private copyDone(): void {
    this.copying = false;
    // Every write older than the first one still on the link is now at the secondary.
    this.imageSeq = this.arrived < this.tail ? this.qSeq[this.arrived & (this.cap - 1)] - 1 : this.lastSeq;
    this.frozenWrites = 0;
    this.frozenBytes = 0;
    this.frozenFirst_us = Infinity;
    this.imageFrozen = false;
    if (this.secVer !== null) {
      this.frozenVer = null;
      this.exactUnknown = true;
      if (this.arrived === this.tail) this.knowExactImage();
    }
    this.setState('DUPLEX', 'copy complete');
  }

  private markPending(vol: number, offset: number, len: number): void {
    const bm = this.pending[this.local[vol]];
    const first = Math.floor(offset / this.region_bytes);
    const last = Math.floor((offset + len - 1) / this.region_bytes);
    for (let r = first; r <= last; r++) bm.set(r);
    const n = this.pendingRegions();
    if (n > this.pendingPeak) this.pendingPeak = n;
  }

  private pendingRegions(): number {
    let n = 0;
    for (const b of this.pending) n += b.count;
    return n;
  }

  private addFrozen(issued_us: number, len: number): void {
    this.frozenWrites++;
    this.frozenBytes += len;
    if (issued_us < this.frozenFirst_us) this.frozenFirst_us = issued_us;
  }

  private setState(next: MirrorState, why: string): void {
    if (next === this.pairState) return;
    this.ctx.events.emit(this.ctx.name, 'pair_state', `${this.pairState}->${next} (${why})`);
    this.pairState = next;
  }

  // ---- the recoverable image ----

  /**
   * RPO over acknowledged writes: a mirrored write is acknowledged only once the target has it,
   * so in DUPLEX the image lacks no acknowledged write and the RPO is 0. Writes acknowledged
   * locally while SPLIT (and everything after, until the copy completes) count.
   */
  rpo_us(now: number): number {
    const oldest = this.frozenFirst_us;
    return oldest === Infinity ? 0 : Math.max(0, now - oldest);
  }

  contains(vol: number, _track: number, seq: number): boolean {
    return this.local[vol] >= 0 && seq <= this.imageSeq;
  }

  imageVersions(): Uint32Array[] | null {
    if (this.secVer === null || this.exactUnknown) return null;
    return this.imageFrozen ? this.frozenVer : this.secVer;
  }

  /** Nothing on the link: the secondary equals the primary. */
  private knowExactImage(): void {
    this.secVer!.forEach((a, l) => a.set(this.priVer![l]));
    this.exactUnknown = false;
  }

  private setVersion(ver: Uint32Array[], vol: number, offset: number, len: number, seq: number): void {
    const v = this.ctx.host.volumes[vol];
    const a = ver[this.local[vol]];
    for (let t = v.trackOf(offset); t <= v.trackOf(offset + len - 1); t++) a[t] = seq;
  }

  /** Acknowledged writes the image lacks; writes still waiting for their acknowledgement are not lost. */
  loss(_now: number): Loss {
    this.unackedAtLoss = this.imageFrozen ? 0 : this.ringWrites;
    return { writes: this.frozenWrites, bytes: this.frozenBytes };
  }

  /** Writes the host was still waiting for when loss() was taken (a failure), or null. */
  private unackedAtLoss: number | null = null;

  failover(_now: number): number {
    this.failed = true;
    this.setState('SIMPLEX', 'primary lost: secondary promoted');
    return this.ctx.spec.promotion_delay_us;
  }

  state(): string {
    return this.pairState;
  }

  gauges(out: Gauges): void {
    out.backlog_bytes = this.ringBytes + this.pendingRegions() * this.region_bytes;
    out.primary_journal_bytes = 0;
    out.secondary_journal_bytes = 0;
    out.oos_tracks = this.pendingRegions();
  }

  bytesSent(): number {
    return this.sentBytes;
  }



  suspended_us(now: number): number {
    return this.splitTotal_us + (this.splitSince_us >= 0 ? now - this.splitSince_us : 0);
  }

  extra(): Record<string, number | string | null> {
    return {
      on_link_failure: this.ctx.spec.sync.on_link_failure,
      unacked_writes: this.unackedAtLoss,
      splits: this.splits,
      resync_bytes: this.resyncBytes,
      pending_regions_peak: this.pendingPeak,
      fenced_writes: this.fencedWrites,
    };
  }
}
