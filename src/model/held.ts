// Writes the host holds (a hook delays their acknowledgement), by sequence number. Hand-written
// because a consistency group can hold a tenth of all writes: a JS Map of boxed numbers cost
// ~1 us per hold. Sequence numbers are dense and increasing and holds are short, so a ring
// indexed by seq (modulo its size) finds a held write in one probe; the ring doubles when a new
// hold lands on a slot still taken (the held span exceeds the ring), up to MAX_RING slots, and
// holds beyond that span go to a Map (bounded by the number of held writes).

/** Largest ring (slots): 2^22 slots of 16 bytes, 64 MiB. */
export const MAX_RING = 1 << 22;
const TWO_30 = 2 ** 30;

export class HeldWrites {
  private seq = new Float64Array(1024);
  private issued = new Float64Array(1024);
  private mask = 1023;
  private readonly overflow = new Map<number, number>();
  /** Writes held now. */
  count = 0;

  /** Holds write `seq` (never held before) issued at issued_us. */
  add(seq: number, issued_us: number): void {
    let i = this.slot(seq);
    while (this.seq[i] !== 0) {
      if (this.seq.length >= MAX_RING) {
        this.overflow.set(seq, issued_us);
        this.count++;
        return;
      }
      this.grow();
      i = this.slot(seq);
    }
    this.seq[i] = seq;
    this.issued[i] = issued_us;
    this.count++;
  }

  /** Removes a held write; returns its issue time. */
  remove(seq: number): number {
    const i = this.slot(seq);
    if (this.seq[i] === seq) {
      this.seq[i] = 0;
      this.count--;
      return this.issued[i];
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
    for (let i = 0; i < this.seq.length; i++) if (this.seq[i] !== 0 && this.issued[i] < t) t = this.issued[i];
    for (const v of this.overflow.values()) if (v < t) t = v;
    return t;
  }

  /** seq mod ring size, exactly for any seq < 2^53 (& alone takes only the low 32 bits). */
  private slot(seq: number): number {
    return (seq - Math.floor(seq / TWO_30) * TWO_30) & this.mask;
  }

  private grow(): void {
    const seq = this.seq;
    const issued = this.issued;
    this.seq = new Float64Array(seq.length * 2);
    this.issued = new Float64Array(seq.length * 2);
    this.mask = this.seq.length - 1;
    for (let j = 0; j < seq.length; j++) {
      if (seq[j] === 0) continue;
      const i = this.slot(seq[j]);
      this.seq[i] = seq[j];
      this.issued[i] = issued[j];
    }
  }
}
