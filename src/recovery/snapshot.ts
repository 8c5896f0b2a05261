// The snapshot function at the remote site (seed 000 FIG 19) as a state machine per snapshot
// entry and journal row:
//
//   IDLE --every--> QUIESCE (apply paused; an apply already running finishes) --> COPY
//   COPY --size/copy_rate--> IDLE (apply resumed)            method: copy
//   IDLE --every--> IDLE (point-in-time image taken at once)  method: instant (FlashCopy-like)
//
// While apply is paused the secondary journal keeps receiving; once it is full the transfer
// stalls and the primary journal grows; when that is full too the pair suspends. The pause that
// first overflows the primary journal is, from capacity arithmetic, at the pause start:
//
//   pause_to_overflow = (primary capacity - primary used + secondary capacity - secondary used)
//                       / journal inflow (data + metadata bytes per second)
//
// reported next to the longest pause simulated. A pair that suspends on PFUL (Hitachi HUR:
// above pful_at for pfus_watch) does so earlier, at (secondary room + primary room up to the
// PFUL threshold) / inflow + pfus_watch; pause_to_suspend is the smaller of the two. Transfer granularity (a batch counted in both
// journals until the next read purges it, a read issued only when a batch fits) makes the
// simulated overflow come earlier by at most about two batches' worth of writes.
//
// Each snapshot is a recovery point: the secondary image at the copy start (everything applied),
// checked by the consistency oracle.

import { DependencyOracle } from '../metrics/oracle.js';
import type { JournalMode } from '../replication/journal/mode.js';
import type { JournalPair } from '../replication/journal/pair.js';
import type { SnapshotSpec } from '../scenario/types.js';
import type { RecoveryHost } from './host.js';

export type SnapshotState = 'IDLE' | 'QUIESCE' | 'COPY';

export interface ApplyPause {
  start_us: number;
  copy_start_us: number;
  end_us: number;
  secondary_before_bytes: number;
  secondary_after_bytes: number;
  /** Analytic pause length that first overflows a primary journal, at the pause start (us). */
  overflow_after_us: number;
  /** Analytic pause length after which a pair suspends (overflow, or PFUL for pfus_watch), us. */
  suspend_after_us: number;
  /** A pair suspended during this pause. */
  overflowed: boolean;
}

export interface SnapshotImage {
  time_us: number;
  /** Newest applied write seq per journal pair at the copy start. */
  seqs: number[];
}

export class SnapshotFunction {
  state: SnapshotState = 'IDLE';
  readonly pauses: ApplyPause[] = [];
  /** Kept generations, oldest first (at most `keep`). */
  readonly images: SnapshotImage[] = [];
  taken = 0;
  skipped = 0;
  violations = 0;
  private readonly oracle = new DependencyOracle();
  private readonly pairOf: Int32Array;
  /** Journal inflow per pair (data + metadata bytes) since the start. */
  private readonly inflow_bytes: number[];
  private readonly size_bytes: number;
  private readonly tickKind: number;
  private readonly copyKind: number;
  private readonly resumeKind: number;
  private suspensionsAtPause = 0;

  constructor(private readonly run: RecoveryHost, readonly spec: SnapshotSpec, readonly row: JournalMode) {
    const sim = run.sim;
    const label = `${row.ctx.name}:snapshot`;
    this.size_bytes = row.ctx.volumes.reduce((a, v) => a + v.size_bytes, 0);
    this.pairOf = new Int32Array(run.host.volumes.length).fill(-1);
    row.pairs.forEach((p, i) => p.volumes.forEach((v) => (this.pairOf[v] = i)));
    this.inflow_bytes = row.pairs.map(() => 0);
    const meta = row.ctx.spec.journal.metadata_bytes;
    run.host.observe({
      onIssued: (w) => {
        const p = this.pairOf[w.volume];
        if (p < 0) return;
        this.inflow_bytes[p] += w.length_bytes + meta;
        if (w.depends_on >= 0 && this.pairOf[w.dep_volume] >= 0) {
          this.oracle.record(w.seq, w.volume, w.track, w.depends_on, w.dep_volume, w.dep_track);
        }
      },
    });
    this.tickKind = sim.register(`${label}-tick`, () => this.onTick());
    this.copyKind = sim.register(`${label}-copy`, () => this.onCopyStart());
    this.resumeKind = sim.register(`${label}-resume`, () => this.onResume());
    sim.schedule(spec.every_us, this.tickKind);
  }

  private get name(): string {
    return this.row.ctx.name;
  }

  private emit(kind: string, detail: string): void {
    this.run.events.emit(this.name, kind, detail);
  }

  private onTick(): void {
    const sim = this.run.sim;
    sim.schedule(this.spec.every_us, this.tickKind);
    if (this.state !== 'IDLE') {
      this.skipped++;
      this.emit('snapshot_skipped', `previous copy still running (${this.state})`);
      return;
    }
    if (this.spec.method === 'instant') {
      this.take('instant');
      return;
    }
    for (const p of this.row.pairs) p.restore.pause();
    const pause: ApplyPause = {
      start_us: sim.now, copy_start_us: -1, end_us: -1, secondary_before_bytes: this.secondaryBytes(),
      secondary_after_bytes: 0, overflow_after_us: 0, suspend_after_us: 0, overflowed: false,
    };
    [pause.overflow_after_us, pause.suspend_after_us] = this.pauseLimits_us();
    this.pauses.push(pause);
    this.suspensionsAtPause = this.suspensions();
    this.state = 'QUIESCE';
    this.emit('apply_paused', `snapshot copy of ${this.size_bytes} B; a pause over ${fmt_s(pause.overflow_after_us)} overflows ` +
      `the primary journal, over ${fmt_s(pause.suspend_after_us)} suspends the pair`);
    // An apply already running finishes first: the copy then sees a whole, consistent image.
    const wait = Math.max(0, ...this.row.pairs.map((p) => applyInProgress_us(p, sim.now)));
    sim.schedule(wait, this.copyKind);
  }

  private onCopyStart(): void {
    const pause = this.pauses[this.pauses.length - 1];
    pause.copy_start_us = this.run.sim.now;
    this.state = 'COPY';
    this.take('copy');
    this.run.sim.schedule(Math.ceil((this.size_bytes * 1e6) / this.spec.copy_rate_bytes_per_s), this.resumeKind);
  }

  private onResume(): void {
    const pause = this.pauses[this.pauses.length - 1];
    for (const p of this.row.pairs) p.restore.resume();
    pause.end_us = this.run.sim.now;
    pause.secondary_after_bytes = this.secondaryBytes();
    pause.overflowed = this.suspensions() > this.suspensionsAtPause;
    this.state = 'IDLE';
    this.emit('apply_resumed', `paused ${fmt_s(pause.end_us - pause.start_us)}; secondary journal grew ` +
      `${pause.secondary_after_bytes - pause.secondary_before_bytes} B${pause.overflowed ? '; the pair suspended' : ''}`);
    // Resumed apply starts at the next restore tick.
  }

  /** Takes the image: everything applied now, per pair; checks it with the oracle. */
  private take(how: string): void {
    const now = this.run.sim.now;
    const seqs = this.row.pairs.map((p) => p.restore.appliedSeq);
    const img: SnapshotImage = { time_us: now, seqs };
    const bad = this.oracle.check({ contains: (vol, _t, seq) => seq <= seqs[this.pairOf[vol]] }, now);
    if (bad > 0) this.violations++;
    this.images.push(img);
    if (this.images.length > this.spec.keep) this.images.shift();
    this.taken++;
    this.emit('snapshot', `${how} generation ${this.taken} (applied seq ${seqs.join(',')})${bad > 0 ? `; ${bad} dependent writes without their base` : ''}`);
  }

  private secondaryBytes(): number {
    return this.row.pairs.reduce((a, p) => a + p.ring.secondaryBytes, 0);
  }

  private suspensions(): number {
    return this.row.pairs.reduce((a, p) => a + p.suspensions, 0);
  }

  /**
   * Capacity arithmetic at the pause start, over the pairs (the first one decides): the pause
   * after which a primary journal overflows, and after which a pair suspends.
   */
  pauseLimits_us(): [number, number] {
    const now = this.run.sim.now;
    const j = this.row.ctx.spec.journal;
    let overflow = Infinity;
    let suspend = Infinity;
    this.row.pairs.forEach((p, i) => {
      const rate_Bps = now > 0 ? (this.inflow_bytes[i] * 1e6) / now : 0;
      if (rate_Bps <= 0) return;
      const secRoom = Math.max(0, p.secondary_capacity_bytes - p.ring.secondaryBytes);
      const full_us = ((secRoom + Math.max(0, p.capacity_bytes - p.ring.primaryBytes)) * 1e6) / rate_Bps;
      const pful_us = ((secRoom + Math.max(0, j.pful_fraction * p.capacity_bytes - p.ring.primaryBytes)) * 1e6) / rate_Bps;
      overflow = Math.min(overflow, full_us);
      if (j.on_full === 'suspend') suspend = Math.min(suspend, full_us, pful_us + j.pfus_watch_us);
    });
    return [overflow, suspend];
  }

  extra(): Record<string, number | string | null> {
    let maxPause = 0;
    let minOverflow = Infinity;
    let minSuspend = Infinity;
    let overflows = 0;
    for (const p of this.pauses) {
      const end = p.end_us >= 0 ? p.end_us : this.run.sim.now;
      maxPause = Math.max(maxPause, end - p.start_us);
      minOverflow = Math.min(minOverflow, p.overflow_after_us);
      minSuspend = Math.min(minSuspend, p.suspend_after_us);
      if (p.overflowed) overflows++;
    }
    return {
      snapshots: this.taken,
      snapshots_skipped: this.skipped,
      snapshot_violations: this.violations,
      max_apply_pause_s: maxPause / 1e6,
      pause_to_overflow_s: minOverflow === Infinity ? null : minOverflow / 1e6,
      pause_to_suspend_s: minSuspend === Infinity ? null : minSuspend / 1e6,
      snapshot_overflows: overflows,
    };
  }
}

/** Time left of an apply already running in a pair (us): total remaining minus the queued part. */
export function applyInProgress_us(p: JournalPair, now: number): number {
  const r = p.ring;
  const queued = Math.ceil((r.dataBytes(r.restoreScheduled, r.received) * 1e6) / p.ctx.spec.apply_rate_bytes_per_s);
  return Math.max(0, p.restore.remainingApply_us(now) - queued);
}

function fmt_s(us: number): string {
  return us === Infinity ? 'never' : `${(us / 1e6).toFixed(3)} s`;
}
