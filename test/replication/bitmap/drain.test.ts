import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../src/io/scenario/load.js';
import { MemorySink } from '../../../src/metrics/sink.js';
import { Run, runScenario } from '../../../src/run.js';
import { bitmapMode, runYaml } from './helpers.js';

/** One volume V1 written by `workload`; a journal row to a, an oos-bitmap row to b (identical links). */
function twoRows(o: { workload: string; link: string; bitmap?: string; duration: string; volume?: string }) {
  return `
name: drain
seed: 5
duration: ${o.duration}
sample_every: 500ms
sites: [main, a, b]
links:
  - { between: [main, a], ${o.link} }
  - { between: [main, b], ${o.link} }
volumes:
  - { name: V1, site: main, size: ${o.volume ?? '1GiB'} }
apps:
  - { id: 1, name: DB, volumes: [V1] }
workloads:
  - ${o.workload}
replication:
  - { group: DB, mode: journal, transfer: push, to: a, journal: { capacity: 1GiB } }
  - { group: V1, mode: oos-bitmap, to: b, bitmap: ${o.bitmap ?? '{}'} }
`;
}

describe('oos-bitmap drain', () => {
  it('hot spot larger than the link: the bitmap keeps up, the journal falls ever further behind', () => {
    // 500 x 8 KiB/s = 4.1 MB/s into 1 MiB (16 tracks) over 10 Mbps (1.25 MB/s).
    const { groups, sink } = runYaml(twoRows({
      workload: '{ volume: V1, rate: 500/s, arrivals: poisson, size: 8KiB, address: { dist: hotspot, fraction: 0.1%, share: 100% } }',
      link: 'bandwidth: 10Mbps, latency: 5ms', duration: '20s',
    }));
    const [jnl, bmp] = groups;
    const rpoAt = (group: string, t: number) => sink.rows.find((r) => r.group === group && r.t_s === t)!.rpo_s;
    // Journal: RPO grows linearly (it sends 1.25 of every 4.1 MB written).
    expect(rpoAt('DB', 20)).toBeGreaterThan(1.8 * rpoAt('DB', 10));
    expect(rpoAt('DB', 20)).toBeGreaterThan(10);
    // Bitmap: a pass over the 16 hot tracks takes ~0.85 s; RPO stays within about two passes.
    expect(bmp.rpo_max_s).toBeLessThan(2.5);
    expect(Math.max(...sink.rows.filter((r) => r.group === 'V1' && r.t_s > 10).map((r) => r.rpo_s))).toBeLessThan(2.5);
    expect(bmp.bytes_sent).toBeLessThan(bmp.bytes_written / 3);
    expect(bmp.extra.tracks_sent as number).toBeLessThan(bmp.writes / 20); // coalescing
    expect(bmp.bytes_sent).toBe((bmp.extra.tracks_sent as number) * 65536);
    expect(jnl.bytes_written).toBe(bmp.bytes_written); // the same seeded writes
    expect(bmp.consistency_violations).toBe(0);
  });

  it('small random writes: a whole track each (track/write = 16x the journal); sectors remove it', () => {
    // 4 KiB uniform over 20 GiB: nearly every write dirties its own 64 KiB track.
    const run = (bitmap: string) => runYaml(twoRows({
      workload: '{ volume: V1, rate: 1000/s, arrivals: poisson, size: 4KiB, address: uniform }',
      link: 'bandwidth: 1Gbps, latency: 1ms', duration: '3s', volume: '20GiB', bitmap,
    })).groups;
    const [jnl, track] = run('{ consistency_groups: false }');
    const [, sectors] = run('{ consistency_groups: false, transfer_unit: sectors }');
    const [, cgTrack] = run('{}');
    // The journal sends 4096 + 64 B of metadata per write; the bitmap 65536 per track.
    const ideal = 65536 / (4096 + 64);
    expect(track.bytes_sent / jnl.bytes_sent).toBeGreaterThan(0.97 * ideal);
    expect(track.bytes_sent / jnl.bytes_sent).toBeLessThan(1.01 * ideal);
    expect(cgTrack.bytes_sent / jnl.bytes_sent).toBeGreaterThan(0.95 * ideal);
    expect(sectors.bytes_sent / jnl.bytes_sent).toBeLessThan(1.0);
    expect(sectors.bytes_sent / jnl.bytes_sent).toBeGreaterThan(0.95);
    expect(sectors.bytes_sent % 4096).toBe(0); // whole written sectors, nothing more
    expect(track.rpo_max_s).toBeLessThan(0.01); // a fast link: the drain keeps up
  });

  it('without consistency groups the per-track image is inconsistent under dependent writes', () => {
    const workloads = `
  - { volume: Log, rate: 200/s, arrivals: poisson, size: 4KiB, address: sequential }
  - { volume: Data, rate: 400/s, arrivals: poisson, size: 8KiB, address: uniform, dependent: { fraction: 0.5, on: Log } }`;
    const y = (cg: boolean) => `
name: nocg
seed: 2
duration: 4s
sample_every: 20ms
sites: [main, dr]
links:
  - { between: [main, dr], bandwidth: 50Mbps, latency: 10ms }
volumes:
  - { name: Data, site: main, size: 1GiB }
  - { name: Log, site: main, size: 1GiB }
workloads: ${workloads}
replication:
  - { group: "Data,Log", mode: oos-bitmap, to: dr, bitmap: { consistency_groups: ${cg} } }
`;
    const without = runYaml(y(false)).g;
    const withCg = runYaml(y(true)).g;
    // (not the same pairs: coordination holds change which log write a data write follows)
    expect(without.extra.dependent_pairs).toBeGreaterThan(300);
    expect(withCg.extra.dependent_pairs).toBeGreaterThan(300);
    expect(without.consistency_violations).toBeGreaterThan(0);
    expect(withCg.consistency_violations).toBe(0);
    expect(without.extra.cg_formed).toBeNull();
  });

  it('without consistency groups, data loss counts exactly the writes the secondary lacks', () => {
    const s = loadScenarioFile('scenarios/journal-vs-bitmap.yaml', {
      duration: '20s',
      set: ['replication.1.bitmap.consistency_groups=false', 'faults=[{ at: 15s, site: main, fails: true }]'],
    });
    const r = new Run(s, s.seed, new MemorySink());
    const issued: Array<[number, number, number]> = [];
    r.host.observe({ onIssued: (w) => issued.push([w.seq, w.volume, w.track]) });
    const g = r.run().groups[1];
    const m = bitmapMode(r, 1);
    const lacking = issued.filter(([seq, vol, track]) => !m.contains(vol, track, seq)).length;
    expect(lacking).toBeGreaterThan(1000);
    expect(g.data_loss_writes).toBe(lacking);
  });

  it('initial copy: every track once, then PAIR', () => {
    const { g, sink } = runYaml(`
name: init
duration: 10s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 1Gbps, latency: 1ms }]
volumes: [{ name: V1, site: main, size: 256MiB }]
replication:
  - { group: V1, mode: oos-bitmap, to: dr, initial_copy: true, bitmap: { consistency_groups: false } }
`);
    expect(g.bytes_sent).toBe(256 * 1024 * 1024);
    const states = sink.events.filter((e) => e.kind === 'pair_state').map((e) => e.detail.split(' ')[0]);
    expect(states).toEqual(['SMPL->COPY', 'COPY->PAIR']);
    // 256 MiB at 1 Gbps = 2.147 s (+ the last round trip)
    const done = sink.events.find((e) => e.detail.startsWith('COPY->PAIR'))!.t_s;
    expect(done).toBeGreaterThan(2.147);
    expect(done).toBeLessThan(2.16);
  });
  it('initial copy with consistency groups: groups form after the first pass; COPY until the first', () => {
    const { g, sink } = runYaml(`
name: init
duration: 4s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 1Gbps, latency: 1ms }]
volumes: [{ name: V1, site: main, size: 256MiB }]
workloads: [{ volume: V1, rate: 200/s, arrivals: poisson, size: 4KiB, address: uniform }]
replication:
  - { group: V1, mode: oos-bitmap, to: dr, initial_copy: true, bitmap: { max_drain: 1s } }
`);
    const first = sink.events.find((e) => e.kind === 'cg_state')!;
    const pair = sink.events.find((e) => e.detail.startsWith('COPY->PAIR'))!;
    expect(first.t_s).toBeGreaterThan(2.1); // after the first pass over 256 MiB at 1 Gbps
    expect(pair.t_s).toBeGreaterThan(first.t_s + 0.05); // the first group's coordination, drain and flash
    expect(g.extra.cg_failed).toBe(0);
    expect(g.bytes_sent).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(g.rpo_max_s).toBe(2); // sampled at 2 s: nothing recoverable since the pair was created
  });
});

describe('scenarios/journal-vs-bitmap.yaml', () => {
  it('compares journal and bitmap on the same writes: both bytes_sent figures, bitmap ahead', () => {
    const s = loadScenarioFile('scenarios/journal-vs-bitmap.yaml', { duration: '90s' });
    const { groups } = runScenario(s, { sink: new MemorySink() });
    const [jnl, bmp] = groups;
    expect([jnl.group, jnl.mode, bmp.group, bmp.mode]).toEqual(['orders', 'journal', 'CTG1', 'oos-bitmap']);
    expect(jnl.writes).toBe(bmp.writes);
    expect(jnl.bytes_written).toBe(bmp.bytes_written);
    expect(jnl.bytes_sent).toBeGreaterThan(0);
    expect(bmp.bytes_sent).toBeGreaterThan(0);
    expect(bmp.bytes_sent).toBeLessThan(bmp.bytes_written);
    expect(jnl.rpo_max_s).toBeGreaterThan(3 * bmp.rpo_max_s);
    expect(bmp.consistency_violations).toBe(0);
    expect(bmp.extra.cg_formed as number).toBeGreaterThan(5);
  });
});
