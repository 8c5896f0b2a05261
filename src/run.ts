// One simulation run: scenario -> model -> engine -> recorders -> sink. Deterministic: the same
// scenario and seed give the same rows in the same order.

import { dirname } from 'node:path';
import { Simulator } from './engine/sim.js';
import { Streams } from './engine/random.js';
import { Failover } from './control/failover.js';
import { FaultInjector } from './control/faults.js';
import { resolveGroups, type ResolvedGroup } from './control/groups.js';
import { LegControl, type Leg } from './control/legs.js';
import { selectTarget } from './control/selection.js';
import { EventLog } from './metrics/events.js';
import { GroupRecorder } from './metrics/group-recorder.js';
import { DependencyOracle } from './metrics/oracle.js';
import { ExactOracle } from './metrics/exact-oracle.js';
import type { GroupSummary, RunSummary, Summary } from './metrics/records.js';
import type { RecordSink } from './metrics/sink.js';
import { HostIo, type HostWrite } from './model/host.js';
import { IoStats } from './model/iostats.js';
import { Link } from './model/link.js';
import { Volume } from './model/volume.js';
import { Workload } from './model/workload.js';
import { createMode } from './replication/index.js';
import { attachRecovery, type Recovery } from './recovery/index.js';
import type { Gauges, GroupContext, ReplicationMode } from './replication/mode.js';
import type { Scenario } from './scenario/types.js';
import { VERSION } from './version.js';

export interface RunOptions {
  seed?: number;
  sink: RecordSink;
  /** Also check every recovery point with the exact (per-track) oracle: tests, small volumes. */
  exactOracle?: boolean;
}

/** A replication group row being simulated, with its recorder and oracle. */
interface GroupRun extends Leg {
  mode: ReplicationMode;
  recorder: GroupRecorder;
  oracle: DependencyOracle;
  /** Exact oracle and the group-local index of each host volume (-1 outside the group). */
  exact: ExactOracle | null;
  localIndex: Int32Array;
  latencyIdx: number;
  volumeSet: Uint8Array;
  selection_reason: string;
}

export class Run {
  readonly sim = new Simulator();
  readonly streams: Streams;
  readonly volumes: Volume[];
  readonly links = new Map<string, Link>();
  readonly host: HostIo;
  /** Per-volume write throughput over a sliding window (seed 000 FIG 7). */
  readonly iostats: IoStats;
  readonly events: EventLog;
  readonly groups: GroupRun[] = [];
  readonly workloads: Workload[] = [];
  readonly resolved: ResolvedGroup[];
  readonly recovery: Recovery;
  /** Sites whose storage (or the whole site) failed: their workloads stop. */
  readonly failedSites = new Set<string>();
  /** Control plane (src/control): failover and re-protection, fault injection. */
  readonly failover: Failover;
  private faults!: FaultInjector;
  private readonly gauges: Gauges = { backlog_bytes: 0, primary_journal_bytes: 0, secondary_journal_bytes: 0, oos_tracks: 0 };

  constructor(readonly scenario: Scenario, readonly seed: number, private readonly sink: RecordSink,
    private readonly opts: { exactOracle?: boolean } = {}) {
    this.streams = new Streams(seed);
    this.events = new EventLog(sink, () => this.sim.now);
    this.volumes = scenario.volumes.map((v, i) => Volume.fromSpec(i, v));
    for (const l of scenario.links) {
      this.links.set(linkKey(l.between[0], l.between[1]),
        new Link(this.sim, l.between[0], l.between[1], l.bandwidth_bps, l.latency_us, l.overhead_bytes));
    }
    this.host = new HostIo(this.sim, this.volumes, scenario.host.service_time_us);
    this.iostats = new IoStats(this.host.bytesOf, IOSTATS_WINDOW_S);
    this.resolved = resolveGroups(scenario);
    scenario.replication.forEach((spec, i) => this.addGroup(i));
    this.recovery = attachRecovery(this); // snapshots, generations, restores (src/recovery)
    this.host.iostats = this.iostats;
    // Dependent pairs exist only with dependent workloads: no observer call per write otherwise.
    if (scenario.workloads.some((w) => w.dependent !== null)) this.host.observe(this);
    if (opts.exactOracle) this.host.observe({ onIssued: (w) => this.recordExact(w.seq, w.volume, w.offset_bytes, w.length_bytes) });
    this.addWorkloads();
    this.failover = new Failover({
      sim: this.sim, events: this.events, scenario, host: this.host, legs: this.groups, failedSites: this.failedSites,
      hasLink: (a, b) => this.links.has(linkKey(a, b)), link: (a, b) => this.link(a, b),
      checkConsistency: (leg, now) => leg.oracle.check(leg.mode, now),
      stopWrites: (site) => {
        for (const w of this.workloads) if (w.targets.some((v) => v.site === site)) w.stop();
      },
    });
    this.addFaults();
    this.nextSample_us = scenario.sample_every_us;
  }

  /** Time of the next sample (us): samples so far are nextSample_us / sample_every - 1. */
  private nextSample_us: number;

  /**
   * Runs the simulation to until_us, taking each sample due by then at its instant, before the
   * events of that instant (tests step a run with it; run() goes to the end). Samples are not
   * queue events: a day of 1 s samples scheduled ahead made the event heap 86,400 entries deep,
   * and every event paid for it.
   */
  runTo(until_us: number): void {
    while (this.nextSample_us <= until_us) {
      this.sim.runBefore(this.nextSample_us);
      this.sample();
      this.nextSample_us += this.scenario.sample_every_us;
    }
    this.sim.run(until_us);
  }

  private volumeIndex(name: string): number {
    const i = this.volumes.findIndex((v) => v.name === name);
    if (i < 0) throw new Error(`volume ${name} not defined`);
    return i;
  }

  link(a: string, b: string): Link {
    const l = this.links.get(linkKey(a, b));
    if (!l) throw new Error(`no link between ${a} and ${b}`);
    return l;
  }

  private addGroup(i: number): void {
    const spec = this.scenario.replication[i];
    const g = this.resolved[i];
    const sel = selectTarget(this.scenario, i, g, this.seed);
    this.events.emit(g.name, 'target_selected', `${sel.site}: ${sel.reason}`);
    if (sel.warning) this.events.emit(g.name, 'selection_warning', sel.warning);
    const { site, reason } = sel;
    const targets = [site, ...spec.also_to.filter((s) => s !== site)];
    targets.forEach((target, k) => {
      const name = k === 0 ? g.name : `${g.name}@${target}`;
      const volumes = g.volumes.map((v) => this.volumes[this.volumeIndex(v)]);
      const ctl = new LegControl(this.host); // its host gate disconnects the mode if its pair is torn down
      const ctx: GroupContext = {
        sim: this.sim, name, spec, volumes, source_site: g.source_site, target_site: target,
        link: this.link(g.source_site, target), host: ctl.gate, events: this.events,
        exact: this.opts.exactOracle === true,
      };
      const volumeSet = new Uint8Array(this.volumes.length);
      for (const v of volumes) volumeSet[v.index] = 1;
      const mode = createMode(ctx);
      const localIndex = new Int32Array(this.volumes.length).fill(-1);
      volumes.forEach((v, k) => (localIndex[v.index] = k));
      this.groups.push({
        mode, recorder: new GroupRecorder(name, this.sink), oracle: new DependencyOracle(), localIndex,
        exact: this.opts.exactOracle ? new ExactOracle(volumes.map((v) => v.tracks)) : null,
        latencyIdx: this.host.latencyGroup(volumes.map((v) => v.index)), volumeSet, lastBusy_us: 0,
        failedOver: false, loss: null, rto_us: null, selection_reason: k === 0 ? reason : 'also_to',
        entry: i, live: true, ctl,
      });
    });
  }

  /** Host observer (per write, with dependent workloads): dependent pairs for the oracles. */
  onIssued(w: HostWrite): void {
    const vol = w.volume;
    if (w.depends_on < 0) return;
    for (const g of this.groups) {
      if (g.volumeSet[vol] === 1 && g.volumeSet[w.dep_volume] === 1) {
        g.oracle.record(w.seq, vol, w.track, w.depends_on, w.dep_volume, w.dep_track);
      }
    }
  }

  /** A group's writes and bytes (integers below 2^53: the sums are exact in any order). */
  private groupWrites(g: GroupRun): { writes: number; bytes: number } {
    let writes = 0;
    let bytes = 0;
    for (let v = 0; v < g.volumeSet.length; v++) {
      if (g.volumeSet[v] === 1) {
        writes += this.host.writesOf[v];
        bytes += this.host.bytesOf[v];
      }
    }
    return { writes, bytes };
  }

  private addWorkloads(): void {
    const s = this.scenario;
    const traceDir = s.source_file ? dirname(s.source_file) : process.cwd();
    s.workloads.forEach((w, i) => {
      const names = w.app !== null ? s.apps.find((a) => a.name === w.app)!.volumes : [w.volume!];
      const vols = names.map((n) => this.volumes[this.volumeIndex(n)]);
      const depOn = w.dependent === null ? [] : this.namedVolumes(w.dependent.on).map((v) => v.index);
      this.workloads.push(new Workload(this.sim, this.host, this.streams, i, w, vols, depOn, s.duration_us, traceDir));
    });
  }

  /** An app's volumes, or a volume, by name. */
  private namedVolumes(name: string): Volume[] {
    const app = this.scenario.apps.find((a) => a.name === name);
    const names = app ? app.volumes : [name];
    return names.map((n) => this.volumes[this.volumeIndex(n)]);
  }

  private addFaults(): void {
    this.faults = new FaultInjector(this.sim, this.streams, this.events, {
      links: [...this.links.values()],
      link: (a, b) => this.link(a, b),
      siteLost: (site, what) => this.failover.siteLost(site, what),
    });
    this.faults.addAll(this.scenario.faults);
  }

  /** A site is lost now, as by a site-fail fault: its writes stop; its groups fail over. */
  failSite(site: string): void {
    this.faults.loseSite(site, 'site');
  }

  private sample(): void {
    const now = this.sim.now;
    const every = this.scenario.sample_every_us;
    for (const g of this.groups) {
      if (!g.live) continue;
      const m = g.mode;
      m.gauges(this.gauges);
      const dir = m.ctx.link.from(m.ctx.source_site);
      const busy = dir.busyTime_us(now);
      const util = (busy - g.lastBusy_us) / every;
      g.lastBusy_us = busy;
      this.checkConsistency(g, now);
      g.recorder.sample(now, {
        rpo_us: m.rpo_us(now), ...this.gauges, link_utilization: util, pair_state: m.state(),
      });
    }
  }

  private checkConsistency(g: GroupRun, now: number): void {
    g.oracle.check(g.mode, now);
    const img = g.exact !== null && g.mode.imageVersions ? g.mode.imageVersions() : null;
    if (img) g.exact!.check(img);
  }

  /** Exact oracle: every write of a group goes to its log with its track span. */
  private recordExact(seq: number, vol: number, offset: number, len: number): void {
    const v = this.volumes[vol];
    for (const g of this.groups) {
      const k = g.localIndex[vol];
      if (k >= 0 && g.exact) g.exact.record(seq, k, v.trackOf(offset), v.trackOf(offset + len - 1));
    }
  }

  run(): Summary {
    this.runTo(this.scenario.duration_us);
    return this.summarize();
  }

  /**
   * Same events and rows as run(), but returns to the event loop after each slice of simulated
   * time, so signal handlers (SIGINT: abort the outputs) can run during a long simulation.
   */
  async runSliced(slice_us = Math.max(this.scenario.sample_every_us, 1_000_000)): Promise<Summary> {
    const end = this.scenario.duration_us;
    for (let t = slice_us; t < end; t += slice_us) {
      this.runTo(t);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.runTo(end);
    return this.summarize();
  }

  private summarize(): Summary {
    const now = this.sim.now;
    const groups: GroupSummary[] = this.groups.map((g) => {
      const m = g.mode;
      const rpo = g.recorder.rpoSummary();
      const lat = this.host.latency[g.latencyIdx].summary();
      return {
        group: m.ctx.name,
        mode: m.mode,
        transfer: m.mode === 'journal' ? m.ctx.spec.transfer : null,
        target_site: m.ctx.target_site,
        selection_reason: g.selection_reason,
        volumes: m.ctx.volumes.length,
        writes: this.groupWrites(g).writes,
        bytes_written: this.groupWrites(g).bytes,
        bytes_sent: g.ctl.bytesSent(m),
        rpo_max_s: rpo.max_s,
        rpo_p99_s: rpo.p99_s,
        rpo_mean_s: rpo.mean_s,
        journal_peak_bytes: m.journalPeak_bytes?.() ?? 0,
        secondary_journal_peak_bytes: m.secondaryJournalPeak_bytes?.() ?? 0,
        suspended_s: (m.suspended_us?.(now) ?? 0) / 1e6,
        host_latency_p50_us: lat.p50,
        host_latency_p99_us: lat.p99,
        host_latency_p999_us: lat.p999,
        host_latency_max_us: lat.max,
        consistency_violations: g.oracle.violations,
        recovery_points: g.oracle.checks,
        data_loss_writes: g.loss ? g.loss.writes : null,
        data_loss_bytes: g.loss ? g.loss.bytes : null,
        rto_s: g.rto_us === null ? null : g.rto_us / 1e6,
        extra: {
          rpo_max_at_s: rpo.max_at_s,
          dependent_pairs: g.oracle.pairsSeen,
          write_rate_mean_Bps: m.ctx.volumes.reduce((a, v) => a + this.iostats.mean_Bps(v.index, now), 0),
          write_rate_peak_10s_Bps: m.ctx.volumes.reduce((a, v) => a + this.iostats.peak(v.index), 0),
          exact_checks: g.exact ? g.exact.checks : null,
          exact_violations: g.exact ? g.exact.violations : null,
          first_violation_s: g.oracle.firstViolation_us < 0 ? null : g.oracle.firstViolation_us / 1e6,
          oracle_pairs_dropped: g.oracle.pairsDropped,
          ...m.extra(),
          ...g.ctl.extra(now),
          ...this.recovery.extra(m.ctx.name),
        },
      };
    });
    const failures = objectiveFailures(this.scenario, groups);
    const run: RunSummary = {
      name: this.scenario.name,
      seed: this.seed,
      version: VERSION,
      duration_s: this.scenario.duration_us / 1e6,
      // Queue dispatches, inline arrivals, samples.
      events: this.sim.eventsFired + this.sim.advanced + this.nextSample_us / this.scenario.sample_every_us - 1,
      writes: this.host.writes,
      bytes_written: this.host.bytes,
      objectives_met: failures.length === 0,
      objective_failures: failures,
    };
    return { run, groups };
  }
}

function objectiveFailures(s: Scenario, groups: GroupSummary[]): string[] {
  const out: string[] = [];
  const o = s.objectives;
  for (const g of groups) {
    if (o.rpo_p99_s !== null && g.rpo_p99_s > o.rpo_p99_s) out.push(`${g.group}: rpo_p99_s ${g.rpo_p99_s} > ${o.rpo_p99_s}`);
    if (o.rpo_max_s !== null && g.rpo_max_s > o.rpo_max_s) out.push(`${g.group}: rpo_max_s ${g.rpo_max_s} > ${o.rpo_max_s}`);
    if (o.data_loss_bytes !== null && (g.data_loss_bytes ?? 0) > o.data_loss_bytes) {
      out.push(`${g.group}: data_loss_bytes ${g.data_loss_bytes} > ${o.data_loss_bytes}`);
    }
  }
  return out;
}

/** Sliding window of the IO statistics (seed 000 FIG 7), seconds. */
export const IOSTATS_WINDOW_S = 10;

export function linkKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Runs a resolved scenario; rows go to opts.sink; returns the summary. */
export function runScenario(scenario: Scenario, opts: RunOptions): Summary {
  const seed = opts.seed ?? scenario.seed;
  return new Run(scenario, seed, opts.sink, { exactOracle: opts.exactOracle }).run();
}

/** runScenario that yields to the event loop between slices of simulated time (the CLI uses it). */
export function runScenarioSliced(scenario: Scenario, opts: RunOptions): Promise<Summary> {
  const seed = opts.seed ?? scenario.seed;
  return new Run(scenario, seed, opts.sink, { exactOracle: opts.exactOracle }).runSliced();
}
