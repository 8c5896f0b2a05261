// Lists of held host writes (seq, issue time, volume, track), in first-held-first-released
// order, without per-write allocation: nodes live in one growable Float64Array with a free list.
// A list is named by one number, a handle packing its head and tail nodes (head * HANDLE +
// tail), so append and concatenation are O(1) and append only stores to the old tail (a cache
// miss on a store does not stall; reading the tail's link, as a circular list must, did). NONE
// is the empty list. A node's fields are adjacent (32 bytes, half a cache line): lists
// interleave in the pool, so separate arrays would cost a miss per field. The issue time rides
// along so the host's release need not look it up (another miss).

export const NONE = -1;

/** Node fields, NODE apart: seq, issue time, volume * 2^32 + track, next node. */
const SEQ = 0;
const ISSUED = 1;
const WHERE = 2;
const NEXT = 3;
const NODE = 4;
const TWO_32 = 2 ** 32;
const INV_TWO_32 = 2 ** -32;
/** Nodes per pool at most (2^26 held writes, 2 GiB): a handle is head * HANDLE + tail < 2^52. */
const HANDLE = 2 ** 26;
const INV_HANDLE = 2 ** -26;
/** Volumes below 2^20 and tracks below 2^32: volume * 2^32 + track stays exact (< 2^52). */
const MAX_VOLUME = 2 ** 20;

export type Release = (seq: number, volume: number, track: number, issued_us: number) => void;

export class HeldWrites {
  private nodes: Float64Array;
  private freeHead = NONE;
  private used = 0;
  /** Nodes in lists (held writes). */
  size = 0;

  constructor(capacity = 1024) {
    this.nodes = new Float64Array(capacity * NODE);
  }

  /** Appends a write to the list `list`; returns the list's new handle. */
  append(list: number, seq: number, issued_us: number, volume: number, track: number): number {
    if (track >= TWO_32 || volume >= MAX_VOLUME) throw new Error(`held write ${seq}: volume ${volume} or track ${track} out of range`);
    const n = this.alloc();
    const a = this.nodes;
    const at = n * NODE;
    a[at + SEQ] = seq;
    a[at + ISSUED] = issued_us;
    a[at + WHERE] = volume * TWO_32 + track;
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
  drain(list: number, release: Release): number {
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
      const where = a[at + WHERE];
      const volume = Math.floor(where * INV_TWO_32);
      release(a[at + SEQ], volume, where - volume * TWO_32, a[at + ISSUED]);
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
      const grown = new Float64Array(Math.min(this.nodes.length * 2, HANDLE * NODE));
      grown.set(this.nodes);
      this.nodes = grown;
    }
    return this.used++;
  }
}
