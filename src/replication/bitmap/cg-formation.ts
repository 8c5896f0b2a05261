// Consistency-group formation (seed 003 FIG 3-8; IBM Global Mirror) as an explicit state machine.
// Every transition is an events row (kind cg_state); each outcome is cg_formed or cg_failed.
//
//            cg_interval after the previous formation ended
//   NORMAL ---------------------------------------------> INCREMENT_PENDING        (FIG 4B)
//     ^        start increment: the cut; change recording    |  write acks held while the
//     |        created; new writes mark it                   |  change recording is set up
//     |                                                      |  (run timer: coordination_time)
//     |                                                      v
//     |                                               CG_IN_PROGRESS            (FIG 5B, 6, 7)
//     |   max_drain expired (not when forced):               |  acks released; the frozen OOS
//     |<-- cg_failed; change recording merged into OOS ------|  bitmap drains; collisions send
//     |                                                      |  the old image first or keep a
//     |                                                      |  second (new) image
//     |                                                      v  OOS drained
//     |                                                 FLASHCOPY                   (FIG 8B)
//     |                                                      |  instant virtual copy command to
//     |                                                      |  the secondary (FIFO behind the
//     |                                                      |  data), flash_time there: the
//     |                                                      |  increment is the recoverable
//     |                                                      |  image; increment complete back
//     |                                                      v
//     +--- change recording merged into OOS ------- INCREMENT_COMPLETE          (FIG 8A, 8B)
//
// After max_failures_before_force failed formations in a row, the next one runs without the
// max_drain limit (Global Mirror forces a group through after repeated failures).
// On an idle system a formation takes coordination_time + one round trip + flash_time.

import type { Simulator } from '../../engine/sim.js';
import type { EventLog } from '../../metrics/events.js';
import type { LinkDirection } from '../../model/link.js';
import type { BitmapSpec } from '../../scenario/types.js';

export type CgState = 'NORMAL' | 'INCREMENT_PENDING' | 'CG_IN_PROGRESS' | 'FLASHCOPY' | 'INCREMENT_COMPLETE';

/** What the formation asks of the primary's bitmaps and the secondary's volumes. */
export interface CgParticipant {
  /** Start increment: freeze the OOS bitmap at the cut; writes from now mark change recording and are held. */
  beginIncrement(): void;
  /** Run command: acknowledge the held writes; returns how many were released. */
  run(): number;
  /** Tracks of the increment not yet sent or not yet acknowledged by the secondary. */
  tracksToDrain(): number;
  /** At the secondary, the instant virtual copy completed: the increment is the recoverable image. */
  flashed(): void;
  /** Merge change recording into the OOS bitmap (formed or abandoned); returns the tracks merged. */
  mergeChangeRecording(formed: boolean): number;
}

export interface FormationStats {
  formed: number;
  failed: number;
  forced: number;
  formation_sum_us: number;
  formation_max_us: number;
  formation_last_us: number;
  drain_sum_us: number;
}

export class CgFormation {
  state: CgState = 'NORMAL';
  /** Number of the formation in progress (or last one). */
  cg = 0;
  private started_us = 0;
  private drainStart_us = 0;
  private drained_us = 0;
  private forced = false;
  private failuresInRow = 0;
  private stopped = false;
  private maxDrainTimer = -1;
  private readonly startKind: number;
  private readonly runKind: number;
  private readonly maxDrainKind: number;
  private readonly flashDoneKind: number;
  private readonly rxFlash: number;
  private readonly rxComplete: number;
  readonly stats: FormationStats = {
    formed: 0, failed: 0, forced: 0, formation_sum_us: 0, formation_max_us: 0, formation_last_us: 0, drain_sum_us: 0,
  };
  /** Observer of each formation (tests): cut taken at `started_us`, formed after `formation_us`. */
  onFormed: ((cg: number, started_us: number, formation_us: number) => void) | null = null;

  constructor(
    private readonly sim: Simulator,
    private readonly events: EventLog,
    private readonly name: string,
    private readonly spec: BitmapSpec,
    private readonly fwd: LinkDirection,
    private readonly rev: LinkDirection,
    private readonly p: CgParticipant,
  ) {
    this.startKind = sim.register(`${name}:cg-start`, () => this.startIncrement());
    this.runKind = sim.register(`${name}:cg-run`, () => this.onRunTimer());
    this.maxDrainKind = sim.register(`${name}:cg-max-drain`, () => this.onMaxDrain());
    this.flashDoneKind = sim.register(`${name}:cg-flash-done`, (cg) => this.onFlashDone(cg));
    this.rxFlash = fwd.addReceiver((cg) => this.sim.schedule(this.spec.flash_time_us, this.flashDoneKind, cg));
    this.rxComplete = rev.addReceiver((cg) => this.onIncrementComplete(cg));
  }

  /** Schedules the first formation. */
  start(): void {
    this.sim.schedule(this.spec.cg_interval_us, this.startKind);
  }

  /** The primary is lost: no more formations. */
  stop(): void {
    this.stopped = true;
    if (this.maxDrainTimer >= 0) this.sim.cancel(this.maxDrainTimer);
    this.maxDrainTimer = -1;
  }

  /** Is the primary recording writes in the change-recording bitmap (cut taken, not yet merged)? */
  get recording(): boolean {
    return this.state !== 'NORMAL';
  }

  private startIncrement(): void {
    if (this.stopped || this.state !== 'NORMAL') return;
    this.cg++;
    this.started_us = this.sim.now;
    this.forced = this.failuresInRow >= this.spec.max_failures_before_force;
    if (this.forced) this.stats.forced++;
    this.p.beginIncrement();
    this.setState('INCREMENT_PENDING', `cg ${this.cg}: start increment${this.forced ? ' (forced: no max_drain)' : ''}`);
    this.sim.schedule(this.spec.coordination_time_us, this.runKind);
  }

  private onRunTimer(): void {
    if (this.stopped || this.state !== 'INCREMENT_PENDING') return;
    const released = this.p.run();
    this.drainStart_us = this.sim.now;
    this.setState('CG_IN_PROGRESS', `cg ${this.cg}: run; ${released} held writes acknowledged, ${this.p.tracksToDrain()} tracks to drain`);
    if (!this.forced) this.maxDrainTimer = this.sim.schedule(this.spec.max_drain_us, this.maxDrainKind);
    this.checkDrained();
  }

  /** Called by the drain when a track of the increment is acknowledged. */
  checkDrained(): void {
    if (this.state !== 'CG_IN_PROGRESS' || this.p.tracksToDrain() > 0) return;
    if (this.maxDrainTimer >= 0) this.sim.cancel(this.maxDrainTimer);
    this.maxDrainTimer = -1;
    this.drained_us = this.sim.now;
    this.setState('FLASHCOPY', `cg ${this.cg}: drained in ${ms(this.drained_us - this.drainStart_us)}; instant virtual copy`);
    this.fwd.send(0, this.rxFlash, this.cg);
  }

  /** At the secondary: the copy is made; the increment complete command goes back. */
  private onFlashDone(cg: number): void {
    if (this.stopped) return;
    this.p.flashed();
    this.rev.send(0, this.rxComplete, cg);
  }

  private onIncrementComplete(cg: number): void {
    if (this.stopped || cg !== this.cg || this.state !== 'FLASHCOPY') return;
    this.setState('INCREMENT_COMPLETE', `cg ${cg}: increment complete`);
    const merged = this.p.mergeChangeRecording(true);
    const took = this.sim.now - this.started_us;
    const s = this.stats;
    s.formed++;
    s.formation_sum_us += took;
    s.formation_max_us = Math.max(s.formation_max_us, took);
    s.formation_last_us = took;
    s.drain_sum_us += this.drained_us - this.drainStart_us;
    this.failuresInRow = 0;
    this.events.emit(this.name, 'cg_formed', `cg ${cg}: formed in ${ms(took)} (drain ${ms(this.drained_us - this.drainStart_us)})`);
    this.setState('NORMAL', `cg ${cg}: ${merged} changed tracks merged into the OOS bitmap`);
    this.onFormed?.(cg, this.started_us, took);
    this.sim.schedule(this.spec.cg_interval_us, this.startKind);
  }

  private onMaxDrain(): void {
    this.maxDrainTimer = -1;
    if (this.stopped || this.state !== 'CG_IN_PROGRESS') return;
    this.stats.failed++;
    this.failuresInRow++;
    const left = this.p.tracksToDrain();
    this.events.emit(this.name, 'cg_failed',
      `cg ${this.cg}: not drained within max_drain ${ms(this.spec.max_drain_us)} (${left} tracks left; ${this.failuresInRow} in a row)`);
    const merged = this.p.mergeChangeRecording(false);
    this.setState('NORMAL', `cg ${this.cg}: abandoned; ${merged} changed tracks merged into the OOS bitmap`);
    this.sim.schedule(this.spec.cg_interval_us, this.startKind);
  }

  private setState(next: CgState, why: string): void {
    this.events.emit(this.name, 'cg_state', `${this.state}->${next} (${why})`);
    this.state = next;
  }
}

function ms(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}
