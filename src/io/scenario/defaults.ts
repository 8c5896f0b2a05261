// Defaults for every optional scenario key, in resolved units. scenarios/README.md documents
// each one with its source; keep the two in step.
import type { BitmapSpec, CdpSpec, JournalSpec, ShipSpec, SyncSpec } from '../../scenario/types.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const S = 1_000_000;

export const LIMITS = {
  max_duration_us: 30 * 86_400 * S,
  max_volumes: 4096,
  /** Bitmap memory budget: OOS + change-recording + two pending bitmaps per volume. */
  max_bitmap_bytes: 2 * GiB,
  bitmaps_per_volume: 4,
} as const;

export const DEFAULTS = {
  seed: 1,
  sample_every_us: 1 * S,
  track_size_bytes: 64 * KiB,
  service_time_us: 200,
  overhead_bytes: 0,
  volume_role: 'data' as const,
  write_rate_bytes_per_s: 0,
  workload: {
    size_bytes: 8 * KiB,
    align_bytes: 4 * KiB,
    lognormal_sigma: 0.5,
    zipf_theta: 0.99,
    sequential_streams: 1,
    hotspot_fraction: 0.2,
    hotspot_share: 0.8,
    trace_time_scale: 1,
    off_rate_per_s: 0,
  },
  replication: {
    mode: 'journal' as const,
    transfer: 'pull' as const,
    to: 'auto',
    selection: 'first-fit' as const,
    journal_per: 'group' as const,
    restore_every_us: 1 * S,
    apply_rate_bytes_per_s: 400e6,
    initial_copy: false,
    promotion_delay_us: 30 * S,
    selection_warmup_us: 10 * 60 * S,
    reprotect: 'delta' as const,
  },
  journal: {
    capacity_bytes: 20 * GiB,
    copy_at_fraction: 0,
    copy_every_us: 0,
    max_batch_bytes: 1 * MiB,
    max_inflight: 4,
    on_full: 'suspend',
    pful_fraction: 0.8,
    pfus_watch_us: 60 * S,
    metadata_bytes: 64,
    resync_after_us: 60 * S,
  } satisfies Omit<JournalSpec, 'secondary_capacity_bytes'>,
  bitmap: {
    transfer_unit: 'track',
    sector_bytes: 512,
    max_concurrent: 16,
    consistency_groups: true,
    coordination_time_us: 50_000,
    flash_time_us: 10_000,
    cg_interval_us: 0,
    max_drain_us: 30 * S,
    max_failures_before_force: 5,
    collision: 'send-old-image',
  } satisfies BitmapSpec,
  sync: { on_link_failure: 'split', region_bytes: 8 * KiB } satisfies SyncSpec,
  ship: { interval_us: 15 * 60 * S, keep: 3 } satisfies ShipSpec,
  cdp: { retention_us: 24 * 3600 * S, retention_bytes: 0, bookmark_every_us: 5 * 60 * S, any_point: true, defect: null, recovery_window_us: 3600 * S } satisfies CdpSpec,
  snapshot: { method: 'copy' as const, keep: 3, copy_rate_bytes_per_s: 500e6 },
  generation: { mirrors: 3, region_bytes: 8 * KiB, copy_rate_bytes_per_s: 400e6 },
  restore: { from_generation: 1 },
};
