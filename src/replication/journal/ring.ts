// The journal of one pair (seed 002 FIG 4-5): a cyclic buffer of entries shared by the primary
// (master) journal and the secondary (restore) journal. Entries are stored once, as parallel
// typed arrays (hand-written: this is on the per-write path); the pointers of seed 002 FIG 5
// are monotonic entry counters:
//
//   restored <= restoreScheduled <= received <= sent <= in       (secondary ... primary)
//   purged <= received                                            (primary purges only what the
//                                                                  secondary confirmed)
//
// journal-out = purged, journal-in = in, read-scheduled = sent, already-read = received,
// restore-scheduled = restoreScheduled, already-restored = restored. The primary journal holds
// [purged, in); the secondary holds [restored, received). Each entry costs its data plus a
// metadata record (seed 002: 64 B) against the journal's capacity.

const INITIAL_ENTRIES = 1024;

export class JournalRing {
  private seqA: Float64Array;
  private timeA: Float64Array;
  private volA: Int32Array;
  private offsetA: Float64Array;
  private lenA: Int32Array;
  /** Bytes (data + metadata) appended before each entry: range costs are differences. */
  private cumA: Float64Array;
  private size = 0;
  private mask = 0;
  private appendedBytes = 0;

  in = 0;
  sent = 0;
  received = 0;
  restoreScheduled = 0;
  restored = 0;
  private purgedAt = 0;
  /** bytes(purged, in), kept as entries are appended, purged and truncated: read per host write. */
  private primaryUsed = 0;

  constructor(readonly metadata_bytes: number, readonly max_entries: number) {
    this.seqA = new Float64Array(0);
    this.timeA = new Float64Array(0);
    this.volA = new Int32Array(0);
    this.offsetA = new Float64Array(0);
    this.lenA = new Int32Array(0);
    this.cumA = new Float64Array(0);
    this.resize(Math.min(INITIAL_ENTRIES, nextPow2(max_entries)));
  }

  /** Oldest entry still held by either journal. */
  get oldest(): number {
    return Math.min(this.purgedAt, this.restored);
  }

  /** Bytes (data + metadata) of entries [a, b). */
  bytes(a: number, b: number): number {
    return this.cumAt(b) - this.cumAt(a);
  }

  /** Data bytes (without metadata) of entries [a, b): every entry carries one metadata record. */
  dataBytes(a: number, b: number): number {
    return this.bytes(a, b) - (b - a) * this.metadata_bytes;
  }

  get primaryBytes(): number {
    return this.primaryUsed;
  }

  /** journal-out: entries before it are purged from the primary journal. */
  get purged(): number {
    return this.purgedAt;
  }

  set purged(to: number) {
    if (to < this.purgedAt || to > this.in) throw new Error(`journal: purge to ${to} outside [${this.purgedAt}, ${this.in}]`);
    this.primaryUsed -= this.bytes(this.purgedAt, to);
    this.purgedAt = to;
  }

  get secondaryBytes(): number {
    return this.bytes(this.restored, this.received);
  }

  append(seq: number, time_us: number, vol: number, offset_bytes: number, length_bytes: number): void {
    if (this.in - this.oldest >= this.size) this.grow();
    const i = this.in & this.mask;
    if (this.in > 0 && seq <= this.seqA[(this.in - 1) & this.mask]) {
      throw new Error(`journal: sequence ${seq} not after ${this.seqA[(this.in - 1) & this.mask]}`);
    }
    this.seqA[i] = seq;
    this.timeA[i] = time_us;
    this.volA[i] = vol;
    this.offsetA[i] = offset_bytes;
    this.lenA[i] = length_bytes;
    this.cumA[i] = this.appendedBytes;
    this.appendedBytes += length_bytes + this.metadata_bytes;
    this.primaryUsed += length_bytes + this.metadata_bytes;
    this.in++;
  }

  seq(k: number): number {
    this.checkHeld(k);
    return this.seqA[k & this.mask];
  }
  time(k: number): number {
    this.checkHeld(k);
    return this.timeA[k & this.mask];
  }
  vol(k: number): number {
    this.checkHeld(k);
    return this.volA[k & this.mask];
  }
  /** Byte offset of entry k's write in its volume. */
  offset(k: number): number {
    this.checkHeld(k);
    return this.offsetA[k & this.mask];
  }
  len(k: number): number {
    this.checkHeld(k);
    return this.lenA[k & this.mask];
  }

  /** Largest entry end e in [from, in] with bytes(from, e) <= limit (at least one entry). */
  batchEnd(from: number, limit_bytes: number, upto = this.in): number {
    if (from >= upto) return from;
    if (upto > this.in) throw new Error(`journal: batch end ${upto} beyond in ${this.in}`);
    const base = this.cumAt(from); // checks from: the probes below lie in (from, upto]
    // Galloping search from `from`: a batch spans a few hundred entries of a ring that may
    // hold millions, so the probes stay near its start (and in cache).
    let lo = from + 1; // one entry goes even when larger than the limit
    let step = 1;
    while (lo + step <= upto && this.cumHeld(lo + step) - base <= limit_bytes) {
      lo += step;
      step *= 2;
    }
    let hi = Math.min(upto, lo + step - 1);
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2); // counters pass 2^32 on long runs: no >>>
      if (this.cumHeld(mid) - base <= limit_bytes) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Discards entries [to, in) that were never sent (suspension). */
  truncate(to: number): void {
    if (to < this.sent || to > this.in) throw new Error(`journal: truncate to ${to} outside [${this.sent}, ${this.in}]`);
    this.primaryUsed -= this.bytes(to, this.in);
    this.appendedBytes = this.cumAt(to);
    this.in = to;
  }

  /** Asserts the pointer order of seed 002 FIG 5. */
  check(): void {
    const ok = this.restored <= this.restoreScheduled && this.restoreScheduled <= this.received &&
      this.received <= this.sent && this.sent <= this.in && this.purged <= this.received &&
      this.in - this.oldest <= this.size && this.primaryUsed === this.bytes(this.purgedAt, this.in);
    if (!ok) {
      throw new Error(`journal pointers out of order: restored=${this.restored} restoreScheduled=${this.restoreScheduled} ` +
        `received=${this.received} sent=${this.sent} in=${this.in} purged=${this.purged} ` +
        `primary=${this.primaryUsed} B`);
    }
  }

  private cumAt(k: number): number {
    if (k === this.in) return this.appendedBytes;
    this.checkHeld(k);
    return this.cumA[k & this.mask];
  }

  /** cumAt for k the caller knows is held or is `in` (the probes of batchEnd). */
  private cumHeld(k: number): number {
    return k === this.in ? this.appendedBytes : this.cumA[k & this.mask];
  }

  private checkHeld(k: number): void {
    if (k < this.oldest || k >= this.in) throw new Error(`journal: entry ${k} not held [${this.oldest}, ${this.in})`);
  }

  private grow(): void {
    if (this.size >= this.max_entries) throw new Error(`journal: more than ${this.max_entries} entries`);
    this.resize(this.size * 2);
  }

  private resize(n: number): void {
    const from = this.oldest;
    const count = this.in - from;
    this.seqA = rehome(this.seqA, new Float64Array(n), from, count);
    this.timeA = rehome(this.timeA, new Float64Array(n), from, count);
    this.volA = rehome(this.volA, new Int32Array(n), from, count);
    this.offsetA = rehome(this.offsetA, new Float64Array(n), from, count);
    this.lenA = rehome(this.lenA, new Int32Array(n), from, count);
    this.cumA = rehome(this.cumA, new Float64Array(n), from, count);
    this.size = n;
    this.mask = n - 1;
  }
}

/**
 * Copies entries [from, from + count) of a ring (power-of-two length; empty at first) into a
 * larger one at the same indices modulo its length, as at most four block copies.
 */
function rehome<T extends Float64Array | Int32Array>(old: T, next: T, from: number, count: number): T {
  const oldLen = old.length;
  const newLen = next.length;
  let k = from;
  const end = from + count;
  while (k < end) {
    const a = k & (oldLen - 1);
    const b = k & (newLen - 1);
    // The longest run contiguous in both rings.
    const run = Math.min(end - k, oldLen - a, newLen - b);
    next.set(old.subarray(a, a + run), b);
    k += run;
  }
  return next;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
