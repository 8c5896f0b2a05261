// Snapshot shipping (ZFS send/receive, NetApp SnapMirror, Ceph snapshot mirroring). Every
// `interval` the primary takes a snapshot of the group (instant, crash-consistent: all volumes at
// one instant). The tracks changed since the previous snapshot are shipped as an incremental
// stream; when its last byte has arrived the target holds that snapshot, and the newest complete
// snapshot at the target is the recoverable image. A shipment is never interrupted: snapshots
// taken meanwhile wait, and only the newest of them is shipped next (an incremental from the
// last shipped snapshot, like `zfs send -i`; the others are counted as skipped). The target
// keeps the newest `keep` snapshots.
//
// RPO(t) = t minus the issue time of the first write after the newest shipped snapshot, so it
// saw-tooths between the shipping time (just after a snapshot lands) and interval + shipping
// time (just before the next one does).

import { Bitmap } from '../../model/bitmap.js';
import type { HostWrite } from '../../model/host.js';
import type { LinkDirection } from '../../model/link.js';
import type { Gauges, GroupContext, Loss, ReplicationMode } from '../mode.js';

/** Largest data message of a stream, and messages in flight (window). */
export const SHIP_BATCH_BYTES = 1 << 20;
export const SHIP_WINDOW = 16;

interface Snap {
  id: number;
  /** Newest group write seq it contains. */
  cut: number;
  taken_us: number;
  writes: number;
  bytes: number;
  /** Issue time of the first group write after it, or Infinity. */
  firstAfter_us: number;
  /** With ctx.exact: its per-track versions. */
  versions: Uint32Array[] | null;
}

export class ShipMode implements ReplicationMode {
  readonly mode = 'snapshot' as const;
  private readonly local: Int32Array;
  /** Tracks changed since the newest snapshot taken. */
  private changed: Bitmap[];
  /** Deltas of snapshots waiting for the running shipment (ORed together). */
  private queued: Bitmap[];
  /** Tracks of the running shipment not yet sent. */
  private shipping: Bitmap[];
  private readonly trackSize: number[];
  private readonly lastTrackBytes: number[];
  private readonly fwd: LinkDirection;
  private readonly rev: LinkDirection;
  private readonly rxData: number;
  private readonly rxDataAck: number;
  private readonly rxEnd: number;
  private readonly rxEndAck: number;
  private readonly tickKind: number;
  private image: Snap;
  private inShipment: Snap | null = null;
  private waiting: Snap | null = null;
  private endSent = false;
  private inflight = 0;
  private cursorVol = 0;
  private cursorTrack = 0;
  private writes = 0;
  private bytes = 0;
  private lastSeq = 0;
  private sentBytes = 0;
  private nextId = 1;
  taken = 0;
  shipped = 0;
  skipped = 0;
  /** Snapshot ids held at the target, oldest first. */
  readonly retained: number[] = [];
  shipMax_us = 0;
  shipLast_us = 0;
  private failed = false;
  /** With ctx.exact: the primary's per-track versions. */
  private readonly priVer: Uint32Array[] | null;

  constructor(readonly ctx: GroupContext) {
    const vols = ctx.volumes;
    this.local = new Int32Array(ctx.host.volumes.length).fill(-1);
    vols.forEach((v, i) => (this.local[v.index] = i));
    this.changed = vols.map((v) => new Bitmap(v.tracks));
    this.queued = vols.map((v) => new Bitmap(v.tracks));
    this.shipping = vols.map((v) => new Bitmap(v.tracks));
    this.trackSize = vols.map((v) => v.track_size_bytes);
    this.lastTrackBytes = vols.map((v) => v.size_bytes - (v.tracks - 1) * v.track_size_bytes);
    this.fwd = ctx.link.from(ctx.source_site);
    this.rev = ctx.link.from(ctx.target_site);
    this.rxData = this.fwd.addReceiver(() => this.rev.send(0, this.rxDataAck, 0));
    this.rxDataAck = this.rev.addReceiver(() => this.onDataAck());
    this.rxEnd = this.fwd.addReceiver((id) => this.onStreamEnd(id));
    this.rxEndAck = this.rev.addReceiver((id) => this.onShipped(id));
    this.tickKind = ctx.sim.register(`${ctx.name}:snapshot`, () => this.takeSnapshot());
    const now = ctx.sim.now;
    // At the start the target holds the group's data (snapshot 0), unless an initial copy is asked.
    this.priVer = ctx.exact ? vols.map((v) => new Uint32Array(v.tracks)) : null;
    this.image = {
      id: 0, cut: 0, taken_us: now, writes: 0, bytes: 0, firstAfter_us: Infinity,
      versions: this.priVer === null ? null : this.priVer.map((a) => a.slice()),
    };
    if (ctx.spec.initial_copy) {
      this.image.firstAfter_us = now; // nothing at the target: RPO counts from pair creation
      for (const c of this.changed) c.setAll();
    } else {
      this.retained.push(0);
    }
    for (const v of vols) ctx.host.addHook(v.index, this);
    ctx.events.emit(ctx.name, 'pair_state',
      `SMPL->${ctx.spec.initial_copy ? 'COPY' : 'PAIR'} (snapshot shipping to ${ctx.target_site} every ${ctx.spec.ship.interval_us / 1e6} s, keep ${ctx.spec.ship.keep})`);
    // An initial copy ships a first snapshot at once; otherwise the first comes after one interval.
    ctx.sim.schedule(ctx.spec.initial_copy ? 0 : ctx.spec.ship.interval_us, this.tickKind);
  }

  onWrite(w: HostWrite): number {
    const l = this.local[w.volume];
    this.writes++;
    this.bytes += w.length_bytes;
    this.lastSeq = w.seq;
    const last = Math.floor((w.offset_bytes + w.length_bytes - 1) / this.trackSize[l]);
    for (let t = w.track; t <= last; t++) this.changed[l].set(t);
    if (this.priVer !== null) for (let t = w.track; t <= last; t++) this.priVer[l][t] = w.seq;
    if (this.image.firstAfter_us === Infinity) this.image.firstAfter_us = w.issued_us;
    if (this.inShipment !== null && this.inShipment.firstAfter_us === Infinity) this.inShipment.firstAfter_us = w.issued_us;
    if (this.waiting !== null && this.waiting.firstAfter_us === Infinity) this.waiting.firstAfter_us = w.issued_us;
    return 0;
  }

  private takeSnapshot(): void {
    if (this.failed) return;
    this.ctx.sim.schedule(this.ctx.spec.ship.interval_us, this.tickKind);
    const snap: Snap = {
      id: this.nextId++, cut: this.lastSeq, taken_us: this.ctx.sim.now, writes: this.writes, bytes: this.bytes,
      firstAfter_us: Infinity, versions: this.priVer === null ? null : this.priVer.map((a) => a.slice()),
    };
    this.taken++;
    const delta = this.count(this.changed);
    if (this.inShipment === null) {
      [this.shipping, this.changed] = [this.changed, this.shipping];
      this.ctx.events.emit(this.ctx.name, 'snapshot', `snap ${snap.id} taken: ${delta} changed tracks, shipping`);
      this.startShipment(snap);
      return;
    }
    for (let l = 0; l < this.changed.length; l++) {
      this.queued[l].orFrom(this.changed[l]);
      this.changed[l].clearAll();
    }
    if (this.waiting !== null) {
      this.skipped++;
      this.ctx.events.emit(this.ctx.name, 'snapshot', `snap ${this.waiting.id} skipped: snap ${snap.id} supersedes it`);
    }
    this.waiting = snap;
    this.ctx.events.emit(this.ctx.name, 'snapshot', `snap ${snap.id} taken: ${delta} changed tracks, waits for snap ${this.inShipment.id}`);
  }

  private startShipment(snap: Snap): void {
    this.inShipment = snap;
    this.endSent = false;
    this.cursorVol = 0;
    this.cursorTrack = 0;
    this.pump();
  }

  /** Streams the shipment's tracks in batches, then the end-of-stream marker (FIFO behind them). */
  private pump(): void {
    if (this.failed || this.inShipment === null) return;
    while (this.inflight < SHIP_WINDOW && !this.endSent) {
      const bytes = this.collect();
      if (bytes === 0) {
        this.endSent = true;
        this.fwd.send(0, this.rxEnd, this.inShipment.id);
        return;
      }
      this.inflight++;
      this.sentBytes += bytes;
      this.fwd.send(bytes, this.rxData, 0);
    }
  }

  /** Takes up to SHIP_BATCH_BYTES of the shipment's tracks, in volume and track order. */
  private collect(): number {
    let bytes = 0;
    while (this.cursorVol < this.shipping.length) {
      const l = this.cursorVol;
      const bm = this.shipping[l];
      const last = bm.bits - 1;
      for (;;) {
        const t = bm.nextSet(this.cursorTrack);
        if (t < 0) break;
        const b = t === last ? this.lastTrackBytes[l] : this.trackSize[l];
        if (bytes > 0 && bytes + b > SHIP_BATCH_BYTES) return bytes;
        bm.clear(t);
        this.cursorTrack = t + 1;
        bytes += b;
      }
      this.cursorVol++;
      this.cursorTrack = 0;
    }
    return bytes;
  }

  private onDataAck(): void {
    this.inflight--;
    this.pump();
  }

  /** At the target: the stream is complete; the snapshot is the recoverable image. */
  private onStreamEnd(id: number): void {
    if (this.failed || this.inShipment === null || this.inShipment.id !== id) return;
    const snap = this.inShipment;
    this.image = snap;
    this.shipped++;
    this.shipLast_us = this.ctx.sim.now - snap.taken_us;
    this.shipMax_us = Math.max(this.shipMax_us, this.shipLast_us);
    this.retained.push(id);
    this.ctx.events.emit(this.ctx.name, 'snapshot_shipped', `snap ${id} complete at ${this.ctx.target_site} ${(this.shipLast_us / 1e6).toFixed(6)} s after it was taken`);
    while (this.retained.length > this.ctx.spec.ship.keep) {
      this.ctx.events.emit(this.ctx.name, 'snapshot_expired', `snap ${this.retained.shift()} deleted at ${this.ctx.target_site} (keep ${this.ctx.spec.ship.keep})`);
    }
    this.rev.send(0, this.rxEndAck, id);
  }

  /** At the primary: the shipment is acknowledged; the newest waiting snapshot goes next. */
  private onShipped(id: number): void {
    if (this.failed || this.inShipment === null || this.inShipment.id !== id) return;
    this.inShipment = null;
    const next = this.waiting;
    if (next === null) return;
    this.waiting = null;
    [this.shipping, this.queued] = [this.queued, this.shipping];
    this.startShipment(next);
  }

  private count(maps: Bitmap[]): number {
    let n = 0;
    for (const m of maps) n += m.count;
    return n;
  }

  // ---- the recoverable image ----

  rpo_us(now: number): number {
    const first = this.image.firstAfter_us;
    return first === Infinity ? 0 : Math.max(0, now - first);
  }

  contains(vol: number, _track: number, seq: number): boolean {
    return this.local[vol] >= 0 && seq <= this.image.cut;
  }

  imageVersions(): Uint32Array[] | null {
    return this.image.versions;
  }

  loss(_now: number): Loss {
    return { writes: this.writes - this.image.writes, bytes: this.bytes - this.image.bytes };
  }

  failover(_now: number): number {
    this.failed = true;
    return this.ctx.spec.promotion_delay_us; // rolling the target back to its newest snapshot is instant
  }

  state(): string {
    return this.inShipment !== null ? 'SHIPPING' : 'IDLE';
  }

  gauges(out: Gauges): void {
    let bytes = 0;
    let tracks = 0;
    for (let l = 0; l < this.changed.length; l++) {
      const n = this.changed[l].count + this.queued[l].count + this.shipping[l].count;
      tracks += n;
      bytes += n * this.trackSize[l];
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
    return {
      snapshots_taken: this.taken,
      snapshots_shipped: this.shipped,
      snapshots_skipped: this.skipped,
      snapshots_retained: this.retained.length,
      ship_last_s: this.shipLast_us / 1e6,
      ship_max_s: this.shipMax_us / 1e6,
    };
  }
}
