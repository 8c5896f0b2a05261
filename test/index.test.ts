// The library API and the test matchers (DESIGN.md section 6), and the output schema of
// DESIGN.md section 5.
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../src/index.js';
import { repsimMatchers } from '../src/metrics/matchers.js';

expect.extend(repsimMatchers);

const YAML = `
name: api
seed: 2
duration: 20s
sample_every: 350ms
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 1Gbps, latency: 700ms }]
volumes: [{ name: V, site: main, size: 1GiB }]
workloads: [{ volume: V, rate: 1/s, arrivals: constant, size: 4KiB }]
replication: [{ group: V, mode: journal, transfer: push, to: dr }]
`;

describe('simulate()', () => {
  it('returns typed summaries and Arrow tables with every DESIGN.md column', async () => {
    const r = await simulate(parseScenario(YAML));
    const g = r.summary.groups[0];
    for (const key of ['group', 'mode', 'transfer', 'target_site', 'writes', 'bytes_written', 'bytes_sent', 'rpo_max_s',
      'rpo_p99_s', 'rpo_mean_s', 'journal_peak_bytes', 'suspended_s', 'host_latency_p99_us', 'consistency_violations',
      'recovery_points', 'data_loss_writes', 'data_loss_bytes', 'rto_s']) {
      expect(g, key).toHaveProperty(key);
    }
    expect(g.rto_s).toBeNull(); // no failure happened
    const cols = r.timeseries.schema.fields.map((f) => f.name);
    expect(cols).toEqual(expect.arrayContaining(['t_s', 'group', 'rpo_s', 'backlog_bytes', 'primary_journal_bytes',
      'secondary_journal_bytes', 'oos_tracks', 'link_utilization', 'pair_state']));
    expect(r.events.schema.fields.map((f) => f.name)).toEqual(['t_s', 'group', 'kind', 'detail']);
    expect(r.timeseries.numRows).toBe(Math.floor(20 / 0.35)); // one row per sample and group
    expect(r.summaryTable.numRows).toBe(1);
  });

  it('RPO under journal mode is the age of the oldest write not yet received at the target', async () => {
    const r = await simulate(parseScenario(YAML));
    const arrive_us = 700_000 + Math.round(((4096 + 64) * 8 * 1e6) / 1e9); // latency + serialization
    let checked = 0;
    for (const row of r.rows.timeseries) {
      const t_us = Math.round(row.t_s * 1e6);
      if (t_us % 1_000_000 === 0) continue; // a write issued at this very instant: order-dependent
      // Writes at 1 s, 2 s, ...: the oldest one issued before t and not yet arrived.
      let expected = 0;
      for (let w = 1_000_000; w < t_us; w += 1_000_000) {
        if (w + arrive_us > t_us) {
          expected = (t_us - w) / 1e6;
          break;
        }
      }
      expect(row.rpo_s, `t=${row.t_s}`).toBeCloseTo(expected, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('matchers', () => {
  it('toHaveRpoBelow passes and fails with the measured value and when it peaked', async () => {
    const r = await simulate(parseScenario(YAML));
    expect(r).toHaveRpoBelow('1s', { percentile: 100 });
    expect(r).toHaveRpoBelow(2);
    let message = '';
    try {
      expect(r).toHaveRpoBelow('500ms', { percentile: 100 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/group V: max RPO 0\.70\d s is not below 0\.5 s; RPO peaked at 0\.70\d s at t=\d+\.\d s/);
  });

  it('toLoseNoData and toStayConsistent read the summary', async () => {
    const r = await simulate(parseScenario(YAML));
    expect(r).toLoseNoData();
    expect(r).toStayConsistent();
    const lost = await simulate(parseScenario(YAML + 'faults: [{ at: 10200ms, site: main, fails: true }]\n'));
    expect(lost.summary.groups[0].data_loss_writes).toBe(1); // the write of t=10 s is still in flight
    expect(lost).not.toLoseNoData();
  });
});
