import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import {
  parseSeeds, parseShard, parseVary, planCells, planRuns, shardRuns, splitValues, type SweepPlan,
} from '../../src/experiments/plan.js';

function plan(vary: { path: string; values: string[] }[], seeds: number[]): SweepPlan {
  return {
    repsim_sweep: 1, version: 't', scenario: 's.yaml', scenario_sha256: 'x', set: [], duration: null, format: 'arrow',
    vary, seeds, cells: planCells(vary),
  };
}

describe('sweep planning', () => {
  it('reads seeds as ranges and lists, in order', () => {
    expect(parseSeeds('1..5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('7')).toEqual([7]);
    expect(parseSeeds('3,1..2,10')).toEqual([3, 1, 2, 10]);
    expect(() => parseSeeds('5..1')).toThrow(CliError);
    expect(() => parseSeeds('1,1')).toThrow(/twice/);
    expect(() => parseSeeds('a')).toThrow(/cannot read/);
  });

  it('splits --vary values on top-level commas only', () => {
    expect(splitValues('100Mbps, 200Mbps')).toEqual(['100Mbps', '200Mbps']);
    expect(splitValues('[a,b],[c]')).toEqual(['[a,b]', '[c]']);
    expect(splitValues('"x,y",z')).toEqual(['"x,y"', 'z']);
    expect(parseVary('links.0.bandwidth=1Mbps,2Mbps')).toEqual({ path: 'links.0.bandwidth', values: ['1Mbps', '2Mbps'] });
    expect(() => parseVary('links.0.bandwidth')).toThrow(/path=v1,v2/);
    expect(() => parseVary('a=1,,2')).toThrow(/empty/);
  });

  it('orders cells as a cartesian product, first axis outermost, with safe folder names', () => {
    const cells = planCells([
      { path: 'replication.0.transfer', values: ['pull', 'push'] },
      { path: 'links.0.bandwidth', values: ['100Mbps', '1.5Gbps'] },
    ]);
    expect(cells.map((c) => c.name)).toEqual([
      '0_transfer=pull,bandwidth=100Mbps', '1_transfer=pull,bandwidth=1.5Gbps',
      '2_transfer=push,bandwidth=100Mbps', '3_transfer=push,bandwidth=1.5Gbps',
    ]);
    expect(cells[3].values).toEqual({ 'replication.0.transfer': 'push', 'links.0.bandwidth': '1.5Gbps' });
    expect(planCells([{ path: 'a', values: ['x/y'] }])[0].name).toBe('0_a=x_y');
    expect(planCells([])).toEqual([{ index: 0, name: 'base', values: {} }]);
  });

  it('partitions runs into shards: every run in exactly one shard, for any shard count', () => {
    const p = plan([{ path: 'a', values: ['1', '2', '3'] }], [1, 2, 3, 4, 5, 6, 7]);
    const all = planRuns(p);
    expect(all.map((r) => r.index)).toEqual([...Array(21).keys()]);
    expect(all[7]).toMatchObject({ seed: 1, cell: { index: 1 } });
    for (const n of [1, 2, 3, 5, 21, 30]) {
      const seen = Array.from({ length: n }, (_, k) => shardRuns(all, { index: k + 1, count: n })).flat().map((r) => r.index);
      expect(seen.sort((a, b) => a - b)).toEqual(all.map((r) => r.index));
    }
    expect(() => parseShard('0/2')).toThrow(/1 <= K <= N/);
    expect(() => parseShard('3/2')).toThrow(CliError);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });
});
