// A fixed-size bitmap over tracks or regions (OOS bitmaps, change recording, differential and
// pending bitmaps). Hand-written: it sits on the per-write path and the drain scans it, so it is
// a Uint32Array with word-level scans and a maintained population count.

export class Bitmap {
  readonly words: Uint32Array;
  private ones = 0;

  constructor(readonly bits: number) {
    if (!Number.isInteger(bits) || bits < 0) throw new Error(`bitmap size must be a whole number, got ${bits}`);
    this.words = new Uint32Array(Math.ceil(bits / 32));
  }

  /** Bits set. */
  get count(): number {
    return this.ones;
  }

  get(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; returns true when it was clear. */
  set(i: number): boolean {
    const w = i >>> 5;
    const m = 1 << (i & 31);
    const old = this.words[w];
    if (old & m) return false;
    this.words[w] = old | m;
    this.ones++;
    return true;
  }

  /** Clears bit i; returns true when it was set. */
  clear(i: number): boolean {
    const w = i >>> 5;
    const m = 1 << (i & 31);
    const old = this.words[w];
    if (!(old & m)) return false;
    this.words[w] = old & ~m;
    this.ones--;
    return true;
  }

  clearAll(): void {
    this.words.fill(0);
    this.ones = 0;
  }

  setAll(): void {
    this.words.fill(0xffffffff);
    const tail = this.bits & 31;
    if (tail !== 0) this.words[this.words.length - 1] = (1 << tail) - 1 >>> 0 || 0xffffffff;
    this.ones = this.bits;
  }

  /** First set bit at or after `from`, or -1. Word-level scan. */
  nextSet(from: number): number {
    if (from >= this.bits) return -1;
    let w = from >>> 5;
    let word = this.words[w] & (~0 << (from & 31));
    const n = this.words.length;
    for (;;) {
      if (word !== 0) {
        const bit = (w << 5) + (31 - Math.clz32(word & -word));
        return bit < this.bits ? bit : -1;
      }
      if (++w >= n) return -1;
      word = this.words[w];
    }
  }

  /** ORs `other` into this bitmap (same size). */
  orFrom(other: Bitmap): void {
    if (other.bits !== this.bits) throw new Error('bitmap sizes differ');
    let ones = 0;
    for (let w = 0; w < this.words.length; w++) {
      const v = (this.words[w] | other.words[w]) >>> 0;
      this.words[w] = v;
      ones += popcount32(v);
    }
    this.ones = ones;
  }

  /** Recounts from the words (invariant check). */
  recount(): number {
    let ones = 0;
    for (let w = 0; w < this.words.length; w++) ones += popcount32(this.words[w]);
    return ones;
  }
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
