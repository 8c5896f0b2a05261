// The journal ring (seed 002 FIG 5): batch ends against a linear scan, the primary journal's
// byte count through appends, purges and truncation, pointer order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JournalRing } from '../../../src/replication/journal/ring.js';

const META = 64;

describe('JournalRing', () => {
  it('batchEnd is the largest end within the limit (at least one entry), as a linear scan finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 300 }),
        fc.nat(), fc.integer({ min: 1, max: 2_000_000 }),
        (lens, start, limit) => {
          const r = new JournalRing(META, 1 << 16);
          lens.forEach((len, k) => r.append(k + 1, k, 0, 0, len));
          const from = start % lens.length;
          let e = from + 1;
          let bytes = lens[from] + META;
          while (e < lens.length && bytes + lens[e] + META <= limit) bytes += lens[e++] + META;
          expect(r.batchEnd(from, limit)).toBe(e);
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('primary bytes follow appends, purges and truncation', () => {
    const r = new JournalRing(META, 1 << 10);
    for (let k = 0; k < 10; k++) r.append(k + 1, k, 0, 0, 1000 * (k + 1));
    const sum = (a: number, b: number) => {
      let s = 0;
      for (let k = a; k < b; k++) s += 1000 * (k + 1) + META;
      return s;
    };
    expect(r.primaryBytes).toBe(sum(0, 10));
    r.sent = 6;
    r.received = 4;
    r.purged = 4;
    expect(r.primaryBytes).toBe(sum(4, 10));
    r.truncate(7);
    expect(r.primaryBytes).toBe(sum(4, 7));
    expect(r.dataBytes(4, 7)).toBe(5000 + 6000 + 7000);
    r.check();
    expect(() => (r.purged = 3)).toThrow(/purge/);
    expect(() => (r.purged = 8)).toThrow(/purge/);
  });
});
