// Pending-event queue: a binary min-heap ordered by (time, scheduling sequence).
//
// Hand-written because it is the hottest loop of the simulator: events live in slots of
// parallel typed arrays (struct-of-arrays) and nothing is allocated per event. The heap keeps
// each entry's time and sequence beside its slot index, so sifting compares contiguous keys
// instead of chasing slots; time and sequence share one array (interleaved), which halves the
// array-header loads and bounds checks V8 does per access on the hot path. Cancellation is lazy: a cancelled slot stays in the heap and is
// skipped when it reaches the top, which keeps cancel O(1).
//
// A slot's state needs no array of its own: a slot is pending while its kind is >= 0 and its
// generation is the handle's (free slots start with kind -1 and get a new generation when
// freed); cancel sets the kind to -1. That saves a store per push and per pop.

export type Handle = number;

const INITIAL_CAPACITY = 1024;
/** Hard bound on pending events: a model that schedules more is leaking timers. */
export const MAX_PENDING = 1 << 26;
/**
 * A handle is gen * 2^26 + slot with gen counted modulo 2^27, so it stays an exact integer
 * (< 2^53). A stale handle can only alias a live event after 2^27 reuses of its slot.
 */
const SLOT_SPAN = MAX_PENDING;
const GEN_MASK = (1 << 27) - 1;
/** Kind of a cancelled or never used slot. */
const NO_KIND = -1;

export class EventQueue {
  // Per slot.
  /** Event kind per slot, NO_KIND when cancelled or never used. */
  private kind: Int32Array;
  private arg: Float64Array;
  /** Generation per slot, bumped on free, so a stale handle cannot cancel a reused slot. */
  private gen: Int32Array;
  // Per heap position.
  /** Entry at heap position p: time at 2p, sequence at 2p + 1. */
  private heapKey: Float64Array;
  private heapSlot: Int32Array;

  private freeSlots: Int32Array;
  private freeCount = 0;
  private heapSize = 0;
  /** Cancelled entries still in the heap: size is heapSize minus these. */
  private cancelledInHeap = 0;
  private nextSeq = 0;
  private capacity = 0;
  private popped = -1;
  /** Time of the event popUntil last returned; sequence of the one pop() last returned. */
  private lastTime = 0;
  private lastSeq = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.kind = new Int32Array(0);
    this.arg = new Float64Array(0);
    this.gen = new Int32Array(0);
    this.heapKey = new Float64Array(0);
    this.heapSlot = new Int32Array(0);
    this.freeSlots = new Int32Array(0);
    this.grow(Math.max(1, capacity));
  }

  /** Number of live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.cancelledInHeap;
  }

  /** Schedules kind(arg) at time; returns a handle for cancel(). */
  push(time: number, kind: number, arg: number): Handle {
    if (this.freeCount === 0) this.grow(this.capacity * 2);
    const slot = this.freeSlots[--this.freeCount];
    const seq = this.nextSeq++;
    this.kind[slot] = kind;
    this.arg[slot] = arg;
    this.siftUp(this.heapSize++, time, seq, slot);
    return this.gen[slot] * SLOT_SPAN + slot;
  }

  /** Cancels a pending event; returns false when it already fired or was cancelled. */
  cancel(handle: Handle): boolean {
    const slot = handle % SLOT_SPAN;
    if (!(slot >= 0 && slot < this.capacity)) return false;
    // A fired slot has a new generation; a cancelled (or never used) one has no kind.
    if (this.gen[slot] * SLOT_SPAN + slot !== handle || this.kind[slot] < 0) return false;
    this.kind[slot] = NO_KIND;
    this.cancelledInHeap++;
    return true;
  }

  /** Time of the next live event, or Infinity when none. Drops cancelled tops. */
  peekTime(): number {
    this.dropCancelledTop();
    return this.heapSize === 0 ? Infinity : this.heapKey[0];
  }

  /**
   * Removes the next live event. Its fields are read with the accessors right after, before
   * the next push (the slot is recycled then). Returns false when the queue is empty.
   */
  pop(): boolean {
    this.dropCancelledTop();
    if (this.heapSize > 0) this.lastSeq = this.heapKey[1];
    this.popped = this.popUntil(Infinity);
    return this.popped >= 0;
  }

  /**
   * Removes the next live event if its time is <= until and returns its slot, else -1. The
   * slot's kind and arg (kindOf, argOf) stay readable until the next push; its time is
   * lastPoppedTime.
   */
  popUntil(until: number): number {
    while (this.heapSize > 0) {
      const slot = this.heapSlot[0];
      if (this.kind[slot] < 0) {
        this.removeTop();
        this.cancelledInHeap--;
        continue;
      }
      const time = this.heapKey[0];
      if (time > until) return -1;
      this.lastTime = time;
      this.removeTop();
      return slot;
    }
    return -1;
  }

  get lastPoppedTime(): number {
    return this.lastTime;
  }
  kindOf(slot: number): number {
    return this.kind[slot];
  }
  argOf(slot: number): number {
    return this.arg[slot];
  }

  get poppedTime(): number {
    return this.lastTime;
  }
  get poppedKind(): number {
    return this.kind[this.popped];
  }
  get poppedArg(): number {
    return this.arg[this.popped];
  }
  get poppedSeq(): number {
    return this.lastSeq;
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0 && this.kind[this.heapSlot[0]] < 0) {
      this.removeTop();
      this.cancelledInHeap--;
    }
  }

  /** Frees the top slot and restores the heap with the last entry. */
  private removeTop(): void {
    const top = this.heapSlot[0];
    this.gen[top] = (this.gen[top] + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = top;
    const n = --this.heapSize;
    if (n > 0) this.siftDown(this.heapKey[2 * n], this.heapKey[2 * n + 1], this.heapSlot[n]);
  }

  private siftUp(pos: number, time: number, seq: number, slot: number): void {
    const key = this.heapKey;
    const hslot = this.heapSlot;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = key[2 * parent];
      // seq is unique and increasing, so a new entry never precedes an equal-time parent.
      if (pt <= time) break;
      key[2 * pos] = pt;
      key[2 * pos + 1] = key[2 * parent + 1];
      hslot[pos] = hslot[parent];
      pos = parent;
    }
    key[2 * pos] = time;
    key[2 * pos + 1] = seq;
    hslot[pos] = slot;
  }

  /** Places (time, seq, slot) from the root down. */
  private siftDown(time: number, seq: number, slot: number): void {
    const key = this.heapKey;
    const hslot = this.heapSlot;
    const n = this.heapSize;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let ct = key[2 * child];
      let cs = key[2 * child + 1];
      if (child + 1 < n) {
        const rt = key[2 * child + 2];
        const rs = key[2 * child + 3];
        if (rt < ct || (rt === ct && rs < cs)) {
          child++;
          ct = rt;
          cs = rs;
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      key[2 * pos] = ct;
      key[2 * pos + 1] = cs;
      hslot[pos] = hslot[child];
      pos = child;
    }
    key[2 * pos] = time;
    key[2 * pos + 1] = seq;
    hslot[pos] = slot;
  }

  private grow(capacity: number): void {
    if (capacity > MAX_PENDING) {
      throw new Error(`event queue: more than ${MAX_PENDING} pending events (a model leaks timers)`);
    }
    const old = this.capacity;
    this.kind = resize(this.kind, capacity);
    this.arg = resize(this.arg, capacity);
    this.gen = resize(this.gen, capacity);
    this.kind.fill(NO_KIND, old);
    this.heapKey = resize(this.heapKey, 2 * capacity);
    this.heapSlot = resize(this.heapSlot, capacity);
    const free = new Int32Array(capacity);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    // New slots are handed out lowest first, which keeps memory access near the front.
    for (let s = capacity - 1; s >= old; s--) free[this.freeCount++] = s;
    this.freeSlots = free;
    this.capacity = capacity;
  }
}

type Typed = Float64Array | Int32Array;
function resize<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
