// Lists of held host writes (seq, volume, track), in first-held-first-released order, without
// per-write allocation: nodes live in one growable Int32Array with a free list. A list is named
// by one number, a handle packing its head and tail nodes (head * HANDLE + tail), so append and
// concatenation are O(1) and append only stores to the old tail (a cache miss on a store does
// not stall; reading the tail's link, as a circular list must, did). NONE is the empty list. A
// node's four fields are adjacent (one cache line): lists interleave in the pool, so separate
// arrays would cost a miss per field.

export const NONE = -1;

/** Node fields, NODE apart. seq and track are stored as uint32 bits. */
const SEQ = 0;
const VOL = 1;
const TRACK = 2;
const NEXT = 3;
const NODE = 4;
const UINT32_MAX = 0xffffffff;
/** Nodes per pool at most (2^26 held writes, 1 GiB): a handle is head * HANDLE + tail < 2^52. */
const HANDLE = 2 ** 26;
const INV_HANDLE = 2 ** -26;

export class HeldWrites {
  private nodes: Int32Array;
  private freeHead = NONE;
  private used = 0;
  /** Nodes in lists (held writes). */
  size = 0;

  constructor(capacity = 1024) {
    this.nodes = new Int32Array(capacity * NODE);
  }

  /** Appends a write to the list `list`; returns the list's new handle. */
  append(list: number, seq: number, volume: number, track: number): number {
    if (seq > UINT32_MAX || track > UINT32_MAX) throw new Error(`held write ${seq} (track ${track}) beyond 32 bits`);
    const n = this.alloc();
    const a = this.nodes;
    const at = n * NODE;
    a[at + SEQ] = seq;
    a[at + VOL] = volume;
    a[at + TRACK] = track;
    a[at + NEXT] = NONE;
    this.size++;
    if (list === NONE) return n * HANDLE + n;
    const head = Math.floor(list * INV_HANDLE);
    a[(list - head * HANDLE) * NODE + NEXT] = n;
    return head * HANDLE + n;
  }

  /** The list `a` followed by the list `b`; returns its handle. */
  concat(a: number, b: number): number {
    if (a === NONE) return b;
    if (b === NONE) return a;
    const headA = Math.floor(a * INV_HANDLE);
    const headB = Math.floor(b * INV_HANDLE);
    this.nodes[(a - headA * HANDLE) * NODE + NEXT] = headB;
    return headA * HANDLE + (b - headB * HANDLE);
  }

  /** Calls release for each write of the list, head first, and frees its nodes; returns how many. */
  drain(list: number, release: (seq: number, volume: number, track: number) => void): number {
    if (list === NONE) return 0;
    let n = Math.floor(list * INV_HANDLE);
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
      if (this.used >= HANDLE) throw new Error(`more than ${HANDLE} held writes`);
      const grown = new Int32Array(Math.min(this.nodes.length * 2, HANDLE * NODE));
      grown.set(this.nodes);
      this.nodes = grown;
    }
    return this.used++;
  }
}
