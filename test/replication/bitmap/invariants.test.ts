import { describe, expect, it } from 'vitest';
import { runChecked } from '../../invariants/check.js';
import { load } from './helpers.js';

// The shared invariant checks (RPO within [0, now] and > 0 only with a missing write, no
// negative loss or gauges, rows in time order) at checkpoints between the model's events.
const scenario = (bitmap: string, extra = '') => load(`
name: inv
seed: 9
duration: 6s
sample_every: 100ms
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 50Mbps, latency: 4ms }]
volumes:
  - { name: Data, site: main, size: 128MiB, track_size: 16KiB }
  - { name: Log, site: main, size: 32MiB }
workloads:
  - { volume: Log, rate: 100/s, arrivals: poisson, size: 4KiB, address: sequential }
  - { volume: Data, rate: 300/s, arrivals: poisson, size: { dist: uniform, min: 4KiB, max: 48KiB }, address: { dist: zipf, theta: 0.8 }, dependent: { fraction: 0.3, on: Log } }
replication:
  - { group: "Data,Log", mode: oos-bitmap, to: dr, bitmap: ${bitmap} }
faults: [{ at: 2s, link: [main, dr], down_for: 1s }${extra}]
`);

describe('oos-bitmap invariants', () => {
  for (const bitmap of [
    '{}',
    '{ collision: new-image, transfer_unit: sectors }',
    '{ consistency_groups: false }',
    '{ consistency_groups: false, transfer_unit: sectors, max_concurrent: 2 }',
    '{ max_drain: 200ms, max_failures_before_force: 1, cg_interval: 300ms }',
  ]) {
    it(`hold at every checkpoint (${bitmap})`, () => {
      const r = runChecked(scenario(bitmap), 9, 60);
      expect(r.checkpoints).toBeGreaterThan(50);
      expect(r.summary.groups[0].writes).toBeGreaterThan(1500);
    });
  }

  it('hold through a primary failure', () => {
    const r = runChecked(scenario('{}', ', { at: 4500ms, site: main, fails: true }'), 9, 60);
    expect(r.summary.groups[0].data_loss_writes).not.toBeNull();
  });
});
