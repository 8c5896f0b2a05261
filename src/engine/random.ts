// Named random streams. Each source of randomness draws from its own generator, seeded from the
// run seed and the stream's name, so that (for example) the host writes are identical whichever
// replication policy is simulated: common random numbers make policy comparisons paired.
//
// Generator: seedrandom's xor4096 (Brent's xorgens, period 2^4096-1, made for Monte Carlo). It
// passes the uniformity tests in test/engine/random.test.ts and, in `npm run bench` (case rng),
// draws several times faster than seedrandom's default ARC4 and about as fast as alea.

import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform double in [0, 1). */
  next(): number;
  readonly name: string;
}

/**
 * xor4096 seeded by seedrandom itself (its state is copied out once), then stepped here over an
 * Int32Array: the same sequence as seedrandom's prng() (test/engine/random.test.ts checks it
 * draw for draw). Draws are made BATCH at a time into a buffer, so the generator's state stays
 * in registers across a tight loop and next() is one array read: in the replication model,
 * where a host write takes several draws from different streams between other work, this
 * halved the cost of a draw. The sequence is unchanged (the buffer is consumed in order and no
 * one else reads the state).
 */
class XorStream implements Rng {
  private readonly x: Int32Array;
  private i: number;
  private w: number;
  /** Draws made ahead, consumed from `pos`; allocated on the first draw (many streams draw rarely). */
  private buf: Float64Array | null = null;
  private pos = BATCH;

  constructor(readonly name: string, seed: string) {
    const state = seedrandom.xor4096(seed, { state: true }).state();
    this.x = Int32Array.from(state.X);
    this.i = state.i;
    this.w = state.w;
  }

  next(): number {
    if (this.pos === BATCH) this.refill();
    return this.buf![this.pos++];
  }

  private refill(): void {
    const buf = (this.buf ??= new Float64Array(BATCH));
    const x = this.x;
    let i = this.i;
    let w = this.w;
    for (let k = 0; k < BATCH; k++) {
      w = (w + 0x61c88647) | 0;
      let v = x[(i + 34) & 127];
      i = (i + 1) & 127;
      let t = x[i];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v ^= t;
      x[i] = v;
      buf[k] = ((v + (w ^ (w >>> 16))) >>> 0) * TWO_M32; // exactly / 2^32
    }
    this.i = i;
    this.w = w;
    this.pos = 0;
  }
}

/** 2^-32. */
const TWO_M32 = 1 / 4294967296;

/** Draws per refill of a stream's buffer. */
const BATCH = 256;

export class Streams {
  private readonly made = new Set<string>();
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  }

  /** The stream named `name`; each name may be taken once per run (two owners would share draws). */
  stream(name: string): Rng {
    if (this.made.has(name)) throw new Error(`random stream "${name}" already taken`);
    this.made.add(name);
    return new XorStream(name, `repsim:${this.seed}:${name}`);
  }
}
