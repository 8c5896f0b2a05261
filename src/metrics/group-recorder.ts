// Per replication group: RPO samples into a histogram, and one timeseries row per sample.
// Sampling cost depends on the number of groups, never on the write rate.

import { Distribution } from './histogram.js';
import type { TimeseriesRow } from './records.js';
import type { RecordSink } from './sink.js';

export interface SampleValues {
  rpo_us: number;
  backlog_bytes: number;
  primary_journal_bytes: number;
  secondary_journal_bytes: number;
  oos_tracks: number;
  link_utilization: number;
  pair_state: string;
}

export class GroupRecorder {
  readonly rpo = new Distribution();
  private rpoMax_us = 0;
  private rpoMaxAt_us = 0;
  private readonly row: TimeseriesRow;

  constructor(readonly group: string, private readonly sink: RecordSink) {
    this.row = {
      t_s: 0, group, rpo_s: 0, backlog_bytes: 0, primary_journal_bytes: 0, secondary_journal_bytes: 0,
      oos_tracks: 0, link_utilization: 0, pair_state: '',
    };
  }

  sample(t_us: number, v: SampleValues): void {
    this.rpo.record(v.rpo_us);
    if (v.rpo_us > this.rpoMax_us) {
      this.rpoMax_us = v.rpo_us;
      this.rpoMaxAt_us = t_us;
    }
    const r = this.row;
    r.t_s = t_us / 1e6;
    r.rpo_s = v.rpo_us / 1e6;
    r.backlog_bytes = v.backlog_bytes;
    r.primary_journal_bytes = v.primary_journal_bytes;
    r.secondary_journal_bytes = v.secondary_journal_bytes;
    r.oos_tracks = v.oos_tracks;
    r.link_utilization = v.link_utilization;
    r.pair_state = v.pair_state;
    this.sink.timeseries({ ...r });
  }

  /** RPO figures in seconds; max is exact over the samples, p99 from the histogram. */
  rpoSummary(): { max_s: number; p99_s: number; mean_s: number; max_at_s: number } {
    const s = this.rpo.summary();
    return { max_s: s.max / 1e6, p99_s: s.p99 / 1e6, mean_s: s.mean / 1e6, max_at_s: this.rpoMaxAt_us / 1e6 };
  }
}
