import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { runChecked } from '../../invariants/check.js';

describe('snapshot shipping invariants', () => {
  for (const [bandwidth, initial] of [['100Mbps', false], ['25Mbps', false], ['100Mbps', true]] as const) {
    it(`hold at every checkpoint (${bandwidth}${initial ? ', initial copy' : ''})`, () => {
      const s = loadScenarioText(`
name: inv
seed: 6
duration: 20s
sample_every: 250ms
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: ${bandwidth}, latency: 5ms }]
volumes: [{ name: A, site: main, size: 64MiB }]
workloads: [{ volume: A, rate: 300/s, arrivals: poisson, size: 16KiB, address: { dist: zipf, theta: 0.7 } }]
replication: [{ group: A, mode: snapshot, to: dr, initial_copy: ${initial}, ship: { interval: 2s, keep: 2 } }]
faults: [{ at: 7s, link: [main, dr], down_for: 3s }]
`, 'inv.yaml');
      const r = runChecked(s, 6, 60);
      expect(r.checkpoints).toBeGreaterThan(50);
      expect(r.summary.groups[0].extra.snapshots_shipped as number).toBeGreaterThanOrEqual(1);
    });
  }
});
