// Column layouts of the result tables (DESIGN.md section 5; units in results/README.md).
// Every number is Float64: counts stay exact up to 2^53 and notebooks get plain numbers
// instead of BigInt.
import type { GroupSummary, PairState, Summary } from '../../metrics/records.js';
import type { ColumnSpec } from './arrow-writer.js';

/** Every PairState of records.ts: declared so the pair_state dictionary rarely needs a delta. */
export const PAIR_STATES: readonly string[] = [
  'SMPL', 'COPY', 'PAIR', 'PFUL', 'PFUS', 'PSUS', 'PSUE', 'SSWS', 'SIMPLEX', 'DUPLEX', 'SPLIT', 'NORMAL', 'FAILED',
] satisfies PairState[];

export interface KnownStrings {
  /** Replication group names, in scenario order. */
  groups?: readonly string[];
  /** Event kinds the model may emit. */
  event_kinds?: readonly string[];
}

/** The time-series columns, with dictionaries seeded by the strings known before the run. */
export function timeseriesColumns(known: KnownStrings = {}): ColumnSpec[] {
  return TIMESERIES_COLUMNS.map((c) =>
    c.name === 'group' ? { ...c, dictionary: known.groups } : c.name === 'pair_state' ? { ...c, dictionary: PAIR_STATES } : c,
  );
}

export function eventColumns(known: KnownStrings = {}): ColumnSpec[] {
  return EVENT_COLUMNS.map((c) =>
    c.name === 'group' ? { ...c, dictionary: known.groups } : c.name === 'kind' ? { ...c, dictionary: known.event_kinds } : c,
  );
}

export const TIMESERIES_COLUMNS: ColumnSpec[] = [
  { name: 't_s', kind: 'f64' },
  { name: 'group', kind: 'dict' },
  { name: 'rpo_s', kind: 'f64' },
  { name: 'backlog_bytes', kind: 'f64' },
  { name: 'primary_journal_bytes', kind: 'f64' },
  { name: 'secondary_journal_bytes', kind: 'f64' },
  { name: 'oos_tracks', kind: 'f64' },
  { name: 'link_utilization', kind: 'f64' },
  { name: 'pair_state', kind: 'dict' },
];

export const EVENT_COLUMNS: ColumnSpec[] = [
  { name: 't_s', kind: 'f64' },
  { name: 'group', kind: 'dict' },
  { name: 'kind', kind: 'dict' },
  { name: 'detail', kind: 'utf8' },
];

/** The fixed summary columns, in records.ts order; `extra` is flattened after them. */
export const SUMMARY_FIXED_COLUMNS: ColumnSpec[] = [
  { name: 'group', kind: 'utf8' },
  { name: 'mode', kind: 'utf8' },
  { name: 'transfer', kind: 'utf8', nullable: true },
  { name: 'target_site', kind: 'utf8' },
  { name: 'selection_reason', kind: 'utf8' },
  { name: 'volumes', kind: 'f64' },
  { name: 'writes', kind: 'f64' },
  { name: 'bytes_written', kind: 'f64' },
  { name: 'bytes_sent', kind: 'f64' },
  { name: 'rpo_max_s', kind: 'f64' },
  { name: 'rpo_p99_s', kind: 'f64' },
  { name: 'rpo_mean_s', kind: 'f64' },
  { name: 'journal_peak_bytes', kind: 'f64' },
  { name: 'secondary_journal_peak_bytes', kind: 'f64' },
  { name: 'suspended_s', kind: 'f64' },
  { name: 'host_latency_p50_us', kind: 'f64' },
  { name: 'host_latency_p99_us', kind: 'f64' },
  { name: 'host_latency_p999_us', kind: 'f64' },
  { name: 'host_latency_max_us', kind: 'f64' },
  { name: 'consistency_violations', kind: 'f64' },
  { name: 'recovery_points', kind: 'f64' },
  { name: 'data_loss_writes', kind: 'f64', nullable: true },
  { name: 'data_loss_bytes', kind: 'f64', nullable: true },
  { name: 'rto_s', kind: 'f64', nullable: true },
];

export interface FlatSummary {
  columns: ColumnSpec[];
  rows: Record<string, number | string | null>[];
}

/**
 * One row per group with `extra` flattened into columns: first any fields added to
 * GroupSummary after the fixed ones, then the union of the groups' extra keys, each set sorted
 * by name (deterministic). Added columns are nullable, Float64 when every value is a number or
 * null, strings otherwise. An extra key that collides with a column is prefixed `extra_`.
 */
export function flattenSummary(groups: GroupSummary[]): FlatSummary {
  const taken = new Set(SUMMARY_FIXED_COLUMNS.map((c) => c.name));
  const asRecord = (g: GroupSummary): Record<string, unknown> => g as unknown as Record<string, unknown>;
  const addedKeys = [...new Set(groups.flatMap((g) => Object.keys(g)))].filter((k) => !taken.has(k) && k !== 'extra').sort();
  addedKeys.forEach((k) => taken.add(k));
  const extraKeys = [...new Set(groups.flatMap((g) => Object.keys(g.extra ?? {})))].sort();
  const sources: { name: string; get: (g: GroupSummary) => unknown }[] = [
    ...addedKeys.map((k) => ({ name: k, get: (g: GroupSummary) => asRecord(g)[k] })),
    ...extraKeys.map((k) => ({ name: taken.has(k) ? `extra_${k}` : k, get: (g: GroupSummary) => g.extra?.[k] })),
  ];
  const addedCols: ColumnSpec[] = sources.map((src) => {
    const numeric = groups.every((g) => {
      const v = src.get(g);
      return v === undefined || v === null || typeof v === 'number';
    });
    return { name: src.name, kind: numeric ? 'f64' : 'utf8', nullable: true };
  });
  const rows = groups.map((g) => {
    const row: Record<string, number | string | null> = {};
    for (const c of SUMMARY_FIXED_COLUMNS) row[c.name] = asRecord(g)[c.name] as number | string | null;
    sources.forEach((src, i) => {
      const v = src.get(g);
      row[src.name] = v === undefined || v === null ? null : addedCols[i].kind === 'f64' ? (v as number) : typeof v === 'string' ? v : JSON.stringify(v);
    });
    return row;
  });
  return { columns: [...SUMMARY_FIXED_COLUMNS, ...addedCols], rows };
}

const RUN_KEYS = ['name', 'seed', 'version', 'duration_s', 'events', 'writes', 'bytes_written', 'objectives_met', 'objective_failures'];

function ordered(obj: Record<string, unknown>, first: string[], sortRest = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (k in obj) out[k] = obj[k];
  const rest = Object.keys(obj).filter((k) => !first.includes(k));
  for (const k of sortRest ? rest.sort() : rest) out[k] = obj[k];
  return out;
}

/** summary.json's text: keys in records.ts order (later additions and extra keys sorted), 2-space indent. */
export function summaryJson(summary: Summary): string {
  const groupKeys = SUMMARY_FIXED_COLUMNS.map((c) => c.name);
  const run = ordered(summary.run as unknown as Record<string, unknown>, RUN_KEYS);
  const groups = summary.groups.map((g) => {
    const o = ordered(g as unknown as Record<string, unknown>, groupKeys);
    delete o.extra; // last, its keys sorted
    if (g.extra) o.extra = ordered(g.extra, []);
    return o;
  });
  return JSON.stringify({ run, groups }, null, 2) + '\n';
}
