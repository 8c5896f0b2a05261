import { it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { runScenario } from '../../../src/run.js';
import { MemorySink } from '../../../src/metrics/sink.js';
it('scratch', () => {
const y = `
name: hot
duration: 20s
sample_every: 500ms
sites: [main, a, b]
links:
  - { between: [main, a], bandwidth: 10Mbps, latency: 5ms }
  - { between: [main, b], bandwidth: 10Mbps, latency: 5ms }
volumes:
  - { name: V1, site: main, size: 1GiB }
apps:
  - { id: 1, name: DB, volumes: [V1] }
workloads:
  - { volume: V1, rate: 500/s, arrivals: poisson, size: 8KiB, address: { dist: hotspot, fraction: 0.1%, share: 100% } }
replication:
  - { group: DB, mode: journal, transfer: push, to: a, journal: { capacity: 1GiB } }
  - { group: V1, mode: oos-bitmap, to: b }
`;
const s = loadScenarioText(y, 'hot.yaml');
const sink = new MemorySink();
const t0 = performance.now();
const sum = runScenario(s, { sink });
console.log(performance.now() - t0, 'ms');
for (const g of sum.groups) console.log(JSON.stringify(g));
console.log(sink.rows.filter((r) => r.t_s % 5 === 0).map((r) => `${r.t_s} ${r.group} ${r.rpo_s.toFixed(3)} ${r.oos_tracks} ${r.link_utilization.toFixed(2)}`).join('\n'));
console.log(sink.events.filter((e) => e.kind === 'cg_formed').slice(0, 5));
});
