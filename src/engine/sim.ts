// The simulation kernel: a clock, the event queue and a table of handlers.
//
// Time is an integer count of microseconds. A model registers handlers once and gets an integer
// kind for each; it then schedules (kind, arg) pairs. Dispatch is an array lookup, so the loop
// allocates nothing per event. The kernel knows no domain words.

import { EventQueue, type Handle } from './queue.js';

export type Handler = (arg: number) => void;
export type { Handle } from './queue.js';

export class Simulator {
  private readonly queue = new EventQueue();
  private readonly handlers: Handler[] = [];
  private readonly names: string[] = [];
  private clock = 0;
  private stopped = false;
  /**
   * The loop's bound on event times: run()'s until, or -Infinity once stop() is called, so the
   * loop tests one number per event instead of a flag as well.
   */
  private popLimit = -Infinity;

  /** Current simulated time in microseconds. */
  get now(): number {
    return this.clock;
  }

  /** Events dispatched so far. */
  get eventsFired(): number {
    return this.queue.popped;
  }

  /** Live pending events. */
  get pending(): number {
    return this.queue.size;
  }

  /** Registers a handler; the returned kind is what schedule() takes. */
  register(name: string, handler: Handler): number {
    this.handlers.push(handler);
    this.names.push(name);
    return this.handlers.length - 1;
  }

  kindName(kind: number): string {
    return this.names[kind] ?? `kind#${kind}`;
  }

  /** Schedules kind(arg) after delay_us (>= 0, an integer); arg is an int32. */
  schedule(delay_us: number, kind: number, arg = 0): Handle {
    // The tests are written out, and the message built elsewhere: V8 inlines this into handlers
    // within a budget of bytecode, and each call to a module function costs a check of which
    // function it is.
    if (!(delay_us >= 0 && delay_us <= Number.MAX_SAFE_INTEGER && Math.floor(delay_us) === delay_us && kind >= 0 && (kind | 0) === kind && (arg | 0) === arg)) {
      throw refusal('schedule', delay_us, kind, arg, this.clock);
    }
    return this.queue.push(this.clock + delay_us, kind, arg);
  }

  /** Schedules kind(arg) at an absolute time (>= now, an integer); arg is an int32. */
  at(time_us: number, kind: number, arg = 0): Handle {
    // Written out as in schedule(); time_us >= now >= 0.
    if (!(time_us >= this.clock && time_us <= Number.MAX_SAFE_INTEGER && Math.floor(time_us) === time_us && kind >= 0 && (kind | 0) === kind && (arg | 0) === arg)) {
      throw refusal('at', time_us, kind, arg, this.clock);
    }
    return this.queue.push(time_us, kind, arg);
  }

  cancel(handle: Handle): boolean {
    return this.queue.cancel(handle);
  }

  /** Stops run() after the current event. */
  stop(): void {
    this.stopped = true;
    this.popLimit = -Infinity;
  }

  /**
   * Dispatches events in (time, sequence) order while their time is <= until_us, then sets
   * the clock to until_us (if it was not stopped early). Returns the events dispatched.
   */
  run(until_us = Infinity): number {
    const q = this.queue;
    const handlers = this.handlers;
    const start = q.popped;
    this.stopped = false;
    this.runUntil = until_us;
    this.popLimit = until_us;
    for (;;) {
      const kind = q.popUntil(this.popLimit);
      if (kind < 0) break;
      const t = q.lastPoppedTime;
      // schedule() and at() refuse past times, so this cannot fire; it is the invariant's
      // assertion, one compare per event.
      if (t < this.clock) throw new Error(`time went backwards: ${t} < ${this.clock}`);
      this.clock = t;
      handlers[kind](q.lastPoppedArg);
    }
    this.runUntil = -1;
    if (!this.stopped && until_us !== Infinity && until_us > this.clock) this.clock = until_us;
    return q.popped - start;
  }

  /**
   * Dispatches the events before t_us (not those at t_us) and sets the clock to t_us: the state
   * just before the instant t_us, as SimPy's run(until) leaves it. Returns the events dispatched.
   */
  runBefore(t_us: number): number {
    if (!isTime(t_us) || t_us < this.clock) throw new Error(`runBefore: time ${t_us} is before now (${this.clock}) or not an integer`);
    const n = this.run(t_us - 1); // integer times: at or before t - 1 is before t
    if (!this.stopped) this.clock = t_us;
    return n;
  }

  /** The `until` of the run() in progress (-1 outside run()). */
  private runUntil = -1;

  /**
   * Moves the clock to t_us if no pending event comes at or before it (and t_us is within the
   * current run()), so that a handler can process its next action inline instead of through
   * the queue. Exact: the queue would have dispatched that action next anyway, and an event at
   * the same time keeps its place ahead (the caller then schedules as usual). Returns false when
   * the caller must schedule.
   */
  advanceTo(t_us: number): boolean {
    if (t_us < this.clock || t_us > this.runUntil || t_us >= this.queue.peekTime()) return false;
    this.clock = t_us;
    this.advanced++;
    return true;
  }

  /** Actions processed inline by advanceTo() (counted apart from dispatched events). */
  advanced = 0;
}

/**
 * A valid time or delay: a non-negative safe integer. Math.floor compiles to one instruction,
 * where Number.isInteger showed up in the M/M/1 profile.
 */
function isTime(us: number): boolean {
  return us >= 0 && us <= Number.MAX_SAFE_INTEGER && Math.floor(us) === us;
}

/** Why schedule() (us: the delay) or at() (us: the time) refused its arguments. */
function refusal(call: 'schedule' | 'at', us: number, kind: number, arg: number, now_us: number): Error {
  if (!(kind >= 0 && (kind | 0) === kind)) return new Error(`${call}: kind ${kind} is not a registered kind`);
  if ((arg | 0) !== arg) return new Error(`${call}: arg ${arg} is not an int32`);
  if (call === 'schedule') return new Error(`schedule: delay must be a non-negative integer of microseconds, got ${us}`);
  return new Error(`at: time ${us} is before now (${now_us}) or not an integer`);
}
