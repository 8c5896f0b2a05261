import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitmap, popcount32 } from '../../src/model/bitmap.js';

/** Operations on a bitmap of `bits` bits, checked against a Set. */
const ops = (bits: number) =>
  fc.array(fc.tuple(fc.constantFrom('set', 'clear', 'next'), fc.nat(bits - 1)), { maxLength: 300 });

describe('Bitmap (two-level summaries, interleaved pairs)', () => {
  for (const bits of [1, 31, 32, 33, 1024, 1025, 40_000]) {
    it(`set/clear/nextSet/count agree with a set (${bits} bits)`, () => {
      fc.assert(fc.property(ops(bits), (list) => {
        const m = new Bitmap(bits);
        const ref = new Set<number>();
        for (const [op, i] of list) {
          if (op === 'set') expect(m.set(i)).toBe(!ref.has(i)), ref.add(i);
          else if (op === 'clear') expect(m.clear(i)).toBe(ref.has(i)), ref.delete(i);
          else {
            const want = [...ref].filter((x) => x >= i).sort((a, b) => a - b)[0] ?? -1;
            expect(m.nextSet(i)).toBe(want);
          }
          expect(m.count).toBe(ref.size);
        }
        const all: number[] = [];
        for (let t = m.nextSet(0); t >= 0; t = m.nextSet(t + 1)) all.push(t);
        expect(all).toEqual([...ref].sort((a, b) => a - b));
      }), { numRuns: 60 });
    });
  }

  it('interleaved pairs behave as two independent bitmaps', () => {
    fc.assert(fc.property(ops(1000), ops(1000), (la, lb) => {
      const [a, b] = Bitmap.pair(1000);
      const ra = new Set<number>();
      const rb = new Set<number>();
      const apply = (m: Bitmap, ref: Set<number>, [op, i]: [string, number]) => {
        if (op === 'set') expect(m.set(i)).toBe(!ref.has(i)), ref.add(i);
        else if (op === 'clear') expect(m.clear(i)).toBe(ref.has(i)), ref.delete(i);
      };
      for (let k = 0; k < Math.max(la.length, lb.length); k++) {
        if (k < la.length) apply(a, ra, la[k]);
        if (k < lb.length) apply(b, rb, lb[k]);
      }
      const bits = (m: Bitmap) => {
        const out: number[] = [];
        for (let t = m.nextSet(0); t >= 0; t = m.nextSet(t + 1)) out.push(t);
        return out;
      };
      expect(bits(a)).toEqual([...ra].sort((x, y) => x - y));
      expect(bits(b)).toEqual([...rb].sort((x, y) => x - y));
      a.orFrom(b);
      expect(bits(a)).toEqual([...new Set([...ra, ...rb])].sort((x, y) => x - y));
      expect(bits(b)).toEqual([...rb].sort((x, y) => x - y));
      b.clearAll();
      expect(b.count).toBe(0);
      expect(bits(a).length).toBe(a.count);
      b.setAll();
      expect(b.count).toBe(1000);
      expect(bits(a).length).toBe(a.count); // a untouched by b's setAll
      expect(bits(b)).toEqual([...Array(1000).keys()]);
    }), { numRuns: 60 });
  });

  it('orFrom, setAll and clearAll keep the summaries right', () => {
    fc.assert(fc.property(fc.array(fc.nat(69_999), { maxLength: 200 }), fc.array(fc.nat(69_999), { maxLength: 200 }), (a, b) => {
      const x = new Bitmap(70_000);
      const y = new Bitmap(70_000);
      a.forEach((i) => x.set(i));
      b.forEach((i) => y.set(i));
      x.orFrom(y);
      const want = [...new Set([...a, ...b])].sort((p, q) => p - q);
      const got: number[] = [];
      for (let t = x.nextSet(0); t >= 0; t = x.nextSet(t + 1)) got.push(t);
      expect(got).toEqual(want);
      expect(x.count).toBe(want.length);
      x.clearAll();
      expect(x.count).toBe(0);
      expect(x.nextSet(0)).toBe(-1);
      x.set(69_999);
      expect(x.nextSet(0)).toBe(69_999);
    }), { numRuns: 50 });
    const m = new Bitmap(1000);
    m.setAll();
    expect(m.count).toBe(1000);
    expect(m.nextSet(999)).toBe(999);
    expect(m.nextSet(1000)).toBe(-1);
    m.clear(0);
    expect(m.nextSet(0)).toBe(1);
  });
});

describe('popcount32 and recount', () => {
  it('popcount32 counts the bits of any 32-bit word', () => {
    fc.assert(fc.property(fc.nat(0xffffffff), (v) => {
      let n = 0;
      for (let b = 0; b < 32; b++) if ((v >>> b) & 1) n++;
      expect(popcount32(v)).toBe(n);
    }), { numRuns: 300 });
  });

  it('recount agrees with count, alone and interleaved', () => {
    const m = new Bitmap(100);
    m.setAll();
    expect(m.recount()).toBe(100);
    const [a, b] = Bitmap.pair(100);
    a.setAll();
    b.set(3);
    expect([a.recount(), b.recount()]).toEqual([100, 1]);
    expect(() => new Bitmap(1.5)).toThrow(/whole number/);
  });
});
