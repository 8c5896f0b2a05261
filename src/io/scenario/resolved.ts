// scenario.resolved.yaml: the resolved scenario written back in the scenario vocabulary, every
// default made explicit and every unit in human form, such that loadScenarioText() of the output
// yields the identical Scenario (tested). Key order follows scenarios/README.md.
import { Document, isScalar, isSeq, visit } from 'yaml';
import { resolveGroups } from '../../control/groups.js';
import type { AddressSpec, ArrivalSpec, FaultSpec, ReplicationSpec, Scenario, SizeSpec, WorkloadSpec } from '../../scenario/types.js';
import {
  formatBandwidth_bps as bw,
  formatByteRate_Bps as byteRate,
  formatDuration_us as dur,
  formatRate_per_s as rate,
  formatSize_bytes as size,
} from './units.js';

type Obj = Record<string, unknown>;

function sizeOut(s: SizeSpec): unknown {
  switch (s.dist) {
    case 'fixed':
      return size(s.bytes);
    case 'uniform':
      return { dist: 'uniform', min: size(s.min_bytes), max: size(s.max_bytes) };
    case 'lognormal':
      return { dist: 'lognormal', mean: size(s.mean_bytes), sigma: s.sigma };
    case 'empirical':
      return { dist: 'empirical', bins: s.bins.map((b) => ({ size: size(b.bytes), weight: b.weight })) };
  }
}

function addressOut(a: AddressSpec): Obj {
  return { ...a };
}

function arrivalsOut(a: ArrivalSpec): unknown {
  switch (a.kind) {
    case 'constant':
    case 'poisson':
      return a.kind;
    case 'onoff':
      return { kind: 'onoff', on_rate: rate(a.on_rate_per_s), off_rate: rate(a.off_rate_per_s), on_mean: dur(a.on_mean_us), off_mean: dur(a.off_mean_us) };
    case 'diurnal':
      return {
        kind: 'diurnal',
        points: a.points.map(([h, f]) => [h, f]),
        bursts: a.bursts.map((b) => ({ at: dur(b.at_us), for: dur(b.for_us), factor: b.factor })),
      };
    case 'trace':
      return { kind: 'trace', file: a.file, disks: { ...a.disks }, time_scale: a.time_scale };
  }
}

function workloadOut(w: WorkloadSpec): Obj {
  const o: Obj = w.app !== null ? { app: w.app } : { volume: w.volume };
  if (w.rate_per_s > 0) o.rate = rate(w.rate_per_s);
  Object.assign(o, { arrivals: arrivalsOut(w.arrivals), size: sizeOut(w.size), address: addressOut(w.address), align: size(w.align_bytes) });
  if (w.dependent) o.dependent = { fraction: w.dependent.fraction, on: w.dependent.on };
  return o;
}

function replicationOut(r: ReplicationSpec): Obj {
  const j = r.journal;
  const b = r.bitmap;
  return {
    group: r.group,
    mode: r.mode,
    transfer: r.transfer,
    to: r.to,
    candidates: [...r.candidates],
    selection: r.selection,
    journal: {
      capacity: size(j.capacity_bytes),
      secondary_capacity: size(j.secondary_capacity_bytes),
      copy_at: j.copy_at_fraction,
      copy_every: dur(j.copy_every_us),
      max_batch: size(j.max_batch_bytes),
      max_inflight: j.max_inflight,
      on_full: j.on_full,
      pful_at: j.pful_fraction,
      pfus_watch: dur(j.pfus_watch_us),
      metadata: size(j.metadata_bytes),
      resync_after: dur(j.resync_after_us),
    },
    journal_per: r.journal_per,
    restore_every: dur(r.restore_every_us),
    apply_rate: byteRate(r.apply_rate_bytes_per_s),
    initial_copy: r.initial_copy,
    also_to: [...r.also_to],
    bitmap: {
      transfer_unit: b.transfer_unit,
      sector: size(b.sector_bytes),
      max_concurrent: b.max_concurrent,
      consistency_groups: b.consistency_groups,
      coordination_time: dur(b.coordination_time_us),
      flash_time: dur(b.flash_time_us),
      cg_interval: dur(b.cg_interval_us),
      max_drain: dur(b.max_drain_us),
      max_failures_before_force: b.max_failures_before_force,
      collision: b.collision,
    },
    sync: { on_link_failure: r.sync.on_link_failure, region: size(r.sync.region_bytes) },
    ship: { interval: dur(r.ship.interval_us), keep: r.ship.keep },
    cdp: {
      retention: dur(r.cdp.retention_us),
      retention_size: size(r.cdp.retention_bytes),
      bookmark_every: dur(r.cdp.bookmark_every_us),
      any_point: r.cdp.any_point,
      ...(r.cdp.defect ? { defect: { at: dur(r.cdp.defect.at_us), detect_after: dur(r.cdp.defect.detect_after_us) } } : {}),
      recovery_window: dur(r.cdp.recovery_window_us),
    },
    promotion_delay: dur(r.promotion_delay_us),
    selection_warmup: dur(r.selection_warmup_us),
    reprotect: r.reprotect,
  };
}

function faultOut(f: FaultSpec): Obj {
  switch (f.kind) {
    case 'link-down':
      return { at: dur(f.at_us), link: [...f.link], down_for: dur(f.down_for_us) };
    case 'link-degrade':
      return { at: dur(f.at_us), link: [...f.link], bandwidth: bw(f.bandwidth_bps), for: dur(f.for_us) };
    case 'site-fail':
      return { at: dur(f.at_us), site: f.site, fails: true };
    case 'storage-fail':
      return { at: dur(f.at_us), storage: f.site, fails: true };
    case 'random-link':
      return { link: [...f.link], mtbf: dur(f.mtbf_us), mttr: dur(f.mttr_us) };
  }
}

/** Informational: how each replication entry's group resolved (seed 000 FIG 10); ignored on load. */
function groupsOut(s: Scenario): Obj[] {
  try {
    return resolveGroups(s).map((g) => ({ group: g.name, via: g.via, source_site: g.source_site, volumes: [...g.volumes], apps: [...g.apps], complete: g.complete }));
  } catch {
    return []; // a scenario built in code that does not resolve: the run reports it
  }
}

/** The resolved scenario as YAML with units; `seed` is the run's seed (it replaces the file's). */
export function resolvedYaml(s: Scenario, opts: { version: string; seed?: number }): string {
  const objectives: Obj = {};
  if (s.objectives.rpo_p99_s !== null) objectives.rpo_p99_s = s.objectives.rpo_p99_s;
  if (s.objectives.rpo_max_s !== null) objectives.rpo_max_s = s.objectives.rpo_max_s;
  if (s.objectives.data_loss_bytes !== null) objectives.data_loss_bytes = s.objectives.data_loss_bytes;
  const doc: Obj = {
    repsim_version: opts.version,
    name: s.name,
    seed: opts.seed ?? s.seed,
    duration: dur(s.duration_us),
    sample_every: dur(s.sample_every_us),
    track_size: size(s.track_size_bytes),
    host: { service_time: dur(s.host.service_time_us) },
    sites: [...s.sites],
    links: s.links.map((l) => ({ between: [...l.between], bandwidth: bw(l.bandwidth_bps), latency: dur(l.latency_us), overhead: size(l.overhead_bytes) })),
    volumes: s.volumes.map((v) => ({
      name: v.name,
      site: v.site,
      size: size(v.size_bytes),
      track_size: size(v.track_size_bytes),
      role: v.role,
      write_rate: byteRate(v.write_rate_bytes_per_s),
    })),
    apps: s.apps.map((a) => ({ id: a.id, name: a.name, volumes: [...a.volumes], labels: { ...a.labels } })),
    business_processes: s.business_processes.map((b) => ({ id: b.id, name: b.name, apps: [...b.apps] })),
    workloads: s.workloads.map(workloadOut),
    replication: s.replication.map(replicationOut),
    snapshots: s.snapshots.map((x) => ({ group: x.group, every: dur(x.every_us), method: x.method, keep: x.keep, copy_rate: byteRate(x.copy_rate_bytes_per_s) })),
    generations: s.generations.map((g) => ({ group: g.group, mirrors: g.mirrors, every: dur(g.every_us), region: size(g.region_bytes), copy_rate: byteRate(g.copy_rate_bytes_per_s) })),
    restores: s.restores.map((r) => ({
      at: dur(r.at_us), from_generation: r.from_generation, volume: r.volume,
      ...(r.regions ? { regions: r.regions.map((x) => ({ offset: size(x.offset_bytes), length: size(x.length_bytes) })) } : {}),
    })),
    faults: s.faults.map(faultOut),
    objectives,
    resolved_groups: groupsOut(s),
  };
  const header = `# Resolved scenario written by repsim ${opts.version}: every value after defaults, run seed ${opts.seed ?? s.seed}.\n`;
  // Lists of scalars (site pairs, volume names, diurnal points) read best on one line.
  const yaml = new Document(doc);
  visit(yaml, {
    Seq(_, node) {
      if (node.items.every((it) => isScalar(it) || (isSeq(it) && it.items.every(isScalar)))) node.flow = true;
    },
  });
  return header + yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}
