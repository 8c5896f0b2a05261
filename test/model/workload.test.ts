// Workloads and the host IO path (issue 3): counts, rates, sizes, addresses, dependencies, traces.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/sim.js';
import { HOLD, HostIo, type HostWrite } from '../../src/model/host.js';
import { Volume } from '../../src/model/volume.js';
import { prepare, simulateYaml } from '../helpers/sim.js';

function one(workload: string, duration = '60s', extra = '') {
  return `
name: w
seed: 42
duration: ${duration}
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 10Gbps, latency: 1ms }]
volumes: [{ name: V, site: main, size: 64GiB }, { name: W, site: main, size: 16GiB }]
workloads:
  - ${workload}
replication: [{ group: "V, W", mode: journal, transfer: push, to: dr }]
${extra}`;
}

/** Collects every issued write of a run. */
function writesOf(yaml: string) {
  const p = prepare(yaml);
  const writes: HostWrite[] = [];
  p.run.host.observe({ onIssued: (w) => writes.push({ ...w }) });
  const t = p.go();
  return { writes, t };
}

describe('workload arrivals', () => {
  it('constant 1000/s of 8 KiB for 60 s gives 60000 writes and 491520000 bytes', () => {
    const t = simulateYaml(one('{ volume: V, rate: 1000/s, arrivals: constant, size: 8KiB }'));
    expect(t.summary.groups[0].writes).toBe(60_000);
    expect(t.summary.groups[0].bytes_written).toBe(491_520_000);
    expect(t.summary.run.writes).toBe(60_000);
  });

  it('poisson arrivals average the rate within 3 standard errors', () => {
    const t = simulateYaml(one('{ volume: V, rate: 2000/s, arrivals: poisson, size: 4KiB }', '100s'));
    const n = t.summary.groups[0].writes;
    const expected = 200_000;
    expect(Math.abs(n - expected)).toBeLessThan(3 * Math.sqrt(expected));
  });

  it('on/off bursts average (on_rate x on_mean + off_rate x off_mean) / (on_mean + off_mean)', () => {
    const { writes } = writesOf(one(
      '{ volume: V, rate: 1/s, arrivals: { kind: onoff, on_rate: 30/s, off_rate: 5/s, on_mean: 2s, off_mean: 8s }, size: 4KiB }', '40000s'));
    const T = 40_000;
    const mean = (30 * 2 + 5 * 8) / 10; // 10/s
    const rate = writes.length / T;
    // The count's variance is dominated by the state sojourns: 4000 on/off cycles give a
    // relative standard error near 1.1% (sojourn sums), so 4% is beyond 3 standard errors.
    expect(Math.abs(rate - mean) / mean).toBeLessThan(0.04);
    // Burstiness: per-second counts vary far more than a Poisson stream's (index of dispersion 1).
    const perSecond = new Float64Array(T);
    for (const w of writes) perSecond[Math.min(T - 1, Math.floor(w.issued_us / 1e6))]++;
    const m = perSecond.reduce((a, b) => a + b, 0) / T;
    const v = perSecond.reduce((a, b) => a + (b - m) ** 2, 0) / (T - 1);
    expect(v / m).toBeGreaterThan(5);
  });

  it('diurnal profile: the day mean is the rate, and the hourly shape follows the points', () => {
    const { writes } = writesOf(one(
      '{ volume: V, rate: 5/s, arrivals: { kind: diurnal, points: [[0, 0.2], [12, 1.8], [24, 0.2]] }, size: 4KiB }', '24h'));
    const n = writes.length;
    const expected = 5 * 86400;
    expect(Math.abs(n - expected)).toBeLessThan(3 * Math.sqrt(expected));
    // Counts in the hour around noon and around midnight: mean factors 1.8 - 0.25 x 1.6 / 12 and
    // 0.2 + 0.25 x 1.6 / 12 (the profile is linear), a ratio of 7.571; within 3.5 standard errors.
    const inHour = (h0: number, h1: number) => writes.filter((w) => w.issued_us >= h0 * 3.6e9 && w.issued_us < h1 * 3.6e9).length;
    const noon = inHour(11.5, 12.5);
    const night = inHour(0, 0.5) + inHour(23.5, 24);
    const ratio = (1.8 - (0.25 * 1.6) / 12) / (0.2 + (0.25 * 1.6) / 12);
    const se = ratio * Math.sqrt(1 / noon + 1 / night);
    expect(Math.abs(noon / night - ratio)).toBeLessThan(3.5 * se);
    const nightMean = 5 * 3600 * (0.2 + (0.25 * 1.6) / 12);
    expect(Math.abs(night - nightMean)).toBeLessThan(4 * Math.sqrt(nightMean));
  });
});

describe('diurnal pieces', () => {
  it('a burst and a profile point off the minute grid: counts in each stretch match the rate integral', () => {
    // Profile 1 -> 3 between 0 and 0.02 h (72 s), flat 3 after; a 4x burst over [100 s, 130 s).
    // Mean of the profile over the day is ~3, so rate 3000/s gives ~1000/s per unit of factor.
    const { writes } = writesOf(one(
      '{ volume: V, rate: 3000/s, arrivals: { kind: diurnal, points: [[0, 1], [0.02, 3], [24, 3]], bursts: [{ at: 100s, for: 30s, factor: 4 }] }, size: 4KiB }', '200s'));
    const area = ((1 + 3) / 2) * 0.02 + 3 * 23.98; // factor-hours over the day
    const unit = 3000 / (area / 24); // writes/s per unit of factor
    const count = (a: number, b: number) => writes.filter((w) => w.issued_us >= a * 1e6 && w.issued_us < b * 1e6).length;
    const check = (a: number, b: number, expected: number) =>
      expect(Math.abs(count(a, b) - expected)).toBeLessThan(4 * Math.sqrt(expected));
    check(0, 72, unit * 72 * 2); // the ramp: mean factor 2
    check(0, 36, unit * 36 * 1.5); // its first half: mean factor 1.5
    check(72, 100, unit * 28 * 3);
    check(100, 130, unit * 30 * 12); // the burst
    check(130, 200, unit * 70 * 3);
  });
});

describe('workload sizes and addresses', () => {
  it('lognormal sizes average the mean (rounded up to the 4 KiB alignment)', () => {
    const { writes } = writesOf(one('{ volume: V, rate: 5000/s, size: { dist: lognormal, mean: 64KiB, sigma: 0.5 } }', '20s'));
    const mean = writes.reduce((a, w) => a + w.length_bytes, 0) / writes.length;
    // Rounding up to 4 KiB adds about half an alignment unit on average.
    expect(Math.abs(mean - (65536 + 2048)) / 65536).toBeLessThan(0.02);
    expect(writes.every((w) => w.length_bytes % 4096 === 0)).toBe(true);
  });

  it('hotspot: the given share of writes lands in the given fraction of the volume', () => {
    const { writes } = writesOf(one('{ volume: V, rate: 5000/s, size: 4KiB, address: { dist: hotspot, fraction: 10%, share: 90% } }', '20s'));
    const hot = writes.filter((w) => w.offset_bytes < 0.1 * 64 * 2 ** 30).length / writes.length;
    const se = Math.sqrt((0.9 * 0.1) / writes.length);
    expect(Math.abs(hot - 0.9)).toBeLessThan(3 * se + 1e-4);
  });

  it('zipf: the hottest track takes about 1/H(n,theta) of the writes', () => {
    const { writes } = writesOf(one('{ volume: W, rate: 5000/s, size: 4KiB, address: { dist: zipf, theta: 0.99 } }', '20s'));
    const counts = new Map<number, number>();
    for (const w of writes) counts.set(w.track, (counts.get(w.track) ?? 0) + 1);
    const top = Math.max(...counts.values()) / writes.length;
    const n = (16 * 2 ** 30) / 65536;
    let h = 0;
    for (let k = 1; k <= n; k++) h += 1 / k ** 0.99;
    expect(Math.abs(top - 1 / h) / (1 / h)).toBeLessThan(0.1);
  });

  it('zipf over volumes of two sizes: writes split by size, each volume with its own hottest track', () => {
    const apps = 'apps: [{ id: 1, name: A, volumes: [V, W], labels: {} }]';
    const { writes } = writesOf(one('{ app: A, rate: 20000/s, size: 4KiB, address: { dist: zipf, theta: 0.99 } }', '20s', apps));
    const harmonic = (n: number) => {
      let h = 0;
      for (let k = n; k >= 1; k--) h += 1 / k ** 0.99;
      return h;
    };
    const sizes = [64 * 2 ** 30, 16 * 2 ** 30];
    const onV = writes.filter((w) => w.volume === 0).length / writes.length;
    // Picked by size: 64 of 80 GiB; SE of the share ~0.0006 at 400,000 writes.
    expect(Math.abs(onV - 0.8)).toBeLessThan(0.004);
    sizes.forEach((size, v) => {
      const mine = writes.filter((w) => w.volume === v);
      const counts = new Map<number, number>();
      for (const w of mine) {
        expect(w.offset_bytes + w.length_bytes).toBeLessThanOrEqual(size);
        counts.set(w.track, (counts.get(w.track) ?? 0) + 1);
      }
      const top = Math.max(...counts.values()) / mine.length;
      const expected = 1 / harmonic(size / 65536);
      expect(Math.abs(top - expected) / expected).toBeLessThan(0.1);
    });
  });

  it('sequential streams write consecutive addresses', () => {
    const { writes } = writesOf(one('{ volume: W, rate: 1000/s, size: 8KiB, address: { dist: sequential, streams: 1 } }', '5s'));
    for (let i = 1; i < writes.length; i++) expect(writes[i].offset_bytes).toBe(writes[i - 1].offset_bytes + 8192);
  });

  it('dependent writes point to the latest completed write of the other app', () => {
    const yaml = `
name: dep
seed: 3
duration: 10s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 10Gbps, latency: 1ms }]
volumes: [{ name: V, site: main, size: 1GiB }, { name: W, site: main, size: 1GiB }]
apps: [{ id: 1, name: A, volumes: [V], labels: {} }, { id: 2, name: B, volumes: [W], labels: {} }]
workloads:
  - { app: A, rate: 500/s, size: 4KiB }
  - { app: B, rate: 500/s, size: 4KiB, dependent: { fraction: 0.5, on: A } }
replication: [{ group: "V, W", mode: journal, transfer: push, to: dr }]
`;
    const { writes } = writesOf(yaml);
    const bySeq = new Map(writes.map((w) => [w.seq, w]));
    const deps = writes.filter((w) => w.depends_on >= 0);
    const fromB = writes.filter((w) => w.volume === 1).length;
    expect(Math.abs(deps.length / fromB - 0.5)).toBeLessThan(0.05);
    for (const d of deps) {
      const base = bySeq.get(d.depends_on)!;
      expect(base.volume).toBe(0);
      // Completed (issued + 200 us service) before the dependent write was issued ...
      expect(base.issued_us + 200).toBeLessThanOrEqual(d.issued_us);
      // ... and no later write of A had completed by then.
      const later = writes.filter((w) => w.volume === 0 && w.seq > base.seq && w.issued_us + 200 <= d.issued_us);
      expect(later).toHaveLength(0);
    }
  });
});

describe('trace replay', () => {
  it('replays the MSR sample: every write of the mapped disk, with its bytes', () => {
    const yaml = `
name: trace
seed: 1
duration: 10s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 10Gbps, latency: 1ms }]
volumes: [{ name: V, site: main, size: 64GiB }, { name: W, site: main, size: 16GiB }]
workloads:
  - { volume: V, arrivals: { kind: trace, file: ${process.cwd()}/scenarios/traces/msr-sample.csv, disks: { "0": V } } }
replication: [{ group: V, mode: journal, transfer: push, to: dr }]
`;
    const g = simulateYaml(yaml).summary.groups[0];
    // Counted from the file: 1,407 writes of 31,125,504 bytes on disk 0 (reads and disk 1 skipped).
    expect(g.writes).toBe(1407);
    expect(g.bytes_written).toBe(31_125_504);
  });
});

describe('host IO path', () => {
  it('records local service plus the largest hook delay, and held writes on release', () => {
    const sim = new Simulator();
    const vol = new Volume(0, 'V', 'main', 1 << 30, 65536, 'data', 0);
    const host = new HostIo(sim, [vol], 200);
    const g = host.latencyGroup([0]);
    let hold = false;
    let held = -1;
    host.addHook(0, { onWrite: () => 1000 });
    host.addHook(0, { onWrite: (w) => (hold ? ((held = w.seq), HOLD) : 50) });
    expect(host.issue(0, 0, 4096, null)).toBe(1200);
    hold = true;
    expect(host.issue(0, 4096, 4096, null)).toBe(-1);
    const k = sim.register('release', () => host.release(held, 0, 0));
    sim.at(5000, k);
    sim.run();
    const s = host.latency[g].summary();
    expect(s.count).toBe(2);
    expect(s.max).toBe(5000);
    expect(s.p50).toBe(1200);
  });

  it('a release that passes the issue time completes the write as one that does not', () => {
    const sim = new Simulator();
    const host = new HostIo(sim, [new Volume(0, 'V', 'main', 1 << 30, 65536, 'data', 0)], 200);
    const g = host.latencyGroup([0]);
    const held: HostWrite[] = [];
    host.addHook(0, { onWrite: (w) => (held.push({ ...w }), HOLD) });
    sim.at(100, sim.register('a', () => host.issue(0, 0, 4096, null)));
    sim.at(300, sim.register('b', () => host.issue(0, 0, 4096, null)));
    sim.at(1000, sim.register('release', () => {
      host.release(held[0].seq, 0, 0); // looked up
      host.release(held[1].seq, 0, 0, held[1].issued_us); // passed
    }));
    sim.run();
    expect(host.heldNow).toBe(0);
    const s = host.latency[g].summary();
    expect([s.count, s.max, s.mean]).toEqual([2, 900, 800]);
  });

  it('touchAhead gives each touching hook, once, the volumes and tracks of the coming writes', () => {
    const sim = new Simulator();
    const vols = [0, 1, 2].map((i) => new Volume(i, `V${i}`, 'main', 1 << 30, 65536, 'data', 0));
    const host = new HostIo(sim, vols, 200);
    const seen: number[][] = [];
    const toucher = {
      onWrite: () => 0,
      touch: (v: Int32Array, t: Float64Array, n: number) => (seen.push([...v.subarray(0, n), ...t.subarray(0, n)]), n),
    };
    host.addHook(0, toucher);
    host.addHook(2, toucher); // one hook on two volumes: touched once per batch
    host.addHook(1, { onWrite: () => 0 }); // no touch method
    // A workload's batch: its volume numbers (mapped to host volumes 2, 0, 1) and offsets.
    const volIndex = Int32Array.of(2, 0, 1);
    host.touchAhead(Int32Array.of(0, 1, 2, 0), volIndex, Float64Array.of(65536 * 3 + 5, 0, 65536, 65535), 4);
    expect(seen).toEqual([[2, 0, 1, 2, 3, 0, 1, 0]]);
    expect(host.touched).toBe(4);
    host.removeHook(0, toucher);
    host.removeHook(2, toucher);
    host.touchAhead(Int32Array.of(0), volIndex, Float64Array.of(0), 1);
    expect(seen.length).toBe(1);
  });
});
