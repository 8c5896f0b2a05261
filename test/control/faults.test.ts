// Fault injection: fixed link outages (overlapping ones too), degradation, random failures from
// their own stream, site versus storage-system failure.
import { describe, expect, it } from 'vitest';
import { exponential } from '../../src/engine/distributions.js';
import { Streams } from '../../src/engine/random.js';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { Run } from '../../src/run.js';

const BASE = `
duration: 10m
sample_every: 10s
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 10ms }
  - { between: [main, remote2], bandwidth: 100Mbps, latency: 10ms }
  - { between: [remote1, remote2], bandwidth: 100Mbps, latency: 10ms }
volumes:
  - { name: V, site: main, size: 1GiB }
workloads:
  - { volume: V, rate: 100/s, arrivals: constant, size: 8KiB }
replication:
  - { group: V, mode: journal, transfer: push, to: remote1, candidates: [remote1, remote2], promotion_delay: 5s }
`;

function runWith(faults: string, seed = 1) {
  const sink = new MemorySink();
  const s = loadScenarioText(`${BASE}faults:\n${faults}`, 'f.yaml');
  const run = new Run(s, seed, sink);
  return { run, sink, s };
}

const linkEvents = (sink: MemorySink) =>
  sink.events.filter((e) => e.kind.startsWith('link_')).map((e) => `${e.t_s} ${e.kind} ${e.detail.split(' ')[0]}`);

describe('fixed faults', () => {
  it('overlapping outages keep the link down until the last one ends', () => {
    const { run, sink } = runWith(`
  - { at: 10s, link: [main, remote1], down_for: 20s }
  - { at: 20s, link: [main, remote1], down_for: 20s }
`);
    run.runTo(25_000_000);
    expect(run.link('main', 'remote1').isUp).toBe(false);
    run.runTo(35_000_000);
    expect(run.link('main', 'remote1').isUp).toBe(false);
    run.run();
    expect(run.link('main', 'remote1').isUp).toBe(true);
    expect(linkEvents(sink)).toEqual(['10 link_down main<->remote1', '40 link_up main<->remote1']);
  });

  it('degradation sets and restores the bandwidth', () => {
    const { run, sink } = runWith(`  - { at: 1m, link: [main, remote1], bandwidth: 10Mbps, for: 2m }\n`);
    run.runTo(90_000_000);
    expect(run.link('main', 'remote1').bandwidth_bps).toBe(10e6);
    run.run();
    expect(run.link('main', 'remote1').bandwidth_bps).toBe(100e6);
    expect(linkEvents(sink)).toEqual(['60 link_degraded main<->remote1', '180 link_restored main<->remote1']);
  });

  it('a failed site takes its links down; a failed storage system leaves them up; writes stop in both', () => {
    for (const [fault, kind] of [['site', 'site_failed'], ['storage', 'storage_failed']] as const) {
      const { run, sink } = runWith(`  - { at: 60s, ${fault}: main, fails: true }\n`);
      const summary = run.run();
      expect(sink.events.find((e) => e.kind === kind)).toMatchObject({ t_s: 60, detail: 'main' });
      const downs = linkEvents(sink).filter((e) => e.includes('link_down'));
      expect(downs).toEqual(fault === 'site' ? ['60 link_down main<->remote1', '60 link_down main<->remote2'] : []);
      // constant 100/s, the first at 10 ms: writes at 0.01 .. 59.99 s (the one at 60 s comes after the fault).
      expect(summary.run.writes).toBe(5999);
      expect(summary.groups[0].rto_s).not.toBeNull();
      expect(sink.events.some((e) => e.kind === 'failover')).toBe(true);
    }
  });
});

describe('random link faults', () => {
  const RANDOM = `  - { link: [main, remote1], mtbf: 2m, mttr: 20s }\n`;

  function expectedTimes(seed: number, index: number, end_s: number): string[] {
    const rng = new Streams(seed).stream(`faults.${index}`);
    const draw = (mean_us: number) => Math.max(1, Math.round(exponential(rng, 1 / mean_us)));
    const out: string[] = [];
    let t = 0;
    for (;;) {
      t += draw(120e6);
      if (t > end_s * 1e6) break;
      out.push(`${t / 1e6} link_down main<->remote1`);
      t += draw(20e6);
      if (t > end_s * 1e6) break;
      out.push(`${t / 1e6} link_up main<->remote1`);
    }
    return out;
  }

  it('draws failures and repairs from the stream faults.<index>, exponential with the given means', () => {
    const { run, sink } = runWith(RANDOM, 3);
    run.run();
    const got = linkEvents(sink);
    expect(got).toEqual(expectedTimes(3, 0, 600));
    expect(got.length).toBeGreaterThan(2);
  });

  it('is deterministic per seed, differs across seeds, and does not move when other faults are added', () => {
    const a = runWith(RANDOM, 4);
    a.run.run();
    const b = runWith(RANDOM, 4);
    b.run.run();
    expect(linkEvents(b.sink)).toEqual(linkEvents(a.sink));
    const c = runWith(RANDOM, 5);
    c.run.run();
    expect(linkEvents(c.sink)).not.toEqual(linkEvents(a.sink));
    // A random fault on another link at index 1 has its own stream: the first one's times stay.
    const d = runWith(RANDOM + `  - { link: [main, remote2], mtbf: 1m, mttr: 10s }\n`, 4);
    d.run.run();
    expect(linkEvents(d.sink).filter((e) => e.endsWith('main<->remote1'))).toEqual(linkEvents(a.sink));
    expect(linkEvents(d.sink).filter((e) => e.endsWith('main<->remote2')).length).toBeGreaterThan(0);
  });
});

describe('storage-fail in the scenario vocabulary', () => {
  it('is {at, storage: site, fails: true}; an unknown site or a stray key is located', async () => {
    const { ScenarioError } = await import('../../src/io/scenario/errors.js');
    const ok = loadScenarioText(`${BASE}faults:\n  - { at: 1m, storage: remote1, fails: true }\n`, 'f.yaml');
    expect(ok.faults).toEqual([{ kind: 'storage-fail', at_us: 60_000_000, site: 'remote1' }]);
    const messages = (text: string): string => {
      try {
        loadScenarioText(`${BASE}faults:\n${text}`, 'f.yaml');
      } catch (e) {
        if (e instanceof ScenarioError) return e.message;
        throw e;
      }
      return '';
    };
    expect(messages('  - { at: 1m, storage: remote9, fails: true }\n')).toMatch(/faults\[0\]\.storage: .*remote9/);
    expect(messages('  - { at: 1m, storage: remote1, site: main, fails: true }\n')).toMatch(/faults\[0\]\.site: key "site" does not belong in a storage-fail fault/);
  });
});
