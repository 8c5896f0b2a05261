// A fixed-size bitmap over tracks or regions (OOS bitmaps, change recording, differential and
// pending bitmaps). Hand-written: it sits on the per-write path and drains scan it, so it is a
// Uint32Array with a maintained population count and two summary levels (a bit per non-zero
// word, and a bit per non-zero summary word): nextSet finds the next set bit in a mostly clear
// bitmap without scanning every word, O(bits / 32768) words at worst instead of O(bits / 32),
// while set and clear stay O(1).
//
// Bitmaps over the same tracks may share one word array, interleaved (Bitmap.pair): the
// oos-bitmap mode tests OOS and sets change recording of the same track on each host write, and
// interleaved words put both in one cache line, so it costs one memory access instead of two.

export class Bitmap {
  /** Word w of this bitmap is words[w * stride + lane] (stride 1 unless made by pair()). */
  readonly words: Uint32Array;
  private readonly stride: number;
  private readonly lane: number;
  /** Words of this bitmap. */
  private readonly nWords: number;
  /** Bit w: words[w] !== 0. */
  private readonly l1: Uint32Array;
  /** Bit k: l1[k] !== 0. */
  private readonly l2: Uint32Array;
  private ones = 0;

  constructor(readonly bits: number, shared: { words: Uint32Array; stride: number; lane: number } | null = null) {
    if (!Number.isInteger(bits) || bits < 0) throw new Error(`bitmap size must be a whole number, got ${bits}`);
    this.nWords = Math.ceil(bits / 32);
    this.stride = shared?.stride ?? 1;
    this.lane = shared?.lane ?? 0;
    this.words = shared?.words ?? new Uint32Array(this.nWords);
    if (this.words.length < this.nWords * this.stride) throw new Error('shared bitmap words too short');
    this.l1 = new Uint32Array(Math.ceil(this.nWords / 32));
    this.l2 = new Uint32Array(Math.ceil(this.l1.length / 32));
  }

  /**
   * In the words of a pair(), the index of the first bitmap's word holding bit i; the second
   * bitmap's word is the next one.
   */
  static pairWord(i: number): number {
    return (i >>> 5) << 1;
  }

  /** Two bitmaps of `bits` bits whose words are interleaved in one array. */
  static pair(bits: number): [Bitmap, Bitmap] {
    const words = new Uint32Array(2 * Math.ceil(bits / 32));
    return [new Bitmap(bits, { words, stride: 2, lane: 0 }), new Bitmap(bits, { words, stride: 2, lane: 1 })];
  }

  /** Word w. */
  word(w: number): number {
    return this.words[w * this.stride + this.lane];
  }

  /** Bits set. */
  get count(): number {
    return this.ones;
  }

  get(i: number): boolean {
    return (this.words[(i >>> 5) * this.stride + this.lane] & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; returns true when it was clear. */
  set(i: number): boolean {
    const w = i >>> 5;
    const m = 1 << (i & 31);
    const at = w * this.stride + this.lane;
    const old = this.words[at];
    if (old & m) return false;
    this.words[at] = old | m;
    this.ones++;
    if (old === 0) {
      const k = w >>> 5;
      const o1 = this.l1[k];
      this.l1[k] = o1 | (1 << (w & 31));
      if (o1 === 0) this.l2[k >>> 5] |= 1 << (k & 31);
    }
    return true;
  }

  /** Clears bit i; returns true when it was set. */
  clear(i: number): boolean {
    const w = i >>> 5;
    const m = 1 << (i & 31);
    const at = w * this.stride + this.lane;
    const old = this.words[at];
    if (!(old & m)) return false;
    const v = old & ~m;
    this.words[at] = v;
    this.ones--;
    if (v === 0) {
      const k = w >>> 5;
      const v1 = this.l1[k] & ~(1 << (w & 31));
      this.l1[k] = v1;
      if (v1 === 0) this.l2[k >>> 5] &= ~(1 << (k & 31));
    }
    return true;
  }

  clearAll(): void {
    if (this.ones === 0) return;
    if (this.ones * 8 < this.nWords || this.stride !== 1) {
      // Sparse (change recording is usually small), or interleaved: zero only the non-zero words.
      for (let w = this.nextWord(0); w >= 0; w = this.nextWord(w + 1)) this.words[w * this.stride + this.lane] = 0;
    } else {
      this.words.fill(0);
    }
    this.l1.fill(0);
    this.l2.fill(0);
    this.ones = 0;
  }

  setAll(): void {
    for (let w = 0; w < this.nWords; w++) this.words[w * this.stride + this.lane] = 0xffffffff;
    const tail = this.bits & 31;
    if (tail !== 0) this.words[(this.nWords - 1) * this.stride + this.lane] = (1 << tail) - 1;
    this.ones = this.bits;
    this.rebuildSummaries();
  }

  /** ORs `other` (same size) into this bitmap; visits only other's non-zero words. */
  orFrom(other: Bitmap): void {
    if (other.bits !== this.bits) throw new Error('bitmap sizes differ');
    for (let w = other.nextWord(0); w >= 0; w = other.nextWord(w + 1)) {
      const at = w * this.stride + this.lane;
      const old = this.words[at];
      const add = other.word(w) & ~old;
      if (add === 0) continue;
      this.words[at] = old | add;
      this.ones += popcount32(add >>> 0);
      if (old === 0) {
        const k = w >>> 5;
        const o1 = this.l1[k];
        this.l1[k] = o1 | (1 << (w & 31));
        if (o1 === 0) this.l2[k >>> 5] |= 1 << (k & 31);
      }
    }
  }

  /** First set bit at or after `from`, or -1. */
  nextSet(from: number): number {
    if (from >= this.bits || this.ones === 0) return -1;
    let w = from >>> 5;
    const word = this.word(w) & (~0 << (from & 31));
    if (word !== 0) return (w << 5) + lowBit(word);
    w = this.nextWord(w + 1);
    return w < 0 ? -1 : (w << 5) + lowBit(this.word(w));
  }

  /** First non-zero word at or after w, or -1 (through the summaries). */
  private nextWord(w: number): number {
    if (w >= this.nWords) return -1;
    let k = w >>> 5;
    const b1 = this.l1[k] & (~0 << (w & 31));
    if (b1 !== 0) return (k << 5) + lowBit(b1);
    k++;
    if (k >= this.l1.length) return -1;
    let j = k >>> 5;
    let b2 = this.l2[j] & (~0 << (k & 31));
    while (b2 === 0) {
      if (++j >= this.l2.length) return -1;
      b2 = this.l2[j];
    }
    k = (j << 5) + lowBit(b2);
    return (k << 5) + lowBit(this.l1[k]);
  }

  /** Recounts from the words (invariant check). */
  recount(): number {
    let ones = 0;
    for (let w = 0; w < this.nWords; w++) ones += popcount32(this.word(w));
    return ones;
  }

  private rebuildSummaries(): void {
    this.l1.fill(0);
    this.l2.fill(0);
    for (let w = 0; w < this.nWords; w++) if (this.word(w) !== 0) this.l1[w >>> 5] |= 1 << (w & 31);
    for (let k = 0; k < this.l1.length; k++) if (this.l1[k] !== 0) this.l2[k >>> 5] |= 1 << (k & 31);
  }
}

function lowBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
