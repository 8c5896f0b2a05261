// Named random streams. Each source of randomness draws from its own generator, seeded from the
// run seed and the stream's name, so that (for example) the host writes are identical whichever
// replication policy is simulated: common random numbers make policy comparisons paired.
//
// Generator: seedrandom's xor4096 (Brent's xorgens, period 2^4096-1). It is among the fastest of
// seedrandom's generators and passes the distribution tests in test/engine/random.test.ts; the
// default ARC4 is about ten times slower.

import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform double in [0, 1). */
  next(): number;
  readonly name: string;
}

class XorStream implements Rng {
  private readonly gen: seedrandom.PRNG;
  constructor(readonly name: string, seed: string) {
    this.gen = seedrandom.xor4096(seed);
  }
  next(): number {
    return this.gen();
  }
}

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
