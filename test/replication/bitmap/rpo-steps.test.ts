// Issue 6's hand-checked case for oos-bitmap: the recoverable image is the last formed
// consistency group, so between two formations the RPO grows with slope 1 (its oldest missing
// write does not change) and it steps down exactly when a group forms.
import { describe, expect, it } from 'vitest';
import { eventsOf, simulateYaml } from '../../helpers/sim.js';

const YAML = `
name: steps
seed: 3
duration: 12s
sample_every: 10ms
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 100Mbps, latency: 5ms }]
volumes: [{ name: V, site: main, size: 1GiB }]
workloads: [{ volume: V, rate: 200/s, arrivals: constant, size: 4KiB }]
replication: [{ group: V, mode: oos-bitmap, to: dr, bitmap: { cg_interval: 1s } }]
`;

describe('oos-bitmap RPO', () => {
  it('grows with slope 1 between formed groups and steps down at each one', () => {
    const t = simulateYaml(YAML);
    // The group becomes the recoverable image when the FlashCopy completes at the secondary;
    // the primary logs cg_formed when the increment-complete message arrives, one link latency
    // (5 ms, an empty message) later.
    const formed = eventsOf(t.sink, 'cg_formed').map((e) => e.t_s - 0.005);
    expect(formed.length).toBeGreaterThanOrEqual(8);
    const rows = t.sink.rows;
    let steps = 0;
    let ramps = 0;
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const formedBetween = formed.some((f) => f > a.t_s && f <= b.t_s);
      if (formedBetween) {
        expect(b.rpo_s, `t=${b.t_s}`).toBeLessThan(a.rpo_s);
        steps++;
      } else if (a.rpo_s > 0) {
        expect(b.rpo_s - a.rpo_s, `t=${b.t_s}`).toBeCloseTo(b.t_s - a.t_s, 9);
        ramps++;
      }
    }
    expect(steps).toBe(formed.filter((f) => f > rows[0].t_s && f <= rows.at(-1)!.t_s).length);
    expect(ramps).toBeGreaterThan(500);
  });
});
