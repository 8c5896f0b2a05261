// Where recorders send rows. Writers (src/io) implement it; the model never sees a file.
import type { EventRow, TimeseriesRow } from './records.js';

export interface RecordSink {
  timeseries(row: TimeseriesRow): void;
  event(row: EventRow): void;
}

/** Keeps everything in memory: for tests and the library API on short runs. */
export class MemorySink implements RecordSink {
  readonly rows: TimeseriesRow[] = [];
  readonly events: EventRow[] = [];
  timeseries(row: TimeseriesRow): void {
    this.rows.push(row);
  }
  event(row: EventRow): void {
    this.events.push(row);
  }
}
