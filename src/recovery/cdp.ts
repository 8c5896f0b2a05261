// Continuous data protection (seed 001; EMC RecoverPoint as the reference product): every write
// to the group's volumes is split to the target, where a journal keeps it time-ordered for a
// retention window (by time and/or capacity; the oldest writes roll off into the replica image).
// Bookmarks, restartable points marked in the journal, are taken on a schedule. Any point inside
// the window can be recovered (any_point), or only the bookmarks.
//
// Defect scenario (seed 001 FIG 8-9): a corrupt write at defect.at, noticed detect_after later.
// Recovery steps back to the newest point before the defect (the image just before the corrupt
// write, or the newest bookmark before it), then replays the later clean writes: all writes after
// the point except the corrupt one and the writes that depend on it, transitively. Replay runs
// at the storage's apply rate. The recovered image and the replayed image are checked by the
// consistency oracle.
//
// Journal sizing (seed 001): the log must hold every write from the newest usable point before a
// defect until the recovery is done: detect_after (+ one bookmark interval when only bookmarks
// are restartable) + recovery_window, at the observed journal inflow rate.

import { DependencyOracle, type Image } from '../metrics/oracle.js';
import type { HostWrite } from '../model/host.js';
import type { LinkDirection } from '../model/link.js';
import type { Gauges, GroupContext, Loss, ReplicationMode } from '../replication/mode.js';
import { TrackImage, WriteLog } from './pit.js';

export interface Bookmark {
  time_us: number;
  /** Newest write seq of the group at the bookmark (0: the initial image). */
  seq: number;
}

export interface CdpRecovery {
  kind: 'any-point' | 'bookmark' | 'lost';
  /** Time of the recovered point (us) and the newest write seq in it. */
  point_us: number;
  point_seq: number;
  /** Newest write received at the target when recovering: the replay runs up to it. */
  newest_seq: number;
  /** Image of the recovered point and after replay (per-track versions). */
  image: TrackImage | null;
  replayed: TrackImage | null;
  replay_writes: number;
  replay_bytes: number;
  skipped_writes: number;
  replay_us: number;
  violations: number;
  reason: string;
}

export class CdpMode implements ReplicationMode {
  readonly mode = 'cdp' as const;
  /** Host volume index -> local slot. */
  private readonly local: Int32Array;
  /** Writes split at the source, not yet acknowledged by the target; [recvEnd, tail) not received. */
  private readonly outbox: WriteLog;
  /** The target's time-ordered journal; its base is the replica image. */
  readonly log: WriteLog;
  private readonly fwd: LinkDirection;
  private readonly rev: LinkDirection;
  private readonly rxBatch: number;
  private readonly rxAck: number;
  private sentEnd = 0;
  private recvEnd = 0;
  private inflight = 0;
  private bytesOnWire = 0;
  lastReceivedSeq = 0;
  private lastSeq = 0;
  readonly bookmarks: Bookmark[] = [{ time_us: 0, seq: 0 }];
  private readonly bookmarkOracle = new DependencyOracle();
  bookmarkViolations = 0;
  defectSeq = -1;
  defectTime_us = -1;
  recovery: CdpRecovery | null = null;
  peakOutbox_bytes = 0;
  peakRetention_bytes = 0;
  private inflowBytes = 0;
  private readonly bookmarkKind: number;
  /** Per-track versions of everything received (kept only for the exact oracle). */
  private readonly received: TrackImage | null;

  constructor(readonly ctx: GroupContext) {
    const meta = ctx.spec.journal.metadata_bytes;
    this.local = new Int32Array(ctx.host.volumes.length).fill(-1);
    ctx.volumes.forEach((v, i) => (this.local[v.index] = i));
    const tracks = ctx.volumes.map((v) => v.tracks);
    this.outbox = new WriteLog(TrackImage.empty(tracks.map(() => 0)), meta);
    this.log = new WriteLog(TrackImage.empty(tracks), meta);
    this.received = ctx.exact ? TrackImage.empty(tracks) : null;
    this.fwd = ctx.link.from(ctx.source_site);
    this.rev = ctx.link.from(ctx.target_site);
    this.rxBatch = this.fwd.addReceiver((end) => this.onBatch(end));
    this.rxAck = this.rev.addReceiver((end) => this.onAck(end));
    for (const v of ctx.volumes) ctx.host.addHook(v.index, this);
    const sim = ctx.sim;
    const c = ctx.spec.cdp;
    this.bookmarkKind = sim.register(`${ctx.name}:cdp-bookmark`, () => this.onBookmark());
    sim.schedule(c.bookmark_every_us, this.bookmarkKind);
    if (c.defect) {
      const found = sim.register(`${ctx.name}:cdp-defect-found`, () => this.onDefectFound());
      sim.at(c.defect.at_us + c.defect.detect_after_us, found);
    }
    ctx.events.emit(ctx.name, 'pair_state', `SMPL->PAIR (cdp to ${ctx.target_site}, retention ${c.retention_us / 1e6} s)`);
  }

  // ---- source: split every write ----

  onWrite(w: HostWrite): number {
    const l = this.local[w.volume];
    const v = this.ctx.volumes[l];
    const first = v.trackOf(w.offset_bytes);
    const last = v.trackOf(w.offset_bytes + w.length_bytes - 1);
    const dep = w.depends_on >= 0 && this.local[w.dep_volume] >= 0 ? w.depends_on : -1;
    this.outbox.append(w.seq, w.issued_us, l, first, last, w.length_bytes, dep);
    if (dep >= 0) this.bookmarkOracle.record(w.seq, w.volume, w.track, dep, w.dep_volume, w.dep_track);
    this.lastSeq = w.seq;
    this.inflowBytes += w.length_bytes + this.outbox.metadata_bytes;
    const d = this.ctx.spec.cdp.defect;
    if (d && this.defectSeq < 0 && w.issued_us >= d.at_us) {
      this.defectSeq = w.seq;
      this.defectTime_us = w.issued_us;
      this.ctx.events.emit(this.ctx.name, 'defect', `corrupt write seq ${w.seq} to ${v.name} track ${first}`);
    }
    if (this.outbox.heldBytes > this.peakOutbox_bytes) this.peakOutbox_bytes = this.outbox.heldBytes;
    this.pump();
    return 0;
  }

  private pump(): void {
    const j = this.ctx.spec.journal;
    const o = this.outbox;
    while (this.inflight < j.max_inflight && this.sentEnd < o.tail) {
      let end = this.sentEnd;
      let bytes = 0;
      do {
        bytes += o.len(end) + o.metadata_bytes;
        end++;
      } while (end < o.tail && bytes + o.len(end) + o.metadata_bytes <= j.max_batch_bytes);
      this.sentEnd = end;
      this.inflight++;
      this.bytesOnWire += bytes;
      this.fwd.send(bytes, this.rxBatch, end);
    }
  }

  // ---- target: the time-ordered journal ----

  private onBatch(end: number): void {
    const from = this.log.tail;
    this.log.copyFrom(this.outbox, this.recvEnd, end);
    if (this.received) for (let k = from; k < this.log.tail; k++) this.log.applyTo(this.received, k);
    this.recvEnd = end;
    this.lastReceivedSeq = this.outbox.seq(end - 1);
    this.rollOff();
    this.rev.send(this.outbox.metadata_bytes, this.rxAck, end);
  }

  private onAck(end: number): void {
    while (this.outbox.head < end) this.outbox.dropOldest();
    this.inflight--;
    this.pump();
  }

  /** Retention: writes older than the window, or beyond the capacity, fold into the replica. */
  private rollOff(): void {
    const c = this.ctx.spec.cdp;
    const log = this.log;
    const oldest_us = this.ctx.sim.now - c.retention_us;
    while (log.length > 0 && log.time(log.head) < oldest_us) log.rollOff();
    if (c.retention_bytes > 0) while (log.length > 0 && log.heldBytes > c.retention_bytes) log.rollOff();
    if (log.heldBytes > this.peakRetention_bytes) this.peakRetention_bytes = log.heldBytes;
    // Bookmarks older than the replica image can no longer be produced.
    while (this.bookmarks.length > 0 && this.bookmarks[0].seq < log.baseSeq) this.bookmarks.shift();
  }

  private onBookmark(): void {
    const now = this.ctx.sim.now;
    this.ctx.sim.schedule(this.ctx.spec.cdp.bookmark_every_us, this.bookmarkKind);
    const b: Bookmark = { time_us: now, seq: this.lastSeq };
    this.bookmarks.push(b);
    // Bookmarks are monotone images (prefixes), so one oracle checks them all in order.
    const bad = this.bookmarkOracle.check(prefixImage(b.seq), now);
    if (bad > 0) this.bookmarkViolations++;
    this.ctx.events.emit(this.ctx.name, 'bookmark', `seq ${b.seq}${bad > 0 ? `, ${bad} dependent writes without their base` : ''}`);
  }

  private onDefectFound(): void {
    const r = this.recover();
    this.recovery = r;
    const age = r.kind === 'lost' ? '' : `, point age ${((this.ctx.sim.now - r.point_us) / 1e6).toFixed(3)} s`;
    this.ctx.events.emit(this.ctx.name, 'recovery', r.kind === 'lost' ? `lost: ${r.reason}` :
      `${r.kind} at ${(r.point_us / 1e6).toFixed(6)} s (seq ${r.point_seq})${age}; replay ${r.replay_writes} writes ` +
      `(${r.replay_bytes} B, ${(r.replay_us / 1e6).toFixed(3)} s), skipped ${r.skipped_writes}, violations ${r.violations}`);
  }

  /** Steps back to the newest point before the defect and replays the later clean writes. */
  recover(): CdpRecovery {
    const lost = (reason: string): CdpRecovery => ({
      kind: 'lost', point_us: -1, point_seq: -1, newest_seq: -1, image: null, replayed: null, replay_writes: 0, replay_bytes: 0,
      skipped_writes: 0, replay_us: 0, violations: 0, reason,
    });
    if (this.defectSeq < 0) return lost('no write at or after the defect time');
    const log = this.log;
    if (log.baseSeq >= this.defectSeq) return lost('the defect is older than the retention window');
    if (this.lastReceivedSeq < this.defectSeq - 1) return lost('the writes before the defect have not reached the target');
    let kind: CdpRecovery['kind'];
    let point_us: number;
    let point_seq: number;
    if (this.ctx.spec.cdp.any_point) {
      kind = 'any-point';
      point_us = this.defectTime_us;
      point_seq = this.defectSeq - 1;
    } else {
      const b = [...this.bookmarks].reverse().find((x) => x.seq < this.defectSeq && x.seq >= log.baseSeq);
      if (!b) return lost('no bookmark before the defect is still held');
      kind = 'bookmark';
      point_us = b.time_us;
      point_seq = b.seq;
    }
    const end = log.endBeforeSeq(point_seq + 1);
    // Replay: every later write except the corrupt one and those depending on it (transitively).
    const tainted = new Set<number>([this.defectSeq]);
    let replay_writes = 0;
    let replay_bytes = 0;
    for (let k = end; k < log.tail; k++) {
      const s = log.seq(k);
      if (tainted.has(s) || tainted.has(log.dep(k))) tainted.add(s);
      else (replay_writes++, (replay_bytes += log.len(k)));
    }
    const image = log.imageAt(end);
    const replayed = log.imageAt(end, log.tail, (k) => !tainted.has(log.seq(k)));
    const newest = this.lastReceivedSeq;
    const violations = this.checkImage(prefixImage(point_seq)) +
      this.checkImage({ contains: (_v, _t, s) => s <= point_seq || (s <= newest && !tainted.has(s)) });
    return {
      kind, point_us, point_seq, newest_seq: newest, image, replayed, replay_writes, replay_bytes, skipped_writes: tainted.size,
      replay_us: Math.ceil((replay_bytes * 1e6) / this.ctx.spec.apply_rate_bytes_per_s), violations, reason: '',
    };
  }

  /** Consistency oracle over the dependent writes the journal holds; returns violating pairs. */
  private checkImage(img: Image): number {
    const o = new DependencyOracle();
    const log = this.log;
    for (let k = log.head; k < log.tail; k++) {
      const d = log.dep(k);
      // Bases older than the journal are in the replica image: in every recoverable image.
      if (d > log.baseSeq) o.record(log.seq(k), 0, 0, d, 0, 0);
    }
    return o.check(img, this.ctx.sim.now);
  }

  // ---- ReplicationMode ----

  /** Newest write seq in the recoverable image (the newest protected point). */
  imageSeq(): number {
    if (this.ctx.spec.cdp.any_point) return this.lastReceivedSeq;
    let s = 0;
    for (const b of this.bookmarks) if (b.seq <= this.lastReceivedSeq) s = b.seq;
    return s;
  }

  rpo_us(now: number): number {
    const t = this.oldestMissing_us();
    return t === Infinity ? 0 : Math.max(0, now - t);
  }

  private oldestMissing_us(): number {
    const s = this.imageSeq();
    const k = this.log.endBeforeSeq(s + 1);
    if (k < this.log.tail) return this.log.time(k);
    return this.recvEnd < this.outbox.tail ? this.outbox.time(this.recvEnd) : Infinity;
  }

  state(): string {
    return 'PAIR';
  }

  imageVersions(): Uint32Array[] | null {
    if (!this.received) return null;
    if (this.ctx.spec.cdp.any_point) return this.received.versions;
    const s = this.imageSeq();
    return s < this.log.baseSeq ? null : this.log.imageAt(this.log.endBeforeSeq(s + 1)).versions;
  }

  gauges(out: Gauges): void {
    let pending = 0;
    for (let k = this.recvEnd; k < this.outbox.tail; k++) pending += this.outbox.len(k);
    out.backlog_bytes = pending;
    out.primary_journal_bytes = this.outbox.heldBytes;
    out.secondary_journal_bytes = this.log.heldBytes;
    out.oos_tracks = 0;
  }

  contains(_vol: number, _track: number, seq: number): boolean {
    return seq <= this.imageSeq();
  }

  loss(_now: number): Loss {
    const s = this.imageSeq();
    let writes = 0;
    let bytes = 0;
    for (let k = this.log.endBeforeSeq(s + 1); k < this.log.tail; k++) (writes++, (bytes += this.log.len(k)));
    for (let k = this.recvEnd; k < this.outbox.tail; k++) (writes++, (bytes += this.outbox.len(k)));
    return { writes, bytes };
  }

  failover(_now: number): number {
    // The protected image is mounted as a virtual image: no data moves (seed 001).
    return this.ctx.spec.promotion_delay_us;
  }

  bytesSent(): number {
    return this.bytesOnWire;
  }

  journalPeak_bytes(): number {
    return this.peakOutbox_bytes;
  }

  secondaryJournalPeak_bytes(): number {
    return this.peakRetention_bytes;
  }

  /** Retention the journal needs (seed 001): from the newest usable point before a defect to the end of recovery. */
  requiredRetention_us(): number {
    const c = this.ctx.spec.cdp;
    const detect = c.defect ? c.defect.detect_after_us : c.retention_us;
    return detect + (c.any_point ? 0 : c.bookmark_every_us) + c.recovery_window_us;
  }

  extra(): Record<string, number | string | null> {
    const now = this.ctx.sim.now;
    const r = this.recovery;
    const rate_Bps = now > 0 ? (this.inflowBytes * 1e6) / now : 0;
    const done = r !== null && r.kind !== 'lost';
    return {
      cdp_bookmarks: this.bookmarks.length,
      cdp_bookmark_violations: this.bookmarkViolations,
      cdp_retention_bytes_peak: this.peakRetention_bytes,
      cdp_oldest_point_s: this.log.baseTime_us < 0 ? 0 : this.log.baseTime_us / 1e6,
      cdp_required_retention_s: this.requiredRetention_us() / 1e6,
      cdp_sizing_bytes: Math.ceil((rate_Bps * this.requiredRetention_us()) / 1e6),
      cdp_recovery: r === null ? null : r.kind,
      cdp_recovered_point_age_s: done ? (this.recoveryAt_us() - r.point_us) / 1e6 : null,
      cdp_replay_s: done ? r.replay_us / 1e6 : null,
      cdp_replay_bytes: done ? r.replay_bytes : null,
      cdp_replay_skipped_writes: done ? r.skipped_writes : null,
      cdp_recovery_violations: done ? r.violations : null,
    };
  }

  private recoveryAt_us(): number {
    const d = this.ctx.spec.cdp.defect;
    return d ? d.at_us + d.detect_after_us : 0;
  }
}

function prefixImage(seq: number): Image {
  return { contains: (_v, _t, s) => s <= seq };
}
