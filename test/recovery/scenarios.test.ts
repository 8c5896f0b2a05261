import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioText } from '../../src/io/scenario/load.js';
import { ScenarioError } from '../../src/io/scenario/errors.js';

// Round trips of the shipped scenarios are covered by test/io/scenario/resolved.test.ts.
describe('recovery scenarios', () => {
  it('restore.yaml resolves generations and restores with their defaults and units', () => {
    const s = loadScenarioFile('scenarios/restore.yaml');
    expect(s.generations).toEqual([{ group: 'SALES', mirrors: 3, every_us: 600e6, region_bytes: 8192, copy_rate_bytes_per_s: 400e6 }]);
    expect(s.restores[0]).toEqual({
      at_us: 2700e6, from_generation: 2, volume: 'DB',
      regions: [{ offset_bytes: 0, length_bytes: 64 << 20 }, { offset_bytes: 10 * 2 ** 30, length_bytes: 256 << 20 }],
    });
    expect(s.restores[1].regions).toBeNull();
    expect(loadScenarioFile('scenarios/cdp-defect.yaml').replication[0].cdp.recovery_window_us).toBe(3600e6);
  });

  const base = `
name: bad
duration: 10m
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 100Mbps, latency: 5ms }]
volumes: [{ name: db, site: main, size: 1GiB }, { name: other, site: main, size: 1GiB }]
replication:
  - { group: db, mode: journal, to: dr }
  - { group: other, mode: cdp, to: dr }
`;
  const errors = (extra: string): string[] => {
    try {
      loadScenarioText(base + extra, 'bad.yaml');
      return [];
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return e.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
    }
  };

  it('rejects restores and generations that cannot work, with their place in the file', () => {
    expect(errors('generations: [{ group: other, every: 1m }]')).toEqual([
      '10:24 generations[0].group: generations follow a journal\'s apply; group "other" uses mode cdp',
    ]);
    expect(errors('generations: [{ group: db, every: 1m }]\nrestores: [{ at: 5m, volume: other }]')[0])
      .toBe('11:30 restores[0].volume: volume "other" is in no group with generations (a restore needs a backup generation)');
    expect(errors('generations: [{ group: db, every: 1m }]\nrestores: [{ at: 5m, volume: db, regions: [{ offset: 1000MiB, length: 100MiB }] }]')[0])
      .toMatch(/^11:44 restores\[0\]\.regions\[0\]: range ends at .*past the end of db/);
    expect(errors('generations: [{ group: db, every: 1m }]\nrestores: [{ at: 10m, volume: db }]')[0])
      .toMatch(/restores\[0\]\.at: restore at 10m is not before the end of the run/);
    expect(errors('snapshots: [{ group: other, every: 1m }]')[0]).toContain('the snapshot function pauses a journal');
  });
});
