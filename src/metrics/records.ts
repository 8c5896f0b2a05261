// The rows that recorders produce and writers persist. These are the output contract of
// DESIGN.md section 5: key names are fixed; every column's unit is in results/README.md.

export type PairState =
  | 'SMPL' | 'COPY' | 'PAIR' | 'PFUL' | 'PFUS' | 'PSUS' | 'PSUE' | 'SSWS'
  | 'SIMPLEX' | 'DUPLEX' | 'SPLIT' | 'NORMAL' | 'FAILED';

export interface TimeseriesRow {
  t_s: number;
  group: string;
  rpo_s: number;
  backlog_bytes: number;
  primary_journal_bytes: number;
  secondary_journal_bytes: number;
  oos_tracks: number;
  link_utilization: number;
  pair_state: string;
}

export interface EventRow {
  t_s: number;
  group: string;
  kind: string;
  detail: string;
}

export interface GroupSummary {
  group: string;
  mode: string;
  transfer: string | null;
  target_site: string;
  selection_reason: string;
  volumes: number;
  writes: number;
  bytes_written: number;
  bytes_sent: number;
  rpo_max_s: number;
  rpo_p99_s: number;
  rpo_mean_s: number;
  journal_peak_bytes: number;
  secondary_journal_peak_bytes: number;
  suspended_s: number;
  host_latency_p50_us: number;
  host_latency_p99_us: number;
  host_latency_p999_us: number;
  host_latency_max_us: number;
  consistency_violations: number;
  recovery_points: number;
  data_loss_writes: number | null;
  data_loss_bytes: number | null;
  rto_s: number | null;
  /** Mode-specific figures (cg_formed, cg_failed, ...); flattened into extra columns. */
  extra: Record<string, number | string | null>;
}

export interface RunSummary {
  name: string;
  seed: number;
  version: string;
  duration_s: number;
  events: number;
  writes: number;
  bytes_written: number;
  objectives_met: boolean;
  objective_failures: string[];
}

export interface Summary {
  run: RunSummary;
  groups: GroupSummary[];
}
