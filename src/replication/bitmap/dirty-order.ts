// Without consistency groups, RPO is the issue time of the oldest write not yet on the secondary.
// Tracks become dirty (their first write since they were last sent) in time order, so a FIFO of
// (first write time, volume, track) has the oldest dirty track at its front once entries of
// tracks sent since are dropped: O(1) amortized per sample instead of a scan of every dirty track.

const TIME = 0;
const VOL = 1;
const TRACK = 2;
const ENTRY = 3;

export class DirtyOrder {
  private q: Float64Array;
  /** Entries [head, tail) (counters; the ring index is counter % capacity). */
  private head = 0;
  private tail = 0;
  private cap: number;

  constructor(capacity = 256) {
    this.cap = capacity;
    this.q = new Float64Array(capacity * ENTRY);
  }

  get length(): number {
    return this.tail - this.head;
  }

  /** Track (l, t) became dirty at time_us (not before any earlier push). */
  push(time_us: number, l: number, t: number): void {
    if (this.tail - this.head === this.cap) this.grow();
    const at = (this.tail % this.cap) * ENTRY;
    if (this.tail > this.head && time_us < this.q[((this.tail - 1) % this.cap) * ENTRY + TIME]) {
      throw new Error('oos-bitmap: dirty tracks out of time order');
    }
    this.q[at + TIME] = time_us;
    this.q[at + VOL] = l;
    this.q[at + TRACK] = t;
    this.tail++;
  }

  /**
   * The first-write time of the oldest entry still dirty (live(time, l, t) tells), or Infinity;
   * drops the entries before it.
   */
  oldest(live: (time_us: number, l: number, t: number) => boolean): number {
    while (this.head < this.tail) {
      const at = (this.head % this.cap) * ENTRY;
      const time = this.q[at + TIME];
      if (live(time, this.q[at + VOL], this.q[at + TRACK])) return time;
      this.head++;
    }
    this.head = 0;
    this.tail = 0;
    return Infinity;
  }

  private grow(): void {
    // Full: the ring's entries run from the head's index to the end, then from 0 to it.
    const n = this.tail - this.head;
    const h = (this.head % this.cap) * ENTRY;
    const q = new Float64Array(this.cap * 2 * ENTRY);
    q.set(this.q.subarray(h));
    q.set(this.q.subarray(0, h), this.q.length - h);
    this.q = q;
    this.cap *= 2;
    this.head = 0;
    this.tail = n;
  }
}
