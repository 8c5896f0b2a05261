// Journal transfer between the primary and secondary journal of a pair (seed 002).
//
// PUSH (FIG 7): the primary sends write commands carrying batches of entries as they arrive
// (or every copy_every), at most max_inflight unacknowledged; it purges on acknowledgement.
// PULL (first embodiment; HUR): the secondary sends read-journal commands on the reverse path;
// the primary answers each with up to max_batch bytes (nothing while its journal is below
// copy_at); the next read goes when the answer arrives (after copy_every, or 1 ms when the
// answer was empty). Each read carries the already-read pointer, on which the primary purges.
// Both stall while the secondary journal has no room (back-pressure).
//
// The copy (initial copy, or resync after a suspension) drains the pair's differential bitmaps
// track by track, pushed by the primary in batches of up to max_batch bytes.

import type { LinkDirection } from '../../model/link.js';
import type { JournalPair } from './pair.js';

/** A pull read answered with nothing is retried after this (when copy_every is 0). */
export const EMPTY_READ_RETRY_US = 1000;

export interface Transfer {
  kick(): void;
  onSecondaryFreed(): void;
  inflight(): number;
  startCopy(): void;
  /** Stops a track copy (the pair suspended again); copies in flight still arrive. */
  stopCopy(): void;
  /** A differential/initial track copy is in progress. */
  readonly isCopying: boolean;
  /** Payload bytes put on the wire source->target (journal data + metadata, copied tracks). */
  readonly bytesSent: number;
}

abstract class TransferBase implements Transfer {
  protected readonly fwd: LinkDirection;
  protected readonly rev: LinkDirection;
  bytesSent = 0;
  private copying = false;
  private copyInflight = 0;
  private copyCursor: number[] = [];
  private readonly rxCopy: number;
  private readonly rxCopyAck: number;

  constructor(protected readonly pair: JournalPair) {
    const link = pair.ctx.link;
    this.fwd = link.from(pair.ctx.source_site);
    this.rev = link.from(pair.ctx.target_site);
    this.rxCopy = this.fwd.addReceiver((n) => this.rev.send(this.pair.ring.metadata_bytes, this.rxCopyAck, n));
    this.rxCopyAck = this.rev.addReceiver(() => this.onCopyAck());
  }

  abstract kick(): void;
  abstract onSecondaryFreed(): void;
  abstract inflight(): number;

  protected get spec() {
    return this.pair.ctx.spec.journal;
  }

  /** Sends a journal batch [from, end) and books the bytes. */
  protected sendBatch(from: number, end: number, sink: number): void {
    const bytes = this.pair.ring.bytes(from, end);
    this.pair.ring.sent = end;
    this.bytesSent += bytes;
    this.fwd.send(bytes, sink, end);
  }

  /** Room in the secondary journal for entries [sent, end): counts what is in flight to it. */
  protected secondaryFits(end: number): boolean {
    const r = this.pair.ring;
    return r.bytes(r.restored, end) <= this.pair.secondary_capacity_bytes;
  }

  /** A batch ending at `end` reached the secondary journal. */
  protected received(end: number): void {
    const r = this.pair.ring;
    if (end <= r.received) return;
    this.pair.receivedBytes += r.dataBytes(r.received, end); // accounting
    this.pair.applyToImage(r.received, end);
    r.received = end;
    this.pair.lastReceivedSeq_ = r.seq(end - 1);
    this.pair.noteSecondary();
    r.check();
    this.pair.onReceived();
  }

  // ---- initial copy / resync ----

  startCopy(): void {
    if (this.copying) return;
    this.copying = true;
    this.copyCursor = this.pair.diff.map(() => 0);
    this.pumpCopy();
  }

  stopCopy(): void {
    this.copying = false;
  }

  get isCopying(): boolean {
    return this.copying;
  }

  private pumpCopy(): void {
    while (this.copying && this.copyInflight < this.spec.max_inflight) {
      const bytes = this.collectTracks();
      if (bytes === 0) {
        if (this.copyInflight === 0 && this.pair.diffTracks() === 0) {
          this.copying = false;
          this.pair.onCopyDone();
        }
        return;
      }
      this.copyInflight++;
      this.bytesSent += bytes;
      this.pair.resyncBytesSent += bytes;
      this.fwd.send(bytes, this.rxCopy, 0);
    }
  }

  /** Takes up to max_batch bytes of dirty tracks (clearing their bits); returns the bytes. */
  private collectTracks(): number {
    let bytes = 0;
    const vols = this.pair.volumes;
    for (let l = 0; l < vols.length; l++) {
      const bm = this.pair.diff[l];
      const ts = this.pair.ctx.host.volumes[vols[l]].track_size_bytes;
      while (bytes + ts <= Math.max(this.spec.max_batch_bytes, ts)) {
        let t = bm.nextSet(this.copyCursor[l]);
        if (t < 0) t = bm.nextSet(0); // wrap: tracks written again behind the cursor
        if (t < 0) break;
        bm.clear(t);
        this.pair.resentTracks++; // accounting
        this.copyCursor[l] = t + 1;
        bytes += ts;
      }
      if (bytes > 0) return bytes;
    }
    return bytes;
  }

  private onCopyAck(): void {
    this.copyInflight--;
    this.pumpCopy();
  }
}

export class PushTransfer extends TransferBase {
  private readonly batchEnds: number[] = [];
  private readonly rxBatch: number;
  private readonly rxAck: number;
  private readonly tickKind: number;
  private windowOpen: boolean;
  /** spec.max_inflight and max_batch_bytes, read on every kick (every host write). */
  private readonly maxInflight: number;
  private readonly maxBatch_bytes: number;

  constructor(pair: JournalPair) {
    super(pair);
    this.maxInflight = this.spec.max_inflight;
    this.maxBatch_bytes = this.spec.max_batch_bytes;
    this.rxBatch = this.fwd.addReceiver((end) => this.onBatch(end));
    this.rxAck = this.rev.addReceiver((end) => this.onAck(end));
    this.tickKind = pair.sim.register(`${pair.label}:push-period`, () => this.onPeriod());
    this.windowOpen = this.spec.copy_every_us === 0;
    if (!this.windowOpen) pair.sim.schedule(this.spec.copy_every_us, this.tickKind);
  }

  inflight(): number {
    return this.batchEnds.length;
  }

  kick(): void {
    if (!this.windowOpen || this.batchEnds.length >= this.maxInflight) return; // nothing can go
    const p = this.pair;
    if (!p.transferActive()) return;
    const r = p.ring;
    while (this.batchEnds.length < this.maxInflight && r.sent < r.in) {
      const end = r.batchEnd(r.sent, this.maxBatch_bytes);
      if (!this.secondaryFits(end)) return; // back-pressure: restore will free room
      this.batchEnds.push(end);
      this.sendBatch(r.sent, end, this.rxBatch);
    }
  }

  private onPeriod(): void {
    this.windowOpen = true;
    this.kick();
    this.windowOpen = false;
    this.pair.sim.schedule(this.spec.copy_every_us, this.tickKind);
  }

  onSecondaryFreed(): void {
    this.kick();
  }

  private onBatch(end: number): void {
    this.received(end);
    this.rev.send(this.pair.ring.metadata_bytes, this.rxAck, end);
  }

  private onAck(end: number): void {
    const first = this.batchEnds.shift();
    if (first !== end) throw new Error(`push: acknowledgement ${end} out of order (expected ${first})`);
    const r = this.pair.ring;
    if (end > r.purged) r.purged = end;
    r.check();
    this.pair.onPrimaryFreed();
    this.kick();
  }
}

export class PullTransfer extends TransferBase {
  /** Allowance (bytes) of each read command in flight, oldest first. */
  private readonly allowances: number[] = [];
  private readonly rxRead: number;
  private readonly rxAnswer: number;
  private readonly readKind: number;
  private waitingForRoom = 0;
  private started = false;

  constructor(pair: JournalPair) {
    super(pair);
    this.rxRead = this.rev.addReceiver((confirmed) => this.onReadCommand(confirmed));
    this.rxAnswer = this.fwd.addReceiver((end) => this.onAnswer(end));
    this.readKind = pair.sim.register(`${pair.label}:pull-read`, () => this.issueRead());
  }

  inflight(): number {
    return this.allowances.length;
  }

  /** The secondary drives pull; the first kick starts its reads. */
  kick(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.spec.max_inflight; i++) this.issueRead();
  }

  onSecondaryFreed(): void {
    // Retry each waiting read once: issueRead re-queues one that still lacks room (a loop on
    // waitingForRoom > 0 would then spin forever).
    let n = this.waitingForRoom;
    this.waitingForRoom = 0;
    while (n-- > 0) this.issueRead();
  }

  /** Secondary: a read-journal command, carrying the already-read pointer for purging. */
  private issueRead(): void {
    const r = this.pair.ring;
    const room = this.pair.secondary_capacity_bytes - r.bytes(r.restored, r.sent) -
      this.allowances.reduce((a, b) => a + b, 0);
    if (room < Math.min(this.spec.max_batch_bytes, this.pair.secondary_capacity_bytes / 2)) {
      this.waitingForRoom++;
      return;
    }
    const allowance = Math.min(this.spec.max_batch_bytes, room);
    this.allowances.push(allowance);
    this.rev.send(r.metadata_bytes, this.rxRead, r.received);
  }

  /** Primary: purge what the secondary confirmed, answer with the next batch. */
  private onReadCommand(confirmed: number): void {
    const p = this.pair;
    const r = p.ring;
    if (confirmed > r.purged) {
      r.purged = confirmed;
      r.check();
      p.onPrimaryFreed();
    }
    const allowance = this.allowances[0];
    let end = r.sent;
    const active = p.transferActive();
    const ready = r.primaryBytes >= this.spec.copy_at_fraction * p.capacity_bytes;
    if (active && ready && r.sent < r.in) {
      end = r.batchEnd(r.sent, allowance);
      // One entry larger than the allowance (a write above max_batch): send it alone once the
      // secondary has unreserved room for it, else it would never be sent (the pair stalled).
      if (r.bytes(r.sent, end) > allowance && r.bytes(r.sent, end) > this.unreservedRoom() + allowance) end = r.sent;
    }
    if (end > r.sent) this.sendBatch(r.sent, end, this.rxAnswer);
    else this.fwd.send(r.metadata_bytes, this.rxAnswer, end);
  }

  /** Secondary journal room not taken by stored or in-flight entries nor by reads in flight. */
  private unreservedRoom(): number {
    const r = this.pair.ring;
    return this.pair.secondary_capacity_bytes - r.bytes(r.restored, r.sent) - this.allowances.reduce((a, b) => a + b, 0);
  }

  /** Secondary: the answer arrived; store it and issue the next read. */
  private onAnswer(end: number): void {
    this.allowances.shift();
    const got = end > this.pair.ring.received;
    this.received(end);
    if (this.pair.state === 'PSUE') return; // torn down by the control plane: no more reads
    const every = this.spec.copy_every_us;
    if (got && every === 0) this.issueRead();
    else this.pair.sim.schedule(Math.max(every, got ? 0 : EMPTY_READ_RETRY_US), this.readKind);
  }
}
