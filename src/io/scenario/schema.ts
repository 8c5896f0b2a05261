// Zod schema of the RAW scenario vocabulary (DESIGN.md §4 keys, units as strings). It checks
// shapes and unit syntax only; defaults, cross references and limits live in convert.ts, which
// turns the validated raw object into the resolved Scenario. scenarios/schema.json is generated
// from this schema (write-schema.ts), so keep descriptions user-facing.
import { z } from 'zod';
import {
  expectedMessage,
  parseBandwidth_bps,
  parseByteRate_Bps,
  parseDuration_us,
  parseFraction,
  parseRate_per_s,
  parseSize_bytes,
  showValue,
  UnitError,
  type UnitKind,
} from './units.js';

type Sign = 'positive' | 'nonnegative';

const PATTERNS: Record<Exclude<UnitKind, 'fraction'>, string> = {
  duration: '^\\d+(\\.\\d+)? ?(us|µs|μs|ms|s|sec|m|min|h|hour|d|day)$',
  size: '^\\d+(\\.\\d+)? ?(B|KB|kB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)$',
  bandwidth: '^\\d+(\\.\\d+)? ?([KkMGT]?bps|[KkMGT]?bit/s|[KkMGTP]?i?B/(s|sec|m|min|h|hour|d|day))$',
  'byte-rate': '^\\d+(\\.\\d+)? ?([KkMGTP]?i?B/(s|sec|m|min|h|hour|d|day)|[KkMGT]?bps)$',
  rate: '^\\d+(\\.\\d+)? ?/(us|ms|s|sec|m|min|h|hour|d|day)$',
};

const SIGN_WORD: Record<Sign, string> = { positive: 'positive', nonnegative: 'non-negative' };

function unitField(kind: Exclude<UnitKind, 'fraction'>, parse: (v: unknown) => number, sign: Sign, description: string) {
  return z
    .string({ error: (iss) => expectedMessage(kind, iss.input) })
    .superRefine((s, ctx) => {
      try {
        const v = parse(s);
        if (sign === 'positive' ? !(v > 0) : v < 0) {
          ctx.addIssue({ code: 'custom', message: `expected a ${SIGN_WORD[sign]} ${kind}, got ${showValue(s)}` });
        }
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message });
      }
    })
    .meta({ description, pattern: PATTERNS[kind] });
}

export const duration = (sign: Sign, d: string) => unitField('duration', parseDuration_us, sign, `duration (us, ms, s, m, h, d): ${d}`);
export const size = (sign: Sign, d: string) => unitField('size', parseSize_bytes, sign, `size (B, KB=1000, KiB=1024, ...): ${d}`);
export const bandwidth = (sign: Sign, d: string) => unitField('bandwidth', parseBandwidth_bps, sign, `bandwidth (bps, Kbps, Mbps, Gbps, or bytes like 30MB/s): ${d}`);
export const byteRate = (sign: Sign, d: string) => unitField('byte-rate', parseByteRate_Bps, sign, `byte rate (MB/s, GB/h, GiB/s, ...): ${d}`);
export const rate = (sign: Sign, d: string) => unitField('rate', parseRate_per_s, sign, `event rate (/s, /min, /h): ${d}`);

export const fraction = (d: string) =>
  z
    .union([z.number(), z.string()], { error: (iss) => expectedMessage('fraction', iss.input) })
    .superRefine((v, ctx) => {
      try {
        parseFraction(v);
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message });
      }
    })
    .meta({ description: `fraction, "50%" or 0.5: ${d}` });

const int = (min: number, d: string) => z.number().int().min(min).meta({ description: d });
const nonNegNumber = (d: string) => z.number().min(0).meta({ description: d });
const name = (d: string) => z.string().min(1).meta({ description: d });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, d: string, hint = '') =>
  z
    .enum(values, { error: (iss) => `expected one of ${values.join(', ')}${hint}, got ${showValue(iss.input)}` })
    .meta({ description: d });
const pair = (d: string) => z.tuple([name('site'), name('site')]).meta({ description: d });

export const LinkSchema = z.strictObject({
  between: pair('the two sites the link joins'),
  bandwidth: bandwidth('positive', 'capacity of the link (bits/s)'),
  latency: duration('nonnegative', 'one-way propagation delay'),
  overhead: size('nonnegative', 'protocol bytes added to each message; default 0B').optional(),
});

export const VolumeSchema = z.strictObject({
  name: name('unique volume name'),
  site: name('site holding the volume'),
  size: size('positive', 'volume capacity'),
  track_size: size('positive', 'tracking unit for bitmaps; default: the scenario track_size').optional(),
  role: oneOf(['data', 'journal', 'backup'], 'default data').optional(),
  write_rate: byteRate('nonnegative', 'declared IO statistics (seed 000 FIG 7) used by destination selection; default 0 = not declared').optional(),
});

export const AppSchema = z.strictObject({
  id: int(0, 'VM/pod id (seed 000 FIG 2)'),
  name: name('VM/pod name'),
  volumes: z.array(name('volume name')).meta({ description: 'related volumes' }),
  labels: z.record(z.string(), z.string()).optional().meta({ description: 'e.g. consistent-group: "CTG1" or "CTG1, end"' }),
});

export const BusinessProcessSchema = z.strictObject({
  id: int(0, 'business process id (seed 000 FIG 3)'),
  name: name('business process name (matched case-insensitively by replication.group)'),
  apps: z.array(int(0, 'app id')),
});

const OnOffSchema = z.strictObject({
  kind: z.literal('onoff'),
  on_rate: rate('positive', 'arrival rate while on; default: the workload rate').optional(),
  off_rate: rate('nonnegative', 'arrival rate while off; default 0/s').optional(),
  on_mean: duration('positive', 'mean on period (exponential)'),
  off_mean: duration('positive', 'mean off period (exponential)'),
});

const BurstSchema = z.strictObject({
  at: duration('nonnegative', 'burst start, from the start of the run'),
  for: duration('positive', 'burst length'),
  factor: nonNegNumber('rate multiplier during the burst'),
});

const DiurnalSchema = z.strictObject({
  kind: z.literal('diurnal'),
  points: z
    .array(z.tuple([z.number().min(0).max(24), z.number().min(0)]))
    .min(1)
    .meta({ description: '[hour of day, rate factor] pairs, piecewise linear; the workload rate is the daily mean' }),
  bursts: z.array(BurstSchema).optional(),
});

const TraceSchema = z.strictObject({
  kind: z.literal('trace'),
  file: name('trace file (CSV), relative to the scenario file'),
  disks: z.record(z.string(), z.string()).optional().meta({ description: 'trace disk id -> volume name' }),
  time_scale: z.number().gt(0).optional().meta({ description: 'multiplies trace timestamps; default 1' }),
});

export const ArrivalsSchema = z.union([
  oneOf(['constant', 'poisson'], 'arrival process', ' (onoff, diurnal and trace need {kind: ..., ...})'),
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant') }),
    z.strictObject({ kind: z.literal('poisson') }),
    OnOffSchema,
    DiurnalSchema,
    TraceSchema,
  ]),
]);

export const SizeDistSchema = z.union([
  size('positive', 'fixed write size'),
  z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('fixed'), size: size('positive', 'write size') }),
    z.strictObject({ dist: z.literal('uniform'), min: size('positive', 'smallest write'), max: size('positive', 'largest write') }),
    z.strictObject({
      dist: z.literal('lognormal'),
      mean: size('positive', 'mean write size'),
      sigma: z.number().gt(0).optional().meta({ description: 'shape (sigma of the underlying normal); default 0.5' }),
    }),
    z.strictObject({
      dist: z.literal('empirical'),
      bins: z.array(z.strictObject({ size: size('positive', 'write size'), weight: z.number().gt(0) })).min(1),
    }),
  ]),
]);

export const AddressSchema = z.union([
  oneOf(['uniform', 'zipf', 'sequential', 'hotspot'], 'address distribution with default parameters'),
  z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('uniform') }),
    z.strictObject({ dist: z.literal('zipf'), theta: z.number().gt(0).max(10).optional().meta({ description: 'skew, in (0, 10]; default 0.99' }) }),
    z.strictObject({ dist: z.literal('sequential'), streams: int(1, 'concurrent sequential streams; default 1').optional() }),
    z.strictObject({
      dist: z.literal('hotspot'),
      fraction: fraction('share of the address space that is hot; default 20%').optional(),
      share: fraction('share of writes that go to the hot region; default 80%').optional(),
    }),
  ]),
]);

export const WorkloadSchema = z.strictObject({
  app: name('app whose volumes receive the writes').optional(),
  volume: name('single volume that receives the writes').optional(),
  rate: rate('positive', 'mean write rate (required unless arrivals is a trace)').optional(),
  arrivals: ArrivalsSchema.optional(),
  size: SizeDistSchema.optional(),
  address: AddressSchema.optional(),
  align: size('positive', 'sizes and offsets are multiples of this; default 4KiB').optional(),
  dependent: z
    .strictObject({ fraction: fraction('share of writes that depend on an earlier write'), on: name('app or volume written first') })
    .optional(),
});

export const JournalSchema = z.strictObject({
  capacity: size('positive', 'primary journal capacity; default 20GiB').optional(),
  secondary_capacity: size('positive', 'secondary journal capacity; default: capacity').optional(),
  copy_at: fraction('pull: read once the primary journal is this full; default 0 (any data)').optional(),
  copy_every: duration('nonnegative', 'period between transfers when idle; default 0s').optional(),
  max_batch: size('positive', 'largest transfer; default 1MiB').optional(),
  max_inflight: int(1, 'transfers in flight; default 4').optional(),
  on_full: oneOf(['suspend', 'throttle'], 'what a full journal does; default suspend').optional(),
  pful_at: fraction('PFUL threshold; default 80%').optional(),
  pfus_watch: duration('nonnegative', 'time over PFUL before suspending; default 60s').optional(),
  metadata: size('nonnegative', 'metadata bytes per entry; default 64B').optional(),
  resync_after: duration('nonnegative', 'resync this long after a suspension (0s = operator action); default 60s').optional(),
});

export const BitmapSchema = z.strictObject({
  transfer_unit: oneOf(['track', 'sectors'], 'what a drained bit sends; default track').optional(),
  sector: size('positive', 'sector size for transfer_unit sectors; default 512B').optional(),
  max_concurrent: int(1, 'tracks drained concurrently; default 16').optional(),
  consistency_groups: z.boolean().optional().meta({ description: 'form consistency groups; default true' }),
  coordination_time: duration('nonnegative', 'write acks held to start an increment; default 50ms').optional(),
  flash_time: duration('nonnegative', 'instant virtual copy at the secondary; default 10ms').optional(),
  cg_interval: duration('nonnegative', 'run timer between increments; default 0s').optional(),
  max_drain: duration('positive', 'maximum increment (drain) time; default 30s').optional(),
  max_failures_before_force: int(1, 'failed formations before one is forced; default 5').optional(),
  collision: oneOf(['send-old-image', 'new-image'], 'default send-old-image').optional(),
});

export const SyncSchema = z.strictObject({
  on_link_failure: oneOf(['fence', 'split'], 'default split').optional(),
  region: size('positive', 'pending bitmap granularity; default 8KiB').optional(),
});

export const ShipSchema = z.strictObject({
  interval: duration('positive', 'default 15m').optional(),
  keep: int(1, 'default 3').optional(),
});

export const CdpSchema = z.strictObject({
  retention: duration('positive', 'default 24h').optional(),
  retention_size: size('nonnegative', 'default 0B = unbounded').optional(),
  bookmark_every: duration('positive', 'default 5m').optional(),
  any_point: z.boolean().optional().meta({ description: 'default true' }),
  defect: z
    .strictObject({ at: duration('nonnegative', 'when corruption starts'), detect_after: duration('nonnegative', 'time to notice it') })
    .optional(),
  recovery_window: duration('nonnegative', 'time allowed to recover, for journal sizing; default 1h').optional(),
});

export const ReplicationSchema = z.strictObject({
  group: name('a business process, a consistent-group label, an app, or comma-separated volumes'),
  mode: oneOf(['journal', 'oos-bitmap', 'sync', 'snapshot', 'cdp'], 'default journal').optional(),
  transfer: oneOf(['pull', 'push'], 'journal transfer; default pull').optional(),
  to: name('target site, or auto; default auto').optional(),
  candidates: z.array(name('site')).optional().meta({ description: 'failover order; default: sites linked to the source' }),
  selection: oneOf(['first-fit', 'max-headroom', 'min-latency', 'priority'], 'destination selection for to: auto; default first-fit').optional(),
  journal: JournalSchema.optional(),
  journal_per: oneOf(['group', 'volume'], 'default group').optional(),
  restore_every: duration('positive', 'secondary apply period; default 1s').optional(),
  apply_rate: byteRate('positive', 'secondary apply rate; default 400MB/s').optional(),
  initial_copy: z.boolean().optional().meta({ description: 'start with a full copy; default false' }),
  also_to: z.array(name('site')).optional().meta({ description: 'extra targets; default none' }),
  bitmap: BitmapSchema.optional(),
  sync: SyncSchema.optional(),
  ship: ShipSchema.optional(),
  cdp: CdpSchema.optional(),
  promotion_delay: duration('nonnegative', 'time to promote the target after failover; default 30s').optional(),
  selection_warmup: duration('positive', 'to: auto: window measuring undeclared volume write rates; default 10m').optional(),
  reprotect: oneOf(['delta', 'full'], 'after a failure: delta resync where the new target holds an image, or full copy; default delta').optional(),
});

export const SnapshotSchema = z.strictObject({
  group: name('replication group'),
  every: duration('positive', 'snapshot period'),
  method: oneOf(['copy', 'instant'], 'copy suspends apply; default copy').optional(),
  keep: int(1, 'generations kept; default 3').optional(),
  copy_rate: byteRate('positive', 'copy speed; default 500MB/s').optional(),
});

export const GenerationSchema = z.strictObject({
  group: name('replication group whose target volumes are mirrored locally'),
  mirrors: int(1, 'backup volumes (generations) per secondary volume; default 3').optional(),
  every: duration('positive', 'period between backups (one mirror split each)'),
  region: size('positive', 'pending bitmap granularity; default 8KiB').optional(),
  copy_rate: byteRate('positive', 'local differential copy rate; default 400MB/s').optional(),
});

export const RestoreSchema = z.strictObject({
  at: duration('nonnegative', 'when the restore is requested'),
  from_generation: int(1, '1 = newest backup generation, 2 = the one before, ...; default 1').optional(),
  volume: name('primary volume to restore'),
  regions: z
    .array(z.strictObject({ offset: size('nonnegative', 'start of the range'), length: size('positive', 'length of the range') }))
    .optional()
    .meta({ description: 'byte ranges ("files") to restore; default: the whole volume' }),
});

export const FaultSchema = z.strictObject({
  at: duration('nonnegative', 'when the fault starts').optional(),
  link: pair('link endpoints').optional(),
  down_for: duration('positive', 'link outage length').optional(),
  bandwidth: bandwidth('positive', 'degraded link bandwidth').optional(),
  for: duration('positive', 'degradation length').optional(),
  site: name('site that fails').optional(),
  fails: z.literal(true).optional(),
  storage: name('site whose storage system fails (with fails: true); its links stay up').optional(),
  mtbf: duration('positive', 'random link failures: mean time between failures').optional(),
  mttr: duration('positive', 'random link failures: mean time to repair').optional(),
});

export const ObjectivesSchema = z.strictObject({
  rpo_p99_s: nonNegNumber('99th percentile RPO bound, seconds').optional(),
  rpo_max_s: nonNegNumber('maximum RPO bound, seconds').optional(),
  data_loss_bytes: z
    .union([z.number().int().min(0), size('nonnegative', 'data loss bound')])
    .optional()
    .meta({ description: 'data loss bound, bytes or a size' }),
});

export const HostSchema = z.strictObject({
  service_time: duration('nonnegative', 'local write service time; default 200us').optional(),
});

export const ScenarioSchema = z
  .strictObject({
    repsim_version: z.string().optional().meta({ description: 'informational: the repsim that wrote a resolved file' }),
    resolved_groups: z.array(z.record(z.string(), z.unknown())).optional().meta({ description: 'informational: group resolution written to a resolved file; ignored on load' }),
    name: name('scenario name; default: the file name').optional(),
    seed: int(0, 'run seed; default 1').optional(),
    duration: duration('positive', 'simulated time (at most 30d)'),
    sample_every: duration('positive', 'time series sampling period; default 1s').optional(),
    track_size: size('positive', 'default track size of volumes; default 64KiB').optional(),
    host: HostSchema.optional(),
    sites: z.array(name('site name')).min(1),
    links: z.array(LinkSchema).optional(),
    volumes: z.array(VolumeSchema).min(1),
    apps: z.array(AppSchema).optional(),
    business_processes: z.array(BusinessProcessSchema).optional(),
    workloads: z.array(WorkloadSchema).optional(),
    replication: z.array(ReplicationSchema).optional(),
    snapshots: z.array(SnapshotSchema).optional(),
    generations: z.array(GenerationSchema).optional(),
    restores: z.array(RestoreSchema).optional(),
    faults: z.array(FaultSchema).optional(),
    objectives: ObjectivesSchema.optional(),
  })
  .meta({ title: 'repsim scenario', description: 'See scenarios/README.md for every key, unit and default.' });

export type RawScenario = z.infer<typeof ScenarioSchema>;
export type RawWorkload = z.infer<typeof WorkloadSchema>;
export type RawReplication = z.infer<typeof ReplicationSchema>;
export type RawFault = z.infer<typeof FaultSchema>;
