// Vega-Lite specs of a run, built from the bounded chart copy of its data (sampler.ts). Data
// are inlined so each .vl.json stands alone and the report needs no network.
import type { ChartData } from './sampler.js';

export type VlSpec = Record<string, unknown>;
export const CHART_NAMES = ['rpo', 'journal', 'link', 'pair-state', 'rpo-ecdf'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface ChartOptions {
  /** The scenario's rpo_p99_s objective, drawn as a rule; null when none. */
  objective_rpo_s: number | null;
  /** Font family used for text (must match the font the PNG renderer loads). */
  font?: string;
}

const WIDTH = 720;
const HEIGHT = 260;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const MiB = 1048576;

function base(title: string, opts: ChartOptions): VlSpec {
  const font = opts.font ?? 'DejaVu Sans';
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    config: { font, view: { stroke: '#ddd' }, axis: { labelFont: font, titleFont: font }, legend: { labelFont: font, titleFont: font } },
  };
}

const groupColor = { field: 'group', type: 'nominal', title: 'group' };

/** The time axis spans the run exactly (no rounding out past the end). */
function timeAxis(data: ChartData, field = 't_s'): VlSpec {
  const scale = data.end_s > 0 ? { domain: [0, data.end_s], nice: false } : {};
  return { field, type: 'quantitative', title: 'simulated time (s)', scale };
}

function series(data: ChartData, name: string, scale = 1): Record<string, number | string>[] {
  return data.points.filter((p) => p.series === name).map((p) => ({ t_s: p.t_s, group: p.group, value: p.value / scale }));
}

function objectiveRule(channel: 'x' | 'y', value: number): VlSpec {
  return {
    data: { values: [{ objective_s: value, label: `objective rpo_p99_s = ${value} s` }] },
    layer: [
      { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { [channel]: { field: 'objective_s', type: 'quantitative' } } },
      {
        // Horizontal rule: label above it at the left; vertical rule: label left of it at the bottom.
        mark: { type: 'text', color: '#d62728', align: channel === 'y' ? 'left' : 'right', dx: channel === 'y' ? 4 : -4, dy: -6, baseline: 'bottom' },
        encoding: {
          [channel]: { field: 'objective_s', type: 'quantitative' },
          [channel === 'y' ? 'x' : 'y']: { value: channel === 'y' ? 0 : HEIGHT },
          text: { field: 'label' },
        },
      },
    ],
  };
}

export function rpoSpec(data: ChartData, opts: ChartOptions): VlSpec {
  const layers: VlSpec[] = [
    {
      data: { values: series(data, 'rpo_s') },
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: timeAxis(data),
        y: { field: 'value', type: 'quantitative', title: 'RPO (s)' },
        color: groupColor,
        tooltip: [{ field: 'group' }, { field: 't_s', title: 't (s)' }, { field: 'value', title: 'RPO (s)', format: '.3f' }],
      },
    },
  ];
  if (data.events.length > 0) {
    layers.push({
      data: { values: data.events },
      mark: { type: 'rule', color: '#888', strokeDash: [2, 3], opacity: 0.6 },
      encoding: { x: { field: 't_s', type: 'quantitative' }, tooltip: [{ field: 't_s', title: 't (s)' }, { field: 'group' }, { field: 'kind' }, { field: 'detail' }] },
    });
  }
  if (opts.objective_rpo_s !== null) layers.push(objectiveRule('y', opts.objective_rpo_s));
  return { ...base('RPO over time', opts), layer: layers };
}

export function journalSpec(data: ChartData, opts: ChartOptions): VlSpec {
  const values = [
    ...series(data, 'primary_journal_bytes', MiB).map((v) => ({ ...v, journal: 'primary' })),
    ...series(data, 'secondary_journal_bytes', MiB).map((v) => ({ ...v, journal: 'secondary' })),
  ];
  // One panel per journal (not dashes: dashing thousands of segments is slow to rasterize).
  const { width, height, ...top } = base('Journal occupancy', opts);
  return {
    ...top,
    data: { values },
    facet: { row: { field: 'journal', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width,
      height: Math.round((height as number) * 0.6),
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: timeAxis(data),
        y: { field: 'value', type: 'quantitative', title: 'journal (MiB)' },
        color: groupColor,
        tooltip: [{ field: 'group' }, { field: 'journal' }, { field: 't_s', title: 't (s)' }, { field: 'value', title: 'MiB', format: '.2f' }],
      },
    },
  };
}

export function linkSpec(data: ChartData, opts: ChartOptions): VlSpec {
  return {
    ...base('Link utilization', opts),
    data: { values: series(data, 'link_utilization') },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: timeAxis(data),
      y: { field: 'value', type: 'quantitative', title: 'link utilization', scale: { domain: [0, 1] }, axis: { format: '%' } },
      color: groupColor,
      tooltip: [{ field: 'group' }, { field: 't_s', title: 't (s)' }, { field: 'value', title: 'utilization', format: '.1%' }],
    },
  };
}

export function pairStateSpec(data: ChartData, opts: ChartOptions): VlSpec {
  return {
    ...base('Pair state', opts),
    height: Math.max(60, 36 * data.groups.length),
    data: { values: data.states },
    mark: { type: 'bar', cornerRadius: 0 },
    encoding: {
      x: timeAxis(data, 'start_s'),
      x2: { field: 'end_s' },
      y: { field: 'group', type: 'nominal', title: 'group', sort: data.groups },
      color: { field: 'state', type: 'nominal', title: 'pair state' },
      tooltip: [{ field: 'group' }, { field: 'state' }, { field: 'start_s', title: 'from (s)' }, { field: 'end_s', title: 'to (s)' }],
    },
  };
}

/** The ECDF with every group's step carried at 1 to a common right end (so a group whose RPO
 * is always 0, e.g. sync, still draws a line). */
function ecdfValues(data: ChartData, objective_rpo_s: number | null): ChartData['ecdf'] {
  const end = Math.max(objective_rpo_s ?? 0, ...data.ecdf.map((p) => p.rpo_s)) || 1;
  const out = [...data.ecdf];
  for (const group of data.groups) {
    const last = data.ecdf.filter((p) => p.group === group).pop();
    if (last && last.rpo_s < end) out.push({ group, rpo_s: end, fraction: 1 });
  }
  return out;
}

export function rpoEcdfSpec(data: ChartData, opts: ChartOptions): VlSpec {
  const layers: VlSpec[] = [
    {
      data: { values: ecdfValues(data, opts.objective_rpo_s) },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'rpo_s', type: 'quantitative', title: 'RPO (s)' },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of samples with RPO ≤ x', scale: { domain: [0, 1] } },
        color: groupColor,
        tooltip: [{ field: 'group' }, { field: 'rpo_s', title: 'RPO (s)', format: '.3f' }, { field: 'fraction', format: '.4f' }],
      },
    },
  ];
  if (opts.objective_rpo_s !== null) layers.push(objectiveRule('x', opts.objective_rpo_s));
  return { ...base('RPO distribution (ECDF over samples)', opts), layer: layers };
}

export function buildChartSpecs(data: ChartData, opts: ChartOptions): Record<ChartName, VlSpec> {
  return {
    rpo: rpoSpec(data, opts),
    journal: journalSpec(data, opts),
    link: linkSpec(data, opts),
    'pair-state': pairStateSpec(data, opts),
    'rpo-ecdf': rpoEcdfSpec(data, opts),
  };
}

/**
 * A spec as readable JSON that stays compact: nested objects are indented, but an object or
 * array holding only scalars (a data row, a domain, a tooltip field) stays on one line.
 */
export function specJson(spec: VlSpec): string {
  return format(spec, '') + '\n';
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function format(v: unknown, indent: string): string {
  if (isScalar(v)) return JSON.stringify(v) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isScalar)) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + format(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, x]) => isScalar(x))) return JSON.stringify(Object.fromEntries(entries));
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`).join(',\n')}\n${indent}}`;
}
