import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/sim.js';

describe('Simulator', () => {
  it('fires equal-time events in scheduling order, whatever the kind', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const a = sim.register('a', (x) => log.push(`a${x}@${sim.now}`));
    const b = sim.register('b', (x) => log.push(`b${x}@${sim.now}`));
    sim.schedule(5, b, 1);
    sim.schedule(5, a, 2);
    sim.at(5, b, 3);
    sim.schedule(2, a, 4);
    sim.schedule(5, a, 5);
    sim.run();
    expect(log).toEqual(['a4@2', 'b1@5', 'a2@5', 'b3@5', 'a5@5']);
  });

  it('orders events scheduled from a handler at the current time after those already due', () => {
    const sim = new Simulator();
    const log: number[] = [];
    const k = sim.register('k', (x) => {
      log.push(x);
      if (x === 1) sim.schedule(0, k, 3);
    });
    sim.schedule(0, k, 1);
    sim.schedule(0, k, 2);
    sim.run();
    expect(log).toEqual([1, 2, 3]);
    expect(sim.now).toBe(0);
  });

  it('run(until) dispatches events at or before until, stops there and sets the clock', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const k = sim.register('k', (x) => fired.push(x));
    for (const t of [10, 20, 30]) sim.at(t, k, t);
    expect(sim.run(20)).toBe(2);
    expect(fired).toEqual([10, 20]);
    expect(sim.now).toBe(20);
    expect(sim.run(25)).toBe(0);
    expect(sim.now).toBe(25);
    expect(sim.pending).toBe(1);
    // A later delay counts from the advanced clock.
    sim.schedule(1, k, 26);
    sim.run();
    expect(fired).toEqual([10, 20, 26, 30]);
    expect(sim.now).toBe(30);
    expect(sim.eventsFired).toBe(4);
  });

  it('runBefore(t) dispatches the events before t, none at t, and leaves the clock at t', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const k = sim.register('k', (x) => log.push(`${x}@${sim.now}`));
    sim.at(9, k, 1);
    sim.at(10, k, 2);
    sim.at(10, k, 3);
    sim.at(11, k, 4);
    expect(sim.runBefore(10)).toBe(1);
    expect(log).toEqual(['1@9']);
    expect(sim.now).toBe(10);
    sim.at(10, k, 5); // scheduled at the instant: after those already due at it
    expect(sim.run(10)).toBe(3);
    expect(log).toEqual(['1@9', '2@10', '3@10', '5@10']);
    expect(() => sim.runBefore(9)).toThrow(/before now/);
  });

  it('returns when the queue empties, leaving the clock at the last event', () => {
    const sim = new Simulator();
    const k = sim.register('k', () => {});
    sim.schedule(7, k);
    expect(sim.run()).toBe(1);
    expect(sim.now).toBe(7);
    expect(sim.run()).toBe(0);
  });

  it('refuses to go back in time or off the microsecond grid', () => {
    const sim = new Simulator();
    const k = sim.register('k', () => {});
    sim.schedule(100, k);
    sim.run();
    expect(() => sim.schedule(-1, k)).toThrow(/non-negative integer/);
    expect(() => sim.schedule(0.5, k)).toThrow();
    expect(() => sim.schedule(NaN, k)).toThrow();
    expect(() => sim.schedule(Infinity, k)).toThrow();
    expect(() => sim.at(99, k)).toThrow(/before now/);
    expect(() => sim.at(100, k)).not.toThrow();
  });

  it('passes int32 args through exactly and refuses others, and kinds that are not integers', () => {
    const sim = new Simulator();
    const got: number[] = [];
    const k = sim.register('k', (x) => got.push(x));
    const args = [0, -1, 2 ** 31 - 1, -(2 ** 31), 12345];
    for (const a of args) sim.schedule(1, k, a);
    sim.run();
    expect(got).toEqual(args);
    for (const a of [0.5, 2 ** 31, -(2 ** 31) - 1, NaN]) {
      expect(() => sim.schedule(1, k, a)).toThrow(/int32/);
      expect(() => sim.at(5, k, a)).toThrow(/int32/);
    }
    for (const kind of [-1, 0.5, NaN]) expect(() => sim.schedule(1, kind)).toThrow(/kind/);
    expect(sim.pending).toBe(0);
  });

  it('never dispatches a cancelled timer, and cancel reports whether it was pending', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const timeout = sim.register('timeout', () => log.push(`timeout@${sim.now}`));
    const reply = sim.register('reply', () => {
      log.push(`reply@${sim.now}`);
      expect(sim.cancel(timer)).toBe(true);
    });
    const timer = sim.schedule(50, timeout);
    sim.schedule(30, reply);
    const other = sim.schedule(60, timeout);
    sim.run();
    expect(log).toEqual(['reply@30', 'timeout@60']);
    expect(sim.cancel(timer)).toBe(false);
    expect(sim.cancel(other)).toBe(false); // already fired
    expect(sim.pending).toBe(0);
  });

  it('stop() ends run after the current event without advancing to until', () => {
    const sim = new Simulator();
    const k = sim.register('k', (x) => {
      if (x === 2) sim.stop();
    });
    for (let i = 1; i <= 4; i++) sim.at(i * 10, k, i);
    expect(sim.run(1000)).toBe(2);
    expect(sim.now).toBe(20);
    expect(sim.run(1000)).toBe(2);
    expect(sim.now).toBe(1000);
  });

  it('is deterministic: the same schedule gives the same trace', () => {
    const trace = (): string => {
      const sim = new Simulator();
      const out: string[] = [];
      let n = 0;
      const k = sim.register('k', (x) => {
        out.push(`${sim.now}:${x}`);
        if (++n < 200) sim.schedule((x * 7919) % 13, k, (x * 31 + 7) % 101);
      });
      sim.schedule(0, k, 1);
      sim.schedule(0, k, 2);
      sim.run();
      return out.join(',');
    };
    expect(trace()).toBe(trace());
  });

  it('keeps handles exact when a cancelled event ahead of the clock was dropped', () => {
    // advanceTo() and the end of run() drop cancelled events at the top of the queue, which may
    // lie after the clock; events scheduled before them afterwards must still be cancellable.
    const sim = new Simulator();
    const seen: string[] = [];
    let later = -1;
    let early = -1;
    const mark = sim.register('mark', (arg) => seen.push(`mark ${arg} at ${sim.now}`));
    const start = sim.register('start', () => {
      later = sim.schedule(40, mark, 1); // at 50
      expect(sim.cancel(later)).toBe(true);
      expect(sim.advanceTo(60)).toBe(false); // beyond run(until = 55)
      expect(sim.advanceTo(30)).toBe(true); // drops the cancelled event at 50
      early = sim.schedule(10, mark, 2); // at 40, before the dropped one
      expect(sim.pending).toBe(1);
    });
    sim.schedule(10, start);
    sim.run(55);
    expect(seen).toEqual(['mark 2 at 40']);
    expect(sim.cancel(later)).toBe(false);
    expect(sim.cancel(early)).toBe(false);

    const s2 = new Simulator();
    const k = s2.register('mark', (arg) => seen.push(`s2 ${arg} at ${s2.now}`));
    const h = s2.schedule(50, k, 1);
    expect(s2.cancel(h)).toBe(true);
    s2.run(); // drops the cancelled event at 50; the clock stays at 0
    expect(s2.now).toBe(0);
    const h2 = s2.schedule(20, k, 2);
    expect(s2.cancel(h)).toBe(false);
    expect(s2.pending).toBe(1);
    expect(s2.cancel(h2)).toBe(true);
    expect(s2.cancel(h2)).toBe(false);
    expect(s2.pending).toBe(0);
    s2.run();
    expect(seen).toEqual(['mark 2 at 40']);
  });
});
