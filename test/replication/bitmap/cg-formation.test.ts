import { describe, expect, it } from 'vitest';
import { bitmapMode, runYaml, shadowConsistencyGroups } from './helpers.js';

/** Two volumes at main, an oos-bitmap group to dr over `link`; extra YAML appended. */
function yaml(o: { bitmap?: string; link?: string; workloads?: string; duration?: string; faults?: string }) {
  return `
name: cg
seed: 3
duration: ${o.duration ?? '1s'}
sample_every: 50ms
sites: [main, dr]
links:
  - { between: [main, dr], ${o.link ?? 'bandwidth: 100Mbps, latency: 7ms'} }
volumes:
  - { name: Data, site: main, size: 256MiB }
  - { name: Log, site: main, size: 64MiB }
workloads: ${o.workloads ?? '[]'}
replication:
  - { group: "Data,Log", mode: oos-bitmap, to: dr, bitmap: ${o.bitmap ?? '{}'} }
faults: ${o.faults ?? '[]'}
`;
}

/**
 * Data writes depend on the newest completed Log write (write-ahead logging). Each small write
 * can cost a whole 64 KiB track (the drain resends the log's current track as it fills), so on
 * a 100 Mbps link (12.5 MB/s) DB is moderate (at worst 100/s x 64 KiB = 6.6 MB/s) and HEAVY is
 * not (300/s x 64 KiB = 19.7 MB/s: passes lengthen until coalescing brings it under the link).
 */
const db = (log: number, data: number) => `
  - { volume: Log, rate: ${log}/s, arrivals: poisson, size: 4KiB, address: sequential }
  - { volume: Data, rate: ${data}/s, arrivals: poisson, size: 8KiB, address: { dist: zipf, theta: 0.9 }, dependent: { fraction: 0.5, on: Log } }`;
const DB = db(40, 60);
const HEAVY = db(100, 200);

describe('consistency-group formation', () => {
  it('idle system: formation time = coordination_time + round trip + flash_time, exactly', () => {
    const { g, sink } = runYaml(yaml({ bitmap: '{ coordination_time: 30ms, flash_time: 3ms }' }));
    // 30 + 2 x 7 + 3 = 47 ms; with cg_interval 0 the k-th group forms at 47k ms.
    expect(g.extra.cg_formation_mean_ms).toBe(47);
    expect(g.extra.cg_formation_max_ms).toBe(47);
    expect(g.extra.cg_formed).toBe(Math.floor(1000 / 47));
    expect(g.extra.cg_failed).toBe(0);
    const first = sink.events.filter((e) => e.kind === 'cg_state').slice(0, 5).map((e) => [e.t_s, e.detail.split(' ')[0]]);
    expect(first).toEqual([
      [0, 'NORMAL->INCREMENT_PENDING'],
      [0.03, 'INCREMENT_PENDING->CG_IN_PROGRESS'],
      [0.03, 'CG_IN_PROGRESS->FLASHCOPY'],
      [0.047, 'FLASHCOPY->INCREMENT_COMPLETE'],
      [0.047, 'INCREMENT_COMPLETE->NORMAL'],
    ]);
    expect(sink.events.filter((e) => e.kind === 'cg_formed')[0].t_s).toBe(0.047);
  });

  it('cg_interval spaces formations: the next starts cg_interval after the previous ends', () => {
    const { g } = runYaml(yaml({ bitmap: '{ coordination_time: 30ms, flash_time: 3ms, cg_interval: 200ms }' }));
    // Formations at [200, 247], [447, 494], [694, 741], [941, 988] ms.
    expect(g.extra.cg_formed).toBe(4);
  });

  for (const collision of ['send-old-image', 'new-image'] as const) {
    for (const unit of ['track', 'sectors'] as const) {
      it(`every group is the primary's image at its cut, track for track (${collision}, ${unit})`, () => {
        let shadow!: ReturnType<typeof shadowConsistencyGroups>;
        const { g } = runYaml(
          yaml({ bitmap: `{ collision: ${collision}, transfer_unit: ${unit}, max_concurrent: 4 }`, link: 'bandwidth: 100Mbps, latency: 5ms', workloads: HEAVY, duration: '3s' }),
          (r) => (shadow = shadowConsistencyGroups(r, bitmapMode(r))),
          true,
        );
        expect(shadow.formed).toBeGreaterThan(5);
        expect(shadow.nonEmpty).toBe(shadow.formed - 1); // the first cut, at 0 s, is empty
        expect(shadow.mismatchedTracks).toBe(0);
        expect(g.extra.collisions).toBeGreaterThan(0);
        expect(g.extra.dependent_pairs).toBeGreaterThan(100);
        expect(g.consistency_violations).toBe(0);
        if (collision === 'new-image') expect(g.extra.new_image_peak_bytes).toBeGreaterThan(0);
        else expect(g.extra.new_image_peak_bytes).toBe(0);
      });
    }
  }

  it('the exact (per-track) oracle finds every group consistent', () => {
    const { g } = runYaml(yaml({ link: 'bandwidth: 100Mbps, latency: 5ms', workloads: HEAVY, duration: '2s' }), undefined, true);
    expect(g.extra.exact_checks).toBe(40); // every 50 ms sample
    expect(g.extra.exact_violations).toBe(0);
    const without = runYaml(yaml({ bitmap: '{ consistency_groups: false }', link: 'bandwidth: 100Mbps, latency: 5ms', workloads: HEAVY, duration: '2s' }), undefined, true).g;
    expect(without.extra.exact_checks).toBe(40);
    expect(without.extra.exact_violations).toBeGreaterThan(10); // the secondary volumes as they stand
  });

  it('send-old-image makes colliding writes wait for the old image; new-image does not', () => {
    const run = (collision: string) => runYaml(yaml({
      bitmap: `{ collision: ${collision}, max_concurrent: 4, coordination_time: 0s }`, link: 'bandwidth: 100Mbps, latency: 5ms', workloads: HEAVY, duration: '3s',
    })).g;
    const old = run('send-old-image');
    const img = run('new-image');
    expect(old.extra.collisions).toBeGreaterThan(10);
    // A held write waits at least for the old image's round trip (2 x 5 ms + 64 KiB at 100 Mbps).
    expect(old.host_latency_max_us).toBeGreaterThan(200 + 10_000 + 5243);
    // new-image (and no coordination hold): no write waits beyond local service.
    expect(img.extra.collisions).toBeGreaterThan(10);
    expect(img.host_latency_max_us).toBe(200);
  });

  it('coordination holds write acknowledgements for at most coordination_time', () => {
    const { g } = runYaml(yaml({
      bitmap: '{ coordination_time: 20ms, cg_interval: 500ms }', workloads: HEAVY, duration: '3s',
      link: 'bandwidth: 1Gbps, latency: 1ms',
    }));
    expect(g.extra.coordination_holds).toBeGreaterThan(20);
    expect(g.host_latency_max_us).toBeGreaterThan(15_000);
    expect(g.host_latency_max_us).toBeLessThanOrEqual(20_000 + 200);
    expect(g.host_latency_p50_us).toBe(200); // most writes see only local service
  });

  it('with cg_interval I under moderate load, RPO stays within I + two formation times', () => {
    const I = 1;
    const { g, sink } = runYaml(yaml({
      bitmap: `{ cg_interval: ${I}s }`, link: 'bandwidth: 100Mbps, latency: 5ms', workloads: DB, duration: '8s',
    }));
    const F = (g.extra.cg_formation_max_ms as number) / 1000;
    expect(g.extra.cg_formed).toBeGreaterThanOrEqual(6);
    expect(F).toBeGreaterThan(0.05 + 0.01); // coordination + round trip + some drain
    expect(g.rpo_max_s).toBeGreaterThan(I);
    expect(g.rpo_max_s).toBeLessThanOrEqual(I + 2 * F);
    // Right after a group forms, RPO is back to about one formation time.
    const formed = sink.events.filter((e) => e.kind === 'cg_formed').map((e) => e.t_s);
    const after = sink.rows.find((r) => r.t_s > formed[3])!;
    expect(after.rpo_s).toBeLessThanOrEqual(F + 0.05 + 0.001);
  });

  it('a drain longer than max_drain fails the group; after repeated failures one is forced', () => {
    const { g, sink, r } = runYaml(yaml({
      bitmap: '{ max_drain: 500ms, max_failures_before_force: 2 }', link: 'bandwidth: 100Mbps, latency: 5ms',
      workloads: DB, duration: '8s', faults: '[{ at: 1s, link: [main, dr], down_for: 2s }]',
    }));
    const failed = sink.events.filter((e) => e.kind === 'cg_failed');
    expect(g.extra.cg_failed).toBe(failed.length);
    // During the outage: two failures (500 ms each after the run), then a forced formation that
    // waits for the link and forms after it returns.
    const inOutage = failed.filter((e) => e.t_s > 1 && e.t_s <= 3);
    expect(inOutage.length).toBe(2);
    expect(inOutage[0].detail).toMatch(/^cg \d+: not drained within max_drain 500\.000 ms \(\d+ tracks left; 1 in a row\)$/);
    expect(inOutage[1].detail).toMatch(/2 in a row/);
    const forced = sink.events.filter((e) => e.kind === 'cg_state' && e.detail.includes('forced'));
    expect(forced.length).toBe(g.extra.cg_forced);
    expect(forced[0].t_s).toBeLessThan(3);
    const firstAfter = sink.events.find((e) => e.kind === 'cg_formed' && e.t_s > 3)!;
    expect(firstAfter.detail.startsWith(forced[0].detail.match(/cg \d+/)![0] + ':')).toBe(true);
    // The image stood still through the outage, and recovers once the backlog is drained.
    expect(g.rpo_max_s).toBeGreaterThan(2);
    const mode = bitmapMode(r);
    expect(mode.rpo_us(r.sim.now)).toBeLessThan(1_000_000);
    expect(g.consistency_violations).toBe(0);
  });

  it('data loss at failure = the writes after the last group cut', () => {
    let shadowFormed = 0;
    const { g } = runYaml(yaml({
      link: 'bandwidth: 100Mbps, latency: 5ms', workloads: DB, duration: '3s', faults: '[{ at: 2s, site: main, fails: true }]',
    }), (r) => {
      const m = bitmapMode(r);
      const flashed = m.flashed.bind(m);
      m.flashed = () => {
        shadowFormed++;
        flashed();
      };
    });
    expect(shadowFormed).toBeGreaterThan(5);
    expect(g.data_loss_writes!).toBeGreaterThan(0);
    expect(g.data_loss_writes!).toBeLessThan(900 * 0.5); // less than half a second of writes
    expect(g.rto_s).toBeCloseTo(30 + 0.01, 9); // promotion delay + restoring the flash copy
  });
});
