// Held writes by sequence number (src/model/held.ts) against a Map, including ring growth and
// the overflow beyond the largest ring.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HeldWrites, MAX_RING } from '../../src/model/held.js';

describe('HeldWrites', () => {
  it('matches a Map under random holds (increasing seqs) and releases, with long-held writes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean(), fc.nat()), { maxLength: 400 }), (ops) => {
        const h = new HeldWrites();
        const ref = new Map<number, number>();
        let seq = 2 ** 31 - 5000; // across the 32-bit boundary
        for (const [gap, hold, pick] of ops) {
          seq += gap;
          if (hold) {
            h.add(seq, seq * 10);
            ref.set(seq, seq * 10);
          } else if (ref.size > 0) {
            const keys = [...ref.keys()];
            const k = keys[pick % keys.length];
            expect(h.remove(k)).toBe(ref.get(k));
            ref.delete(k);
          }
          expect(h.count).toBe(ref.size);
        }
        expect(h.oldest_us()).toBe(ref.size === 0 ? Infinity : Math.min(...ref.values()));
        for (const [k, v] of ref) expect(h.remove(k)).toBe(v);
        expect(h.count).toBe(0);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('keeps every held write through many doublings (long and short holds mixed)', () => {
    const h = new HeldWrites();
    const ref = new Map<number, number>();
    // Every 3rd seq held; every 7th held one released at once; the rest stay: the span grows.
    for (let seq = 1; seq <= 300_000; seq += 3) {
      h.add(seq, seq + 0.5);
      ref.set(seq, seq + 0.5);
      if (seq % 7 === 0) {
        expect(h.remove(seq)).toBe(seq + 0.5);
        ref.delete(seq);
      }
    }
    expect(h.count).toBe(ref.size);
    expect(h.oldest_us()).toBe(1.5);
    for (const [k, v] of ref) expect(h.remove(k)).toBe(v);
    expect(h.count).toBe(0);
    expect(h.oldest_us()).toBe(Infinity);
  });

  it('a hold spanning more than the largest ring goes to the overflow map', () => {
    const h = new HeldWrites();
    h.add(7, 70);
    h.add(7 + MAX_RING, 80); // same slot at the largest ring
    h.add(8 + MAX_RING, 90);
    expect(h.count).toBe(3);
    expect(h.remove(7 + MAX_RING)).toBe(80);
    expect(h.remove(7)).toBe(70);
    expect(() => h.remove(7)).toThrow(/not held/);
    expect(h.remove(8 + MAX_RING)).toBe(90);
  });

  it('a release that passes the issue time gets it back, with or without the overflow in use', () => {
    const h = new HeldWrites();
    h.add(5, 50);
    h.add(6, 60);
    expect(h.remove(5, 50)).toBe(50); // ring, slot not read
    expect(h.count).toBe(1);
    expect(() => h.remove(5, 50)).toThrow(/not held/); // its taken bit is clear
    h.add(6 + MAX_RING, 61); // overflow in use: the slot is read to tell the two apart
    expect(h.remove(6 + MAX_RING, 61)).toBe(61);
    expect(h.remove(6, 60)).toBe(60);
    expect(h.count).toBe(0);
  });
});
