import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { MemorySink } from '../../../src/metrics/sink.js';
import { Run } from '../../../src/run.js';
import type { SyncMode } from '../../../src/replication/sync/mode.js';

/** One 1 GiB volume mirrored synchronously to `remote` over 100 Mbps, 5 ms one way. */
function scenario(extra: { workload: string; sync?: string; faults?: string; duration?: string }) {
  return loadScenarioText(`
name: sync
duration: ${extra.duration ?? '2s'}
sample_every: 100ms
sites: [main, remote]
links:
  - { between: [main, remote], bandwidth: 100Mbps, latency: 5ms }
volumes:
  - { name: V1, site: main, size: 1GiB }
  - { name: V2, site: main, size: 1GiB }
workloads:
  - ${extra.workload}
replication:
  - { group: "V1,V2", mode: sync, to: remote, sync: ${extra.sync ?? '{}'} }
faults: ${extra.faults ?? '[]'}
`, 'sync.yaml');
}

function run(s: ReturnType<typeof scenario>) {
  const sink = new MemorySink();
  const r = new Run(s, s.seed, sink);
  const summary = r.run();
  return { r, sink, g: summary.groups[0], mode: r.groups[0].mode as SyncMode };
}

describe('sync mirror', () => {
  it('host latency = local service + 2 x latency + size / bandwidth on an idle link', () => {
    // 8 KiB every 20 ms: each write finds the link idle. 200 + 2 * 5000 + 8192 * 8 / 100 = 10855.36 us.
    const { g } = run(scenario({ workload: '{ volume: V1, rate: 50/s, arrivals: constant, size: 8KiB, address: uniform }' }));
    const expected = 200 + 2 * 5000 + (8192 * 8) / 100;
    expect(g.writes).toBe(100);
    expect(Math.abs(g.host_latency_max_us - expected) / expected).toBeLessThan(0.01);
    expect(Math.abs(g.host_latency_p50_us - expected) / expected).toBeLessThan(0.01);
    expect(g.host_latency_max_us).toBe(10855); // delivery times round to the microsecond
    expect(g.bytes_sent).toBe(100 * 8192);
    expect(g.rpo_max_s).toBe(0); // a write is acknowledged only once the target has it
  });

  it('loses no acknowledged write when the primary fails', () => {
    const s = scenario({
      workload: `{ volume: V1, rate: 400/s, arrivals: poisson, size: 16KiB, address: uniform, dependent: { fraction: 0.5, on: V2 } }
  - { volume: V2, rate: 200/s, arrivals: poisson, size: 4KiB, address: uniform }`,
      faults: '[{ at: 1500ms, site: main, fails: true }]',
    });
    const r = new Run(s, s.seed, new MemorySink());
    const issued: Array<[number, number, number]> = [];
    r.host.observe({ onIssued: (w) => issued.push([w.seq, w.volume, w.track]) });
    const acked = new Set<number>();
    const release = r.host.release.bind(r.host);
    r.host.release = (seq, vol, track) => {
      acked.add(seq);
      release(seq, vol, track);
    };
    const g = r.run().groups[0];
    const mode = r.groups[0].mode as SyncMode;
    const missing = issued.filter(([seq, vol, track]) => !mode.contains(vol, track, seq));
    expect(acked.size).toBeGreaterThan(800);
    expect(missing.filter(([seq]) => acked.has(seq))).toEqual([]); // no acknowledged write lost
    expect(g.data_loss_writes).toBe(0); // data loss counts acknowledged writes
    expect(g.data_loss_bytes).toBe(0);
    expect(missing.length).toBeLessThanOrEqual(r.host.heldNow); // only writes still waiting ...
    expect(g.extra.unacked_writes).toBeGreaterThanOrEqual(missing.length); // ... reported apart
    expect(g.consistency_violations).toBe(0);
  });

  const busy = `{ volume: V1, rate: 200/s, arrivals: poisson, size: 8KiB, address: uniform }`;
  const outage = '[{ at: 500ms, link: [main, remote], down_for: 300ms }]';

  it('fence: writes block while the link is down, nothing is lost, the pair never splits', () => {
    const { g, sink, mode } = run(scenario({ workload: busy, sync: '{ on_link_failure: fence }', faults: outage }));
    expect(mode.splits).toBe(0);
    expect(sink.events.some((e) => e.kind === 'pair_state' && e.detail.includes('SPLIT'))).toBe(false);
    expect(sink.events.filter((e) => e.kind === 'fence').map((e) => e.detail)).toEqual([
      'link down: host writes blocked until it returns', 'link back: host writes resume']);
    // A write issued just after the link went down waits for the rest of the outage and a round trip.
    expect(g.host_latency_max_us).toBeGreaterThan(300_000);
    // (writes on the wire when it failed are retransmitted after it, so a bit more than one gap)
    expect(g.host_latency_max_us).toBeLessThan(300_000 + 2 * (2 * 5000 + 200 + 656));
    expect(g.suspended_s).toBe(0);
    // The image stops while the writes wait, but none of them is acknowledged: RPO stays 0.
    expect(g.rpo_max_s).toBe(0);
  });

  it('split: writes continue into the pending bitmap, then a differential copy resyncs', () => {
    const s = scenario({ workload: busy, sync: '{ on_link_failure: split }', faults: outage });
    const sink = new MemorySink();
    const r = new Run(s, s.seed, sink, { exactOracle: true });
    const writes: Array<{ t: number; vol: number; off: number; len: number }> = [];
    r.host.observe({ onIssued: (w) => writes.push({ t: w.issued_us, vol: w.volume, off: w.offset_bytes, len: w.length_bytes }) });
    const g = r.run().groups[0];
    const mode = r.groups[0].mode as SyncMode;
    const states = sink.events.filter((e) => e.kind === 'pair_state');
    expect(states.map((e) => e.detail.split(' ')[0])).toEqual(['SIMPLEX->DUPLEX', 'DUPLEX->SPLIT', 'SPLIT->COPY', 'COPY->DUPLEX']);
    const splitAt = Math.round(states[1].t_s * 1e6);
    const copyAt = Math.round(states[2].t_s * 1e6);
    expect(splitAt).toBeGreaterThanOrEqual(500_000);
    expect(copyAt).toBeGreaterThanOrEqual(800_000);
    expect(copyAt - splitAt).toBe(300_000); // probed every 100 ms from the split: up at 800 ms
    // Pending regions (8 KiB) = the distinct regions written while split.
    const regions = new Set<string>();
    for (const w of writes) {
      if (w.t < splitAt || w.t >= copyAt) continue;
      for (let r = Math.floor(w.off / 8192); r <= Math.floor((w.off + w.len - 1) / 8192); r++) regions.add(`${w.vol}:${r}`);
    }
    expect(mode.resyncBytes).toBe(regions.size * 8192);
    expect(g.bytes_sent).toBe(mode.resyncBytes + 8192 * (g.writes - writes.filter((w) => w.t >= splitAt && w.t < copyAt).length));
    expect(g.suspended_s).toBeCloseTo((copyAt - splitAt) / 1e6, 6);
    // While split the host sees only local service time.
    expect(g.host_latency_p50_us).toBeLessThan(11_000);
    // RPO, sampled every 100 ms: at the last sample before the image catches up (DUPLEX), the
    // image still lacks the first write issued after the split, if not an older one.
    const duplexAt = Math.round(states[3].t_s * 1e6);
    const lastSample = Math.ceil(duplexAt / 100_000) * 100_000 - 100_000;
    const firstSplitWrite = writes.find((w) => w.t >= splitAt)!;
    expect(g.rpo_max_s * 1e6).toBeGreaterThanOrEqual(lastSample - firstSplitWrite.t - 1e-6);
    expect(lastSample - firstSplitWrite.t).toBeGreaterThan(250_000); // the split lasted 300 ms
    expect(mode.state()).toBe('DUPLEX');
    expect(mode.rpo_us(r.sim.now)).toBeLessThan(11_000);
    // Every sampled image (before, during and after the split and copy) is a consistent one.
    expect(g.extra.exact_checks).toBeGreaterThan(15);
    expect(g.extra.exact_violations).toBe(0);
  });

  it('split then primary failure loses acknowledged writes; fence loses only unacknowledged ones', () => {
    const faults = '[{ at: 500ms, link: [main, remote], down_for: 2s }, { at: 1s, site: main, fails: true }]';
    const split = run(scenario({ workload: busy, sync: '{ on_link_failure: split }', faults }));
    const fence = run(scenario({ workload: busy, sync: '{ on_link_failure: fence }', faults }));
    // Split: ~0.5 s of writes at 200/s were acknowledged to the host and are not at the target.
    expect(split.r.host.heldNow).toBe(0);
    expect(split.g.data_loss_writes!).toBeGreaterThan(50);
    expect(split.g.data_loss_bytes).toBe(split.g.data_loss_writes! * 8192);
    // Fence: the writes the target lacks are among those the host is still waiting for (a held
    // write may have reached the target with its acknowledgement cut off by the failure).
    expect(fence.g.data_loss_writes).toBe(0);
    expect(fence.g.extra.unacked_writes as number).toBeGreaterThan(50);
    expect(fence.g.extra.unacked_writes as number).toBeLessThanOrEqual(fence.r.host.heldNow);
    expect(fence.g.extra.unacked_writes as number).toBeGreaterThanOrEqual(fence.r.host.heldNow - 2);
  });

  it('initial copy: COPY until every region is copied, then DUPLEX; the image holds nothing before', () => {
    const s = loadScenarioText(`
name: init
duration: 1s
sample_every: 50ms
sites: [main, remote]
links: [{ between: [main, remote], bandwidth: 1Gbps, latency: 1ms }]
volumes: [{ name: V1, site: main, size: 64MiB }]
workloads: [{ volume: V1, rate: 100/s, arrivals: constant, size: 4KiB, address: uniform }]
replication: [{ group: V1, mode: sync, to: remote, initial_copy: true }]
`, 'init.yaml');
    const sink = new MemorySink();
    const r = new Run(s, s.seed, sink);
    const g = r.run().groups[0];
    const mode = r.groups[0].mode as SyncMode;
    const states = sink.events.filter((e) => e.kind === 'pair_state');
    expect(states.map((e) => e.detail.split(' ')[0])).toEqual(['SIMPLEX->COPY', 'COPY->DUPLEX']);
    // 64 MiB in 1 MiB messages, 4 in flight, at 1 Gbps: 0.537 s of wire time plus round trips.
    const done = states[1].t_s;
    expect(done).toBeGreaterThan(0.5369);
    expect(done).toBeLessThan(0.56);
    expect(mode.resyncBytes).toBe(64 * 1024 * 1024);
    // Before the copy completed the target held nothing: RPO grew from the pair's creation.
    const last = sink.rows.filter((row) => row.t_s < done).at(-1)!;
    expect(last.rpo_s).toBeCloseTo(last.t_s, 6);
    expect(sink.rows.at(-1)!.rpo_s).toBeLessThan(0.003);
    expect(g.bytes_sent).toBe(64 * 1024 * 1024 + 4096 * g.writes);
  });
});
