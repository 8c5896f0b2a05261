import { describe, expect, it } from 'vitest';
import { ChartSampler, SERIES, stateFromDetail } from '../../../src/io/charts/sampler.js';
import { syntheticEvents, syntheticRows } from '../output/fixtures.js';

describe('ChartSampler', () => {
  it('keeps every point while under budget', () => {
    const rows = syntheticRows(300);
    const s = new ChartSampler(2000);
    rows.forEach((r) => s.timeseries(r));
    const d = s.data();
    expect(d.groups).toEqual(['sales', 'payroll']);
    const rpo = d.points.filter((p) => p.series === 'rpo_s' && p.group === 'sales');
    expect(rpo.map((p) => [p.t_s, p.value])).toEqual(rows.filter((r) => r.group === 'sales').map((r) => [r.t_s, r.rpo_s]));
  });

  it('bounds points per group and series, keeps them in time order, and keeps every extreme', () => {
    const rows = syntheticRows(100_003);
    const s = new ChartSampler(2000);
    rows.forEach((r) => s.timeseries(r));
    const d = s.data();
    for (const g of ['sales', 'payroll']) {
      const mine = rows.filter((r) => r.group === g);
      for (const series of SERIES) {
        const pts = d.points.filter((p) => p.group === g && p.series === series);
        expect(pts.length).toBeLessThanOrEqual(2000);
        expect(pts.length).toBeGreaterThan(1000);
        expect(pts.every((p, i) => i === 0 || p.t_s > pts[i - 1].t_s)).toBe(true);
        const values = mine.map((r) => r[series]);
        const kept = pts.map((p) => p.value);
        expect([Math.min(...kept), Math.max(...kept)]).toEqual([Math.min(...values), Math.max(...values)]);
        // Every kept point is a real sample.
        const byT = new Map(mine.map((r) => [r.t_s, r[series]]));
        expect(pts.filter((p) => byT.get(p.t_s) !== p.value)).toEqual([]);
      }
    }
  });

  it('gives an ECDF that is exact at its points', () => {
    const rows = syntheticRows(20_000);
    const s = new ChartSampler();
    rows.forEach((r) => s.timeseries(r));
    const ecdf = s.data().ecdf.filter((p) => p.group === 'sales');
    const rpo = rows.filter((r) => r.group === 'sales').map((r) => r.rpo_s);
    expect(ecdf.length).toBeLessThan(700);
    expect(ecdf[ecdf.length - 1].fraction).toBe(1);
    for (const p of ecdf) expect(p.fraction).toBe(rpo.filter((v) => v <= p.rpo_s).length / rpo.length);
  });

  it('builds pair-state intervals from pair_state events, else from sampled states', () => {
    const n = 600;
    const s = new ChartSampler();
    syntheticRows(n).forEach((r) => s.timeseries(r));
    syntheticEvents(n).forEach((e) => s.event(e));
    const d = s.data();
    const end = (n - 1) * 0.5;
    expect(d.states.filter((x) => x.group === 'sales')).toEqual([
      { group: 'sales', state: 'PAIR', start_s: 0, end_s: 100 },
      { group: 'sales', state: 'PSUS', start_s: 100, end_s: 150 },
      { group: 'sales', state: 'PAIR', start_s: 150, end_s: end },
    ]);
    expect(d.states.filter((x) => x.group === 'payroll')).toEqual([{ group: 'payroll', state: 'PAIR', start_s: 0, end_s: end }]);
    expect(d.events.map((e) => e.kind)).toEqual(['link_down', 'snapshot']);

    const t = new ChartSampler();
    syntheticRows(n).forEach((r) => t.timeseries(r));
    expect(t.data().states.filter((x) => x.group === 'sales').map((x) => [x.state, x.start_s])).toEqual([
      ['PAIR', 0], ['PSUS', 100], ['PAIR', 150],
    ]);
  });

  it('reads the target state from an event detail', () => {
    expect(stateFromDetail('PAIR->PSUS journal full')).toBe('PSUS');
    expect(stateFromDetail('COPY → PAIR')).toBe('PAIR');
    expect(stateFromDetail('PSUE')).toBe('PSUE');
    expect(stateFromDetail('state=SSWS after failover')).toBe('SSWS');
  });
});
