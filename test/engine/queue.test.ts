import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/engine/queue.js';

// Reference model: a plain list; the next event is the live one with the least (time, seq).
interface Ref {
  time: number;
  seq: number;
  kind: number;
  arg: number;
  state: 'pending' | 'fired' | 'cancelled';
}

type Op =
  | { op: 'push'; time: number; kind: number }
  | { op: 'cancel'; pick: number }
  | { op: 'pop' }
  | { op: 'popUntil'; until: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // Times from a small set, so equal times (and the seq tie-break) are common.
  { weight: 4, arbitrary: fc.record({ op: fc.constant('push' as const), time: fc.integer({ min: 0, max: 5 }), kind: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ op: 'pop' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('popUntil' as const), until: fc.integer({ min: -1, max: 6 }) }) },
);

function nextRef(ref: Ref[]): Ref | undefined {
  let best: Ref | undefined;
  for (const r of ref) {
    if (r.state !== 'pending') continue;
    if (!best || r.time < best.time || (r.time === best.time && r.seq < best.seq)) best = r;
  }
  return best;
}

function check(ops: Op[], capacity: number): void {
  const q = new EventQueue(capacity);
  const ref: Ref[] = [];
  const handles: number[] = [];
  let now = 0; // pushes come at or after the last popped time, as in the Simulator
  for (const o of ops) {
    if (o.op === 'push') {
      // Distinct per event, spread over the whole int32 range (negative ones included).
      const arg = Math.imul(ref.length + 1, 0x9e3779b1);
      handles.push(q.push(now + o.time, o.kind, arg));
      ref.push({ time: now + o.time, seq: ref.length, kind: o.kind, arg, state: 'pending' });
    } else if (o.op === 'cancel') {
      if (handles.length === 0) continue;
      const i = o.pick % handles.length;
      // Handles of fired or cancelled events must be refused.
      const expected = ref[i].state === 'pending';
      expect(q.cancel(handles[i])).toBe(expected);
      if (expected) ref[i].state = 'cancelled';
    } else {
      const until = o.op === 'pop' ? Infinity : now + o.until;
      const want = nextRef(ref);
      expect(q.peekTime()).toBe(want ? want.time : Infinity);
      const due = want !== undefined && want.time <= until;
      if (o.op === 'pop') {
        expect(q.pop()).toBe(due);
        if (due) expect([q.poppedTime, q.poppedKind, q.poppedArg, q.poppedSeq]).toEqual([want.time, want.kind, want.arg, want.seq]);
      } else {
        const kind = q.popUntil(until);
        expect(kind >= 0).toBe(due);
        if (due) expect([q.lastPoppedTime, kind, q.lastPoppedArg]).toEqual([want.time, want.kind, want.arg]);
      }
      if (due) {
        want.state = 'fired';
        now = want.time;
      }
    }
    expect(q.size).toBe(ref.filter((r) => r.state === 'pending').length);
  }
}

describe('EventQueue', () => {
  it('pops in (time, insertion) order under random push/cancel/pop, like a sorted list', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), fc.constantFrom(1, 2, 1024), (ops, capacity) => check(ops, capacity)),
      { numRuns: 300, seed: 42 },
    );
  });

  it('keeps cancel exact over many events, with long-pending ones', () => {
    // Handles are sequence numbers, looked up in the heap (pending reaches ~5000 here, so the
    // heap grows to 8192 entries). 150,000 random pushes, cancels (of any handle ever issued,
    // often several in a row) and pops, checked against each event's state: cancel answers, pop
    // order, no event popped twice or after its cancellation, and the size. (Counted, then
    // asserted once: expect() per step is slow.)
    const q = new EventQueue(4);
    const state: ('pending' | 'fired' | 'cancelled')[] = [];
    const times: number[] = [];
    let pending = 0;
    let now = 0;
    let lastSeq = -1;
    let wrong = 0;
    let cancelled = 0;
    let x = 12345;
    const rand = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let i = 0; i < 150_000; i++) {
      const r = rand(20);
      if (r < 9) {
        // Mostly short delays, some very long ones (pending across many ring generations).
        const t = now + (rand(15) === 0 ? 1_000_000 + rand(1_000_000) : rand(20));
        if (q.push(t, 1, state.length) !== state.length) wrong++;
        state.push('pending');
        times.push(t);
        pending++;
      } else if (r < 13 && state.length > 0) {
        const h = rand(4) === 0 ? rand(state.length) : state.length - 1 - rand(Math.min(state.length, 40_000));
        const expected = state[h] === 'pending';
        if (q.cancel(h) !== expected) wrong++;
        if (expected) {
          state[h] = 'cancelled';
          pending--;
          cancelled++;
        }
      } else if (q.pop()) {
        const h = q.poppedArg;
        const t = q.poppedTime;
        if (state[h] !== 'pending' || t !== times[h] || !(t > now || (t === now && h > lastSeq))) wrong++;
        state[h] = 'fired';
        pending--;
        now = t;
        lastSeq = h;
      }
      if (q.size !== pending) wrong++;
    }
    expect(wrong).toBe(0);
    expect(cancelled).toBeGreaterThan(3000);
    expect(pending).toBeGreaterThan(4096);
    let rest = 0;
    while (q.pop()) if (state[q.poppedArg] === 'pending') rest++;
    expect(rest).toBe(pending);
  });

  it('refuses the handle of a fired event once a new one is pending', () => {
    const q = new EventQueue(1);
    const old = q.push(10, 1, 1);
    expect(q.pop()).toBe(true);
    const fresh = q.push(20, 2, 2);
    expect(fresh).not.toBe(old);
    expect(q.cancel(old)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.cancel(fresh)).toBe(true);
    expect(q.cancel(fresh)).toBe(false);
    expect(q.pop()).toBe(false);
  });

  it('answers cancels in a row from its index of the heap, and forgets it after a push or pop', () => {
    const q = new EventQueue(4);
    const h = [5, 1, 4, 2, 3].map((t, i) => q.push(t, 0, i));
    expect([h[1], h[3], h[1], h[0]].map((x) => q.cancel(x))).toEqual([true, true, false, true]);
    expect(q.pop()).toBe(true); // drops the cancelled events at 1 and 2, pops the one at 3
    expect(q.poppedArg).toBe(4);
    expect([h[4], h[1], h[2]].map((x) => q.cancel(x))).toEqual([false, false, true]);
    const late = q.push(9, 0, 5);
    expect([late, h[2], h[0]].map((x) => q.cancel(x))).toEqual([true, false, false]);
    expect(q.size).toBe(0);
    expect(q.pop()).toBe(false);
  });

  it('refuses handles it never issued', () => {
    const q = new EventQueue(4);
    q.push(1, 0, 0);
    for (const h of [-1, 0.5, 2 ** 60, NaN, 3]) expect(q.cancel(h)).toBe(false);
    expect(q.size).toBe(1);
  });

  it('keeps handles exact integers beyond 2^21 pending events', () => {
    const q = new EventQueue(1 << 22);
    const handles: number[] = [];
    for (let i = 0; i < (1 << 21) + 10; i++) handles.push(q.push(i, 0, i));
    const last = handles[handles.length - 1];
    expect(Number.isSafeInteger(last)).toBe(true);
    expect(q.cancel(last)).toBe(true);
    expect(q.cancel(handles[handles.length - 2])).toBe(true);
    expect(q.size).toBe(handles.length - 2);
  });

  it('grows past its initial capacity and keeps order', () => {
    const q = new EventQueue(2);
    const times = [5, 3, 9, 1, 7, 3, 8, 2, 6, 4, 0, 5];
    for (const [i, t] of times.entries()) q.push(t, 0, i);
    const out: number[] = [];
    while (q.pop()) out.push(q.poppedTime * 100 + q.poppedArg);
    const expected = times.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([t, i]) => t * 100 + i);
    expect(out).toEqual(expected);
  });
});
