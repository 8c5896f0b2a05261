// repsim size on scenarios/pull-vs-push.yaml: the bandwidth it returns meets the objective on
// every seed, 90% of it does not; and the rules of thumb's arithmetic.
import { describe, expect, it } from 'vitest';
import { parseObjective, runMeets } from '../../src/experiments/objective.js';
import { bandwidthRule, groupLoads, journalRule, profileMean } from '../../src/experiments/rules.js';
import { defaultDirection, midpoint, parseRange, size } from '../../src/experiments/size.js';
import { loadScenarioFile } from '../../src/io/scenario/load.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { runScenario } from '../../src/run.js';

const SCENARIO = 'scenarios/pull-vs-push.yaml';
const SEEDS = [1, 2];
const DURATION = '90s';
const objective = parseObjective('rpo_p99_s<=10');

function meetsAt(bandwidth: string): boolean[] {
  return SEEDS.map((seed) => {
    const s = loadScenarioFile(SCENARIO, { set: [`links.0.bandwidth=${bandwidth}`], seed, duration: DURATION });
    return runMeets(runScenario(s, { sink: new MemorySink() }), [objective], null);
  });
}

describe('repsim size', () => {
  it('finds a bandwidth that meets the objective on every seed while 90% of it does not', async () => {
    const r = await size({
      scenario: SCENARIO, vary: 'links.0.bandwidth=100Mbps..400Mbps', objectives: [objective], seeds: SEEDS,
      duration: DURATION, workers: 1, tolerance: 0.02,
    });
    expect(r.status).toBe('found');
    expect(r.direction).toBe('smallest');
    const bps = r.answer!;
    expect(bps).toBeGreaterThan(100e6);
    expect(bps).toBeLessThan(400e6);
    // The bracket is within the tolerance, and the evidence contains both of its ends.
    expect((bps - r.failing!) / bps).toBeLessThanOrEqual(0.02);
    expect(r.probes.find((p) => p.value === bps)!.ok).toBe(true);
    expect(r.probes.find((p) => p.value === r.failing)!.ok).toBe(false);
    // Independent check with fresh runs.
    expect(meetsAt(r.answer_text!)).toEqual([true, true]);
    expect(meetsAt(`${Math.floor(bps * 0.9)}bps`)).toContain(false);
    // The rule of thumb sits beside it: peak 245.76 Mbps x 1.2.
    expect(r.rule!.value).toBe(Math.ceil(30_720_000 * 8 * 1.2));
    expect(r.rule!.vs_answer).toBeCloseTo(r.rule!.value! / bps, 12);
  });

  it('reports "never" when even the top of the range misses', async () => {
    const r = await size({
      scenario: SCENARIO, vary: 'links.0.bandwidth=10Mbps..20Mbps', objectives: [objective], seeds: [1],
      duration: '30s', workers: 1,
    });
    expect(r.status).toBe('never');
    expect(r.answer).toBeNull();
    expect(r.probes.map((p) => p.ok)).toEqual([false, false]);
  });
});

describe('sizing helpers', () => {
  it('reads ranges with units and picks the search direction', () => {
    expect(parseRange('links.0.bandwidth=10Mbps..1Gbps')).toMatchObject({ path: 'links.0.bandwidth', q: { kind: 'bandwidth', lo: 10e6, hi: 1e9 } });
    expect(parseRange('replication.0.journal.capacity=1GiB..64GiB').q).toMatchObject({ kind: 'size', lo: 2 ** 30, hi: 64 * 2 ** 30 });
    expect(parseRange('replication.0.restore_every=1s..5m').q).toMatchObject({ kind: 'duration', lo: 1e6, hi: 300e6 });
    expect(() => parseRange('links.0.bandwidth=1Gbps..10Mbps')).toThrow(/low end/);
    expect(() => parseRange('links.0.bandwidth=10Mbps..4GiB')).toThrow(/one kind/);
    expect(defaultDirection('links.0.bandwidth')).toBe('smallest');
    expect(defaultDirection('replication.0.journal.capacity')).toBe('smallest');
    expect(defaultDirection('replication.0.restore_every')).toBe('largest');
    expect(midpoint(100e6, 400e6)).toBe(250e6);
    expect(midpoint(178e6, 180e6)).toBe(179e6);
    expect(midpoint(5, 6)).toBeNull();
    expect(parseObjective(' rpo_p99_s <= 30 ')).toMatchObject({ metric: 'rpo_p99_s', op: '<=', value: 30 });
    expect(() => parseObjective('rpo<=3')).toThrow(/unknown metric/);
  });

  it('computes the rules of thumb from the declared workload (pull-vs-push)', () => {
    const s = loadScenarioFile(SCENARIO);
    const [l] = groupLoads(s);
    // OrdersDB: on/off 2400/s for 20 s, 600/s for 40 s, 12 KiB mean; OrdersRedo: 300/s x 4 KiB.
    expect(l.mean_write_Bps).toBe(1200 * 12288 + 300 * 4096);
    expect(l.peak_write_Bps).toBe(2400 * 12288 + 300 * 4096);
    expect([l.burst_s, l.burst_write_Bps, l.link_bps, l.outage_s]).toEqual([20, 2400 * 12288 + 300 * 4096, 200e6, 0]);
    expect(bandwidthRule(l, 1.5).value).toBeCloseTo(30_720_000 * 8 * 1.5, 6);
    // (30.72 MB/s - 25 MB/s) x 20 s of burst.
    expect(journalRule(l).value).toBeCloseTo((30_720_000 - 25_000_000) * 20, 3);
    expect(journalRule({ ...l, outage_s: 300 }).value).toBeCloseTo(l.mean_write_Bps * 300, 3);
    expect(profileMean([[0, 1], [12, 3]])).toBeCloseTo(2, 12);
  });
});
