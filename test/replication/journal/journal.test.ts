// Journal-based asynchronous copy (issue 4): sizing arithmetic, pull vs push, restore order,
// journal-full policies and consistency groups.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JournalMode } from '../../../src/replication/journal/mode.js';
import { MemorySink } from '../../../src/metrics/sink.js';
import { Run } from '../../../src/run.js';
import { eventsOf, prepare, scenario, simulateYaml } from '../../helpers/sim.js';

const MiB = 1024 * 1024;

/** One volume, constant 64 KiB writes aligned to tracks, push over one link. */
function overload(opts: { rate: number; bw: string; capacity: string; extra?: string; duration?: string; onFull?: string }) {
  return `
name: overload
seed: 1
duration: ${opts.duration ?? '5m'}
sample_every: 1s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: ${opts.bw}, latency: 5ms }]
volumes: [{ name: Data, site: main, size: 100GiB }]
workloads:
  - { volume: Data, rate: ${opts.rate}/s, arrivals: constant, size: 64KiB, align: 64KiB, address: uniform }
replication:
  - group: Data
    mode: journal
    transfer: push
    to: dr
    journal: { capacity: ${opts.capacity}, on_full: ${opts.onFull ?? 'suspend'}, pfus_watch: 1h, resync_after: 0s }
${opts.extra ?? ''}`;
}

describe('journal sizing arithmetic', () => {
  it('fills under constant overload after capacity / (write rate - link rate)', () => {
    const t = simulateYaml(overload({ rate: 1000, bw: '400Mbps', capacity: '1GiB', duration: '3m' }));
    const entry_B = 65536 + 64; // data + 64 B metadata per journal entry
    const write_Bps = 1000 * entry_B;
    const link_Bps = 400e6 / 8;
    const expected_s = (1024 * MiB) / (write_Bps - link_Bps);
    const full = eventsOf(t.sink, 'pair_state', 'PFUS (journal full)');
    expect(full).toHaveLength(1);
    expect(Math.abs(full[0].t_s - expected_s)).toBeLessThan(1); // within one sample interval
    expect(t.summary.groups[0].journal_peak_bytes).toBeLessThanOrEqual(1024 * MiB);
  });

  it('peaks after a burst at (write rate - link rate) x burst length (HUR sizing), within 3.5 standard errors', () => {
    const yaml = `
name: burst
seed: 5
duration: 3m
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 100Mbps, latency: 10ms }]
volumes: [{ name: Data, site: main, size: 100GiB }]
workloads:
  - volume: Data
    rate: 50/s
    arrivals: { kind: diurnal, points: [[0, 1], [24, 1]], bursts: [{ at: 20s, for: 60s, factor: 10 }] }
    size: 64KiB
    align: 64KiB
replication:
  - { group: Data, mode: journal, transfer: push, to: dr, journal: { capacity: 20GiB } }
`;
    const t = simulateYaml(yaml);
    const write_Bps = 500 * (65536 + 64);
    const link_Bps = 100e6 / 8;
    const expected = (write_Bps - link_Bps) * 60;
    const peak = t.summary.groups[0].journal_peak_bytes;
    // The burst's Poisson count (30,000 writes) has a standard error of sqrt(30,000) writes:
    // ~0.94% of the expected peak. Within 3.5 of them (~3.3%).
    const se = (Math.sqrt(500 * 60) * (65536 + 64)) / expected;
    expect(Math.abs(peak - expected) / expected).toBeLessThan(3.5 * se);
  });
});

describe('pull versus push', () => {
  const lowLoad = (transfer: string) => `
name: lowload
seed: 9
duration: 5m
sample_every: 5ms
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 1Gbps, latency: 20ms }]
volumes: [{ name: Data, site: main, size: 10GiB }]
workloads: [{ volume: Data, rate: 20/s, size: 4KiB }]
replication: [{ group: Data, mode: journal, transfer: ${transfer}, to: dr, journal: { max_inflight: ${transfer === 'pull' ? 1 : 32} } }]
`;
  it("pull's RPO exceeds push's by about one request round trip at low load", () => {
    const push = simulateYaml(lowLoad('push')).summary.groups[0];
    const pull = simulateYaml(lowLoad('pull')).summary.groups[0];
    const rtt_s = 0.040;
    // Push (32 commands in flight, never window-bound at this load): a write arrives one latency
    // after it is issued. Pull (one read in flight): it first waits for the next read command to
    // reach the primary, which happens once per read cycle (RTT + 1 ms retry).
    expect(push.rpo_max_s).toBeGreaterThan(0.019);
    expect(push.rpo_max_s).toBeLessThan(0.022);
    const diff = pull.rpo_max_s - push.rpo_max_s;
    expect(diff).toBeGreaterThan(0.75 * rtt_s);
    expect(diff).toBeLessThan(1.25 * rtt_s + 0.001);
    expect(pull.writes).toBe(push.writes); // common random numbers: identical writes
  });
});

describe('restore', () => {
  it('never applies out of order (property over transfer, batching, restore period, journals)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pull', 'push'),
        fc.constantFrom('group', 'volume'),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('64KiB', '256KiB', '1MiB'),
        fc.constantFrom('100ms', '1s', '3s'),
        fc.integer({ min: 1, max: 1000 }),
        (transfer, per, inflight, batch, every, seed) => {
          const yaml = `
name: order
seed: ${seed}
duration: 20s
sites: [a, b]
links: [{ between: [a, b], bandwidth: 50Mbps, latency: 3ms }]
volumes: [{ name: V1, site: a, size: 1GiB }, { name: V2, site: a, size: 1GiB }]
apps: [{ id: 1, name: App, volumes: [V1, V2], labels: {} }]
workloads: [{ app: App, rate: 400/s, size: { dist: lognormal, mean: 8KiB } }]
replication:
  - { group: App, mode: journal, transfer: ${transfer}, to: b, journal_per: ${per}, restore_every: ${every},
      journal: { max_inflight: ${inflight}, max_batch: ${batch} } }
`;
          const p = prepare(yaml);
          const mode = p.run.groups[0].mode as JournalMode;
          let applied = 0;
          for (const pair of mode.pairs) {
            let last = 0;
            pair.restore.onApply = (first, lastSeq) => {
              expect(first).toBeGreaterThan(last);
              expect(lastSeq).toBeGreaterThanOrEqual(first);
              last = lastSeq;
              applied++;
            };
          }
          p.go();
          for (const pair of mode.pairs) pair.ring.check();
          expect(applied).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('journal full policies', () => {
  it('throttle (inflow control) loses no write and raises host latency', () => {
    const t = simulateYaml(overload({ rate: 1000, bw: '400Mbps', capacity: '256MiB', duration: '1m', onFull: 'throttle' }));
    const g = t.summary.groups[0];
    expect(g.extra.suspensions).toBe(0);
    expect(eventsOf(t.sink, 'pair_state', 'PFUS')).toHaveLength(0);
    expect(g.suspended_s).toBe(0);
    expect(g.host_latency_p99_us).toBeGreaterThan(100 * 200); // far above the 200 us local service
    // Nothing discarded: what the image lacks is exactly what is journaled or held, never a bitmap.
    const mode = t.run.groups[0].mode as JournalMode;
    expect(mode.pairs[0].diffTracks()).toBe(0);
    expect(mode.pairs[0].missingWrites).toBe(0);
  });

  it('suspend, then resync, returns to PAIR and counts the suspended time', () => {
    const yaml = overload({ rate: 200, bw: '400Mbps', capacity: '256MiB', duration: '4m' }) +
      'faults: [{ at: 10s, link: [main, dr], down_for: 40s }]\n';
    const t = simulateYaml(yaml, ['replication.0.journal.resync_after=30s']);
    const pfus = eventsOf(t.sink, 'pair_state', '->PFUS');
    const copy = eventsOf(t.sink, 'pair_state', 'PFUS->COPY');
    const done = eventsOf(t.sink, 'copy_done');
    const pair = eventsOf(t.sink, 'pair_state', 'COPY->PAIR');
    expect(pfus).toHaveLength(1);
    expect(copy).toHaveLength(1);
    expect(done).toHaveLength(1);
    expect(pair).toHaveLength(1);
    expect(done[0].t_s).toBeLessThanOrEqual(pair[0].t_s);
    // 256 MiB at 200 x 65600 B/s fills in 20.46 s after the link drops at 10 s.
    expect(pfus[0].t_s).toBeGreaterThan(10 + 20);
    expect(pfus[0].t_s).toBeLessThan(10 + 21);
    // Resync waits for the link (back at 50 s): 30 s after suspension is earlier, so it retries each second.
    expect(copy[0].t_s).toBeGreaterThanOrEqual(50);
    const g = t.summary.groups[0];
    expect(g.suspended_s).toBeCloseTo(pair[0].t_s - pfus[0].t_s, 6);
    expect(t.sink.rows.at(-1)!.pair_state).toBe('PAIR');
    expect(t.sink.rows.at(-1)!.rpo_s).toBeLessThan(0.1);
  });
});

describe('resync under load', () => {
  it('a journal that fills during the resync suspends again, and a later resync completes', () => {
    // Found by the randomized suite: with writes going to the bitmap during COPY the copy chased
    // them forever. HUR suspends the pair again instead; the next resync catches up. The
    // workload draws nothing (constant arrivals, fixed size, sequential), so the path is the
    // same for any seed or generator: 95 MB/s into a 64 MiB journal fills it during each of
    // the first copies (7.13, 8.835, 10.54 s); the fourth completes.
    const yaml = `
name: resync-again
seed: 1
duration: 20s
sites: [main, r1]
links: [{ between: [main, r1], bandwidth: 10Gbps, latency: 46ms }]
volumes: [{ name: vol1, site: main, size: 1GiB }]
workloads:
  - { volume: vol1, rate: 400/s, arrivals: constant, size: 232KiB, address: sequential }
replication:
  - { group: vol1, to: r1, restore_every: 100ms, apply_rate: 1GB/s,
      journal: { capacity: 64MiB, max_batch: 4MiB, max_inflight: 8, pfus_watch: 0s, resync_after: 1s } }
faults: [{ at: 2s, link: [main, r1], down_for: 4s }]
`;
    const t = simulateYaml(yaml);
    const states = eventsOf(t.sink, 'pair_state').map((e) => e.detail.replace(/^vol1: /, '').split(' ')[0]);
    expect(states).toContain('COPY->PFUS');
    expect(states.at(-1)).toBe('COPY->PAIR');
    const firstSuspend = eventsOf(t.sink, 'pair_state', '->PFUS')[0].t_s;
    const pair = eventsOf(t.sink, 'pair_state', 'COPY->PAIR')[0].t_s;
    // Suspended time runs from the first suspension to PAIR, across the second one.
    expect(t.summary.groups[0].suspended_s).toBeCloseTo(pair - firstSuspend, 6);
    const mode = t.run.groups[0].mode as JournalMode;
    expect(mode.pairs[0].diffTracks()).toBe(0);
  });
});

describe('consistency groups', () => {
  const deps = (per: string) => `
name: deps
seed: 4
duration: 2m
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 100Mbps, latency: 10ms }]
volumes: [{ name: DB, site: main, size: 100GiB }, { name: LOG, site: main, size: 10GiB }]
apps:
  - { id: 1, name: Db, volumes: [DB], labels: { consistent-group: CTG1 } }
  - { id: 2, name: Log, volumes: [LOG], labels: { consistent-group: "CTG1, end" } }
workloads:
  - { app: Db, rate: 200/s, size: 64KiB }
  - { app: Log, rate: 200/s, size: 4KiB, address: sequential, dependent: { fraction: 1, on: Db } }
replication:
  - { group: CTG1, mode: journal, transfer: push, to: dr, journal_per: ${per}, journal: { capacity: 50GiB } }
`;
  it('one journal per volume with dependent writes yields consistency violations', () => {
    const g = simulateYaml(deps('volume')).summary.groups[0];
    expect(g.extra.dependent_pairs).toBeGreaterThan(10_000);
    expect(g.consistency_violations).toBeGreaterThan(0);
    expect(g.extra.journals).toBe(2);
  });
  it('one journal per group yields none', () => {
    const g = simulateYaml(deps('group')).summary.groups[0];
    expect(g.extra.dependent_pairs).toBeGreaterThan(10_000);
    expect(g.consistency_violations).toBe(0);
    expect(g.recovery_points).toBe(120);
  });
});

describe('exact oracle on journal images', () => {
  const deps = (per: string) => `
name: exact
seed: 8
duration: 60s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 50Mbps, latency: 10ms }]
volumes: [{ name: DB, site: main, size: 1GiB }, { name: LOG, site: main, size: 256MiB }]
apps: [{ id: 1, name: Db, volumes: [DB], labels: {} }, { id: 2, name: Log, volumes: [LOG], labels: {} }]
workloads:
  - { app: Db, rate: 100/s, size: 64KiB }
  - { app: Log, rate: 100/s, size: 4KiB, address: sequential, dependent: { fraction: 1, on: Db } }
replication:
  - { group: "DB, LOG", mode: journal, transfer: push, to: dr, journal_per: ${per}, journal: { capacity: 50GiB } }
`;
  const run = (per: string) => {
    const s = scenario(deps(per));
    return new Run(s, s.seed, new MemorySink(), { exactOracle: true }).run().groups[0];
  };
  it('passes every recovery point of one journal per group', () => {
    const g = run('group');
    expect(g.extra.exact_checks).toBe(60);
    expect(g.extra.exact_violations).toBe(0);
  });
  it('flags the per-volume journals that the dependency oracle flags', () => {
    const g = run('volume');
    expect(g.extra.exact_checks).toBe(60);
    expect(g.extra.exact_violations).toBeGreaterThan(0);
    expect(g.consistency_violations).toBeGreaterThan(0);
  });
});
