// A small map from (local volume, track) to a non-negative int, in typed arrays: open addressing
// with linear probing and backward-shift deletion (no tombstones), doubling at half full. For
// the few tracks with writes held for their old image: a dense per-track array would be tens of
// MB of fresh pages on big volumes, touched at random; a JS Map would box the keys.

const EMPTY = -1;

export class TrackTable {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(private readonly volumes: number, capacity = 1024) {
    const cap = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The value for (l, t), or -1. */
  get(l: number, t: number): number {
    const key = t * this.volumes + l;
    for (let i = this.slot(l, t); ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === key) return this.vals[i];
      if (k === EMPTY) return -1;
    }
  }

  /** Sets the value (>= 0) for (l, t). */
  set(l: number, t: number, val: number): void {
    this.setAt(this.entry(l, t), val);
  }

  /** Value at an entry (from entry()). */
  valueAt(i: number): number {
    return this.vals[i];
  }

  /** Sets the value at an entry (from entry(), not used after: the table may grow here). */
  setAt(i: number, val: number): void {
    this.vals[i] = val;
    if (this.size * 2 > this.keys.length) this.grow();
  }

  /** The entry of (l, t), made (value -1) when absent: get-and-set with one lookup. */
  entry(l: number, t: number): number {
    const key = t * this.volumes + l;
    let i = this.slot(l, t);
    for (;;) {
      const k = this.keys[i];
      if (k === key) return i;
      if (k === EMPTY) break;
      i = (i + 1) & this.mask;
    }
    this.keys[i] = key;
    this.vals[i] = -1;
    this.size++;
    return i;
  }

  /** Removes (l, t); returns its value, or -1 when absent. */
  delete(l: number, t: number): number {
    const key = t * this.volumes + l;
    const mask = this.mask;
    let i = this.slot(l, t);
    for (;;) {
      const k = this.keys[i];
      if (k === EMPTY) return -1;
      if (k === key) break;
      i = (i + 1) & mask;
    }
    const val = this.vals[i];
    this.size--;
    // Backward shift: move later entries of the probe run into the hole when their home allows.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = this.keys[j];
      if (k === EMPTY) break;
      const home = this.home(k);
      // j's entry may fill the hole when its home is not in (hole, j] (cyclically).
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.keys[hole] = k;
        this.vals[hole] = this.vals[j];
        hole = j;
      }
    }
    this.keys[hole] = EMPTY;
    return val;
  }

  private home(key: number): number {
    const l = key % this.volumes;
    return this.slot(l, (key - l) / this.volumes);
  }

  private slot(l: number, t: number): number {
    let h = Math.imul((t | 0) ^ Math.imul(l + 1, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.vals = new Int32Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === EMPTY) continue;
      const l = k % this.volumes;
      this.set(l, (k - l) / this.volumes, vals[i]);
    }
  }
}
