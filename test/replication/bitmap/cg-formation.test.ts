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
 * Data writes depend on the newest completed Log write (write-ahead logging). Moderate for a
 * 100 Mbps link: sequential 4 KiB log writes cost up to a whole 64 KiB track each (the drain
 * resends the log's current track as it fills), 100/s x 64 KiB = 52 Mbps at worst.
 */
const DB = `
  - { volume: Log, rate: 100/s, arrivals: poisson, size: 4KiB, address: sequential }
  - { volume: Data, rate: 200/s, arrivals: poisson, size: 8KiB, address: { dist: zipf, theta: 0.9 }, dependent: { fraction: 0.5, on: Log } }`;

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
          yaml({ bitmap: `{ collision: ${collision}, transfer_unit: ${unit}, max_concurrent: 4 }`, link: 'bandwidth: 100Mbps, latency: 5ms', workloads: DB, duration: '3s' }),
          (r) => (shadow = shadowConsistencyGroups(r, bitmapMode(r))),
        );
        expect(shadow.formed).toBeGreaterThan(5);
        expect(shadow.nonEmpty).toBe(shadow.formed);
        expect(shadow.mismatchedTracks).toBe(0);
        expect(g.extra.collisions).toBeGreaterThan(0);
        expect(g.extra.dependent_pairs).toBeGreaterThan(500);
        expect(g.consistency_violations).toBe(0);
        if (collision === 'new-image') expect(g.extra.new_image_peak_bytes).toBeGreaterThan(0);
        else expect(g.extra.new_image_peak_bytes).toBe(0);
      });
    }
  }

  it('send-old-image makes colliding writes wait for the old image; new-image does not', () => {
    const run = (collision: string) => runYaml(yaml({
      bitmap: `{ collision: ${collision}, max_concurrent: 4, cg_interval: 100ms }`, link: 'bandwidth: 100Mbps, latency: 5ms', workloads: DB, duration: '3s',
    })).g;
    const old = run('send-old-image');
    const img = run('new-image');
    expect(old.extra.collisions).toBeGreaterThan(10);
    // A held write waits at least the old image's round trip (2 x 5 ms).
    expect(old.host_latency_p999_us).toBeGreaterThan(img.host_latency_p999_us);
    // new-image: only the coordination hold (50 ms) ever delays a write.
    expect(img.host_latency_max_us).toBeLessThanOrEqual(50_000 + 200);
  });

  it('coordination holds write acknowledgements for at most coordination_time', () => {
    const { g } = runYaml(yaml({
      bitmap: '{ coordination_time: 20ms, cg_interval: 500ms }', workloads: DB, duration: '3s',
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
      bitmap: '{ max_drain: 300ms, max_failures_before_force: 2 }', link: 'bandwidth: 100Mbps, latency: 5ms',
      workloads: DB, duration: '5s', faults: '[{ at: 1s, link: [main, dr], down_for: 2s }]',
    }));
    const failed = sink.events.filter((e) => e.kind === 'cg_failed');
    expect(g.extra.cg_failed).toBe(failed.length);
    expect(failed.length).toBe(2); // then the forced one waits for the link
    expect(g.extra.cg_forced).toBeGreaterThanOrEqual(1);
    expect(failed[0].detail).toMatch(/not drained within max_drain 300\.000 ms/);
    // The forced group forms once the link is back; RPO then recovers.
    const formedAfter = sink.events.filter((e) => e.kind === 'cg_formed' && e.t_s > 3).length;
    expect(formedAfter).toBeGreaterThan(3);
    expect(g.rpo_max_s).toBeGreaterThan(2);
    const mode = bitmapMode(r);
    expect(mode.rpo_us(r.sim.now)).toBeLessThan(500_000);
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
