// compare: arms from a sweep's cells and from run folders, paired by seed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareArms, compareCharts, formatComparison, loadArms, rpoQuantiles } from '../../src/experiments/compare.js';
import { runOne } from '../../src/experiments/run-one.js';
import { sweep } from '../../src/experiments/sweep.js';
import { mean } from '../../src/experiments/stats.js';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'repsim-compare-'));
  await sweep({
    scenario: 'scenarios/quickstart.yaml', vary: [{ path: 'links.0.bandwidth', values: ['100Mbps', '60Mbps'] }],
    seeds: [1, 2, 3], duration: '10s', out: join(root, 'sweep'), workers: 1,
  });
  for (const [name, seed] of [['a', 4], ['b', 4]] as const) {
    await runOne({ scenario: 'scenarios/quickstart.yaml', set: name === 'b' ? ['replication.0.transfer=pull'] : [], seed,
      duration: '10s', out: join(root, name), format: 'arrow', charts: false, report: false });
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const summary = (cell: string, seed: number) =>
  JSON.parse(readFileSync(join(root, 'sweep', 'runs', cell, `seed-${seed}`, 'summary.json'), 'utf8')).groups[0];

describe('compare', () => {
  it('pairs sweep cells by seed: the mean difference is the mean of per-seed differences', () => {
    const arms = loadArms([join(root, 'sweep')]);
    expect(arms.map((a) => a.name)).toEqual(['bandwidth=100Mbps', 'bandwidth=60Mbps']);
    const c = compareArms(arms, ['rpo_p99_s', 'bytes_sent']);
    expect(c.baseline).toBe('bandwidth=100Mbps');
    const [cmp] = c.comparisons;
    expect(cmp.paired_seeds).toEqual([1, 2, 3]);
    const diffs = [1, 2, 3].map((s) => summary('1_bandwidth=60Mbps', s).rpo_p99_s - summary('0_bandwidth=100Mbps', s).rpo_p99_s);
    const row = cmp.rows.find((r) => r.metric === 'rpo_p99_s')!;
    expect(row.diff.n).toBe(3);
    expect(row.diff.mean).toBeCloseTo(mean(diffs), 12);
    expect(row.diff.ci_low!).toBeLessThan(row.diff.mean);
    expect(row.diff.ci_high!).toBeGreaterThan(row.diff.mean);
    // A slower link delays the copy: RPO up, on every seed.
    expect(diffs.every((d) => d > 0)).toBe(true);
    expect(formatComparison(c)).toMatch(/bandwidth=60Mbps vs bandwidth=100Mbps \(baseline\): 3 paired seeds/);
    // Reversing the baseline flips the sign.
    const rev = compareArms(arms, ['rpo_p99_s'], 'bandwidth=60Mbps');
    expect(rev.comparisons[0].rows[0].diff.mean).toBeCloseTo(-row.diff.mean, 12);
  });

  it('pools the RPO samples per option for the distribution chart', () => {
    const arms = loadArms([join(root, 'sweep')]);
    const q = rpoQuantiles(arms, ['sales']);
    const top = q.filter((x) => x.option === 'bandwidth=60Mbps' && x.quantile === 1)[0].rpo_s;
    const all = [1, 2, 3].flatMap((s) => [...tableFromIPC(readFileSync(join(root, 'sweep', 'runs', '1_bandwidth=60Mbps', `seed-${s}`, 'timeseries.arrow')))
      .getChild('rpo_s')!.toArray()]);
    expect(top).toBe(Math.max(...all));
    expect(q.length).toBe(2 * 101);
    expect(Object.keys(compareCharts(arms, compareArms(arms)))).toEqual(['rpo-distribution', 'rpo-p99-by-seed']);
  });

  it('compares two run folders (one seed: no interval) and rejects a single option', () => {
    const c = compareArms(loadArms([join(root, 'a'), join(root, 'b')]), ['rpo_p99_s']);
    expect(c.comparisons[0]).toMatchObject({ arm: 'b', paired_seeds: [4] });
    expect(c.comparisons[0].rows[0].diff).toMatchObject({ n: 1, ci_low: null });
    expect(formatComparison(c)).toMatch(/no confidence interval with one seed/);
    expect(() => compareArms(loadArms([join(root, 'a')]))).toThrow(/at least two/);
    expect(() => loadArms([root])).toThrow(/neither a run folder/);
  });
});
