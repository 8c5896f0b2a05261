// Writes the host holds (a hook delays their acknowledgement), by sequence number. Hand-written
// because a consistency group can hold a tenth of all writes: a JS Map of boxed numbers cost
// ~1 us per hold. Sequence numbers are dense and increasing and holds are short, so a ring
// indexed by seq (modulo its size) finds a held write in one probe; the ring doubles when a new
// hold lands on a slot still taken (the held span exceeds the ring), up to MAX_RING slots, and
// holds beyond that span go to a Map (bounded by the number of held writes).

/** Largest ring (slots): 2^22 slots of 16 bytes, 64 MiB. */
export const MAX_RING = 1 << 22;
const TWO_30 = 2 ** 30;
/** Slot fields, interleaved (SLOT apart): a hold and a release touch one cache line, not two. */
const SEQ = 0;
const ISSUED = 1;
const SLOT = 2;
/** First ring (slots), grown by doubling. */
const FIRST_RING = 1024;
/** Ring size (slots) from which the ring's buffer is MAX_RING slots (see grow). */
const BIG_RING = 1 << 16;

// Which slots are taken is a bitmap beside the ring (1/128 of its size, so it stays in cache):
// a hold tests its bit and only stores to its slot, whose line is cold (the slot was last used
// a ring's span of writes ago); a load there would stall every hold on a cache miss.

export class HeldWrites {
  /** Per slot: seq, issue time (meaningful while the slot's bit is set). */
  private ring = new Float64Array(FIRST_RING * SLOT);
  /** Bit per slot: taken. */
  private taken = new Uint32Array(FIRST_RING / 32);
  private mask = FIRST_RING - 1;
  private readonly overflow = new Map<number, number>();
  /** Writes held now. */
  count = 0;

  /** Holds write `seq` (never held before) issued at issued_us. */
  add(seq: number, issued_us: number): void {
    let i = this.slot(seq);
    while ((this.taken[i >>> 5] & (1 << (i & 31))) !== 0) {
      if (this.mask + 1 >= MAX_RING) {
        this.overflow.set(seq, issued_us);
        this.count++;
        return;
      }
      this.grow();
      i = this.slot(seq);
    }
    this.taken[i >>> 5] |= 1 << (i & 31);
    this.ring[i * SLOT + SEQ] = seq;
    this.ring[i * SLOT + ISSUED] = issued_us;
    this.count++;
  }

  /**
   * Removes a held write; returns its issue time. A holder that kept the issue time passes it
   * (issued_us): then, unless the overflow is in use, the write's slot is not read (the ring
   * spans every write issued while the oldest was held, so that read is a cache miss), and only
   * its taken bit is checked.
   */
  remove(seq: number, issued_us?: number): number {
    const i = this.slot(seq);
    const bit = 1 << (i & 31);
    if ((this.taken[i >>> 5] & bit) !== 0) {
      if (issued_us !== undefined && this.overflow.size === 0) {
        this.taken[i >>> 5] &= ~bit;
        this.count--;
        return issued_us;
      }
      if (this.ring[i * SLOT + SEQ] === seq) {
        this.taken[i >>> 5] &= ~bit;
        this.count--;
        return this.ring[i * SLOT + ISSUED];
      }
    }
    const t = this.overflow.get(seq);
    if (t === undefined) throw new Error(`release of write ${seq} that is not held`);
    this.overflow.delete(seq);
    this.count--;
    return t;
  }

  /** Issue time of the oldest held write, or Infinity (a scan: for reports, not per write). */
  oldest_us(): number {
    let t = Infinity;
    const r = this.ring;
    for (let i = 0; i <= this.mask; i++) {
      if ((this.taken[i >>> 5] & (1 << (i & 31))) !== 0 && r[i * SLOT + ISSUED] < t) t = r[i * SLOT + ISSUED];
    }
    for (const v of this.overflow.values()) if (v < t) t = v;
    return t;
  }

  /** seq mod ring size, exactly for any seq < 2^53 (& alone takes only the low 32 bits). */
  private slot(seq: number): number {
    return (seq - Math.floor(seq / TWO_30) * TWO_30) & this.mask;
  }

  private grow(): void {
    // Doubling to 2n: slots [n, 2n) are free (no bit beyond the mask is ever set), and the write
    // at slot j < n stays or moves to j + n (seq mod 2n). Past BIG_RING the ring is one buffer of
    // MAX_RING slots, allocated once: its pages are zero-filled by the system when first
    // touched, so growing copies nothing and faults in only the slots in use.
    const n = this.mask + 1;
    if (this.ring.length < 2 * n * SLOT) {
      const cap = 2 * n < BIG_RING ? 2 * n : MAX_RING;
      const ring = new Float64Array(cap * SLOT);
      ring.set(this.ring.subarray(0, n * SLOT));
      const taken = new Uint32Array(cap / 32);
      taken.set(this.taken.subarray(0, n / 32));
      this.ring = ring;
      this.taken = taken;
    }
    this.mask = 2 * n - 1;
    const ring = this.ring;
    const taken = this.taken;
    for (let w = 0; w < n / 32; w++) {
      for (let bits = taken[w]; bits !== 0; bits &= bits - 1) {
        const j = w * 32 + 31 - Math.clz32(bits & -bits);
        if (this.slot(ring[j * SLOT + SEQ]) === j) continue;
        const k = j + n;
        ring[k * SLOT + SEQ] = ring[j * SLOT + SEQ];
        ring[k * SLOT + ISSUED] = ring[j * SLOT + ISSUED];
        taken[k >>> 5] |= 1 << (k & 31);
        taken[w] &= ~(1 << (j & 31));
      }
    }
  }
}
