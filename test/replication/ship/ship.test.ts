import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { MemorySink } from '../../../src/metrics/sink.js';
import { Run } from '../../../src/run.js';
import type { ShipMode } from '../../../src/replication/ship/mode.js';

// 64 KiB writes, sequential: every write fills one new 64 KiB track. At 100/s (every 10 ms) an
// interval of 10 s changes 1000 tracks = 65,536,000 B: 5.24288 s at 100 Mbps, + 10 ms latency.
function scenario(o: { interval?: string; keep?: number; bandwidth?: string; duration?: string; faults?: string } = {}) {
  return loadScenarioText(`
name: ship
duration: ${o.duration ?? '40s'}
sample_every: 10ms
sites: [main, dr]
links:
  - { between: [main, dr], bandwidth: ${o.bandwidth ?? '100Mbps'}, latency: 10ms }
volumes:
  - { name: V1, site: main, size: 10GiB }
  - { name: V2, site: main, size: 1GiB }
workloads:
  - { volume: V1, rate: 100/s, arrivals: constant, size: 64KiB, address: sequential, dependent: { fraction: 0.5, on: V2 } }
  - { volume: V2, rate: 10/s, arrivals: constant, size: 4KiB, address: uniform }
replication:
  - { group: "V1,V2", mode: snapshot, to: dr, ship: { interval: ${o.interval ?? '10s'}, keep: ${o.keep ?? 3} } }
faults: ${o.faults ?? '[]'}
`, 'ship.yaml');
}

function run(s: ReturnType<typeof scenario>) {
  const sink = new MemorySink();
  const r = new Run(s, s.seed, sink, { exactOracle: true });
  const summary = r.run();
  return { r, sink, g: summary.groups[0], mode: r.groups[0].mode as ShipMode };
}

describe('snapshot shipping', () => {
  it('RPO saw-tooths between the shipping time and interval + shipping time', () => {
    const { sink, g, mode } = run(scenario({ duration: '26s', keep: 2 }));
    const shipped = sink.events.filter((e) => e.kind === 'snapshot_shipped').map((e) => e.t_s);
    // snap k at 10k s; its delta: the V1 tracks written in the interval (1000, 999 for the first:
    // the write at 10 s comes after the snapshot) + the V2 tracks (4 KiB writes, ~100 per interval).
    expect(shipped.length).toBe(2);
    const ship_s = shipped.map((t, k) => t - 10 * (k + 1));
    for (const s of ship_s) {
      expect(s).toBeGreaterThan(5.24);
      expect(s).toBeLessThan(5.24288 + 0.01 + (110 * 65536 * 8) / 100e6);
    }
    const S_min = Math.min(...ship_s);
    const S_max = Math.max(...ship_s);
    const after = sink.rows.filter((r) => r.t_s > shipped[0]);
    for (const r of after) {
      expect(r.rpo_s).toBeGreaterThanOrEqual(S_min - 0.011);
      expect(r.rpo_s).toBeLessThanOrEqual(10 + S_max);
    }
    // Teeth: the sample just before snap 2 lands is near interval + shipping time, the one just
    // after near the shipping time.
    const before2 = after.filter((r) => r.t_s < shipped[1]).at(-1)!;
    const after2 = after.find((r) => r.t_s > shipped[1])!;
    expect(before2.rpo_s).toBeCloseTo(10 + ship_s[1], 1);
    expect(after2.rpo_s).toBeCloseTo(ship_s[1], 1);
    expect(g.rpo_max_s).toBeLessThanOrEqual(10 + S_max + 0.001);
    expect(g.consistency_violations).toBe(0);
    expect(g.extra.exact_checks).toBe(2600);
    expect(g.extra.exact_violations).toBe(0);
    expect(g.extra.dependent_pairs).toBeGreaterThan(100);
    expect(mode.shipped).toBe(2);
    expect(mode.retained).toEqual([1, 2]); // keep 2: the initial image (0) was deleted
    expect(sink.events.filter((e) => e.kind === 'snapshot_expired').length).toBe(1);
  });

  it('ships each changed track once per snapshot, whatever the number of writes to it', () => {
    // bytes sent = 64 KiB x (distinct tracks changed per shipped interval)
    const { g, mode } = run(scenario({ duration: '26s' }));
    expect(mode.shipped).toBe(2);
    expect(g.bytes_sent % 65536).toBe(0);
    expect(g.bytes_sent).toBeGreaterThanOrEqual((999 + 1000) * 65536);
    expect(g.bytes_sent).toBeLessThan((999 + 1000 + 2 * 100) * 65536);
  });

  it('a slow link skips snapshots: only the newest waiting one is shipped next', () => {
    // 20 Mbps: a 10 s delta takes ~26 s to ship, so snapshots pile up behind it.
    const { g, mode } = run(scenario({ bandwidth: '20Mbps', duration: '80s' }));
    expect(mode.taken).toBe(8);
    expect(mode.skipped).toBeGreaterThan(0);
    expect(mode.shipped + mode.skipped).toBeLessThanOrEqual(mode.taken);
    expect(g.consistency_violations).toBe(0);
    expect(g.rpo_max_s).toBeGreaterThan(30);
  });

  it('data loss at a primary failure = the writes after the newest shipped snapshot', () => {
    // Fails at 22 s: snap 1 (10 s) has landed, snap 2 (20 s) is still shipping.
    const { g } = run(scenario({ faults: '[{ at: 22s, site: main, fails: true }]' }));
    // Writes from 10 s (after the snapshot at that instant) to 22 s (the failure comes first):
    // V1 every 10 ms, V2 every 100 ms.
    expect(g.data_loss_writes).toBe(1200 + 120);
    expect(g.data_loss_bytes).toBe(1200 * 65536 + 120 * 4096);
  });
});
