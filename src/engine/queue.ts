// Pending-event queue: a binary min-heap ordered by (time, scheduling sequence).
//
// Hand-written because it is the hottest loop of the simulator: events live in slots of
// parallel typed arrays (struct-of-arrays), the heap holds slot indices, and nothing is
// allocated per event. Cancellation is lazy: a cancelled slot stays in the heap and is
// skipped when it reaches the top, which keeps cancel O(1).

export type Handle = number;

const INITIAL_CAPACITY = 1024;
/** Hard bound on pending events: a model that schedules more is leaking timers. */
export const MAX_PENDING = 1 << 26;

export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private arg: Float64Array;
  /** Generation per slot, bumped on free, so a stale handle cannot cancel a reused slot. */
  private gen: Uint32Array;
  private cancelled: Uint8Array;
  private heap: Int32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private heapSize = 0;
  private live = 0;
  private nextSeq = 0;
  private capacity = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.time = new Float64Array(0);
    this.seq = new Float64Array(0);
    this.kind = new Int32Array(0);
    this.arg = new Float64Array(0);
    this.gen = new Uint32Array(0);
    this.cancelled = new Uint8Array(0);
    this.heap = new Int32Array(0);
    this.freeSlots = new Int32Array(0);
    this.grow(capacity);
  }

  /** Number of live (not cancelled) pending events. */
  get size(): number {
    return this.live;
  }

  /** Schedules kind(arg) at time; returns a handle for cancel(). */
  push(time: number, kind: number, arg: number): Handle {
    if (this.freeCount === 0) this.grow(this.capacity * 2);
    const slot = this.freeSlots[--this.freeCount];
    this.time[slot] = time;
    this.seq[slot] = this.nextSeq++;
    this.kind[slot] = kind;
    this.arg[slot] = arg;
    this.cancelled[slot] = 0;
    this.siftUp(this.heapSize++, slot);
    this.live++;
    return slot * 0x100000000 + this.gen[slot];
  }

  /** Cancels a pending event; returns false when it already fired or was cancelled. */
  cancel(handle: Handle): boolean {
    const slot = Math.floor(handle / 0x100000000);
    const gen = handle - slot * 0x100000000;
    if (slot >= this.capacity || this.gen[slot] !== gen || this.cancelled[slot] === 1) return false;
    this.cancelled[slot] = 1;
    this.live--;
    return true;
  }

  /** Time of the next live event, or Infinity when none. Drops cancelled tops. */
  peekTime(): number {
    this.dropCancelledTop();
    return this.heapSize === 0 ? Infinity : this.time[this.heap[0]];
  }

  /**
   * Removes the next live event. Its fields are read with the accessors right after, before
   * the next push (the slot is recycled then). Returns false when the queue is empty.
   */
  pop(): boolean {
    this.dropCancelledTop();
    if (this.heapSize === 0) return false;
    const slot = this.heap[0];
    this.removeTop();
    this.popped = slot;
    this.live--;
    return true;
  }

  private popped = -1;
  get poppedTime(): number {
    return this.time[this.popped];
  }
  get poppedKind(): number {
    return this.kind[this.popped];
  }
  get poppedArg(): number {
    return this.arg[this.popped];
  }
  get poppedSeq(): number {
    return this.seq[this.popped];
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0 && this.cancelled[this.heap[0]] === 1) this.removeTop();
  }

  private removeTop(): void {
    const top = this.heap[0];
    this.gen[top] = (this.gen[top] + 1) >>> 0;
    this.freeSlots[this.freeCount++] = top;
    const last = this.heap[--this.heapSize];
    if (this.heapSize > 0) this.siftDown(0, last);
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a];
    const tb = this.time[b];
    return ta < tb || (ta === tb && this.seq[a] < this.seq[b]);
  }

  private siftUp(pos: number, slot: number): void {
    const heap = this.heap;
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos];
      if (!this.less(slot, parent)) break;
      heap[pos] = parent;
      pos = parentPos;
    }
    heap[pos] = slot;
  }

  private siftDown(pos: number, slot: number): void {
    const heap = this.heap;
    const n = this.heapSize;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right], heap[child])) child = right;
      if (!this.less(heap[child], slot)) break;
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = slot;
  }

  private grow(capacity: number): void {
    if (capacity > MAX_PENDING) {
      throw new Error(`event queue: more than ${MAX_PENDING} pending events (a model leaks timers)`);
    }
    const old = this.capacity;
    this.time = resize(this.time, capacity);
    this.seq = resize(this.seq, capacity);
    this.kind = resize(this.kind, capacity);
    this.arg = resize(this.arg, capacity);
    this.gen = resize(this.gen, capacity);
    this.cancelled = resize(this.cancelled, capacity);
    this.heap = resize(this.heap, capacity);
    const free = new Int32Array(capacity);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    // New slots are handed out lowest first, which keeps memory access near the front.
    for (let s = capacity - 1; s >= old; s--) free[this.freeCount++] = s;
    this.freeSlots = free;
    this.capacity = capacity;
  }
}

type Typed = Float64Array | Int32Array | Uint32Array | Uint8Array;
function resize<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
