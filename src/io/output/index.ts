// The output side: result files, their formats and the terminal table.
export { ResultsWriter, type OutputFormat, type ResultsOptions } from './results-writer.js';
export { OutputDir } from './outdir.js';
export { ArrowTableWriter, BatchBuilder, arrowSchema, tableFromRows, type ColumnKind, type ColumnSpec, type ArrowWriterOptions } from './arrow-writer.js';
export { eventsTable, summaryTable, timeseriesTable } from './tables.js';
export { arrowFileToParquet, readParquetTable } from './parquet.js';
export {
  EVENT_COLUMNS, PAIR_STATES, SUMMARY_FIXED_COLUMNS, TIMESERIES_COLUMNS, eventColumns, flattenSummary, summaryJson, timeseriesColumns,
  type KnownStrings,
} from './schemas.js';
export { formatSummaryTable } from './table.js';
