import { describe, expect, it } from 'vitest';
import { consistencyGroups, GroupError, parseCtgLabel, resolveGroup, resolveGroups } from '../../src/control/groups.js';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { ScenarioError } from '../../src/io/scenario/errors.js';
import type { AppSpec, Scenario, VolumeSpec } from '../../src/scenario/types.js';

// Seed 000 FIG 2 (VM/pod table), FIG 3 (business processes) and FIG 5 (volumes).
const FIG = `
duration: 1h
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }
  - { between: [main, remote2], bandwidth: 200Mbps, latency: 35ms }
volumes:
  - { name: Volume1, site: main, size: 100GiB }
  - { name: Volume2, site: main, size: 100GiB }
  - { name: Volume3, site: main, size: 100GiB }
  - { name: Volume4, site: main, size: 100GiB }
  - { name: Jnl1, site: main, size: 20GiB, role: journal }
  - { name: Far1, site: remote1, size: 100GiB }
apps:
  - { id: 1, name: DB1, volumes: [Volume1, Volume3], labels: { consistent-group: CTG1 } }
  - { id: 2, name: DB2, volumes: [Volume2], labels: { consistent-group: "CTG1, end" } }
  - { id: 3, name: Pay, volumes: [Volume4, Jnl1] }
business_processes:
  - { id: 1, name: Sales, apps: [1, 2] }
  - { id: 2, name: Payment, apps: [1, 3] }
`;

function scenarioWith(groups: string[]): Scenario {
  const repl = groups.map((g) => `  - { group: ${JSON.stringify(g)}, to: remote1 }`).join('\n');
  return loadScenarioText(`${FIG}replication:\n${repl}\n`, 'fig.yaml');
}

describe('parseCtgLabel', () => {
  it('splits the group name and the end marker', () => {
    expect(parseCtgLabel('CTG1')).toEqual({ group: 'CTG1', end: false });
    expect(parseCtgLabel('CTG1, end')).toEqual({ group: 'CTG1', end: true });
    expect(parseCtgLabel(' CTG1 ,END ')).toEqual({ group: 'CTG1', end: true });
    expect(parseCtgLabel('CTG1, endless')).toEqual({ group: 'CTG1', end: false });
  });
});

describe('resolveGroups', () => {
  it('resolves a business process case-insensitively to the union of its apps volumes (FIG 3)', () => {
    const [g] = resolveGroups(scenarioWith(['sales']));
    expect(g).toEqual({
      name: 'sales',
      volumes: ['Volume1', 'Volume3', 'Volume2'],
      source_site: 'main',
      apps: ['DB1', 'DB2'],
      complete: true,
      via: 'business-process',
    });
  });

  it('resolves a consistent-group label; members are the apps labelled CTG1 or "CTG1, end" (FIG 2)', () => {
    const [g] = resolveGroups(scenarioWith(['CTG1']));
    expect(g.via).toBe('consistent-group');
    expect(g.apps).toEqual(['DB1', 'DB2']);
    expect(g.volumes).toEqual(['Volume1', 'Volume3', 'Volume2']);
    expect(g.complete).toBe(true);
  });

  it('resolves an app name, keeping only data volumes (a journal volume is not replicated data)', () => {
    const [g] = resolveGroups(scenarioWith(['Pay']));
    expect(g).toMatchObject({ via: 'app', volumes: ['Volume4'], apps: ['Pay'] });
  });

  it('resolves a comma-separated volume list and names the apps that touch it', () => {
    const [g] = resolveGroups(scenarioWith(['Volume2, Volume4']));
    expect(g).toMatchObject({ via: 'volumes', volumes: ['Volume2', 'Volume4'], apps: ['DB2', 'Pay'], source_site: 'main' });
  });

  it('prefers a business process over an app of the same name', () => {
    const s = scenarioWith(['sales']);
    s.apps.push({ id: 9, name: 'SALES', volumes: ['Volume4'], labels: {} });
    expect(resolveGroup(s, 'Sales').via).toBe('business-process');
  });

  it('returns one group per replication entry, in order', () => {
    const gs = resolveGroups(scenarioWith(['Payment', 'Volume1', 'ctg1']));
    expect(gs.map((g) => g.via)).toEqual(['business-process', 'volumes', 'consistent-group']);
    expect(gs[0].volumes).toEqual(['Volume1', 'Volume3', 'Volume4']);
  });
});

describe('resolveGroup errors', () => {
  const base = (): Scenario => scenarioWith(['sales']);
  it('names the group when nothing matches', () => {
    expect(() => resolveGroup(base(), 'inventory')).toThrow(new GroupError('no business process, consistent group, app or volume named "inventory"'));
  });
  it('lists the undefined volumes of a volume list', () => {
    expect(() => resolveGroup(base(), 'Volume1, Volume9')).toThrow('volumes not defined: Volume9');
  });
  it('rejects a group whose data volumes sit at two sites', () => {
    expect(() => resolveGroup(base(), 'Volume1, Far1')).toThrow('group "Volume1, Far1" has volumes at several sites (main: Volume1; remote1: Far1)');
  });
  it('rejects a group with only non-data volumes', () => {
    expect(() => resolveGroup(base(), 'Jnl1')).toThrow('has no data volumes');
  });
  it('reports an incomplete consistent group as complete: false when built in code', () => {
    const vols: VolumeSpec[] = [{ name: 'V', site: 'a', size_bytes: 1 << 20, track_size_bytes: 65536, role: 'data', write_rate_bytes_per_s: 0 }];
    const apps: AppSpec[] = [{ id: 1, name: 'A', volumes: ['V'], labels: { 'consistent-group': 'G' } }];
    expect(resolveGroup({ volumes: vols, apps, business_processes: [] }, 'G').complete).toBe(false);
    expect(consistencyGroups(apps).get('g')).toEqual({ group: 'G', members: [0], complete: false });
  });
});

describe('validation of consistent groups and group references', () => {
  it('a consistent group never marked ", end" is an error located at the last member label', () => {
    const text = FIG.replace('"CTG1, end"', 'CTG1');
    try {
      loadScenarioText(text, 'fig.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).message).toBe(
        'fig.yaml:16:73 apps[1].labels.consistent-group: consistency group "CTG1" is never marked complete (no ", end" label)',
      );
    }
  });
  it('an unknown group is reported at replication[i].group', () => {
    expect(() => loadScenarioText(`${FIG}replication:\n  - { group: inventory }\n`, 'fig.yaml')).toThrow(
      /fig\.yaml:22:14 replication\[0\]\.group: no business process, consistent group, app or volume named "inventory"/,
    );
  });
});
