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
  it('keeps every field of every held entry through wrap-around and growth', () => {
    const r = new JournalRing(META, 1 << 16);
    // Entry k's fields, distinct per field and per entry; offsets past 2^32 (doubles).
    const fields = (k: number) => [k + 1, 10 * k + 3, k % 7, 2 ** 33 + 512 * k, 4096 + k];
    const expectHeld = () => {
      for (let k = r.oldest; k < r.in; k++) {
        expect([r.seq(k), r.time(k), r.vol(k), r.offset(k), r.len(k)]).toEqual(fields(k));
      }
    };
    let k = 0;
    const append = (n: number) => {
      for (const end = k + n; k < end; k++) {
        const [seq, time, vol, offset, len] = fields(k);
        r.append(seq, time, vol, offset, len);
      }
    };
    // Fill 1000 of the first 1024 slots, free 900, then append past the ring's end (wrap).
    append(1000);
    r.sent = r.received = r.restoreScheduled = r.restored = 900;
    r.purged = 900;
    append(800);
    expectHeld();
    // 900 held in 1024 slots: 200 more make it grow, with the held entries split at the wrap.
    append(200);
    expectHeld();
    expect(r.bytes(900, r.in)).toBe(Array.from({ length: r.in - 900 }, (_, i) => 4096 + 900 + i + META).reduce((a, b) => a + b, 0));
    expect(() => r.seq(899)).toThrow(/not held/);
    expect(() => r.append(5, 0, 0, 0, 1)).toThrow(/sequence 5 not after 2000/);
    r.check();
  });
});
