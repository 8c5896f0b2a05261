// Lists of held host writes (seq, volume, track), in first-held-first-released order, without
// per-write allocation: nodes live in one growable Int32Array with a free list, and a list is a
// circular singly linked list named by its tail (tail.next is the head), so append and
// concatenation are O(1). NONE is the empty list. A node's four fields are adjacent (one cache
// line): lists interleave in the pool, so separate arrays would cost a miss per field.

export const NONE = -1;

/** Node fields, NODE apart. seq and track are stored as uint32 bits. */
const SEQ = 0;
const VOL = 1;
const TRACK = 2;
const NEXT = 3;
const NODE = 4;
const UINT32_MAX = 0xffffffff;

export class HeldWrites {
  private nodes: Int32Array;
  private freeHead = NONE;
  private used = 0;
  /** Nodes in lists (held writes). */
  size = 0;

  constructor(capacity = 1024) {
    this.nodes = new Int32Array(capacity * NODE);
  }

  /** Appends a write to the list `tail`; returns the list's new tail. */
  append(tail: number, seq: number, volume: number, track: number): number {
    if (seq > UINT32_MAX || track > UINT32_MAX) throw new Error(`held write ${seq} (track ${track}) beyond 32 bits`);
    const n = this.alloc();
    const a = this.nodes;
    const at = n * NODE;
    a[at + SEQ] = seq;
    a[at + VOL] = volume;
    a[at + TRACK] = track;
    if (tail === NONE) {
      a[at + NEXT] = n;
    } else {
      a[at + NEXT] = a[tail * NODE + NEXT];
      a[tail * NODE + NEXT] = n;
    }
    this.size++;
    return n;
  }

  /** The list `a` followed by the list `b`; returns its tail. */
  concat(a: number, b: number): number {
    if (a === NONE) return b;
    if (b === NONE) return a;
    const nodes = this.nodes;
    const headA = nodes[a * NODE + NEXT];
    nodes[a * NODE + NEXT] = nodes[b * NODE + NEXT];
    nodes[b * NODE + NEXT] = headA;
    return b;
  }

  /** Calls release for each write of the list, head first, and frees its nodes; returns how many. */
  drain(tail: number, release: (seq: number, volume: number, track: number) => void): number {
    if (tail === NONE) return 0;
    let n = this.nodes[tail * NODE + NEXT];
    this.nodes[tail * NODE + NEXT] = NONE; // cut the circle: the walk ends after the tail
    let count = 0;
    while (n !== NONE) {
      const a = this.nodes; // re-read: a release that appends may grow the pool
      const at = n * NODE;
      const after = a[at + NEXT];
      a[at + NEXT] = this.freeHead;
      this.freeHead = n;
      count++;
      release(a[at + SEQ] >>> 0, a[at + VOL], a[at + TRACK] >>> 0);
      n = after;
    }
    this.size -= count;
    return count;
  }

  private alloc(): number {
    if (this.freeHead !== NONE) {
      const n = this.freeHead;
      this.freeHead = this.nodes[n * NODE + NEXT];
      return n;
    }
    if (this.used * NODE === this.nodes.length) {
      const grown = new Int32Array(this.nodes.length * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    return this.used++;
  }
}
