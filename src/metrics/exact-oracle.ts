// The consistency oracle, exact level: per-track versions. An image (one version array per
// volume: the seq of the newest write each track holds, 0 for none) is consistent when it equals
// the primary image at one instant. The only candidate instant is just after the newest write
// the image holds (seq M): any later write of the group would show in the image, and any earlier
// instant misses write M. So the check replays the group's write log up to M and compares.
//
// It keeps the whole write log, so it is for tests and small runs: the log is bounded and a run
// that exceeds the bound is an error, never a silent pass.

export const MAX_LOGGED_WRITES = 20_000_000;

export interface ExactMismatch {
  volume: number;
  track: number;
  image: number;
  expected: number;
}

export class ExactOracle {
  private seq = new Float64Array(1024);
  private vol = new Int32Array(1024);
  private first = new Int32Array(1024);
  private last = new Int32Array(1024);
  private n = 0;
  checks = 0;
  violations = 0;

  /** `tracks[v]` = track count of each volume (indexed like the image arrays). */
  constructor(private readonly tracks: readonly number[]) {}

  /** A write of the group: its seq, volume index (into tracks[]) and track span. */
  record(seq: number, volume: number, firstTrack: number, lastTrack: number): void {
    if (this.n > 0 && seq <= this.seq[this.n - 1]) throw new Error(`exact oracle: seq ${seq} out of order`);
    if (this.n === this.seq.length) this.grow();
    const i = this.n++;
    this.seq[i] = seq;
    this.vol[i] = volume;
    this.first[i] = firstTrack;
    this.last[i] = lastTrack;
  }

  /** The primary's per-track versions just after write `upTo` (all writes with seq <= upTo). */
  primaryAt(upTo: number): Uint32Array[] {
    const img = this.tracks.map((n) => new Uint32Array(n));
    for (let i = 0; i < this.n && this.seq[i] <= upTo; i++) {
      const a = img[this.vol[i]];
      for (let t = this.first[i]; t <= this.last[i]; t++) a[t] = this.seq[i];
    }
    return img;
  }

  /** Checks an image; returns the first mismatches (empty when consistent). */
  check(image: readonly Uint32Array[], maxReport = 5): ExactMismatch[] {
    this.checks++;
    let newest = 0;
    for (const a of image) for (let t = 0; t < a.length; t++) if (a[t] > newest) newest = a[t];
    const expected = this.primaryAt(newest);
    const bad: ExactMismatch[] = [];
    for (let v = 0; v < image.length && bad.length < maxReport; v++) {
      const a = image[v];
      const e = expected[v];
      for (let t = 0; t < a.length && bad.length < maxReport; t++) {
        if (a[t] !== e[t]) bad.push({ volume: v, track: t, image: a[t], expected: e[t] });
      }
    }
    if (bad.length > 0) this.violations++;
    return bad;
  }

  private grow(): void {
    const m = this.seq.length * 2;
    if (m > MAX_LOGGED_WRITES * 2) throw new Error(`exact oracle: more than ${MAX_LOGGED_WRITES} writes (use the dependency oracle)`);
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(m);
      b.set(a);
      return b;
    };
    this.seq = g(this.seq);
    this.vol = g(this.vol);
    this.first = g(this.first);
    this.last = g(this.last);
  }
}
