import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadScenarioFile, loadScenarioText } from '../../../src/io/scenario/load.js';
import { formatScenarioErrors, ScenarioError, type ScenarioIssue } from '../../../src/io/scenario/errors.js';

const GOOD = fileURLToPath(new URL('../../fixtures/good/', import.meta.url));

/** The formatted lines of the ScenarioError that loading `text` throws. */
function errorsOf(text: string, file = 'scenarios/x.yaml'): string[] {
  try {
    loadScenarioText(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return formatScenarioErrors(e).split('\n');
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const BASE = `duration: 1h
sites: [main, remote1]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }
volumes:
  - { name: v1, site: main, size: 10GiB }
`;

describe('good scenarios', () => {
  it('loads the DESIGN.md example with every unit converted exactly', () => {
    const s = loadScenarioFile(`${GOOD}design-example.yaml`);
    expect(s.name).toBe('sales-and-payment');
    expect(s.seed).toBe(7);
    expect(s.duration_us).toBe(7_200_000_000);
    expect(s.links.map((l) => [l.bandwidth_bps, l.latency_us])).toEqual([[100e6, 20_000], [200e6, 35_000]]);
    expect(s.volumes[0].size_bytes).toBe(200 * 1024 ** 3);
    expect(s.workloads[0]).toEqual({
      app: 'DB1',
      volume: null,
      rate_per_s: 1500,
      arrivals: { kind: 'poisson' },
      size: { dist: 'lognormal', mean_bytes: 16384, sigma: 0.5 },
      address: { dist: 'zipf', theta: 0.99 },
      align_bytes: 4096,
      dependent: { fraction: 0.1, on: 'DB2' },
    });
    const r = s.replication[0];
    expect([r.group, r.mode, r.transfer, r.to, r.candidates]).toEqual(['sales', 'journal', 'pull', 'auto', ['remote2', 'remote1']]);
    expect(r.journal).toMatchObject({ capacity_bytes: 20 * 1024 ** 3, copy_at_fraction: 0.5, copy_every_us: 1_000_000, on_full: 'suspend' });
    expect(r.restore_every_us).toBe(10_000_000);
    expect(s.snapshots).toEqual([{ group: 'sales', every_us: 1_800_000_000, method: 'copy', keep: 3, copy_rate_bytes_per_s: 500e6 }]);
    expect(s.faults).toEqual([
      { kind: 'link-down', at_us: 2_400_000_000, link: ['main', 'remote1'], down_for_us: 300_000_000 },
      { kind: 'site-fail', at_us: 5_400_000_000, site: 'main' },
    ]);
    expect(s.objectives).toEqual({ rpo_p99_s: 30, rpo_max_s: null, data_loss_bytes: null });
  });

  it('applies the documented defaults to a minimal scenario', () => {
    const s = loadScenarioFile(`${GOOD}minimal.yaml`);
    expect(s.name).toBe('minimal');
    expect([s.seed, s.sample_every_us, s.track_size_bytes, s.host.service_time_us]).toEqual([1, 1_000_000, 65536, 200]);
    expect(s.links[0].overhead_bytes).toBe(0);
    expect(s.volumes[0]).toMatchObject({ role: 'data', track_size_bytes: 65536, write_rate_bytes_per_s: 0 });
    expect(s.workloads[0]).toMatchObject({ arrivals: { kind: 'poisson' }, size: { dist: 'fixed', bytes: 8192 }, address: { dist: 'uniform' }, align_bytes: 4096, dependent: null });
    const r = s.replication[0];
    expect(r).toMatchObject({ mode: 'journal', transfer: 'pull', to: 'auto', candidates: ['remote1'], selection: 'first-fit', journal_per: 'group' });
    expect(r.journal).toEqual({
      capacity_bytes: 20 * 1024 ** 3,
      secondary_capacity_bytes: 20 * 1024 ** 3,
      copy_at_fraction: 0,
      copy_every_us: 0,
      max_batch_bytes: 1024 ** 2,
      max_inflight: 4,
      on_full: 'suspend',
      pful_fraction: 0.8,
      pfus_watch_us: 60_000_000,
      metadata_bytes: 64,
      resync_after_us: 60_000_000,
    });
    expect([r.restore_every_us, r.apply_rate_bytes_per_s, r.initial_copy, r.promotion_delay_us]).toEqual([1_000_000, 400e6, false, 30_000_000]);
    expect(r.bitmap).toEqual({
      transfer_unit: 'track',
      sector_bytes: 512,
      max_concurrent: 16,
      consistency_groups: true,
      coordination_time_us: 50_000,
      flash_time_us: 10_000,
      cg_interval_us: 0,
      max_drain_us: 30_000_000,
      max_failures_before_force: 5,
      collision: 'send-old-image',
    });
    expect(r.sync).toEqual({ on_link_failure: 'split', region_bytes: 8192 });
    expect(r.ship).toEqual({ interval_us: 900_000_000, keep: 3 });
    expect(r.cdp).toEqual({ retention_us: 86_400_000_000, retention_bytes: 0, bookmark_every_us: 300_000_000, any_point: true, defect: null, recovery_window_us: 3_600_000_000 });
  });

  it('loads every mechanism, fault kind and distribution', () => {
    const s = loadScenarioFile(`${GOOD}every-mechanism.yaml`);
    expect(s.links[1].bandwidth_bps).toBe(240e6);
    expect(s.links[2].latency_us).toBe(3500);
    expect(s.volumes[0].write_rate_bytes_per_s).toBe(100e9 / 3600);
    expect(s.volumes[1].track_size_bytes).toBe(32 * 1024);
    expect(s.workloads[0].arrivals).toEqual({ kind: 'onoff', on_rate_per_s: 3000, off_rate_per_s: 0, on_mean_us: 30e6, off_mean_us: 120e6 });
    expect(s.workloads[0].rate_per_s).toBe(1500);
    expect(s.workloads[0].address).toEqual({ dist: 'hotspot', fraction: 0.1, share: 0.9 });
    expect(s.workloads[1].arrivals).toMatchObject({ kind: 'diurnal', bursts: [{ at_us: 72_000e6, for_us: 1_800e6, factor: 4 }] });
    expect(s.workloads[1].address).toEqual({ dist: 'sequential', streams: 1 });
    expect(s.workloads[2]).toMatchObject({ rate_per_s: 0, arrivals: { kind: 'trace', disks: { '0': 'logs' }, time_scale: 0.5 } });
    expect(s.replication.map((r) => r.mode)).toEqual(['journal', 'oos-bitmap', 'sync', 'cdp', 'snapshot']);
    expect(s.replication[0].candidates).toEqual(['osaka', 'nagoya']);
    expect(s.replication[1].candidates).toEqual(['osaka', 'nagoya']);
    expect(s.replication[2].candidates).toEqual(['nagoya', 'osaka']);
    expect(s.replication[3].cdp.defect).toEqual({ at_us: 21_600e6, detect_after_us: 7_200e6 });
    expect(s.faults.map((f) => f.kind)).toEqual(['link-down', 'link-degrade', 'random-link', 'site-fail']);
    expect(s.faults[1]).toMatchObject({ bandwidth_bps: 80e6 });
    expect(s.objectives).toEqual({ rpo_p99_s: 30, rpo_max_s: 120.5, data_loss_bytes: 1024 ** 3 });
  });

  it('accepts JSON (tab-indented) through the same parser', () => {
    const s = loadScenarioFile(`${GOOD}json-scenario.json`);
    expect([s.name, s.duration_us, s.replication[0].transfer, s.workloads[0].size]).toEqual(['json-scenario', 1_800e6, 'push', { dist: 'fixed', bytes: 16384 }]);
  });

  it('seed and duration options replace the file values', () => {
    const s = loadScenarioFile(`${GOOD}design-example.yaml`, { seed: 99, duration: '3h' });
    expect([s.seed, s.duration_us]).toEqual([99, 10_800e6]);
  });
});

describe('errors carry file:line:column, the path and what was expected', () => {
  it('formats exactly as file:line:col path: message', () => {
    const text = BASE.replace('bandwidth: 100Mbps', 'bandwidth: fast');
    expect(errorsOf(text)).toEqual(['scenarios/x.yaml:4:44 links[0].bandwidth: expected a bandwidth like "100Mbps", got "fast"']);
  });

  it('reports bare numbers where a unit is required', () => {
    expect(errorsOf(BASE.replace('latency: 20ms', 'latency: 5'))).toEqual([
      'scenarios/x.yaml:4:62 links[0].latency: expected a duration like "250ms", got 5',
    ]);
  });

  it('reports unknown keys at the key with a suggestion, and not the echoed missing key', () => {
    expect(errorsOf(BASE.replace('bandwidth: 100Mbps', 'bandwith: 100Mbps'))).toEqual([
      'scenarios/x.yaml:4:33 links[0].bandwith: unknown key "bandwith" (did you mean "bandwidth"?)',
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const text = `${BASE}workloads:
  - volume: v2
    rate: 100
    size: { dist: lognormal, mean: 16KiB, sigma: -1 }
replication:
  - { group: v1, mode: jornal, to: remote9 }
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:9:11 workloads[0].rate: expected a rate like "1500/s", got 100',
      'scenarios/x.yaml:10:50 workloads[0].size.sigma: expected a number > 0, got -1',
      'scenarios/x.yaml:12:24 replication[0].mode: expected one of journal, oos-bitmap, sync, snapshot, cdp, got "jornal"',
    ]);
  });

  it('runs reference checks once the shapes are right, with suggestions', () => {
    const text = `${BASE}workloads:
  - { volume: v2, rate: 100/s }
replication:
  - { group: v1, to: remote9 }
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:8:15 workloads[0].volume: volume "v2" is not defined (did you mean "v1"?)',
      'scenarios/x.yaml:10:22 replication[0].to: site "remote9" is not defined (did you mean "remote1"?)',
    ]);
  });

  it('malformed YAML gives its line and column', () => {
    expect(errorsOf('duration: 1h\nsites: [main, remote1\nvolumes: []\n')[0]).toMatch(/^scenarios\/x\.yaml:\d+:\d+: /);
    expect(errorsOf('duration: 1h\nsites:\n\t- main\n')[0]).toMatch(/^scenarios\/x\.yaml:3:1: Tabs are not allowed/);
    expect(errorsOf('duration: 1h\nduration: 2h\n')).toEqual(['scenarios/x.yaml:2:1: Map keys must be unique']);
  });

  it('an empty file or a non-mapping is one clear error', () => {
    expect(errorsOf('')).toEqual(['scenarios/x.yaml:1:1: expected a mapping of scenario keys (name, duration, sites, volumes, ...)']);
    expect(errorsOf('- a\n- b\n')[0]).toContain('expected a mapping');
  });

  it('missing required top-level keys are named', () => {
    expect(errorsOf('name: x\n')).toEqual([
      'scenarios/x.yaml:1:1: missing required key "duration"',
      'scenarios/x.yaml:1:1: missing required key "sites"',
      'scenarios/x.yaml:1:1: missing required key "volumes"',
    ]);
  });

  it('a missing file is a ScenarioError, not a stack trace', () => {
    expect(() => loadScenarioFile('/nonexistent/x.yaml')).toThrow(new ScenarioError([{ file: '/nonexistent/x.yaml', line: 0, column: 0, path: '', message: 'no such file' } as ScenarioIssue]));
  });

  it('JSON errors are located too', () => {
    const json = '{\n  "duration": "1h",\n  "sites": ["a"],\n  "volumes": [{"name": "v", "site": "a", "size": 10}]\n}\n';
    expect(errorsOf(json, 'x.json')).toEqual(['x.json:4:50 volumes[0].size: expected a size like "64KiB", got 10']);
  });

  it('states the bitmap memory estimate when it exceeds the limit', () => {
    const text = BASE.replace('size: 10GiB', 'size: 1PiB, track_size: 4KiB');
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:6:3 volumes: bitmaps would need an estimated 128.0 GiB (4 bitmaps x 274877906944 tracks), over the 2 GiB limit; use a larger track_size',
    ]);
  });

  it('a journal too small for one write names both sizes', () => {
    const text = `${BASE}workloads:
  - { volume: v1, rate: 10/s, size: 1MiB }
replication:
  - { group: v1, journal: { capacity: 512KiB } }
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:10:39 replication[0].journal.capacity: journal capacity 512KiB cannot hold one write: the largest write is 1MiB plus 64B metadata',
      'scenarios/x.yaml:10:27 replication[0].journal.secondary_capacity: journal secondary capacity 512KiB cannot hold one write: the largest write is 1MiB plus 64B metadata',
    ].sort((a, b) => a.localeCompare(b)));
  });

  it('limits the number of volumes', () => {
    const vols = Array.from({ length: 4097 }, (_, i) => `  - { name: v${i}, site: main, size: 1GiB }`).join('\n');
    expect(errorsOf(`duration: 1h\nsites: [main]\nvolumes:\n${vols}\n`)).toEqual(['scenarios/x.yaml:4:3 volumes: at most 4096 volumes are supported, got 4097']);
  });

  it('checks --seed', () => {
    expect(() => loadScenarioText(BASE, 'x.yaml', { seed: -1 })).toThrow('--seed: expected a non-negative integer, got -1');
  });

  it('trace files are resolved against the scenario file and must exist when checkFiles is on', () => {
    const text = `${BASE}workloads:\n  - { volume: v1, arrivals: { kind: trace, file: traces/missing.csv } }\n`;
    expect(loadScenarioText(text, `${GOOD}x.yaml`).workloads[0].arrivals).toMatchObject({ file: 'traces/missing.csv' });
    expect(() => loadScenarioText(text, `${GOOD}x.yaml`, { checkFiles: true })).toThrow(
      `${GOOD}x.yaml:8:50 workloads[0].arrivals.file: trace file not found: ${GOOD}traces/missing.csv`,
    );
    expect(() => loadScenarioText(text.replace('missing', 'sample'), `${GOOD}x.yaml`, { checkFiles: true })).not.toThrow();
  });
});

describe('robustness', () => {
  it('CRLF line endings and a byte-order mark keep positions right', () => {
    const text = '\uFEFF' + BASE.replace('bandwidth: 100Mbps', 'bandwidth: fast').replace(/\n/g, '\r\n');
    expect(errorsOf(text)).toEqual(['scenarios/x.yaml:4:44 links[0].bandwidth: expected a bandwidth like "100Mbps", got "fast"']);
  });

  it('any edit of a valid file either loads or fails with located ScenarioError issues, never another exception', () => {
    const base = readFileSync(`${GOOD}corpus-base.yaml`, 'utf8');
    const edit = fc.record({ at: fc.nat({ max: base.length }), cut: fc.nat({ max: 12 }), insert: fc.constantFrom('', ':', '-', '[', ']', '{', '}', ',', '"', '\t', ' ', '\n', '0', 'x', '-1', '*a', '&a ', '%', '!!int ', '? ') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
        try {
          loadScenarioText(text, 'fuzz.yaml');
        } catch (err) {
          if (!(err instanceof ScenarioError)) throw err;
          for (const i of err.issues) if (i.file === 'fuzz.yaml' && !(i.line >= 1 && i.column >= 1)) throw new Error(`unlocated: ${i.message}`);
        }
      }),
      { numRuns: 120, seed: 42 },
    );
  });
});
