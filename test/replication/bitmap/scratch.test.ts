import { it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { runScenario } from '../../../src/run.js';
import { MemorySink } from '../../../src/metrics/sink.js';
it('scratch', () => {
for (const extra of ['{ consistency_groups: false }', '{ transfer_unit: sectors }', '{}']) {
const y = `
name: amp
duration: 5s
sample_every: 500ms
sites: [main, a, b]
links:
  - { between: [main, a], bandwidth: 1Gbps, latency: 1ms }
  - { between: [main, b], bandwidth: 1Gbps, latency: 1ms }
volumes:
  - { name: V1, site: main, size: 100GiB }
apps:
  - { id: 1, name: DB, volumes: [V1] }
workloads:
  - { volume: V1, rate: 1000/s, arrivals: poisson, size: 4KiB, address: uniform }
replication:
  - { group: DB, mode: journal, transfer: push, to: a }
  - { group: V1, mode: oos-bitmap, to: b, bitmap: ${extra} }
`;
const s = loadScenarioText(y, 'amp.yaml');
const sink = new MemorySink();
const t0 = performance.now();
const sum = runScenario(s, { sink });
console.log(extra, performance.now() - t0, 'ms', sum.groups[1].bytes_sent / sum.groups[0].bytes_sent, sum.groups.map(g=>[g.rpo_max_s, g.bytes_sent, g.writes, g.consistency_violations, JSON.stringify(g.extra)]));
}
});
