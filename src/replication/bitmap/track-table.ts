// A small map from (local volume, track) to a non-negative int, in a typed array: open
// addressing with linear probing and backward-shift deletion (no tombstones), doubling at half
// full; a slot's key and value are adjacent (one cache line per probe). For the tracks with
// writes held for their old image: a dense per-track array would be tens of MB of fresh pages on
// big volumes, touched at random; a JS Map would box the keys.

const EMPTY = -1;
const TWO_32 = 2 ** 32;
/** Slot fields: key (track * volumes + volume), value. */
const KEY = 0;
const VAL = 1;
const SLOT = 2;

export class TrackTable {
  private slots: Float64Array;
  private mask: number;
  size = 0;

  constructor(private readonly volumes: number, capacity = 1024) {
    const cap = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.slots = emptySlots(cap);
    this.mask = cap - 1;
  }

  /** The value for (l, t), or -1. */
  get(l: number, t: number): number {
    const key = t * this.volumes + l;
    for (let i = this.slotOf(key); ; i = (i + 1) & this.mask) {
      const k = this.slots[i * SLOT + KEY];
      if (k === key) return this.slots[i * SLOT + VAL];
      if (k === EMPTY) return -1;
    }
  }

  /** Sets the value (>= 0) for (l, t). */
  set(l: number, t: number, val: number): void {
    this.setAt(this.entry(l, t), val);
  }

  /** Value at an entry (from entry()). */
  valueAt(i: number): number {
    return this.slots[i * SLOT + VAL];
  }

  /** Sets the value at an entry (from entry(), not used after: the table may grow here). */
  setAt(i: number, val: number): void {
    this.slots[i * SLOT + VAL] = val;
    if (this.size * 2 > this.mask + 1) this.grow();
  }

  /** The entry of (l, t), made (value -1) when absent: get-and-set with one lookup. */
  entry(l: number, t: number): number {
    const key = t * this.volumes + l;
    let i = this.slotOf(key);
    for (;;) {
      const k = this.slots[i * SLOT + KEY];
      if (k === key) return i;
      if (k === EMPTY) break;
      i = (i + 1) & this.mask;
    }
    this.slots[i * SLOT + KEY] = key;
    this.slots[i * SLOT + VAL] = -1;
    this.size++;
    return i;
  }

  /** Removes (l, t); returns its value, or -1 when absent. */
  delete(l: number, t: number): number {
    const key = t * this.volumes + l;
    const mask = this.mask;
    const s = this.slots;
    let i = this.slotOf(key);
    for (;;) {
      const k = s[i * SLOT + KEY];
      if (k === EMPTY) return -1;
      if (k === key) break;
      i = (i + 1) & mask;
    }
    const val = s[i * SLOT + VAL];
    this.size--;
    // Backward shift: move later entries of the probe run into the hole when their home allows.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = s[j * SLOT + KEY];
      if (k === EMPTY) break;
      const home = this.slotOf(k);
      // j's entry may fill the hole when its home is not in (hole, j] (cyclically).
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        s[hole * SLOT + KEY] = k;
        s[hole * SLOT + VAL] = s[j * SLOT + VAL];
        hole = j;
      }
    }
    s[hole * SLOT + KEY] = EMPTY;
    return val;
  }

  /** Home slot of a key (an integer below 2^53): its low and high 32 bits, mixed. */
  private slotOf(key: number): number {
    const hi = key < TWO_32 ? 0 : Math.floor(key / TWO_32);
    let h = Math.imul((key | 0) ^ Math.imul(hi + 1, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  private grow(): void {
    const old = this.slots;
    const cap = 2 * (this.mask + 1);
    this.slots = emptySlots(cap);
    this.mask = cap - 1;
    const s = this.slots;
    // Keys are distinct: each goes to the first empty slot from its home (no decode, no compare).
    for (let i = 0; i < old.length; i += SLOT) {
      const k = old[i + KEY];
      if (k === EMPTY) continue;
      let j = this.slotOf(k);
      while (s[j * SLOT + KEY] !== EMPTY) j = (j + 1) & this.mask;
      s[j * SLOT + KEY] = k;
      s[j * SLOT + VAL] = old[i + VAL];
    }
  }
}

function emptySlots(cap: number): Float64Array {
  const s = new Float64Array(cap * SLOT);
  for (let i = 0; i < cap; i++) s[i * SLOT + KEY] = EMPTY;
  return s;
}
