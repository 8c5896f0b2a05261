// The generator repsim used before xoshiro128**: seedrandom's xor4096 stepped over its 128-word
// state (an Int32Array), 256 draws per refill. Kept as the `rng` case's yardstick.

import seedrandom from 'seedrandom';

export class Xor4096Buffered {
  private readonly x: Int32Array;
  private i: number;
  private w: number;
  private readonly buf = new Float64Array(256);
  private pos = 256;

  constructor(seed: string) {
    const state = seedrandom.xor4096(seed, { state: true }).state();
    this.x = Int32Array.from(state.X);
    this.i = state.i;
    this.w = state.w;
  }

  next(): number {
    if (this.pos === 256) this.refill();
    return this.buf[this.pos++];
  }

  private refill(): void {
    const x = this.x;
    let i = this.i;
    let w = this.w;
    for (let k = 0; k < 256; k++) {
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
      this.buf[k] = ((v + (w ^ (w >>> 16))) >>> 0) / 4294967296;
    }
    this.i = i;
    this.w = w;
    this.pos = 0;
  }
}
