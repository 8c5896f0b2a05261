// Destination selection (seed 000 FIG 13) with the seed's tables (FIG 4: 100 and 200 Mbps; FIG 7:
// 100 and 200 GB/hour), the four policies, measured IO statistics, and the CLI's validate.
import { describe, expect, it, vi } from 'vitest';
import { choose, measureWriteRates, selectTarget, type SiteOption } from '../../src/control/selection.js';
import { resolveGroups } from '../../src/control/groups.js';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { Run } from '../../src/run.js';
import { main } from '../../src/cli/main.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MBPS = 1e6;
// 100 GB/hour in bits per second: 1e11 B * 8 / 3600 s.
const GB_PER_H_BPS = (1e9 * 8) / 3600;

function fig(rate1: string, rate2: string, extra = ''): string {
  return `
duration: 2s
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }
  - { between: [main, remote2], bandwidth: 200Mbps, latency: 35ms }
volumes:
  - { name: Volume1, site: main, size: 1GiB, write_rate: ${rate1} }
  - { name: Volume2, site: main, size: 1GiB, write_rate: ${rate2} }
apps:
  - { id: 1, name: DB1, volumes: [Volume1], labels: { consistent-group: CTG1 } }
  - { id: 2, name: DB2, volumes: [Volume2], labels: { consistent-group: "CTG1, end" } }
business_processes:
  - { id: 1, name: sales, apps: [1, 2] }
replication:
  - { group: sales, mode: journal, to: auto${extra} }
`;
}

function select(yaml: string) {
  const s = loadScenarioText(yaml, 'sel.yaml');
  return selectTarget(s, 0, resolveGroups(s)[0], s.seed);
}

describe('choose (FIG 13 step 1310: a site whose bandwidth is larger than the sum)', () => {
  const sites: SiteOption[] = [
    { site: 'remote1', bandwidth_bps: 100 * MBPS, latency_us: 20_000 },
    { site: 'remote2', bandwidth_bps: 200 * MBPS, latency_us: 35_000 },
  ];

  it('policies differ when both sites carry the load', () => {
    expect(choose('first-fit', 50 * MBPS, sites).site).toBe('remote1');
    expect(choose('max-headroom', 50 * MBPS, sites).site).toBe('remote2');
    expect(choose('min-latency', 50 * MBPS, sites).site).toBe('remote1');
    expect(choose('priority', 50 * MBPS, [...sites].reverse()).site).toBe('remote2');
  });

  it('skips sites that do not carry the load; equality is not enough', () => {
    expect(choose('first-fit', 150 * MBPS, sites)).toMatchObject({ site: 'remote2', sufficient: true });
    expect(choose('min-latency', 150 * MBPS, sites).site).toBe('remote2');
    expect(choose('first-fit', 100 * MBPS, sites).site).toBe('remote2');
    expect(choose('first-fit', 200 * MBPS, sites).sufficient).toBe(false);
  });

  it('takes the largest bandwidth when none suffices, whatever the policy', () => {
    for (const p of ['first-fit', 'max-headroom', 'min-latency', 'priority'] as const) {
      expect(choose(p, 300 * MBPS, sites)).toMatchObject({ site: 'remote2', sufficient: false });
    }
  });
});

describe('selectTarget with the seed 000 tables', () => {
  it('100 GB/h is 222.2 Mbps, so neither site carries even Volume1: warning, the larger link', () => {
    const sel = select(fig('100GB/h', '200GB/h'));
    expect(sel.load_bps).toBeCloseTo(300 * GB_PER_H_BPS, 3);
    expect(GB_PER_H_BPS * 100).toBeCloseTo(222_222_222.2, 0);
    expect(sel.site).toBe('remote2');
    expect(sel.sufficient).toBe(false);
    expect(sel.warning).toMatch(/no candidate link exceeds the load of 666\.7 Mbps; chose remote2/);
    expect(sel.load_source).toBe('declared');
  });

  it('with lighter IO statistics first-fit picks remote site 1 and max-headroom remote site 2', () => {
    expect(select(fig('10GB/h', '20GB/h')).site).toBe('remote1'); // 66.7 Mbps
    expect(select(fig('10GB/h', '20GB/h', ', selection: max-headroom')).site).toBe('remote2');
    expect(select(fig('10GB/h', '20GB/h', ', selection: min-latency')).site).toBe('remote1');
    expect(select(fig('10GB/h', '20GB/h', ', selection: priority, candidates: [remote2, remote1]')).site).toBe('remote2');
    // 40 + 20 GB/h = 133.3 Mbps: remote1 no longer carries it.
    expect(select(fig('40GB/h', '20GB/h')).site).toBe('remote2');
  });

  it('a configured target is kept', () => {
    const s = loadScenarioText(fig('100GB/h', '200GB/h').replace('to: auto', 'to: remote1'), 'sel.yaml');
    expect(selectTarget(s, 0, resolveGroups(s)[0], 1)).toMatchObject({ site: 'remote1', reason: 'configured', warning: null });
  });

  it('the run records the choice and the warning in the summary and the events', () => {
    const sink = new MemorySink();
    const s = loadScenarioText(fig('100GB/h', '200GB/h'), 'sel.yaml');
    const summary = new Run(s, s.seed, sink).run();
    expect(summary.groups[0].target_site).toBe('remote2');
    expect(summary.groups[0].selection_reason).toMatch(/^no site carries 666\.7 Mbps: largest bandwidth remote2 \(200\.0 Mbps\)/);
    const kinds = sink.events.filter((e) => e.group === 'sales').map((e) => e.kind);
    expect(kinds).toContain('target_selected');
    expect(kinds).toContain('selection_warning');
    const light = new Run(loadScenarioText(fig('10GB/h', '20GB/h'), 'sel.yaml'), 1, new MemorySink()).run();
    expect(light.groups[0]).toMatchObject({ target_site: 'remote1' });
    expect(light.groups[0].selection_reason).toMatch(/^first-fit: remote1 100\.0 Mbps > 66\.7 Mbps/);
  });
});

describe('measured IO statistics', () => {
  const yaml = `
duration: 2m
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }
  - { between: [main, remote2], bandwidth: 200Mbps, latency: 35ms }
volumes:
  - { name: A, site: main, size: 1GiB }
  - { name: B, site: main, size: 1GiB, write_rate: 36GB/h }
workloads:
  - { volume: A, rate: 200/s, arrivals: constant, size: 64KiB }
replication:
  - { group: "A, B", mode: journal, to: auto, selection_warmup: 100s }
`;
  it('a volume without write_rate is measured over the warm-up window (constant arrivals: exact)', () => {
    const s = loadScenarioText(yaml, 'm.yaml');
    const rates = measureWriteRates(s, 1, 100_000_000);
    // 200/s for 100 s, the first at 5 ms: 20000 writes of 65536 B.
    expect(rates[0]).toBe((20_000 * 65_536) / 100);
    expect(rates[1]).toBe(0);
    const sel = selectTarget(s, 0, resolveGroups(s)[0], 1);
    expect(sel.load_source).toBe('declared+measured');
    // 104.9 Mbps measured + 80 Mbps declared = 184.9 Mbps: only remote2 carries it.
    expect(sel.load_bps).toBeCloseTo(20_000 * 65_536 * 8 / 100 + 80e6, 6);
    expect(sel.site).toBe('remote2');
    expect(sel.reason).toMatch(/declared \+ measured over 100 s of A, B/);
    // The window never reaches past the end of the run.
    const short = loadScenarioText(yaml.replace('duration: 2m', 'duration: 50s'), 'm.yaml');
    expect(selectTarget(short, 0, resolveGroups(short)[0], 1).reason).toMatch(/measured over 50 s/);
  });
});

describe('repsim validate', () => {
  it('reports a consistency group never marked complete with its location, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'repsim-sel-'));
    const file = join(dir, 'noend.yaml');
    writeFileSync(file, fig('1GB/h', '1GB/h').replace('"CTG1, end"', 'CTG1'));
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['validate', file])).toBe(2);
    } finally {
      spy.mockRestore();
      out.mockRestore();
    }
    expect(err.join('')).toMatch(/noend\.yaml:\d+:\d+ apps\[1\]\.labels\.consistent-group: consistency group "CTG1" is never marked complete/);
  });
});

describe('scenarios/site-selection.yaml', () => {
  it('is seed 000 FIG 4 and 7: the warning and remote2; with lighter statistics first-fit takes remote1', async () => {
    const { loadScenarioFile } = await import('../../src/io/scenario/load.js');
    const s = loadScenarioFile('scenarios/site-selection.yaml');
    const sel = selectTarget(s, 0, resolveGroups(s)[0], s.seed);
    expect(sel).toMatchObject({ site: 'remote2', sufficient: false, load_source: 'declared' });
    const light = loadScenarioFile('scenarios/site-selection.yaml', { set: ['volumes.0.write_rate=10GB/h', 'volumes.1.write_rate=20GB/h'] });
    expect(selectTarget(light, 0, resolveGroups(light)[0], 1).site).toBe('remote1');
    // The workloads write what FIG 7 declares: 1695/s and 3391/s of 16 KiB are 100 and 200 GB/h within 0.1%.
    const declared = s.volumes.map((v) => v.write_rate_bytes_per_s);
    s.workloads.forEach((w, i) => expect(Math.abs((w.rate_per_s * 16384) / declared[i] - 1)).toBeLessThan(1e-3));
  });
});
