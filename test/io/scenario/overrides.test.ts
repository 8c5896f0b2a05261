import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { parseOverridePath } from '../../../src/io/scenario/overrides.js';
import { formatScenarioErrors, ScenarioError } from '../../../src/io/scenario/errors.js';

const BASE = `name: base
duration: 1h
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }
  - { between: [main, remote2], bandwidth: 200Mbps, latency: 35ms }
volumes:
  - { name: v1, site: main, size: 10GiB }
workloads:
  - { volume: v1, rate: 100/s }
replication:
  - { group: v1, to: remote1 }
`;

const load = (set: string[], extra: { duration?: string } = {}) => loadScenarioText(BASE, 'base.yaml', { set, ...extra });

function errorsOf(set: string[], extra: { duration?: string } = {}): string[] {
  try {
    load(set, extra);
  } catch (e) {
    if (e instanceof ScenarioError) return formatScenarioErrors(e).split('\n');
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('parseOverridePath', () => {
  it('accepts dotted and bracketed indices', () => {
    expect(parseOverridePath('replication.0.transfer')).toEqual(['replication', 0, 'transfer']);
    expect(parseOverridePath('links[1].bandwidth')).toEqual(['links', 1, 'bandwidth']);
  });
});

describe('--set', () => {
  it('replaces values, parsed as YAML scalars, before validation', () => {
    const s = load(['replication.0.transfer=push', 'links.0.bandwidth=200Mbps', 'duration=10m', 'seed=9', 'links[1].latency=1ms']);
    expect(s.replication[0].transfer).toBe('push');
    expect(s.links.map((l) => l.bandwidth_bps)).toEqual([200e6, 200e6]);
    expect(s.links[1].latency_us).toBe(1000);
    expect([s.duration_us, s.seed]).toEqual([600e6, 9]);
  });

  it('creates missing mappings on the way (journal, objectives)', () => {
    const s = load(['replication.0.journal.capacity=5GiB', 'objectives.rpo_p99_s=30', 'replication.0.journal.copy_at=50%']);
    expect(s.replication[0].journal.capacity_bytes).toBe(5 * 1024 ** 3);
    expect(s.replication[0].journal.secondary_capacity_bytes).toBe(5 * 1024 ** 3);
    expect(s.replication[0].journal.copy_at_fraction).toBe(0.5);
    expect(s.objectives.rpo_p99_s).toBe(30);
  });

  it('takes flow collections as values', () => {
    const s = load(['sites=[main, remote1, remote2, remote3]', 'replication.0.candidates=[remote2, remote1]']);
    expect(s.sites).toHaveLength(4);
    expect(s.replication[0].candidates).toEqual(['remote2', 'remote1']);
  });

  it('later overrides win', () => {
    expect(load(['duration=10m', 'duration=20m']).duration_us).toBe(1_200e6);
  });

  it('reports bad values against the override, not the file', () => {
    expect(errorsOf(['replication.0.transfer=pusj'])).toEqual(['--set replication.0.transfer: expected one of pull, push, got "pusj"']);
    expect(errorsOf(['links.0.bandwidth=fast'])).toEqual(['--set links.0.bandwidth: expected a bandwidth like "100Mbps", got "fast"']);
    expect(errorsOf(['duration=5'])).toEqual(['--set duration: expected a duration like "250ms", got 5']);
  });

  it('reports problems inside an overridden subtree with the remaining path', () => {
    expect(errorsOf(['replication.0.journal={capacity: big}'])).toEqual(['--set replication.0.journal.capacity: expected a size like "64KiB", got "big"']);
  });

  it('rejects paths the schema does not have, with a suggestion', () => {
    expect(errorsOf(['replication.0.tranfer=push'])).toEqual(['--set replication.0.tranfer: unknown key "tranfer" (did you mean "transfer"?)']);
    expect(errorsOf(['bandwidth=1Mbps'])).toEqual(['--set bandwidth: unknown key "bandwidth"']);
    expect(errorsOf(['links.x.bandwidth=1Mbps'])).toEqual(['--set links.x.bandwidth: unknown key "x"']);
  });

  it('rejects indices past the end of a list', () => {
    expect(errorsOf(['links.4.bandwidth=1Mbps'])).toEqual(['--set links.4.bandwidth: links has 2 items, so there is no index 4']);
    expect(errorsOf(['snapshots.0.every=1h'])).toEqual(['--set snapshots.0.every: snapshots has 0 items, so there is no index 0']);
  });

  it('explains that a key cannot be set inside a plain value', () => {
    expect(errorsOf(['workloads.0.arrivals=poisson', 'workloads.0.arrivals.kind=onoff'])).toEqual([
      '--set workloads.0.arrivals.kind: cannot set a key inside a plain value; set the whole arrivals instead, e.g. workloads.0.arrivals={kind: ...}',
    ]);
    const s = load(['workloads.0.arrivals={kind: onoff, on_mean: 10s, off_mean: 50s}']);
    expect(s.workloads[0].arrivals).toEqual({ kind: 'onoff', on_rate_per_s: 100, off_rate_per_s: 0, on_mean_us: 10e6, off_mean_us: 50e6 });
  });

  it('a fraction of the wrong type says what a fraction looks like', () => {
    expect(errorsOf(['replication.0.journal.copy_at=true'])).toEqual(['--set replication.0.journal.copy_at: expected a fraction like "50%" or 0.5, got true']);
  });

  it('rejects text without =', () => {
    expect(errorsOf(['duration'])).toEqual(['--set duration: expected path=value, e.g. links.0.bandwidth=200Mbps']);
  });

  it('file errors keep their file location next to override errors', () => {
    expect(errorsOf(['replication.0.to=remote9'])).toEqual(['--set replication.0.to: site "remote9" is not defined (did you mean "remote1" or "remote2"?)']);
  });

  it('--duration is validated like the key', () => {
    expect(load([], { duration: '2h' }).duration_us).toBe(7_200e6);
    expect(errorsOf([], { duration: '2 fortnights' })).toEqual(['--duration: expected a duration like "250ms", got "2 fortnights"']);
    expect(errorsOf([], { duration: '31d' })).toEqual(['--duration: duration 31d is over the 30d limit']);
  });
});
