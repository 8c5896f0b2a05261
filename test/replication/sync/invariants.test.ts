import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { runChecked } from '../../invariants/check.js';

const scenario = (sync: string, extra = '') => loadScenarioText(`
name: inv
seed: 4
duration: 4s
sample_every: 100ms
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 100Mbps, latency: 3ms }]
volumes:
  - { name: A, site: main, size: 64MiB }
  - { name: B, site: main, size: 64MiB }
workloads:
  - { volume: A, rate: 200/s, arrivals: poisson, size: { dist: uniform, min: 4KiB, max: 96KiB }, address: uniform }
  - { volume: B, rate: 200/s, arrivals: poisson, size: 8KiB, address: uniform, dependent: { fraction: 0.5, on: A } }
replication:
  - { group: "A,B", mode: sync, to: dr, sync: ${sync} }
faults: [{ at: 1s, link: [main, dr], down_for: 700ms }, { at: 2500ms, link: [main, dr], down_for: 50ms }${extra}]
`, 'inv.yaml');

describe('sync invariants', () => {
  for (const sync of ['{ on_link_failure: split }', '{ on_link_failure: fence }', '{ on_link_failure: split, region: 64KiB }']) {
    it(`hold at every checkpoint (${sync})`, () => {
      const r = runChecked(scenario(sync), 4, 60);
      expect(r.checkpoints).toBeGreaterThan(50);
      expect(r.summary.groups[0].consistency_violations).toBe(0);
    });
  }

  it('hold through a primary failure during the split', () => {
    const r = runChecked(scenario('{ on_link_failure: split }', ', { at: 1500ms, site: main, fails: true }'), 4, 60);
    expect(r.summary.groups[0].data_loss_writes!).toBeGreaterThan(0);
  });
});
