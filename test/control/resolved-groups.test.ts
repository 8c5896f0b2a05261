// scenario.resolved.yaml records how each replication entry's group resolved, and still loads.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { resolvedYaml } from '../../src/io/scenario/resolved.js';

const TEXT = `
duration: 1m
sites: [main, remote1]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }
volumes:
  - { name: Volume1, site: main, size: 1GiB }
  - { name: Volume2, site: main, size: 1GiB }
  - { name: Volume3, site: main, size: 1GiB }
apps:
  - { id: 1, name: DB1, volumes: [Volume1, Volume3], labels: { consistent-group: CTG1 } }
  - { id: 2, name: DB2, volumes: [Volume2], labels: { consistent-group: "CTG1, end" } }
business_processes:
  - { id: 1, name: sales, apps: [1, 2] }
replication:
  - { group: sales, to: remote1 }
  - { group: "Volume2", to: remote1 }
`;

describe('resolved_groups in scenario.resolved.yaml', () => {
  it('lists each entry: how it resolved, its volumes, apps and source', () => {
    const s = loadScenarioText(TEXT, 'g.yaml');
    const text = resolvedYaml(s, { version: 'test' });
    expect(parse(text).resolved_groups).toEqual([
      { group: 'sales', via: 'business-process', source_site: 'main', volumes: ['Volume1', 'Volume3', 'Volume2'], apps: ['DB1', 'DB2'], complete: true },
      { group: 'Volume2', via: 'volumes', source_site: 'main', volumes: ['Volume2'], apps: ['DB2'], complete: true },
    ]);
    const again = loadScenarioText(text, 'g.resolved.yaml');
    expect({ ...again, source_file: '' }).toEqual({ ...s, source_file: '' });
  });
});
