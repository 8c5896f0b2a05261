// Lists of held host writes (seq, volume, track), in first-held-first-released order, without
// per-write allocation: nodes live in growable typed arrays with a free list, and a list is a
// circular singly linked list named by its tail (tail.next is the head), so append and
// concatenation are O(1). NONE is the empty list.

export const NONE = -1;

export class HeldWrites {
  private seq: Float64Array;
  private track: Float64Array;
  private vol: Int32Array;
  private next: Int32Array;
  private freeHead = NONE;
  private used = 0;
  /** Nodes in lists (held writes). */
  size = 0;

  constructor(capacity = 1024) {
    this.seq = new Float64Array(capacity);
    this.track = new Float64Array(capacity);
    this.vol = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** Appends a write to the list `tail`; returns the list's new tail. */
  append(tail: number, seq: number, volume: number, track: number): number {
    const n = this.alloc();
    this.seq[n] = seq;
    this.vol[n] = volume;
    this.track[n] = track;
    if (tail === NONE) {
      this.next[n] = n;
    } else {
      this.next[n] = this.next[tail];
      this.next[tail] = n;
    }
    this.size++;
    return n;
  }

  /** The list `a` followed by the list `b`; returns its tail. */
  concat(a: number, b: number): number {
    if (a === NONE) return b;
    if (b === NONE) return a;
    const headA = this.next[a];
    this.next[a] = this.next[b];
    this.next[b] = headA;
    return b;
  }

  /** Calls release for each write of the list, head first, and frees its nodes; returns how many. */
  drain(tail: number, release: (seq: number, volume: number, track: number) => void): number {
    if (tail === NONE) return 0;
    let n = this.next[tail];
    this.next[tail] = NONE; // cut the circle: the walk ends after the tail
    let count = 0;
    while (n !== NONE) {
      const after = this.next[n];
      this.next[n] = this.freeHead;
      this.freeHead = n;
      count++;
      release(this.seq[n], this.vol[n], this.track[n]);
      n = after;
    }
    this.size -= count;
    return count;
  }

  private alloc(): number {
    if (this.freeHead !== NONE) {
      const n = this.freeHead;
      this.freeHead = this.next[n];
      return n;
    }
    if (this.used === this.seq.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const cap = this.seq.length * 2;
    this.seq = copy(new Float64Array(cap), this.seq);
    this.track = copy(new Float64Array(cap), this.track);
    this.vol = copy(new Int32Array(cap), this.vol);
    this.next = copy(new Int32Array(cap), this.next);
  }
}

function copy<T extends Float64Array | Int32Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
