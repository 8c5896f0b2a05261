// Restore at the secondary (seed 000 FIG 18): every restore_every the secondary applies the
// received entries, in strict sequence order, to the secondary volumes at the storage's apply
// rate; the applied area of the secondary journal is then freed. Apply can be paused (a remote
// snapshot copy, seed 000 FIG 19) and resumed.

import type { JournalPair } from './pair.js';

export class Restore {
  private applying = false;
  private applyStart_us = 0;
  private applyEnd_us = 0;
  private paused = 0;
  private readonly tickKind: number;
  private readonly doneKind: number;
  /** Seq of the newest write applied to the secondary volumes. */
  appliedSeq = 0;
  appliedBytes = 0;
  /** Observer of each applied range (first seq, last seq, now): for tests and tracing. */
  onApply: ((firstSeq: number, lastSeq: number, now_us: number) => void) | null = null;

  constructor(private readonly pair: JournalPair) {
    this.tickKind = pair.sim.register(`${pair.label}:restore-tick`, () => this.onTick());
    this.doneKind = pair.sim.register(`${pair.label}:restore-done`, () => this.onDone());
  }

  private get rate_Bps(): number {
    return this.pair.ctx.spec.apply_rate_bytes_per_s;
  }

  start(): void {
    this.pair.sim.schedule(this.pair.ctx.spec.restore_every_us, this.tickKind);
  }

  /** Pauses apply (nested pauses allowed); received entries accumulate. */
  pause(): void {
    this.paused++;
  }

  resume(): void {
    if (this.paused === 0) throw new Error('restore: resume without pause');
    this.paused--;
  }

  get isPaused(): boolean {
    return this.paused > 0;
  }

  private onTick(): void {
    this.pair.sim.schedule(this.pair.ctx.spec.restore_every_us, this.tickKind);
    if (this.applying || this.paused > 0) return;
    const r = this.pair.ring;
    if (r.received === r.restored) return;
    r.restoreScheduled = r.received;
    const bytes = r.dataBytes(r.restored, r.restoreScheduled);
    const dur = Math.ceil((bytes * 1e6) / this.rate_Bps);
    this.applying = true;
    this.applyStart_us = this.pair.sim.now;
    this.applyEnd_us = this.applyStart_us + dur;
    this.pair.sim.schedule(dur, this.doneKind);
  }

  private onDone(): void {
    const r = this.pair.ring;
    // Strict order: entries [restored, restoreScheduled) carry increasing sequence numbers
    // (the ring refuses anything else on append), so applying the range in order is exact.
    const first = r.seq(r.restored);
    const last = r.seq(r.restoreScheduled - 1);
    if (first <= this.appliedSeq) throw new Error(`restore: seq ${first} applied after ${this.appliedSeq}`);
    this.onApply?.(first, last, this.pair.sim.now);
    this.appliedSeq = last;
    this.appliedBytes += r.dataBytes(r.restored, r.restoreScheduled);
    r.restored = r.restoreScheduled;
    this.applying = false;
    r.check();
    this.pair.transfer.onSecondaryFreed();
  }

  /** Time to apply everything received but not yet applied, at the apply rate (us). */
  remainingApply_us(now: number): number {
    const r = this.pair.ring;
    const pending = r.dataBytes(r.restoreScheduled, r.received);
    const inProgress = this.applying ? Math.max(0, this.applyEnd_us - now) : 0;
    return inProgress + Math.ceil((pending * 1e6) / this.rate_Bps);
  }
}
