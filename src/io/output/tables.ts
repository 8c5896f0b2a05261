// In-memory Arrow Tables with the result files' schemas: the library API's `result.timeseries`
// for runs kept in a MemorySink, and notebooks that build tables without touching disk.
import type { Table } from 'apache-arrow';
import type { EventRow, Summary, TimeseriesRow } from '../../metrics/records.js';
import { tableFromRows } from './arrow-writer.js';
import { EVENT_COLUMNS, flattenSummary, TIMESERIES_COLUMNS } from './schemas.js';

export function timeseriesTable(rows: Iterable<TimeseriesRow>): Table {
  return tableFromRows(TIMESERIES_COLUMNS, rows);
}

export function eventsTable(rows: Iterable<EventRow>): Table {
  return tableFromRows(EVENT_COLUMNS, rows);
}

/** The run object rides along as schema metadata `repsim.run` (deterministic JSON). */
export function summaryMetadata(summary: Summary): Map<string, string> {
  return new Map([['repsim.run', JSON.stringify(summary.run)]]);
}

/** One row per group, `extra` flattened (the layout of summary.arrow). */
export function summaryTable(summary: Summary): Table {
  const flat = flattenSummary(summary.groups);
  return tableFromRows(flat.columns, flat.rows, { metadata: summaryMetadata(summary) });
}
