// Backup generations by local mirrors inside the secondary storage (seed 004). The secondary
// volume of the remote pair (SPVOL) is the primary of N local mirrors (backup volumes). Mirror
// states (seed 004 FIG 3): DUPLEX (identical), SPLIT (a point-in-time backup; writes to the
// SPVOL are recorded in its pending bitmap, one bit per region, 8 KB in the seed), COPY (a
// differential resync: the regions the two pending bitmaps name are copied locally).
//
// Every `every` a backup is taken (seed 004 FIG 4): the split command carries the sequence
// number of the newest write issued at the primary; pending async data up to it is flushed
// (applied at the secondary), then the mirror splits, holding exactly the primary image at the
// command; later writes are marked pending. In a journal the command travels as a marker (seed
// 002 marker journals): the mirror splits when the apply reaches it. With no DUPLEX mirror left,
// the oldest generation is resynchronized first (rotation), then split.
//
// The SPVOL is modelled from the primary's writes and the journal's applied sequence numbers:
// a write is on the SPVOL once its pair has applied it (a write skipped into a differential
// bitmap by a suspension counts as applied once later writes of its pair are: the resync copied
// it; a split waits through a suspension). Region versions (newest write seq per
// region) of the SPVOL and of every generation are kept for verification while the group has at
// most VERIFY_MAX_REGIONS regions.

import { DependencyOracle } from '../metrics/oracle.js';
import { Bitmap } from '../model/bitmap.js';
import type { JournalMode } from '../replication/journal/mode.js';
import type { GenerationSpec } from '../scenario/types.js';
import type { RecoveryHost } from './host.js';

export type MirrorState = 'DUPLEX' | 'COPY' | 'SPLIT';

/** Regions whose versions are kept for verification (4 bytes each per image). */
export const VERIFY_MAX_REGIONS = 1 << 22;
/** How often the SPVOL model follows the applied journal while a split or restore waits. */
export const FLUSH_POLL_US = 10_000;
const IDLE_POLL_US = 1_000_000;

export interface Mirror {
  id: number;
  state: MirrorState;
  /** Generation number (1, 2, ... in split order) while SPLIT, else 0. */
  generation: number;
  split_us: number;
  splitSeq: number;
  /** Regions written on the SPVOL since the split, per local volume. */
  pending: Bitmap[];
  /** Regions written on the backup volume since the split (hosts mounting the backup; empty here). */
  backupPending: Bitmap[];
  /** Region versions at the split (null when not verifying). */
  versions: Uint32Array[] | null;
}

interface Waiter {
  seq: number;
  done: () => void;
}

export class GenerationSet {
  readonly mirrors: Mirror[];
  readonly regions: number[];
  readonly verify: boolean;
  /** Region versions of the SPVOL (null when not verifying). */
  readonly spvol: Uint32Array[] | null;
  private readonly local: Int32Array;
  private readonly pairIdx: Int32Array;
  // Primary writes not yet on the SPVOL, in seq order: [head, seqQ.length).
  private seqQ: number[] = [];
  private volQ: number[] = [];
  private firstQ: number[] = [];
  private lastQ: number[] = [];
  private head = 0;
  private waiters: Waiter[] = [];
  lastIssuedSeq = 0;
  private nextGeneration = 1;
  private busy = false;
  private readonly oracle = new DependencyOracle();
  private readonly pollKind: number;
  private readonly tickKind: number;
  private readonly resyncKind: number;
  private pollAt_us = Infinity;
  splits = 0;
  skipped = 0;
  resyncs = 0;
  resyncBytes = 0;
  maxFlush_us = 0;
  violations = 0;
  /** Newest write on the SPVOL model. */
  spvolSeq = 0;
  /** Each resync: the generation's split seq, the SPVOL's seq at the resync, the bytes copied. */
  readonly resyncLog: Array<{ mirror: number; from_seq: number; to_seq: number; bytes: number }> = [];

  constructor(private readonly run: RecoveryHost, readonly spec: GenerationSpec, readonly row: JournalMode) {
    const vols = row.ctx.volumes;
    this.regions = vols.map((v) => Math.ceil(v.size_bytes / spec.region_bytes));
    this.verify = this.regions.reduce((a, b) => a + b, 0) <= VERIFY_MAX_REGIONS;
    this.spvol = this.verify ? this.regions.map((n) => new Uint32Array(n)) : null;
    this.local = new Int32Array(run.host.volumes.length).fill(-1);
    vols.forEach((v, i) => (this.local[v.index] = i));
    this.pairIdx = new Int32Array(run.host.volumes.length).fill(-1);
    row.pairs.forEach((p, i) => p.volumes.forEach((v) => (this.pairIdx[v] = i)));
    // At the start every mirror is synchronized (DESIGN: pairs start in PAIR/DUPLEX).
    this.mirrors = Array.from({ length: spec.mirrors }, (_, id) => ({
      id, state: 'DUPLEX' as MirrorState, generation: 0, split_us: -1, splitSeq: 0,
      pending: this.regions.map((n) => new Bitmap(n)), backupPending: this.regions.map((n) => new Bitmap(n)), versions: null,
    }));
    run.host.observe({ onIssued: (w) => this.onIssued(w.seq, w.volume, w.offset_bytes, w.length_bytes, w.depends_on, w.dep_volume, w.dep_track, w.track) });
    const sim = run.sim;
    const label = `${row.ctx.name}:generations`;
    this.pollKind = sim.register(`${label}-poll`, () => this.onPoll());
    this.tickKind = sim.register(`${label}-backup`, () => this.onBackup());
    this.resyncKind = sim.register(`${label}-resync-done`, (id) => this.onResyncDone(id));
    sim.schedule(spec.every_us, this.tickKind);
    this.schedulePoll(IDLE_POLL_US);
  }

  private get name(): string {
    return this.row.ctx.name;
  }

  private onIssued(seq: number, vol: number, offset: number, len: number, dep: number, depVol: number, depTrack: number, track: number): void {
    const l = this.local[vol];
    if (l < 0) return;
    this.lastIssuedSeq = seq;
    this.seqQ.push(seq);
    this.volQ.push(vol);
    this.firstQ.push(Math.floor(offset / this.spec.region_bytes));
    this.lastQ.push(Math.floor((offset + len - 1) / this.spec.region_bytes));
    if (dep >= 0 && this.local[depVol] >= 0) this.oracle.record(seq, vol, track, dep, depVol, depTrack);
  }

  // ---- the SPVOL follows the applied journal ----

  private applied(k: number): boolean {
    const pair = this.row.pairs[this.pairIdx[this.volQ[k]]];
    return this.seqQ[k] <= pair.restore.appliedSeq;
  }

  /** Moves every applied write onto the SPVOL model, stopping at each waiter's sequence number. */
  advance(): void {
    while (this.head < this.seqQ.length) {
      const seq = this.seqQ[this.head];
      this.fireWaiters(seq);
      if (!this.applied(this.head)) return;
      this.applyHead();
    }
    this.fireWaiters(Infinity);
    this.compact();
  }

  private applyHead(): void {
    const k = this.head++;
    this.spvolSeq = this.seqQ[k];
    const l = this.local[this.volQ[k]];
    const a = this.firstQ[k];
    const b = this.lastQ[k];
    if (this.spvol) this.spvol[l].fill(this.seqQ[k], a, b + 1);
    for (const m of this.mirrors) {
      if (m.state !== 'SPLIT') continue;
      for (let r = a; r <= b; r++) m.pending[l].set(r);
    }
  }

  /** Waiters whose sequence number is below `seq` (everything up to them is on the SPVOL). */
  private fireWaiters(seq: number): void {
    while (this.waiters.length > 0 && this.waiters[0].seq < seq) this.waiters.shift()!.done();
  }

  private compact(): void {
    if (this.head < 4096 || this.head * 2 < this.seqQ.length) return;
    this.seqQ = this.seqQ.slice(this.head);
    this.volQ = this.volQ.slice(this.head);
    this.firstQ = this.firstQ.slice(this.head);
    this.lastQ = this.lastQ.slice(this.head);
    this.head = 0;
  }

  /** Calls `done` once every write issued up to now is on the SPVOL (seed 004 step 410). */
  flush(done: () => void): void {
    this.waiters.push({ seq: this.lastIssuedSeq, done });
    this.waiters.sort((a, b) => a.seq - b.seq);
    this.advance();
    if (this.waiters.length > 0) this.schedulePoll(FLUSH_POLL_US);
  }

  private schedulePoll(delay_us: number): void {
    const at = this.run.sim.now + delay_us;
    if (at >= this.pollAt_us) return;
    this.pollAt_us = at;
    this.run.sim.schedule(delay_us, this.pollKind);
  }

  private onPoll(): void {
    if (this.run.sim.now < this.pollAt_us) return; // superseded by an earlier poll
    this.pollAt_us = Infinity;
    this.advance();
    this.schedulePoll(this.waiters.length > 0 ? FLUSH_POLL_US : IDLE_POLL_US);
  }

  // ---- backups: split, rotate ----

  private onBackup(): void {
    this.run.sim.schedule(this.spec.every_us, this.tickKind);
    if (this.busy) {
      this.skipped++;
      this.emit('generation_skipped', 'previous backup still in progress');
      return;
    }
    this.busy = true;
    const ready = this.mirrors.find((m) => m.state === 'DUPLEX');
    if (ready) this.split(ready);
    else this.resync(this.oldest()!);
  }

  private oldest(): Mirror | undefined {
    return this.mirrors.filter((m) => m.state === 'SPLIT').sort((a, b) => a.generation - b.generation)[0];
  }

  /** Differential resync of a generation: copy the regions either pending bitmap names. */
  private resync(m: Mirror): void {
    this.advance();
    const bytes = this.diffBytes(m, null);
    m.state = 'COPY';
    this.resyncs++;
    this.resyncBytes += bytes;
    this.resyncLog.push({ mirror: m.id, from_seq: m.splitSeq, to_seq: this.spvolSeq, bytes });
    this.emit('generation_resync', `mirror ${m.id} (generation ${m.generation}): ${bytes} B differential of ${this.fullBytes()} B`);
    m.generation = 0;
    m.versions = null;
    this.run.sim.schedule(Math.ceil((bytes * 1e6) / this.spec.copy_rate_bytes_per_s), this.resyncKind, m.id);
  }

  private onResyncDone(id: number): void {
    const m = this.mirrors[id];
    for (const b of [...m.pending, ...m.backupPending]) b.clearAll();
    m.state = 'DUPLEX';
    this.emit('generation_state', `mirror ${m.id}: COPY->DUPLEX`);
    this.split(m);
  }

  /** Seed 004 FIG 4: split command, flush, split, resume. */
  private split(m: Mirror): void {
    const cmd_us = this.run.sim.now;
    const seq = this.lastIssuedSeq;
    this.flush(() => {
      const now = this.run.sim.now;
      m.state = 'SPLIT';
      m.generation = this.nextGeneration++;
      m.split_us = cmd_us;
      m.splitSeq = seq;
      m.versions = this.spvol ? this.spvol.map((v) => v.slice()) : null;
      for (const b of [...m.pending, ...m.backupPending]) b.clearAll();
      this.splits++;
      this.maxFlush_us = Math.max(this.maxFlush_us, now - cmd_us);
      // A split image is the primary image at the command: a prefix of the write sequence.
      const bad = this.oracle.check({ contains: (_v, _t, s) => s <= seq }, now);
      if (bad > 0) this.violations++;
      this.busy = false;
      this.emit('generation_split', `mirror ${m.id} -> generation ${m.generation} (seq ${seq}), flush ${((now - cmd_us) / 1e6).toFixed(3)} s`);
    });
  }

  /** The k-th newest generation (1 = newest), or null. */
  generation(k: number): Mirror | null {
    const held = this.mirrors.filter((m) => m.state === 'SPLIT').sort((a, b) => b.generation - a.generation);
    return held[k - 1] ?? null;
  }

  /** Bytes of the regions that differ between a generation and the SPVOL (optionally within `mask`). */
  diffBytes(m: Mirror, mask: Bitmap[] | null): number {
    let bytes = 0;
    this.diffRegions(m, mask, (l, r) => (bytes += this.regionBytes(l, r)));
    return bytes;
  }

  /** Calls f(local volume, region) for each region a generation's two pending bitmaps name. */
  diffRegions(m: Mirror, mask: Bitmap[] | null, f: (l: number, r: number) => void): void {
    m.pending.forEach((p, l) => {
      const u = new Bitmap(p.bits);
      u.orFrom(p);
      u.orFrom(m.backupPending[l]);
      for (let r = u.nextSet(0); r >= 0; r = u.nextSet(r + 1)) if (!mask || mask[l].get(r)) f(l, r);
    });
  }

  regionBytes(l: number, r: number): number {
    const size = this.row.ctx.volumes[l].size_bytes;
    return Math.min(this.spec.region_bytes, size - r * this.spec.region_bytes);
  }

  private fullBytes(): number {
    return this.row.ctx.volumes.reduce((a, v) => a + v.size_bytes, 0);
  }

  private emit(kind: string, detail: string): void {
    this.run.events.emit(this.name, kind, detail);
  }

  extra(): Record<string, number | string | null> {
    return {
      generations_taken: this.splits,
      generations_held: this.mirrors.filter((m) => m.state === 'SPLIT').length,
      generations_skipped: this.skipped,
      generation_resyncs: this.resyncs,
      generation_resync_bytes: this.resyncBytes,
      generation_split_flush_max_s: this.maxFlush_us / 1e6,
      generation_violations: this.violations,
    };
  }
}
