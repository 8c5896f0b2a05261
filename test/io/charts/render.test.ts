import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsWriter } from '../../../src/io/output/results-writer.js';
import { ChartSampler } from '../../../src/io/charts/sampler.js';
import { buildChartSpecs, CHART_NAMES, specJson } from '../../../src/io/charts/specs.js';
import { renderChart } from '../../../src/io/charts/render.js';
import { syntheticEvents, syntheticRows, syntheticSummary } from '../output/fixtures.js';
import { colouredPixels, decodePng, inkPixels } from './png.js';

const n = 900;
const sampler = new ChartSampler();
syntheticRows(n).forEach((r) => sampler.timeseries(r));
syntheticEvents(n).forEach((e) => sampler.event(e));
const specs = buildChartSpecs(sampler.data(), { objective_rpo_s: 30 });

describe('chart rendering', () => {
  it('builds the five Vega-Lite specs with inline data', () => {
    expect(Object.keys(specs)).toEqual([...CHART_NAMES]);
    const rpo = specs.rpo as { layer: { data: { values: unknown[] } }[] };
    expect(rpo.layer[0].data.values).toHaveLength(2 * n); // under the 2000-point budget: every sample
    expect(JSON.stringify(rpo)).toContain('"objective_s":30');
  });

  for (const name of CHART_NAMES) {
    it(`renders ${name} to an SVG with marks and a PNG with ink`, async () => {
      const chart = await renderChart(name, specs[name], { scale: 1 });
      expect(chart.svg.startsWith('<svg')).toBe(true);
      expect(chart.svg).toMatch(/class="mark-(line|rect|rule)/);
      const img = decodePng(chart.png);
      expect(img.width).toBeGreaterThan(700);
      expect(img.width).toBeLessThan(1100);
      expect(img.height).toBeGreaterThan(80);
      expect(img.height).toBeLessThan(500);
      expect(inkPixels(img)).toBeGreaterThan(2000);
      expect(colouredPixels(img)).toBeGreaterThan(500);
    });
  }

  it('renders the same bytes twice (fixed font, no timestamps)', async () => {
    const a = await renderChart('rpo', specs.rpo);
    const b = await renderChart('rpo', specs.rpo);
    expect(a.svg).toBe(b.svg);
    expect(Buffer.compare(Buffer.from(a.png), Buffer.from(b.png))).toBe(0);
    expect(decodePng(a.png).width).toBe(2 * decodePng((await renderChart('rpo', specs.rpo, { scale: 1 })).png).width);
  });
});

describe('ResultsWriter with charts and report', () => {
  it('writes charts/*.vl.json, *.svg, *.png and report.html, byte-identical across runs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'repsim-charts-'));
    try {
      for (const run of ['a', 'b']) {
        const out = await ResultsWriter.open(join(root, run), { formats: 'arrow', objective_rpo_s: null, charts: true, report: true, png_scale: 1 });
        syntheticRows(300).forEach((r) => out.timeseries(r));
        syntheticEvents(300).forEach((e) => out.event(e));
        await out.close(syntheticSummary(), 'name: synthetic\n');
      }
      const files = readdirSync(join(root, 'a', 'charts')).sort();
      expect(files).toEqual(CHART_NAMES.flatMap((n) => [`${n}.png`, `${n}.svg`, `${n}.vl.json`]).sort());
      const spec = JSON.parse(readFileSync(join(root, 'a', 'charts', 'rpo.vl.json'), 'utf8'));
      expect(JSON.stringify(spec)).not.toContain('objective_s'); // no objective, no rule
      for (const f of [...files.map((x) => `charts/${x}`), 'report.html']) {
        expect(Buffer.compare(readFileSync(join(root, 'a', f)), readFileSync(join(root, 'b', f))), f).toBe(0);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('specJson', () => {
  it('round-trips and keeps one data row per line', () => {
    const text = specJson(specs['pair-state']);
    expect(JSON.parse(text)).toEqual(specs['pair-state']);
    expect(text).toContain('\n      {"group":"sales","state":"PAIR","start_s":0,"end_s":150},\n');
  });
});

describe('rpo-ecdf spec', () => {
  it('carries each group at 1 to the common right end, even a group always at RPO 0', () => {
    const s = new ChartSampler();
    for (let i = 0; i < 10; i++) {
      s.timeseries({ ...syntheticRows(1)[0], t_s: i, group: 'sync', rpo_s: 0 });
      s.timeseries({ ...syntheticRows(1)[0], t_s: i, group: 'async', rpo_s: i });
    }
    const spec = buildChartSpecs(s.data(), { objective_rpo_s: null })['rpo-ecdf'] as { layer: { data: { values: { group: string; rpo_s: number; fraction: number }[] } }[] };
    const values = spec.layer[0].data.values;
    expect(values.filter((v) => v.group === 'sync')).toEqual([
      { group: 'sync', rpo_s: 0, fraction: 1 },
      { group: 'sync', rpo_s: 9, fraction: 1 },
    ]);
    expect(values.filter((v) => v.group === 'async').at(-1)).toEqual({ group: 'async', rpo_s: 9, fraction: 1 });
  });
});
