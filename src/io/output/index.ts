// The output side: result files, their formats and the terminal table.
export { ResultsWriter, type OutputFormat, type ResultsOptions } from './results-writer.js';
export { OutputDir } from './outdir.js';
export { ArrowTableWriter, arrowSchema, type ColumnKind, type ColumnSpec, type ArrowWriterOptions } from './arrow-writer.js';
export { arrowFileToParquet, readParquetTable } from './parquet.js';
export { EVENT_COLUMNS, SUMMARY_FIXED_COLUMNS, TIMESERIES_COLUMNS, flattenSummary, summaryJson } from './schemas.js';
export { formatSummaryTable } from './table.js';
