// Raw (validated by schema.ts) -> resolved Scenario: apply defaults, convert units, and check
// what a schema cannot: references, duplicates, limits and sizes that must fit each other.
// Problems are collected as path issues; load.ts gives them line:column.
import type {
  AddressSpec,
  ArrivalSpec,
  FaultSpec,
  GenerationSpec,
  JournalSpec,
  ReplicationSpec,
  RestoreSpec,
  Scenario,
  SizeSpec,
  SnapshotSpec,
  VolumeSpec,
  WorkloadSpec,
} from '../../scenario/types.js';
import { consistencyGroups, CTG_LABEL, GroupError, resolveGroup, type ResolvedGroup } from '../../control/groups.js';
import { DEFAULTS, LIMITS } from './defaults.js';
import { suggest, type PathIssue, type PathSeg } from './errors.js';
import type { RawFault, RawReplication, RawScenario, RawWorkload } from './schema.js';
import {
  formatDuration_us,
  formatSize_bytes,
  parseBandwidth_bps,
  parseByteRate_Bps,
  parseDuration_us,
  parseFraction,
  parseRate_per_s,
  parseSize_bytes,
} from './units.js';

const dur = (v: string | undefined, d: number): number => (v === undefined ? d : parseDuration_us(v));
const size = (v: string | undefined, d: number): number => (v === undefined ? d : parseSize_bytes(v));
const frac = (v: number | string | undefined, d: number): number => (v === undefined ? d : parseFraction(v));

class Checker {
  readonly issues: PathIssue[] = [];
  error(path: PathSeg[], message: string, atKey = false): void {
    this.issues.push({ path, message, atKey });
  }
  /** Report duplicates of key(item) among items (case-insensitive when asked). */
  unique<T>(items: readonly T[], key: (t: T) => string | number, path: (i: number) => PathSeg[], what: string, fold = false): void {
    const seen = new Map<string | number, number>();
    items.forEach((it, i) => {
      const k0 = key(it);
      const k = fold && typeof k0 === 'string' ? k0.toLowerCase() : k0;
      const first = seen.get(k);
      if (first !== undefined) this.error(path(i), `duplicate ${what} ${JSON.stringify(k0)} (first defined at index ${first})`);
      else seen.set(k, i);
    });
  }
  ref(known: readonly string[], name: string, path: PathSeg[], what: string): boolean {
    if (known.includes(name)) return true;
    this.error(path, `${what} "${name}" is not defined${suggest(name, known)}`);
    return false;
  }
}

function convertSize(raw: RawWorkload['size']): SizeSpec {
  if (raw === undefined) return { dist: 'fixed', bytes: DEFAULTS.workload.size_bytes };
  if (typeof raw === 'string') return { dist: 'fixed', bytes: parseSize_bytes(raw) };
  switch (raw.dist) {
    case 'fixed':
      return { dist: 'fixed', bytes: parseSize_bytes(raw.size) };
    case 'uniform':
      return { dist: 'uniform', min_bytes: parseSize_bytes(raw.min), max_bytes: parseSize_bytes(raw.max) };
    case 'lognormal':
      return { dist: 'lognormal', mean_bytes: parseSize_bytes(raw.mean), sigma: raw.sigma ?? DEFAULTS.workload.lognormal_sigma };
    case 'empirical':
      return { dist: 'empirical', bins: raw.bins.map((b) => ({ bytes: parseSize_bytes(b.size), weight: b.weight })) };
  }
}

/** Largest write a size distribution can issue (lognormal: its mean, the tail being unbounded). */
export function largestWrite_bytes(s: SizeSpec, align_bytes: number): number {
  const max =
    s.dist === 'fixed' ? s.bytes : s.dist === 'uniform' ? s.max_bytes : s.dist === 'lognormal' ? s.mean_bytes : Math.max(...s.bins.map((b) => b.bytes));
  return Math.ceil(max / align_bytes) * align_bytes;
}

function convertAddress(raw: RawWorkload['address']): AddressSpec {
  const w = DEFAULTS.workload;
  const r = typeof raw === 'string' ? { dist: raw } : raw ?? { dist: 'uniform' as const };
  switch (r.dist) {
    case 'uniform':
      return { dist: 'uniform' };
    case 'zipf':
      return { dist: 'zipf', theta: ('theta' in r ? r.theta : undefined) ?? w.zipf_theta };
    case 'sequential':
      return { dist: 'sequential', streams: ('streams' in r ? r.streams : undefined) ?? w.sequential_streams };
    case 'hotspot':
      return {
        dist: 'hotspot',
        fraction: frac('fraction' in r ? r.fraction : undefined, w.hotspot_fraction),
        share: frac('share' in r ? r.share : undefined, w.hotspot_share),
      };
  }
}

function convertArrivals(raw: RawWorkload['arrivals'], rate_per_s: number): ArrivalSpec {
  const r = typeof raw === 'string' ? { kind: raw } : raw ?? { kind: 'poisson' as const };
  switch (r.kind) {
    case 'constant':
    case 'poisson':
      return { kind: r.kind };
    case 'onoff':
      return {
        kind: 'onoff',
        on_rate_per_s: r.on_rate === undefined ? rate_per_s : parseRate_per_s(r.on_rate),
        off_rate_per_s: r.off_rate === undefined ? DEFAULTS.workload.off_rate_per_s : parseRate_per_s(r.off_rate),
        on_mean_us: parseDuration_us(r.on_mean),
        off_mean_us: parseDuration_us(r.off_mean),
      };
    case 'diurnal':
      return {
        kind: 'diurnal',
        points: r.points.map(([h, f]) => [h, f] as [number, number]),
        bursts: (r.bursts ?? []).map((b) => ({ at_us: parseDuration_us(b.at), for_us: parseDuration_us(b.for), factor: b.factor })),
      };
    case 'trace':
      return { kind: 'trace', file: r.file, disks: { ...(r.disks ?? {}) }, time_scale: r.time_scale ?? DEFAULTS.workload.trace_time_scale };
  }
}

function convertWorkload(raw: RawWorkload, i: number, s: RawScenario, c: Checker): WorkloadSpec {
  const p: PathSeg[] = ['workloads', i];
  const apps = (s.apps ?? []).map((a) => a.name);
  const vols = s.volumes.map((v) => v.name);
  if ((raw.app === undefined) === (raw.volume === undefined)) c.error(p, 'a workload needs exactly one of "app" or "volume"');
  if (raw.app !== undefined) c.ref(apps, raw.app, [...p, 'app'], 'app');
  if (raw.volume !== undefined) c.ref(vols, raw.volume, [...p, 'volume'], 'volume');
  const isTrace = typeof raw.arrivals === 'object' && raw.arrivals.kind === 'trace';
  if (raw.rate === undefined && !isTrace) c.error(p, 'missing required key "rate" (e.g. rate: 1500/s)');
  const rate_per_s = raw.rate === undefined ? 0 : parseRate_per_s(raw.rate);
  const arrivals = convertArrivals(raw.arrivals, rate_per_s);
  if (arrivals.kind === 'diurnal') {
    arrivals.points.forEach(([h], k) => {
      if (k > 0 && h <= arrivals.points[k - 1][0]) c.error([...p, 'arrivals', 'points', k], `hours must increase, got ${h} after ${arrivals.points[k - 1][0]}`);
    });
  }
  if (arrivals.kind === 'trace') {
    Object.entries(arrivals.disks).forEach(([disk, vol]) => c.ref(vols, vol, [...p, 'arrivals', 'disks', disk], 'volume'));
  }
  const sizeSpec = convertSize(raw.size);
  if (sizeSpec.dist === 'uniform' && sizeSpec.min_bytes > sizeSpec.max_bytes) {
    c.error([...p, 'size', 'max'], `max (${formatSize_bytes(sizeSpec.max_bytes)}) is smaller than min (${formatSize_bytes(sizeSpec.min_bytes)})`);
  }
  let dependent: WorkloadSpec['dependent'] = null;
  if (raw.dependent) {
    dependent = { fraction: parseFraction(raw.dependent.fraction), on: raw.dependent.on };
    c.ref([...apps, ...vols], raw.dependent.on, [...p, 'dependent', 'on'], 'app or volume');
  }
  return {
    app: raw.app ?? null,
    volume: raw.volume ?? null,
    rate_per_s,
    arrivals,
    size: sizeSpec,
    address: convertAddress(raw.address),
    align_bytes: size(raw.align, DEFAULTS.workload.align_bytes),
    dependent,
  };
}

function convertJournal(raw: RawReplication['journal']): JournalSpec {
  const j = raw ?? {};
  const d = DEFAULTS.journal;
  const capacity_bytes = size(j.capacity, d.capacity_bytes);
  return {
    capacity_bytes,
    secondary_capacity_bytes: size(j.secondary_capacity, capacity_bytes),
    copy_at_fraction: frac(j.copy_at, d.copy_at_fraction),
    copy_every_us: dur(j.copy_every, d.copy_every_us),
    max_batch_bytes: size(j.max_batch, d.max_batch_bytes),
    max_inflight: j.max_inflight ?? d.max_inflight,
    on_full: j.on_full ?? d.on_full,
    pful_fraction: frac(j.pful_at, d.pful_fraction),
    pfus_watch_us: dur(j.pfus_watch, d.pfus_watch_us),
    metadata_bytes: size(j.metadata, d.metadata_bytes),
    resync_after_us: dur(j.resync_after, d.resync_after_us),
  };
}

function convertReplication(raw: RawReplication): ReplicationSpec {
  const d = DEFAULTS.replication;
  const b = raw.bitmap ?? {};
  const db = DEFAULTS.bitmap;
  const cdp = raw.cdp ?? {};
  const dc = DEFAULTS.cdp;
  return {
    group: raw.group,
    mode: raw.mode ?? d.mode,
    transfer: raw.transfer ?? d.transfer,
    to: raw.to ?? d.to,
    candidates: raw.candidates ? [...raw.candidates] : [],
    selection: raw.selection ?? d.selection,
    journal: convertJournal(raw.journal),
    journal_per: raw.journal_per ?? d.journal_per,
    restore_every_us: dur(raw.restore_every, d.restore_every_us),
    apply_rate_bytes_per_s: raw.apply_rate === undefined ? d.apply_rate_bytes_per_s : parseByteRate_Bps(raw.apply_rate),
    initial_copy: raw.initial_copy ?? d.initial_copy,
    also_to: raw.also_to ? [...raw.also_to] : [],
    bitmap: {
      transfer_unit: b.transfer_unit ?? db.transfer_unit,
      sector_bytes: size(b.sector, db.sector_bytes),
      max_concurrent: b.max_concurrent ?? db.max_concurrent,
      consistency_groups: b.consistency_groups ?? db.consistency_groups,
      coordination_time_us: dur(b.coordination_time, db.coordination_time_us),
      flash_time_us: dur(b.flash_time, db.flash_time_us),
      cg_interval_us: dur(b.cg_interval, db.cg_interval_us),
      max_drain_us: dur(b.max_drain, db.max_drain_us),
      max_failures_before_force: b.max_failures_before_force ?? db.max_failures_before_force,
      collision: b.collision ?? db.collision,
    },
    sync: { on_link_failure: raw.sync?.on_link_failure ?? DEFAULTS.sync.on_link_failure, region_bytes: size(raw.sync?.region, DEFAULTS.sync.region_bytes) },
    ship: { interval_us: dur(raw.ship?.interval, DEFAULTS.ship.interval_us), keep: raw.ship?.keep ?? DEFAULTS.ship.keep },
    cdp: {
      retention_us: dur(cdp.retention, dc.retention_us),
      retention_bytes: size(cdp.retention_size, dc.retention_bytes),
      bookmark_every_us: dur(cdp.bookmark_every, dc.bookmark_every_us),
      any_point: cdp.any_point ?? dc.any_point,
      defect: cdp.defect ? { at_us: parseDuration_us(cdp.defect.at), detect_after_us: parseDuration_us(cdp.defect.detect_after) } : null,
      recovery_window_us: dur(cdp.recovery_window, dc.recovery_window_us),
    },
    promotion_delay_us: dur(raw.promotion_delay, d.promotion_delay_us),
    selection_warmup_us: dur(raw.selection_warmup, d.selection_warmup_us),
    reprotect: raw.reprotect ?? d.reprotect,
  };
}

function convertFault(raw: RawFault, i: number, c: Checker): FaultSpec | null {
  const p: PathSeg[] = ['faults', i];
  const has = (k: keyof RawFault): boolean => raw[k] !== undefined;
  const kinds = [
    has('down_for') && 'link-down',
    has('bandwidth') && 'link-degrade',
    has('fails') && (has('storage') ? 'storage-fail' : 'site-fail'),
    (has('mtbf') || has('mttr')) && 'random-link',
  ].filter(Boolean);
  if (kinds.length !== 1) {
    c.error(p, kinds.length === 0
      ? 'a fault needs one of: {at, link, down_for}, {at, link, bandwidth, for}, {at, site, fails: true}, {at, storage, fails: true}, {link, mtbf, mttr}'
      : `a fault must be one kind, got keys for ${kinds.join(' and ')}`);
    return null;
  }
  const need = (keys: Array<keyof RawFault>, forbid: Array<keyof RawFault>): boolean => {
    const missing = keys.filter((k) => !has(k));
    const extra = forbid.filter((k) => has(k));
    missing.forEach((k) => c.error(p, `missing required key "${k}" for a ${kinds[0]} fault`));
    extra.forEach((k) => c.error([...p, k], `key "${k}" does not belong in a ${kinds[0]} fault`, true));
    return missing.length === 0 && extra.length === 0;
  };
  switch (kinds[0]) {
    case 'link-down':
      return need(['at', 'link'], ['site', 'storage', 'for', 'mtbf', 'mttr'])
        ? { kind: 'link-down', at_us: parseDuration_us(raw.at), link: raw.link!, down_for_us: parseDuration_us(raw.down_for) }
        : null;
    case 'link-degrade':
      return need(['at', 'link', 'for'], ['site', 'storage', 'mtbf', 'mttr'])
        ? { kind: 'link-degrade', at_us: parseDuration_us(raw.at), link: raw.link!, bandwidth_bps: parseBandwidth_bps(raw.bandwidth), for_us: parseDuration_us(raw.for) }
        : null;
    case 'storage-fail':
      return need(['at', 'storage'], ['site', 'link', 'for', 'mtbf', 'mttr'])
        ? { kind: 'storage-fail', at_us: parseDuration_us(raw.at), site: raw.storage! }
        : null;
    case 'site-fail':
      return need(['at', 'site'], ['storage', 'link', 'for', 'mtbf', 'mttr'])
        ? { kind: 'site-fail', at_us: parseDuration_us(raw.at), site: raw.site! }
        : null;
    default:
      return need(['link', 'mtbf', 'mttr'], ['at', 'site', 'storage', 'for'])
        ? { kind: 'random-link', link: raw.link!, mtbf_us: parseDuration_us(raw.mtbf), mttr_us: parseDuration_us(raw.mttr) }
        : null;
  }
}

function checkLinks(s: Scenario, c: Checker): void {
  s.links.forEach((l, i) => {
    l.between.forEach((site, k) => c.ref(s.sites, site, ['links', i, 'between', k], 'site'));
    if (l.between[0] === l.between[1]) c.error(['links', i, 'between'], `a link joins two different sites, got ${l.between[0]} twice`);
  });
  c.unique(s.links, (l) => [...l.between].sort().join(' <-> '), (i) => ['links', i, 'between'], 'link');
}

const linked = (s: Scenario, a: string, b: string): boolean =>
  s.links.some((l) => (l.between[0] === a && l.between[1] === b) || (l.between[0] === b && l.between[1] === a));

function checkVolumes(s: Scenario, c: Checker): void {
  c.unique(s.volumes, (v) => v.name, (i) => ['volumes', i, 'name'], 'volume name');
  s.volumes.forEach((v, i) => {
    c.ref(s.sites, v.site, ['volumes', i, 'site'], 'site');
    if (v.track_size_bytes > v.size_bytes) {
      c.error(['volumes', i, 'track_size'], `track size ${formatSize_bytes(v.track_size_bytes)} is larger than the volume (${formatSize_bytes(v.size_bytes)})`);
    }
  });
  if (s.volumes.length > LIMITS.max_volumes) c.error(['volumes'], `at most ${LIMITS.max_volumes} volumes are supported, got ${s.volumes.length}`);
  const tracks = s.volumes.reduce((sum, v) => sum + Math.ceil(v.size_bytes / v.track_size_bytes), 0);
  const bitmap_bytes = (tracks * LIMITS.bitmaps_per_volume) / 8;
  if (bitmap_bytes > LIMITS.max_bitmap_bytes) {
    const gib = (bitmap_bytes / 1024 ** 3).toFixed(1);
    c.error(['volumes'], `bitmaps would need an estimated ${gib} GiB (${LIMITS.bitmaps_per_volume} bitmaps x ${tracks} tracks), over the 2 GiB limit; use a larger track_size`);
  }
}

function checkApps(s: Scenario, c: Checker): void {
  c.unique(s.apps, (a) => a.id, (i) => ['apps', i, 'id'], 'app id');
  c.unique(s.apps, (a) => a.name, (i) => ['apps', i, 'name'], 'app name', true);
  const vols = s.volumes.map((v) => v.name);
  s.apps.forEach((a, i) => a.volumes.forEach((v, k) => c.ref(vols, v, ['apps', i, 'volumes', k], 'volume')));
  for (const info of consistencyGroups(s.apps).values()) {
    if (info.complete) continue;
    const last = info.members[info.members.length - 1];
    c.error(['apps', last, 'labels', CTG_LABEL], `consistency group "${info.group}" is never marked complete (no ", end" label)`);
  }
  c.unique(s.business_processes, (b) => b.id, (i) => ['business_processes', i, 'id'], 'business process id');
  c.unique(s.business_processes, (b) => b.name, (i) => ['business_processes', i, 'name'], 'business process name', true);
  const ids = new Set(s.apps.map((a) => a.id));
  s.business_processes.forEach((b, i) =>
    b.apps.forEach((id, k) => {
      if (!ids.has(id)) c.error(['business_processes', i, 'apps', k], `app id ${id} is not defined (ids: ${[...ids].join(', ') || 'none'})`);
    }),
  );
}

function workloadVolumes(s: Scenario, w: WorkloadSpec): string[] {
  if (w.volume !== null) return [w.volume];
  return s.apps.find((a) => a.name === w.app)?.volumes ?? [];
}

function checkReplication(s: Scenario, c: Checker, groups: Array<ResolvedGroup | null>): void {
  s.replication.forEach((r, i) => {
    const g = groups[i];
    if (!g) return;
    const p: PathSeg[] = ['replication', i];
    const targets = s.sites.filter((site) => site !== g.source_site && linked(s, g.source_site, site));
    const checkSite = (site: string, path: PathSeg[]): void => {
      if (!c.ref(s.sites, site, path, 'site')) return;
      if (site === g.source_site) c.error(path, `"${site}" is the source site of group "${g.name}"`);
      else if (!linked(s, g.source_site, site)) c.error(path, `no link between ${g.source_site} and ${site}`);
    };
    if (r.to !== 'auto') checkSite(r.to, [...p, 'to']);
    else if (targets.length === 0) c.error([...p, 'to'], `no site is linked to ${g.source_site} (the source of group "${g.name}")`);
    r.candidates.forEach((site, k) => checkSite(site, [...p, 'candidates', k]));
    r.also_to.forEach((site, k) => checkSite(site, [...p, 'also_to', k]));
    if (r.candidates.length === 0) {
      // Default failover order: the chosen target first, then the other linked sites in link order.
      r.candidates = r.to === 'auto' ? targets : [r.to, ...targets.filter((t) => t !== r.to)];
    }
    if (r.mode === 'journal') checkJournalFits(s, c, r, g, p);
  });
}

function checkJournalFits(s: Scenario, c: Checker, r: ReplicationSpec, g: ResolvedGroup, p: PathSeg[]): void {
  const writes = s.workloads.filter((w) => workloadVolumes(s, w).some((v) => g.volumes.includes(v)));
  const largest = Math.max(0, ...writes.map((w) => largestWrite_bytes(w.size, w.align_bytes)));
  const need = largest + r.journal.metadata_bytes;
  for (const key of ['capacity', 'secondary_capacity'] as const) {
    const have = key === 'capacity' ? r.journal.capacity_bytes : r.journal.secondary_capacity_bytes;
    if (largest > 0 && have < need) {
      c.error([...p, 'journal', key], `journal ${key.replace('_', ' ')} ${formatSize_bytes(have)} cannot hold one write: the largest write is ${formatSize_bytes(largest)} plus ${r.journal.metadata_bytes}B metadata`);
    }
  }
}

function resolveGroupsChecked(s: Scenario, c: Checker): Array<ResolvedGroup | null> {
  return s.replication.map((r, i) => {
    try {
      return resolveGroup(s, r.group);
    } catch (e) {
      if (!(e instanceof GroupError)) throw e;
      const names = [...s.business_processes.map((b) => b.name), ...[...consistencyGroups(s.apps).values()].map((g) => g.group), ...s.apps.map((a) => a.name), ...s.volumes.map((v) => v.name)];
      c.error(['replication', i, 'group'], e.message + (e.message.startsWith('no business process') ? suggest(r.group, names) : ''));
      return null;
    }
  });
}

function checkSnapshots(s: Scenario, c: Checker): void {
  const names = s.replication.map((r) => r.group.toLowerCase());
  s.snapshots.forEach((snap, i) => {
    if (!names.includes(snap.group.toLowerCase())) {
      c.error(['snapshots', i, 'group'], `no replication entry for group "${snap.group}"${suggest(snap.group, s.replication.map((r) => r.group))}`);
    }
  });
}

/** Generations name a replication entry; restores name a volume in a generations group, ranges inside it. */
function checkRecovery(s: Scenario, c: Checker, groups: Array<ResolvedGroup | null>): void {
  const entry = (group: string): number => s.replication.findIndex((r) => r.group.toLowerCase() === group.toLowerCase());
  s.generations.forEach((g, i) => {
    const e = entry(g.group);
    if (e < 0) c.error(['generations', i, 'group'], `no replication entry for group "${g.group}"${suggest(g.group, s.replication.map((r) => r.group))}`);
    else if (s.replication[e].mode !== 'journal') c.error(['generations', i, 'group'], `generations follow a journal's apply; group "${g.group}" uses mode ${s.replication[e].mode}`);
  });
  s.snapshots.forEach((x, i) => {
    const e = entry(x.group);
    if (e >= 0 && s.replication[e].mode !== 'journal') c.error(['snapshots', i, 'group'], `the snapshot function pauses a journal's apply; group "${x.group}" uses mode ${s.replication[e].mode}`);
  });
  s.restores.forEach((r, i) => {
    const p: PathSeg[] = ['restores', i];
    if (!c.ref(s.volumes.map((v) => v.name), r.volume, [...p, 'volume'], 'volume')) return;
    const covered = s.generations.some((g) => groups[entry(g.group)]?.volumes.includes(r.volume));
    if (!covered) c.error([...p, 'volume'], `volume "${r.volume}" is in no group with generations (a restore needs a backup generation)`);
    const vol = s.volumes.find((v) => v.name === r.volume)!;
    (r.regions ?? []).forEach((x, k) => {
      if (x.offset_bytes + x.length_bytes > vol.size_bytes) {
        c.error([...p, 'regions', k], `range ends at ${formatSize_bytes(x.offset_bytes + x.length_bytes)}, past the end of ${r.volume} (${formatSize_bytes(vol.size_bytes)})`);
      }
    });
    if (r.at_us >= s.duration_us) c.error([...p, 'at'], `restore at ${formatDuration_us(r.at_us)} is not before the end of the run (${formatDuration_us(s.duration_us)})`);
  });
}

function checkFaults(s: Scenario, rawIndex: number[], c: Checker): void {
  s.faults.forEach((f, i) => {
    const p: PathSeg[] = ['faults', rawIndex[i]];
    if (f.kind === 'site-fail') c.ref(s.sites, f.site, [...p, 'site'], 'site');
    else if (f.kind === 'storage-fail') c.ref(s.sites, f.site, [...p, 'storage'], 'site');
    else if (f.link.every((site, k) => c.ref(s.sites, site, [...p, 'link', k], 'site')) && !linked(s, f.link[0], f.link[1])) {
      c.error([...p, 'link'], `no link between ${f.link[0]} and ${f.link[1]}`);
    }
    if (f.kind !== 'random-link' && f.at_us >= s.duration_us) {
      c.error([...p, 'at'], `fault at ${formatDuration_us(f.at_us)} is not before the end of the run (${formatDuration_us(s.duration_us)})`);
    }
  });
}

function checkTimes(s: Scenario, c: Checker): void {
  if (s.duration_us > LIMITS.max_duration_us) {
    c.error(['duration'], `duration ${formatDuration_us(s.duration_us)} is over the 30d limit`);
  }
  if (s.sample_every_us > s.duration_us) {
    c.error(['sample_every'], `sample_every ${formatDuration_us(s.sample_every_us)} is longer than the duration (${formatDuration_us(s.duration_us)})`);
  }
}

/** Build the resolved scenario; on any problem returns the issues instead. */
export function convertScenario(raw: RawScenario, defaultName: string, source_file: string): { scenario: Scenario; issues: PathIssue[] } {
  const c = new Checker();
  const track_size_bytes = size(raw.track_size, DEFAULTS.track_size_bytes);
  const volumes: VolumeSpec[] = raw.volumes.map((v) => ({
    name: v.name,
    site: v.site,
    size_bytes: parseSize_bytes(v.size),
    track_size_bytes: size(v.track_size, track_size_bytes),
    role: v.role ?? DEFAULTS.volume_role,
    write_rate_bytes_per_s: v.write_rate === undefined ? DEFAULTS.write_rate_bytes_per_s : parseByteRate_Bps(v.write_rate),
  }));
  const snapshots: SnapshotSpec[] = (raw.snapshots ?? []).map((x) => ({
    group: x.group,
    every_us: parseDuration_us(x.every),
    method: x.method ?? DEFAULTS.snapshot.method,
    keep: x.keep ?? DEFAULTS.snapshot.keep,
    copy_rate_bytes_per_s: x.copy_rate === undefined ? DEFAULTS.snapshot.copy_rate_bytes_per_s : parseByteRate_Bps(x.copy_rate),
  }));
  const G = DEFAULTS.generation;
  const generations: GenerationSpec[] = (raw.generations ?? []).map((x) => ({
    group: x.group,
    mirrors: x.mirrors ?? G.mirrors,
    every_us: parseDuration_us(x.every),
    region_bytes: size(x.region, G.region_bytes),
    copy_rate_bytes_per_s: x.copy_rate === undefined ? G.copy_rate_bytes_per_s : parseByteRate_Bps(x.copy_rate),
  }));
  const restores: RestoreSpec[] = (raw.restores ?? []).map((x) => ({
    at_us: parseDuration_us(x.at),
    from_generation: x.from_generation ?? DEFAULTS.restore.from_generation,
    volume: x.volume,
    regions: x.regions ? x.regions.map((r) => ({ offset_bytes: parseSize_bytes(r.offset), length_bytes: parseSize_bytes(r.length) })) : null,
  }));
  // Faults that fail their shape check are dropped; faultIndex keeps the raw index for messages.
  const faultIndex: number[] = [];
  const faults: FaultSpec[] = [];
  (raw.faults ?? []).forEach((f, i) => {
    const spec = convertFault(f, i, c);
    if (spec) faults.push(spec), faultIndex.push(i);
  });
  const o = raw.objectives ?? {};
  const s: Scenario = {
    name: raw.name ?? defaultName,
    seed: raw.seed ?? DEFAULTS.seed,
    duration_us: parseDuration_us(raw.duration),
    sample_every_us: dur(raw.sample_every, DEFAULTS.sample_every_us),
    track_size_bytes,
    host: { service_time_us: dur(raw.host?.service_time, DEFAULTS.service_time_us) },
    sites: [...raw.sites],
    links: (raw.links ?? []).map((l) => ({
      between: [l.between[0], l.between[1]],
      bandwidth_bps: parseBandwidth_bps(l.bandwidth),
      latency_us: parseDuration_us(l.latency),
      overhead_bytes: size(l.overhead, DEFAULTS.overhead_bytes),
    })),
    volumes,
    apps: (raw.apps ?? []).map((a) => ({ id: a.id, name: a.name, volumes: [...a.volumes], labels: { ...(a.labels ?? {}) } })),
    business_processes: (raw.business_processes ?? []).map((b) => ({ id: b.id, name: b.name, apps: [...b.apps] })),
    workloads: (raw.workloads ?? []).map((w, i) => convertWorkload(w, i, raw, c)),
    replication: (raw.replication ?? []).map(convertReplication),
    snapshots,
    generations,
    restores,
    faults,
    objectives: {
      rpo_p99_s: o.rpo_p99_s ?? null,
      rpo_max_s: o.rpo_max_s ?? null,
      data_loss_bytes: o.data_loss_bytes === undefined ? null : typeof o.data_loss_bytes === 'number' ? o.data_loss_bytes : parseSize_bytes(o.data_loss_bytes),
    },
    source_file,
  };
  checkTimes(s, c);
  c.unique(s.sites, (x) => x, (i) => ['sites', i], 'site');
  checkLinks(s, c);
  checkVolumes(s, c);
  checkApps(s, c);
  checkFaults(s, faultIndex, c);
  const groups = resolveGroupsChecked(s, c);
  checkReplication(s, c, groups);
  checkSnapshots(s, c);
  checkRecovery(s, c, groups);
  return { scenario: s, issues: c.issues };
}
