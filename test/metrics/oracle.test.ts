// The consistency oracle at both levels: it flags deliberately broken images and passes
// correct ones.
import { describe, expect, it } from 'vitest';
import { DependencyOracle, type Image } from '../../src/metrics/oracle.js';
import { ExactOracle } from '../../src/metrics/exact-oracle.js';

/** A primary history on two volumes of 8 tracks: (seq, volume, track). */
const WRITES: Array<[number, number, number]> = [
  [1, 0, 0], [2, 1, 3], [3, 0, 0], [4, 0, 5], [5, 1, 3], [6, 1, 7], [7, 0, 1],
];

function exact(): ExactOracle {
  const o = new ExactOracle([8, 8]);
  for (const [seq, v, t] of WRITES) o.record(seq, v, t, t);
  return o;
}

describe('exact oracle', () => {
  it('passes the primary image at every instant', () => {
    const o = exact();
    for (let upTo = 0; upTo <= 7; upTo++) expect(o.check(o.primaryAt(upTo))).toEqual([]);
    expect(o.violations).toBe(0);
    expect(o.checks).toBe(8);
  });

  it('flags an image that holds write 5 but misses the older write 4 on another volume', () => {
    const o = exact();
    const img = o.primaryAt(5);
    img[0][5] = 0; // write 4 (volume 0, track 5) lost
    expect(o.check(img)).toEqual([{ volume: 0, track: 5, image: 0, expected: 4 }]);
    expect(o.violations).toBe(1);
  });

  it('flags an image where a track holds an older version than the cut implies', () => {
    const o = exact();
    const img = o.primaryAt(6);
    img[0][0] = 1; // write 3 overwrote track 0; the image still has write 1
    expect(o.check(img)).toHaveLength(1);
  });

  it('spans multi-track writes', () => {
    const o = new ExactOracle([4]);
    o.record(1, 0, 0, 2);
    const img = [new Uint32Array([1, 1, 0, 0])];
    expect(o.check(img)).toEqual([{ volume: 0, track: 2, image: 0, expected: 1 }]);
  });
});

describe('dependency oracle', () => {
  const prefix = (cut: number[]): Image => ({ contains: (vol, _t, seq) => seq <= cut[vol] });

  it('passes images that are prefixes of one order and flags a dependent write without its base', () => {
    const o = new DependencyOracle();
    o.record(5, 1, 0, 4, 0, 0); // write 5 on volume 1 depends on write 4 on volume 0
    expect(o.check(prefix([3, 3]), 1)).toBe(0); // neither present
    expect(o.check(prefix([3, 5]), 2)).toBe(1); // dependent present, base missing: broken
    expect(o.violations).toBe(1);
    expect(o.firstViolation_us).toBe(2);
    expect(o.check(prefix([4, 5]), 3)).toBe(0); // both present
    expect(o.pending).toBe(0); // the pair can never violate again once its base is in
    expect(o.checks).toBe(3);
  });

  it('refuses a dependency on a later write', () => {
    expect(() => new DependencyOracle().record(3, 0, 0, 7, 1, 0)).toThrow(/depends on later write/);
  });

  it('counts pairs pushed out by its bound instead of losing them silently', () => {
    const o = new DependencyOracle();
    const n = (1 << 20) + 10;
    for (let i = 0; i < n; i++) o.record(2 * i + 2, 1, 0, 2 * i + 1, 0, 0);
    expect(o.pairsSeen).toBe(n);
    expect(o.pairsDropped + o.pending).toBe(n);
    expect(o.pairsDropped).toBeGreaterThan(0);
  });
});
