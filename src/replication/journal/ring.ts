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
//
// An entry's fields lie side by side in one Float64Array (ENTRY_FIELDS per entry): an append
// is one array check and six stores to one cache line, where six parallel arrays cost a map
// check, a bounds check and a store stream each (~50 instructions per host write).

const INITIAL_ENTRIES = 1024;
/** Fields of an entry, at these offsets from its base. */
const SEQ = 0;
const TIME = 1;
const VOL = 2;
const OFFSET = 3;
const LEN = 4;
/** Bytes (data + metadata) appended before the entry: range costs are differences. */
const CUM = 5;
const ENTRY_FIELDS = 6;

export class JournalRing {
  /** Entry k at base (k & mask) * ENTRY_FIELDS. */
  private e: Float64Array;
  private size = 0;
  private mask = 0;
  private appendedBytes = 0;
  /**
   * Seq of the newest entry ever appended (the order check; host sequence numbers start at 1).
   * Not rolled back by truncate(): the host's sequence only grows, so no later entry is older.
   */
  private lastSeq = 0;

  in = 0;
  sent = 0;
  received = 0;
  restoreScheduled = 0;
  restored = 0;
  private purgedAt = 0;
  /** bytes(purged, in), kept as entries are appended, purged and truncated: read per host write. */
  private primaryUsed = 0;

  constructor(readonly metadata_bytes: number, readonly max_entries: number) {
    this.e = new Float64Array(0);
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
    if (seq <= this.lastSeq) throw new Error(`journal: sequence ${seq} not after ${this.lastSeq}`);
    const e = this.e;
    const b = this.base(this.in);
    e[b + SEQ] = seq;
    e[b + TIME] = time_us;
    e[b + VOL] = vol;
    e[b + OFFSET] = offset_bytes;
    e[b + LEN] = length_bytes;
    e[b + CUM] = this.appendedBytes;
    this.lastSeq = seq;
    this.appendedBytes += length_bytes + this.metadata_bytes;
    this.primaryUsed += length_bytes + this.metadata_bytes;
    this.in++;
  }

  seq(k: number): number {
    return this.field(k, SEQ);
  }
  time(k: number): number {
    return this.field(k, TIME);
  }
  vol(k: number): number {
    return this.field(k, VOL);
  }
  /** Byte offset of entry k's write in its volume. */
  offset(k: number): number {
    return this.field(k, OFFSET);
  }
  len(k: number): number {
    return this.field(k, LEN);
  }

  private field(k: number, f: number): number {
    this.checkHeld(k);
    return this.e[this.base(k) + f];
  }

  /** Index of entry k's first field in e (k held, or in). */
  private base(k: number): number {
    return (k & this.mask) * ENTRY_FIELDS;
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
    return this.field(k, CUM);
  }

  /** cumAt for k the caller knows is held or is `in` (the probes of batchEnd). */
  private cumHeld(k: number): number {
    return k === this.in ? this.appendedBytes : this.e[this.base(k) + CUM];
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
    this.e = rehome(this.e, new Float64Array(n * ENTRY_FIELDS), from, count);
    this.size = n;
    this.mask = n - 1;
  }
}

/**
 * Copies entries [from, from + count) of a ring (a power-of-two number of entries; empty at
 * first) into a larger one at the same entry indices modulo its entry count, as at most four
 * block copies.
 */
function rehome(old: Float64Array, next: Float64Array, from: number, count: number): Float64Array {
  const oldLen = old.length / ENTRY_FIELDS;
  const newLen = next.length / ENTRY_FIELDS;
  let k = from;
  const end = from + count;
  while (k < end) {
    const a = k & (oldLen - 1);
    const b = k & (newLen - 1);
    // The longest run contiguous in both rings.
    const run = Math.min(end - k, oldLen - a, newLen - b);
    next.set(old.subarray(a * ENTRY_FIELDS, (a + run) * ENTRY_FIELDS), b * ENTRY_FIELDS);
    k += run;
  }
  return next;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
