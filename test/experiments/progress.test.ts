// Progress bars draw only on a terminal, and never with --quiet.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openProgress, progressEnabled, withProgress } from '../../src/cli/progress.js';
import { MemorySink } from '../../src/metrics/sink.js';

function stream(tty: boolean): NodeJS.WriteStream & { text: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string };
  let out = '';
  (s as unknown as PassThrough).on('data', (d) => (out += String(d)));
  Object.assign(s, { isTTY: tty, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, text: () => out });
  return s;
}

describe('progress', () => {
  it('is silent when not a TTY or quiet, and draws with an ETA on a TTY', async () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const s = stream(tty);
      const p = openProgress({ total: 10, unit: 'runs', quiet, stream: s });
      p.increment();
      p.stop();
      await new Promise((r) => setImmediate(r));
      expect(s.text()).toBe('');
    }
    expect(progressEnabled(false, stream(true))).toBe(true);
    const s = stream(true);
    const p = openProgress({ total: 4, unit: 'runs', label: 'sweep', stream: s });
    p.increment(1, { note: 'cell 0 seed 1' });
    await new Promise((r) => setImmediate(r));
    expect(s.text()).toMatch(/sweep \[.*\] 0% \| 0\/4 runs \| ETA/);
    p.stop();
  });

  it('follows simulated time through the sink and passes every row on', () => {
    const seen: number[] = [];
    const mem = new MemorySink();
    const sink = withProgress(mem, { update: (v) => seen.push(v), increment: () => {}, stop: () => {} });
    for (const t of [0.5, 1, 1, 2.5, 3]) sink.timeseries({ t_s: t } as never);
    sink.event({ t_s: 1, group: 'g', kind: 'k', detail: '' });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect([mem.rows.length, mem.events.length]).toEqual([5, 1]);
  });
});
