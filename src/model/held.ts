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

export class HeldWrites {
  /** Per slot: seq (0: free), issue time. */
  private ring = new Float64Array(FIRST_RING * SLOT);
  private mask = FIRST_RING - 1;
  private readonly overflow = new Map<number, number>();
  /** Writes held now. */
  count = 0;

  /** Holds write `seq` (never held before) issued at issued_us. */
  add(seq: number, issued_us: number): void {
    let at = this.slot(seq) * SLOT;
    while (this.ring[at + SEQ] !== 0) {
      if (this.mask + 1 >= MAX_RING) {
        this.overflow.set(seq, issued_us);
        this.count++;
        return;
      }
      this.grow();
      at = this.slot(seq) * SLOT;
    }
    this.ring[at + SEQ] = seq;
    this.ring[at + ISSUED] = issued_us;
    this.count++;
  }

  /** Removes a held write; returns its issue time. */
  remove(seq: number): number {
    const at = this.slot(seq) * SLOT;
    if (this.ring[at + SEQ] === seq) {
      this.ring[at + SEQ] = 0;
      this.count--;
      return this.ring[at + ISSUED];
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
    for (let at = 0; at < r.length; at += SLOT) if (r[at + SEQ] !== 0 && r[at + ISSUED] < t) t = r[at + ISSUED];
    for (const v of this.overflow.values()) if (v < t) t = v;
    return t;
  }

  /** seq mod ring size, exactly for any seq < 2^53 (& alone takes only the low 32 bits). */
  private slot(seq: number): number {
    return (seq - Math.floor(seq / TWO_30) * TWO_30) & this.mask;
  }

  private grow(): void {
    // Doubling: the write at slot j moves to j or j + n (seq mod 2n). Copy the ring into both
    // halves (two block copies), then free the copy at the slot each write does not belong to.
    const old = this.ring;
    const n = this.mask + 1;
    const ring = new Float64Array(old.length * 2);
    ring.set(old);
    ring.set(old, old.length);
    this.ring = ring;
    this.mask = 2 * n - 1;
    for (let j = 0; j < n; j++) {
      const seq = old[j * SLOT + SEQ];
      if (seq !== 0) ring[(this.slot(seq) === j ? j + n : j) * SLOT + SEQ] = 0;
    }
  }
}
