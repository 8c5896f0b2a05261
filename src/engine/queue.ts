// Pending-event queue: a binary min-heap ordered by (time, scheduling sequence).
//
// Hand-written because it is the hottest loop of the simulator. Each heap entry carries the
// whole event, (time, sequence, kind, arg), interleaved in one Float64Array, so a pop reads the
// event from the top entry with no indirection, and nothing is allocated per event (V8 loads an
// array's header, length and base per access, so one array beats several).
//
// A handle is the event's sequence number. Whether it is still pending needs no per-event
// bookkeeping: events are popped in (time, sequence) order and pushed at or after the last
// popped time, so an event is pending exactly when its (time, sequence) is after the last
// popped one's and it was not cancelled. Its time is found in a ring indexed by sequence (the
// last 8 x capacity events), or, for an event that stayed pending longer than that, in a map it
// was moved to when its ring place was reused.
// Cancellation is lazy: a cancelled sequence goes into a set, and its entry is dropped when it
// reaches the top; pops consult the set only while cancellations are pending.

export type Handle = number;

const INITIAL_CAPACITY = 1024;
/** Hard bound on pending events: a model that schedules more is leaking timers. */
export const MAX_PENDING = 1 << 26;
/** Heap entry layout: time, sequence, kind, arg. */
const STRIDE = 4;
/**
 * Events whose time the ring keeps: 8 per heap entry of capacity (a power of two), so that few
 * pending events outlive their ring place, within these bounds (128 KiB to 128 MiB).
 */
const MIN_RING = 1 << 14;
const MAX_RING = 1 << 24;
/** Buckets of the filter in front of the cancelled set (a power of two). */
const FILTER = 1 << 12;

export class EventQueue {
  /** Entry at heap position p: time at 4p, sequence at 4p + 1, kind at 4p + 2, arg at 4p + 3. */
  private heap: Float64Array;
  private heapSize = 0;
  private capacity = 0;
  private nextSeq = 0;
  /** Time of event seq at seq & ringMask, for the last ringMask + 1 events; -1 if none. */
  private ringTime = new Float64Array(MIN_RING).fill(-1);
  private ringMask = MIN_RING - 1;
  /** seq -> time of events that were still pending when their ring place was reused. */
  private readonly oldTimes = new Map<number, number>();
  private oldTimesSweepAt = 1024;
  /** Dropped cancelled events not yet passed by a pop: time, seq, time, seq... from droppedHead. */
  private readonly dropped: number[] = [];
  private droppedHead = 0;
  private droppedTotal = 0;
  /** Sequences of cancelled events still in the heap, or dropped but not passed by a pop. */
  private readonly cancelled = new Set<number>();
  /** Entries of `cancelled` per seq & (FILTER - 1): pops look into the set only on a hit. */
  private readonly cancelFilter = new Int32Array(FILTER);
  /** Cancelled entries in the heap, as a field: the pop's test while nothing is cancelled. */
  private cancelledInHeap = 0;
  // The event last popped. Pushes come at or after its time (the Simulator refuses past times),
  // so entries still in the heap, and only they or dropped cancelled ones, come after it.
  private lastTime = -1;
  private lastSeq = -1;
  private lastKind = -1;
  private lastArg = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.heap = new Float64Array(0);
    this.grow(Math.max(1, capacity));
  }

  /** Events popped so far (each pushed one is in the heap, popped or dropped): no count per pop. */
  get popped(): number {
    return this.nextSeq - this.heapSize - this.droppedTotal;
  }

  /** Number of live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.cancelledInHeap;
  }

  /** Schedules kind(arg) at time (>= the last popped time); returns a handle for cancel(). */
  push(time: number, kind: number, arg: number): Handle {
    const n = this.heapSize;
    if (n === this.capacity) this.grow(this.capacity * 2);
    const seq = this.nextSeq++;
    const ring = this.ringTime;
    const i = seq & this.ringMask;
    // The event that had this ring place may still be pending (a rare long timer): keep its time.
    const old = ring[i];
    if (old >= this.lastTime) this.keepOldTime(seq - ring.length, old);
    ring[i] = time;
    this.siftUp(n, time, seq, kind, arg);
    this.heapSize = n + 1;
    return seq;
  }

  /** Cancels a pending event; returns false when it already fired or was cancelled. */
  cancel(handle: Handle): boolean {
    if (!(handle >= 0 && handle < this.nextSeq) || Math.floor(handle) !== handle) return false;
    this.purgeDropped();
    const time = handle >= this.nextSeq - this.ringTime.length ? this.ringTime[handle & this.ringMask] : (this.oldTimes.get(handle) ?? -1);
    if (!this.inHeap(time, handle) || this.cancelled.has(handle)) return false;
    this.cancelled.add(handle);
    this.cancelFilter[handle & (FILTER - 1)]++;
    this.cancelledInHeap++;
    return true;
  }

  /** Time of the next live event, or Infinity when none. Drops cancelled tops. */
  peekTime(): number {
    while (this.heapSize > 0) {
      if (!(this.cancelledInHeap > 0 && this.isCancelled(this.heap[1]))) return this.heap[0];
      this.dropTop();
    }
    return Infinity;
  }

  /**
   * Removes the next live event. Its fields are read with the popped* accessors right after.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    this.lastKind = this.popUntil(Infinity);
    return this.lastKind >= 0;
  }

  /**
   * Removes the next live event if its time is <= until and returns its kind, else -1. Its
   * time and arg are lastPoppedTime and lastPoppedArg.
   */
  popUntil(until: number): number {
    while (this.heapSize > 0) {
      const heap = this.heap;
      const time = heap[0];
      if (time > until) return -1;
      const seq = heap[1];
      if (this.cancelledInHeap > 0 && this.isCancelled(seq)) {
        this.dropTop();
        continue;
      }
      const kind = heap[2];
      this.lastTime = time;
      this.lastSeq = seq;
      this.lastArg = heap[3];
      this.removeTop();
      return kind;
    }
    return -1;
  }

  get lastPoppedTime(): number {
    return this.lastTime;
  }
  get lastPoppedArg(): number {
    return this.lastArg;
  }
  get poppedTime(): number {
    return this.lastTime;
  }
  get poppedKind(): number {
    return this.lastKind;
  }
  get poppedArg(): number {
    return this.lastArg;
  }
  get poppedSeq(): number {
    return this.lastSeq;
  }

  /** Is the event (time, seq) still in the heap? (time -1: unknown, long gone.) */
  private inHeap(time: number, seq: number): boolean {
    return time > this.lastTime || (time === this.lastTime && seq > this.lastSeq);
  }

  private isCancelled(seq: number): boolean {
    return this.cancelFilter[seq & (FILTER - 1)] !== 0 && this.cancelled.has(seq);
  }

  /** Records the time of event seq, if it is still in the heap, before its ring place is reused. */
  private keepOldTime(seq: number, time: number): void {
    if (seq < 0 || !this.inHeap(time, seq)) return;
    this.oldTimes.set(seq, time);
    if (this.oldTimes.size < this.oldTimesSweepAt) return;
    // Forget the events that left the heap since (amortized O(1) per insertion).
    for (const [s, t] of this.oldTimes) if (!this.inHeap(t, s)) this.oldTimes.delete(s);
    this.oldTimesSweepAt = Math.max(1024, 2 * this.oldTimes.size);
  }

  /** Restores the heap without its top entry. */
  private removeTop(): void {
    const n = --this.heapSize;
    if (n > 0) this.siftDown(n);
  }

  /**
   * Removes a cancelled top entry. Its sequence stays in the cancelled set until a pop passes
   * it (purgeDropped): it may lie after the last pop, where a handle still looks in the heap.
   */
  private dropTop(): void {
    this.dropped.push(this.heap[0], this.heap[1]);
    this.cancelledInHeap--;
    this.droppedTotal++;
    this.removeTop();
  }

  /** Forgets the dropped cancelled events that the pops have passed. */
  private purgeDropped(): void {
    const d = this.dropped;
    let i = this.droppedHead;
    while (i < d.length && !this.inHeap(d[i], d[i + 1])) {
      this.cancelled.delete(d[i + 1]);
      this.cancelFilter[d[i + 1] & (FILTER - 1)]--;
      i += 2;
    }
    if (i === d.length) {
      d.length = 0;
      i = 0;
    }
    this.droppedHead = i;
  }

  private siftUp(pos: number, time: number, seq: number, kind: number, arg: number): void {
    const heap = this.heap;
    while (pos > 0) {
      const parent = (pos - 1) >> 1; // pos >= 1: no overflow
      const p = parent << 2;
      // seq is unique and increasing, so a new entry never precedes an equal-time parent.
      if (heap[p] <= time) break;
      const q = pos << 2;
      heap[q] = heap[p];
      heap[q | 1] = heap[p | 1];
      heap[q | 2] = heap[p | 2];
      heap[q | 3] = heap[p | 3];
      pos = parent;
    }
    const q = pos << 2;
    heap[q] = time;
    heap[q | 1] = seq;
    heap[q | 2] = kind;
    heap[q | 3] = arg;
  }

  /**
   * Places the entry at position n from the root down in a heap of n entries. It reads the
   * entry itself: were the call not inlined, double arguments would be boxed on every pop.
   */
  private siftDown(n: number): void {
    const heap = this.heap;
    // Entry offsets are p << 2 plus 0..3 by |: V8 checks int32 overflow on * and +, not on << and |.
    const last = n << 2;
    const time = heap[last];
    const seq = heap[last | 1];
    const kind = heap[last | 2];
    const arg = heap[last | 3];
    let pos = 0;
    for (;;) {
      let child = (pos << 1) | 1;
      if (child >= n) break;
      let c = child << 2;
      if (child + 1 < n) {
        const r = c + STRIDE;
        if (heap[r] < heap[c] || (heap[r] === heap[c] && heap[r | 1] < heap[c | 1])) {
          child++;
          c = r;
        }
      }
      const ct = heap[c];
      if (time < ct || (time === ct && seq < heap[c | 1])) break;
      const q = pos << 2;
      heap[q] = ct;
      heap[q | 1] = heap[c | 1];
      heap[q | 2] = heap[c | 2];
      heap[q | 3] = heap[c | 3];
      pos = child;
    }
    const q = pos << 2;
    heap[q] = time;
    heap[q | 1] = seq;
    heap[q | 2] = kind;
    heap[q | 3] = arg;
  }

  private grow(capacity: number): void {
    if (capacity > MAX_PENDING) {
      throw new Error(`event queue: more than ${MAX_PENDING} pending events (a model leaks timers)`);
    }
    const heap = new Float64Array(STRIDE * capacity);
    heap.set(this.heap);
    this.heap = heap;
    this.capacity = capacity;
    const ringSize = Math.min(MAX_RING, Math.max(MIN_RING, 8 * capacity));
    if (ringSize > this.ringTime.length) this.growRing(ringSize);
  }

  /**
   * Moves the ring to a larger one. Its extra places cover older events: those evicted while
   * still pending come back from the map, the others (fired or dropped) get -1.
   */
  private growRing(size: number): void {
    const old = this.ringTime;
    const ring = new Float64Array(size).fill(-1);
    for (let s = Math.max(0, this.nextSeq - old.length); s < this.nextSeq; s++) ring[s & (size - 1)] = old[s & this.ringMask];
    for (const [s, t] of this.oldTimes) if (s >= this.nextSeq - size) ring[s & (size - 1)] = t;
    this.ringTime = ring;
    this.ringMask = size - 1;
  }
}
