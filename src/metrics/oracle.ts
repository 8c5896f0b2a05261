// The consistency oracle, scalable level: the recorded dependent-write pairs. A recoverable image
// that holds a dependent write without the write it depends on is not the primary image at any
// one instant: a violation. Checked on every recovery point; each inconsistent recovery point
// counts once in consistency_violations.
//
// Pairs whose base write is in the image are dropped: recoverable images only grow (until a
// failover ends the run of checks), so such a pair can never violate again. The pair store is
// bounded; pairs pushed out by the bound are counted, never silently lost.

export interface Image {
  /** Does the image hold write `seq` (to vol/track)? */
  contains(vol: number, track: number, seq: number): boolean;
}

export const MAX_PAIRS = 1 << 20;

export class DependencyOracle {
  private depSeq = new Float64Array(1024);
  private depVol = new Int32Array(1024);
  private depTrack = new Int32Array(1024);
  private baseSeq = new Float64Array(1024);
  private baseVol = new Int32Array(1024);
  private baseTrack = new Int32Array(1024);
  private n = 0;
  /** Recovery points checked, and those found inconsistent. */
  checks = 0;
  violations = 0;
  /** Dependent pairs seen in all, and pairs pushed out by the bound (unchecked). */
  pairsSeen = 0;
  pairsDropped = 0;
  /** When the first violation was found (us), or -1. */
  firstViolation_us = -1;

  record(depSeq: number, depVol: number, depTrack: number, baseSeq: number, baseVol: number, baseTrack: number): void {
    if (baseSeq >= depSeq) throw new Error(`oracle: write ${depSeq} depends on later write ${baseSeq}`);
    this.pairsSeen++;
    if (this.n === this.depSeq.length) {
      if (this.n >= MAX_PAIRS) {
        this.dropOldest();
      } else {
        this.grow();
      }
    }
    const i = this.n++;
    this.depSeq[i] = depSeq;
    this.depVol[i] = depVol;
    this.depTrack[i] = depTrack;
    this.baseSeq[i] = baseSeq;
    this.baseVol[i] = baseVol;
    this.baseTrack[i] = baseTrack;
  }

  /** Checks one recovery point; returns the number of violating pairs in it. */
  check(image: Image, now_us: number): number {
    this.checks++;
    let bad = 0;
    let keep = 0;
    for (let i = 0; i < this.n; i++) {
      const baseIn = image.contains(this.baseVol[i], this.baseTrack[i], this.baseSeq[i]);
      if (baseIn) continue; // can never violate again
      if (image.contains(this.depVol[i], this.depTrack[i], this.depSeq[i])) bad++;
      this.move(i, keep++);
    }
    this.n = keep;
    if (bad > 0) {
      this.violations++;
      if (this.firstViolation_us < 0) this.firstViolation_us = now_us;
    }
    return bad;
  }

  get pending(): number {
    return this.n;
  }

  private move(from: number, to: number): void {
    if (from === to) return;
    this.depSeq[to] = this.depSeq[from];
    this.depVol[to] = this.depVol[from];
    this.depTrack[to] = this.depTrack[from];
    this.baseSeq[to] = this.baseSeq[from];
    this.baseVol[to] = this.baseVol[from];
    this.baseTrack[to] = this.baseTrack[from];
  }

  private dropOldest(): void {
    const half = this.n >> 1;
    for (let i = half; i < this.n; i++) this.move(i, i - half);
    this.pairsDropped += half;
    this.n -= half;
  }

  private grow(): void {
    const m = this.depSeq.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(m);
      b.set(a);
      return b;
    };
    this.depSeq = g(this.depSeq);
    this.depVol = g(this.depVol);
    this.depTrack = g(this.depTrack);
    this.baseSeq = g(this.baseSeq);
    this.baseVol = g(this.baseVol);
    this.baseTrack = g(this.baseTrack);
  }
}
