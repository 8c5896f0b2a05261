// The resolved scenario: every default applied, every unit converted to an integer or float in
// the unit its name ends with (_us microseconds, _bytes bytes, _bps bits per second, _per_s
// events per second, _fraction 0..1). The loader (src/io/scenario) produces it from YAML/JSON;
// the model consumes it and never sees a unit string.

export type Mode = 'journal' | 'oos-bitmap' | 'sync' | 'snapshot' | 'cdp';
export type Transfer = 'pull' | 'push';
export type SelectionPolicy = 'first-fit' | 'max-headroom' | 'min-latency' | 'priority';

export interface Scenario {
  name: string;
  seed: number;
  duration_us: number;
  sample_every_us: number;
  track_size_bytes: number;
  host: HostSpec;
  sites: string[];
  links: LinkSpec[];
  volumes: VolumeSpec[];
  apps: AppSpec[];
  business_processes: BusinessProcessSpec[];
  workloads: WorkloadSpec[];
  replication: ReplicationSpec[];
  snapshots: SnapshotSpec[];
  /** Local-mirror backup generations at the target (seed 004). */
  generations: GenerationSpec[];
  /** Restores from a generation back to the primary (seed 004 FIG 5-6). */
  restores: RestoreSpec[];
  faults: FaultSpec[];
  objectives: Objectives;
  /** Where the scenario came from (for messages and relative trace paths); '' when built in code. */
  source_file: string;
}

export interface HostSpec {
  /** Local write service time before replication hooks (default 200 us). */
  service_time_us: number;
}

export interface LinkSpec {
  between: [string, string];
  bandwidth_bps: number;
  latency_us: number;
  /** Protocol bytes added to each message (headers, framing); default 0. */
  overhead_bytes: number;
}

export type VolumeRole = 'data' | 'journal' | 'backup';

export interface VolumeSpec {
  name: string;
  site: string;
  size_bytes: number;
  track_size_bytes: number;
  role: VolumeRole;
  /** Declared write throughput (seed 000 FIG 7 IO statistics), bytes/s; 0 = not declared. */
  write_rate_bytes_per_s: number;
}

export interface AppSpec {
  id: number;
  name: string;
  volumes: string[];
  labels: Record<string, string>;
}

export interface BusinessProcessSpec {
  id: number;
  name: string;
  apps: number[];
}

export type ArrivalSpec =
  | { kind: 'constant' }
  | { kind: 'poisson' }
  | { kind: 'onoff'; on_rate_per_s: number; off_rate_per_s: number; on_mean_us: number; off_mean_us: number }
  /** points: [hour of day 0..24, factor] piecewise linear; rate_per_s is the mean over the day. */
  | { kind: 'diurnal'; points: Array<[number, number]>; bursts: BurstSpec[] }
  | { kind: 'trace'; file: string; disks: Record<string, string>; time_scale: number };

export interface BurstSpec {
  at_us: number;
  for_us: number;
  factor: number;
}

export type SizeSpec =
  | { dist: 'fixed'; bytes: number }
  | { dist: 'uniform'; min_bytes: number; max_bytes: number }
  | { dist: 'lognormal'; mean_bytes: number; sigma: number }
  | { dist: 'empirical'; bins: Array<{ bytes: number; weight: number }> };

export type AddressSpec =
  | { dist: 'uniform' }
  | { dist: 'zipf'; theta: number }
  | { dist: 'sequential'; streams: number }
  | { dist: 'hotspot'; fraction: number; share: number };

export interface WorkloadSpec {
  /** Exactly one of app / volume is set. */
  app: string | null;
  volume: string | null;
  rate_per_s: number;
  arrivals: ArrivalSpec;
  size: SizeSpec;
  address: AddressSpec;
  /** Sizes and offsets are aligned to this (default 4 KiB, a sector cluster). */
  align_bytes: number;
  dependent: { fraction: number; on: string } | null;
}

export type OnFull = 'suspend' | 'throttle';

export interface JournalSpec {
  capacity_bytes: number;
  /** Secondary (restore) journal capacity; defaults to capacity_bytes. */
  secondary_capacity_bytes: number;
  /** Pull: a read is issued once the primary journal passes this fill (seed 002: 50%); 0 = any data. */
  copy_at_fraction: number;
  /** Pull/push period between transfers when idle (0 = issue as soon as the previous completes). */
  copy_every_us: number;
  max_batch_bytes: number;
  /** Push: command windows in flight. Pull: reads in flight. */
  max_inflight: number;
  on_full: OnFull;
  /** PFUL above this fill (HUR: 80%). */
  pful_fraction: number;
  /** Suspend: time over the PFUL threshold before PFUS (HUR default 60 s). */
  pfus_watch_us: number;
  /** Metadata bytes per entry (seed 002: 64 B). */
  metadata_bytes: number;
  /** After a suspension (PFUS), resync starts this long later (0 = never: operator action). Default 60 s. */
  resync_after_us: number;
}

export interface BitmapSpec {
  transfer_unit: 'track' | 'sectors';
  sector_bytes: number;
  max_concurrent: number;
  consistency_groups: boolean;
  coordination_time_us: number;
  flash_time_us: number;
  cg_interval_us: number;
  max_drain_us: number;
  /** Consecutive failed formations after which the next one is forced. */
  max_failures_before_force: number;
  collision: 'send-old-image' | 'new-image';
}

export interface SyncSpec {
  on_link_failure: 'fence' | 'split';
  region_bytes: number;
}

export interface ShipSpec {
  interval_us: number;
  keep: number;
}

export interface CdpSpec {
  retention_us: number;
  retention_bytes: number;
  bookmark_every_us: number;
  any_point: boolean;
  defect: { at_us: number; detect_after_us: number } | null;
  /** Time allowed to recover after a defect is found (seed 001 sizing); default 1 h. */
  recovery_window_us: number;
}

export interface ReplicationSpec {
  /** Name as written: a business process, a consistent-group label, or a list of volumes joined by ','. */
  group: string;
  mode: Mode;
  transfer: Transfer;
  /** A site name, or 'auto' for destination selection. */
  to: string;
  candidates: string[];
  selection: SelectionPolicy;
  journal: JournalSpec;
  journal_per: 'group' | 'volume';
  restore_every_us: number;
  /** Secondary apply rate for restore (bytes/s). */
  apply_rate_bytes_per_s: number;
  initial_copy: boolean;
  /** Extra targets (seed 002 FIG 11); each gets its own journal and transfer. */
  also_to: string[];
  bitmap: BitmapSpec;
  sync: SyncSpec;
  ship: ShipSpec;
  cdp: CdpSpec;
  promotion_delay_us: number;
  /** Destination selection: window over which undeclared volume write rates are measured (to: auto). */
  selection_warmup_us: number;
  /** Re-protection after a failure when the new pair's target already holds an image: delta resync or full copy. */
  reprotect: 'delta' | 'full';
}

export interface SnapshotSpec {
  group: string;
  every_us: number;
  method: 'copy' | 'instant';
  keep: number;
  copy_rate_bytes_per_s: number;
}

export interface GenerationSpec {
  group: string;
  /** Local mirrors (backup volumes) per secondary volume. */
  mirrors: number;
  /** Period between backups (split of one mirror). */
  every_us: number;
  /** Pending bitmap granularity (seed 004: 8 KB). */
  region_bytes: number;
  /** Local copy rate of a differential resync. */
  copy_rate_bytes_per_s: number;
}

export interface RestoreSpec {
  at_us: number;
  /** 1 = the newest backup generation, 2 = the one before, ... */
  from_generation: number;
  volume: string;
  /** Byte ranges ("files") to restore; null = the whole volume. */
  regions: Array<{ offset_bytes: number; length_bytes: number }> | null;
}

export type FaultSpec =
  | { kind: 'link-down'; at_us: number; link: [string, string]; down_for_us: number }
  | { kind: 'link-degrade'; at_us: number; link: [string, string]; bandwidth_bps: number; for_us: number }
  | { kind: 'site-fail'; at_us: number; site: string }
  /** The storage system at `site` fails: its volumes are lost, its links stay up. */
  | { kind: 'storage-fail'; at_us: number; site: string }
  | { kind: 'random-link'; link: [string, string]; mtbf_us: number; mttr_us: number };

export interface Objectives {
  rpo_p99_s: number | null;
  rpo_max_s: number | null;
  data_loss_bytes: number | null;
}
