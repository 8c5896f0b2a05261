// Pending-event queue: a binary min-heap ordered by (time, scheduling sequence).
//
// Hand-written because it is the hottest loop of the simulator. Each heap entry carries the
// whole event, (time, sequence, kind, arg), interleaved in one Float64Array, so a pop reads the
// event from the top entry with no indirection, and nothing is allocated per event (V8 loads an
// array's header, length and base per access, so one array beats several).
//
// A handle is the event's sequence number, and nothing is kept per event for cancel(): an event
// is pending exactly when its sequence is in the heap and not cancelled. cancel() looks for it
// there: a pass over the heap's sequences for a lone cancel (O(pending)), a set of them for k
// cancels in a row, as when a link goes down (O(pending + k)). (Recording each push's time for
// an O(1) cancel cost ~5% of the M/M/1's instructions.)
// Cancellation is lazy: a cancelled sequence goes into a set, and its entry is dropped when it
// reaches the top; pops consult the set only while cancellations are pending.

export type Handle = number;

const INITIAL_CAPACITY = 1024;
/** Hard bound on pending events: a model that schedules more is leaking timers. */
export const MAX_PENDING = 1 << 26;
/** Heap entry layout: time, sequence, kind, arg. */
const STRIDE = 4;
/** Buckets of the filter in front of the cancelled set (a power of two). */
const FILTER = 1 << 12;

export class EventQueue {
  /** Entry at heap position p: time at 4p, sequence at 4p + 1, kind at 4p + 2, arg at 4p + 3. */
  private heap: Float64Array;
  private heapSize = 0;
  private capacity = 0;
  private nextSeq = 0;
  /** Cancelled entries dropped from the heap. */
  private droppedTotal = 0;
  /**
   * The heap's sequences, or null, when nextSeq and heapSize were indexNextSeq and
   * indexHeapSize: a push changes the first, a pop or drop alone the second.
   */
  private index: Set<number> | null = null;
  private indexNextSeq = -1;
  private indexHeapSize = -1;
  /** Sequences of cancelled events still in the heap. */
  private readonly cancelled = new Set<number>();
  /** Entries of `cancelled` per seq & (FILTER - 1): pops look into the set only on a hit. */
  private readonly cancelFilter = new Int32Array(FILTER);
  /** Cancelled entries in the heap, as a field: the pop's test while nothing is cancelled. */
  private cancelledInHeap = 0;
  // The event last popped (its sequence only for pop()).
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

  /**
   * Schedules kind(arg) at time (>= the last popped time; kind and arg int32); returns a handle
   * for cancel().
   */
  push(time: number, kind: number, arg: number): Handle {
    const n = this.heapSize;
    if (n === this.capacity) this.grow(this.capacity * 2);
    const seq = this.nextSeq++;
    this.siftUp(n, time, seq, kind, arg);
    this.heapSize = n + 1;
    return seq;
  }

  /** Cancels a pending event; returns false when it already fired or was cancelled. */
  cancel(handle: Handle): boolean {
    if (!(handle >= 0 && handle < this.nextSeq) || Math.floor(handle) !== handle) return false;
    if (this.cancelled.has(handle) || !this.inHeap(handle)) return false;
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
    if (this.peekTime() !== Infinity) this.lastSeq = this.heap[1];
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
      // Kinds and args are int32 (the Simulator checks), so | 0 is exact: an int for dispatch
      // without a check that the double holds one, and a small-integer arg never boxed.
      const kind = heap[2] | 0;
      this.lastTime = time;
      this.lastArg = heap[3] | 0;
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

  /**
   * Is seq in the heap? A first cancel() since the last push, pop or drop scans the heap; a
   * second one indexes it, for the cancels that follow in a row (O(pending + k) for k).
   */
  private inHeap(seq: number): boolean {
    const heap = this.heap;
    if (this.indexNextSeq !== this.nextSeq || this.indexHeapSize !== this.heapSize) {
      this.indexNextSeq = this.nextSeq;
      this.indexHeapSize = this.heapSize;
      this.index = null;
      for (let p = 0; p < this.heapSize; p++) if (heap[(p << 2) | 1] === seq) return true;
      return false;
    }
    if (this.index === null) {
      this.index = new Set<number>();
      for (let p = 0; p < this.heapSize; p++) this.index.add(heap[(p << 2) | 1]);
    }
    return this.index.has(seq);
  }

  private isCancelled(seq: number): boolean {
    return this.cancelFilter[seq & (FILTER - 1)] !== 0 && this.cancelled.has(seq);
  }

  /** Restores the heap without its top entry. */
  private removeTop(): void {
    const n = --this.heapSize;
    if (n > 0) this.siftDown(n);
  }

  /** Removes a cancelled top entry: its sequence leaves the cancelled set with it. */
  private dropTop(): void {
    const seq = this.heap[1];
    this.cancelled.delete(seq);
    this.cancelFilter[seq & (FILTER - 1)]--;
    this.cancelledInHeap--;
    this.droppedTotal++;
    this.removeTop();
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
  }
}
