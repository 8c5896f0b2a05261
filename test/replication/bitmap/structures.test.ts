import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirtyOrder } from '../../../src/replication/bitmap/dirty-order.js';
import { HeldWrites, NONE } from '../../../src/replication/bitmap/held-writes.js';
import { SectorMap } from '../../../src/replication/bitmap/sectors.js';
import { TrackTable } from '../../../src/replication/bitmap/track-table.js';

describe('SectorMap (modified sectors)', () => {
  it('counts the distinct sectors written per track', () => {
    const m = new SectorMap(4, 65536, 512);
    m.mark(1, 65536 + 4096, 4096); // sectors 8..15 of track 1
    expect(m.count(1)).toBe(8);
    m.mark(1, 65536 + 6144, 4096); // 12..19: 4 new
    expect(m.count(1)).toBe(12);
    m.mark(1, 65536 - 1024, 2048); // spans tracks 0 and 1: only its part in track 1 (sectors 0, 1)
    expect(m.count(1)).toBe(14);
    m.mark(0, 65536 - 1024, 2048);
    expect(m.count(0)).toBe(2);
    m.mark(2, 2 * 65536, 65536);
    expect(m.count(2)).toBe(128);
    m.clearTrack(1);
    expect(m.count(1)).toBe(0);
    expect(m.count(0)).toBe(2);
    expect(m.count(2)).toBe(128);
    m.mark(1, 65536 + 100, 1); // one byte: one sector
    expect(m.count(1)).toBe(1);
  });

  it('agrees with a per-sector set for random writes', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(8 * 16384 - 1), fc.integer({ min: 1, max: 40_000 })), { maxLength: 100 }), (writes) => {
      const ts = 16384;
      const m = new SectorMap(8, ts, 512);
      const ref = new Set<number>();
      for (const [off, len0] of writes) {
        const len = Math.min(len0, 8 * ts - off);
        for (let t = Math.floor(off / ts); t <= Math.floor((off + len - 1) / ts); t++) m.mark(t, off, len);
        for (let s = Math.floor(off / 512); s <= Math.floor((off + len - 1) / 512); s++) ref.add(s);
      }
      for (let t = 0; t < 8; t++) {
        expect(m.count(t)).toBe([...ref].filter((s) => Math.floor(s / 32) === t).length);
      }
    }), { numRuns: 100 });
  });
});

describe('HeldWrites (typed-array lists of held writes)', () => {
  it('append, concat and drain keep first-held-first-released order, reusing nodes', () => {
    // Ops on 4 lists: append a write to list a, move list b onto the end of list a, drain list a.
    const op = fc.tuple(fc.constantFrom('append', 'concat', 'drain'), fc.nat(3), fc.nat(3));
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const h = new HeldWrites(2); // small: exercises growth
      const tails = [NONE, NONE, NONE, NONE];
      const ref: number[][][] = [[], [], [], []];
      let seq = 1;
      for (const [kind, a, b] of ops) {
        if (kind === 'append') {
          tails[a] = h.append(tails[a], seq, seq * 10 + 0.5, a, seq * 3);
          ref[a].push([seq, a, seq * 3, seq * 10 + 0.5]);
          seq++;
        } else if (kind === 'concat' && a !== b) {
          tails[a] = h.concat(tails[a], tails[b]);
          tails[b] = NONE;
          ref[a].push(...ref[b]);
          ref[b] = [];
        } else if (kind === 'drain') {
          const got: number[][] = [];
          expect(h.drain(tails[a], (s, v, t, i) => got.push([s, v, t, i]))).toBe(ref[a].length);
          expect(got).toEqual(ref[a]);
          tails[a] = NONE;
          ref[a] = [];
        }
        expect(h.size).toBe(ref.reduce((n, l) => n + l.length, 0));
      }
    }), { numRuns: 100 });
  });

  it('keeps seqs up to 2^53, volumes below 2^20 and tracks below 2^32 exactly, and refuses larger ones', () => {
    const h = new HeldWrites();
    const big = Number.MAX_SAFE_INTEGER;
    const tail = h.append(h.append(NONE, big, 8.64e10 + 0.25, 2 ** 20 - 1, 2 ** 32 - 1), 2 ** 31, 0, 0, 0);
    const got: number[][] = [];
    h.drain(tail, (s, v, t, i) => got.push([s, v, t, i]));
    expect(got).toEqual([[big, 2 ** 20 - 1, 2 ** 32 - 1, 8.64e10 + 0.25], [2 ** 31, 0, 0, 0]]);
    expect(() => h.append(NONE, 1, 0, 0, 2 ** 32)).toThrow(/out of range/);
    expect(() => h.append(NONE, 1, 0, 2 ** 20, 0)).toThrow(/out of range/);
  });
});

describe('TrackTable (open addressing, backward-shift deletion)', () => {
  it('agrees with a Map under inserts, updates and deletes, through growth', () => {
    // Few distinct keys over 3 volumes and tracks up to 2^33: long probe runs and deletions in them.
    const key = fc.tuple(fc.nat(2), fc.oneof(fc.nat(40), fc.nat(2 ** 33)));
    const op = fc.tuple(fc.constantFrom('set', 'delete', 'get', 'entry'), key, fc.nat(1000));
    fc.assert(fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
      const tt = new TrackTable(3, 2);
      const ref = new Map<string, number>();
      for (const [kind, [l, t], v] of ops) {
        const k = `${l}:${t}`;
        if (kind === 'set') {
          tt.set(l, t, v);
          ref.set(k, v);
        } else if (kind === 'delete') {
          expect(tt.delete(l, t)).toBe(ref.get(k) ?? -1);
          ref.delete(k);
        } else if (kind === 'entry') {
          const i = tt.entry(l, t);
          expect(tt.valueAt(i)).toBe(ref.get(k) ?? -1);
          tt.setAt(i, v + 1);
          ref.set(k, v + 1);
        }
        expect(tt.get(l, t)).toBe(ref.get(k) ?? -1);
        expect(tt.size).toBe(ref.size);
      }
      for (const [k, v] of ref) {
        const [l, t] = k.split(':').map(Number);
        expect(tt.get(l, t)).toBe(v);
      }
    }), { numRuns: 200 });
  });
});

describe('DirtyOrder (tracks in the order they became dirty)', () => {
  it('oldest() is the minimum first-write time over dirty tracks, through wrap-around and growth', () => {
    // Ops on 5 tracks: write (a clean track becomes dirty now), send (it becomes clean), sample.
    const op = fc.tuple(fc.constantFrom('write', 'send', 'sample'), fc.nat(4), fc.nat(3));
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const q = new DirtyOrder(2);
      const first = new Map<number, number>(); // track -> first write time while dirty
      let now = 0;
      const live = (time: number, l: number, t: number) => l === 0 && first.get(t) === time;
      for (const [kind, t, dt] of ops) {
        now += dt; // time never goes back; equal times allowed
        if (kind === 'write' && !first.has(t)) {
          first.set(t, now);
          q.push(now, 0, t);
        } else if (kind === 'send') {
          first.delete(t);
        } else if (kind === 'sample') {
          expect(q.oldest(live)).toBe(first.size === 0 ? Infinity : Math.min(...first.values()));
        }
      }
    }), { numRuns: 200 });
    const q = new DirtyOrder();
    q.push(5, 0, 1);
    expect(() => q.push(4, 0, 2)).toThrow(/time order/);
  });
});
