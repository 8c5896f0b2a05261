// Failover and re-protection when a site (or its storage system) is lost.
//
// Primary lost (seed 002 FIG 15, Hitachi 3DC): the first leg whose target survived is promoted:
// its target applies what it has received and takes over (RTO = remaining apply + the promotion
// delay); data loss = the primary's writes its image lacks at the failure instant (received
// journal entries count; entries still on the wire do not). The surviving site becomes the new
// primary. Every other surviving leg (a third site that was an extra target, `also_to`) forms a
// new pair with it once it is promoted: by delta resync (only the tracks where the two images
// differ) when both legs are journal pairs and `reprotect: delta`, else by a full initial copy.
// Without such a leg, the next site of the candidate list becomes the new primary's secondary,
// with a full initial copy.
//
// Secondary lost (seed 002 FIG 12): the leg's pair is torn down and the next candidate site
// (linked to the primary, not failed, not already a target of the group) forms a new pair with
// the primary, starting with a full initial copy. If none is left and another leg of the group
// still protects it, the leg records that; otherwise the group stays unprotected.
//
// Figures per leg (summary extra): reprotect_s (new pair created -> protected state),
// reprotect_bytes (what the new pair sent to get there), unprotected_s (protection lost ->
// protected again; to the end of the run if never). Host writes do not move to a promoted site:
// after a primary failure the model measures loss, RTO and re-protection of the surviving image.

import type { Simulator } from '../engine/sim.js';
import type { EventLog } from '../metrics/events.js';
import { Bitmap } from '../model/bitmap.js';
import type { HostIo } from '../model/host.js';
import type { Link } from '../model/link.js';
import { createMode } from '../replication/index.js';
import { JournalMode } from '../replication/journal/mode.js';
import type { JournalPair } from '../replication/journal/pair.js';
import type { GroupContext, ReplicationMode } from '../replication/mode.js';
import type { Scenario } from '../scenario/types.js';
import type { SiteLoss } from './faults.js';
import { HostGate, PairWatchLog, PROTECTED_STATES, type Leg } from './legs.js';

/** What the failover logic needs of the run. */
export interface RunView {
  readonly sim: Simulator;
  readonly events: EventLog;
  readonly scenario: Scenario;
  readonly host: HostIo;
  readonly legs: readonly Leg[];
  /** Sites whose storage (or the whole site) is lost; workloads there stop. */
  readonly failedSites: Set<string>;
  hasLink(a: string, b: string): boolean;
  link(a: string, b: string): Link;
  /** The consistency oracle checks a leg's image now (a recovery point). */
  checkConsistency(leg: Leg, now_us: number): void;
  /** The host writes of a lost site stop (its workload generators end). */
  stopWrites(site: string): void;
}

export class Failover {
  private readonly tasks: Array<() => void> = [];
  private readonly taskKind: number;

  constructor(private readonly run: RunView) {
    this.taskKind = run.sim.register('control task', (i) => this.tasks[i]());
  }

  private later(delay_us: number, task: () => void): void {
    this.tasks.push(task);
    this.run.sim.schedule(delay_us, this.taskKind, this.tasks.length - 1);
  }

  /** A site or its storage system is lost now. */
  siteLost(site: string, _what: SiteLoss): void {
    const run = this.run;
    if (run.failedSites.has(site)) return;
    run.failedSites.add(site);
    run.stopWrites(site);
    const now = run.sim.now;
    const entries = [...new Set(run.legs.map((l) => l.entry))];
    for (const e of entries) {
      const live = run.legs.filter((l) => l.entry === e && l.live);
      if (live.length === 0) continue;
      if (live[0].mode.ctx.source_site === site) this.primaryLost(e, live, site, now);
      else for (const l of live) if (l.mode.ctx.target_site === site) this.targetLost(e, l, site, now);
    }
  }

  private primaryLost(entry: number, live: Leg[], site: string, now: number): void {
    const run = this.run;
    for (const l of live) run.checkConsistency(l, now);
    const promoted = live.find((l) => !run.failedSites.has(l.mode.ctx.target_site));
    if (!promoted) {
      for (const l of live) this.retire(l, `source ${site} lost and no surviving target`, now);
      return;
    }
    promoted.loss = promoted.mode.loss(now);
    promoted.rto_us = promoted.mode.failover(now);
    promoted.failedOver = true;
    const newPrimary = promoted.mode.ctx.target_site;
    const name = promoted.mode.ctx.name;
    run.events.emit(name, 'failover', `${newPrimary} promoted: lost ${promoted.loss.writes} writes (${promoted.loss.bytes} B), RTO ${(promoted.rto_us / 1e6).toFixed(3)} s`);
    const spec = run.scenario.replication[entry];
    // Images are frozen at the failure: differences are taken before anything is torn down.
    const third = live.filter((l) => l !== promoted && !run.failedSites.has(l.mode.ctx.target_site) && run.hasLink(newPrimary, l.mode.ctx.target_site));
    const plans = third.map((l) => ({ leg: l, target: l.mode.ctx.target_site, delta: spec.reprotect === 'delta' ? divergentTracks(promoted.mode, l.mode) : null }));
    for (const l of live) {
      this.retire(l, l === promoted ? `source ${site} lost: promoted` : `source ${site} lost`, now);
      l.ctl.lose(now);
    }
    promoted.ctl.lose(now);
    const rto = promoted.rto_us;
    if (plans.length > 0) {
      promoted.ctl.note = `re-protected by ${plans.map((p) => p.leg.mode.ctx.name).join(', ')}`;
      for (const p of plans) this.later(rto, () => this.startPair(p.leg, newPrimary, p.target, p.delta, `${newPrimary} promoted`));
      // The group is protected again when the first of them is: mirror it on the promoted row.
      this.mirror = this.mirror ?? new Map();
      for (const p of plans) this.mirror.set(p.leg, promoted);
      return;
    }
    const next = this.nextCandidate(entry, newPrimary, [site]);
    if (next === null) {
      promoted.ctl.note = 'no candidate site left: unprotected';
      run.events.emit(name, 'unprotected', `no candidate site linked to ${newPrimary}`);
      return;
    }
    this.later(rto, () => this.startPair(promoted, newPrimary, next, null, `${newPrimary} promoted`));
  }

  /** Legs re-pairing for a promoted leg (3DC): when one is protected, so is the group. */
  private mirror: Map<Leg, Leg> | undefined;

  private targetLost(entry: number, leg: Leg, site: string, now: number): void {
    this.retire(leg, `target ${site} lost`, now);
    leg.ctl.lose(now);
    const source = leg.mode.ctx.source_site;
    const next = this.nextCandidate(entry, source, [site]);
    if (next !== null) {
      this.startPair(leg, source, next, null, `target ${site} lost`);
      return;
    }
    const other = this.run.legs.find((l) => l.entry === entry && l.live && l !== leg);
    if (other) {
      leg.ctl.protectedAgain(now); // the group is still protected: not an unprotected interval
      leg.ctl.note = `protected by ${other.mode.ctx.name}`;
      this.run.events.emit(leg.mode.ctx.name, 'target_lost', `${site} lost; no candidate left, group still protected by ${other.mode.ctx.name}`);
    } else {
      leg.ctl.note = 'no candidate site left: unprotected';
      this.run.events.emit(leg.mode.ctx.name, 'unprotected', `${site} lost and no candidate site linked to ${source}`);
    }
  }

  /** The first candidate (seed 002 FIG 12 list order) linked to `from` that is usable now. */
  private nextCandidate(entry: number, from: string, exclude: string[]): string | null {
    const run = this.run;
    const taken = new Set(run.legs.filter((l) => l.entry === entry && l.live).map((l) => l.mode.ctx.target_site));
    for (const c of run.scenario.replication[entry].candidates) {
      if (c === from || exclude.includes(c) || run.failedSites.has(c) || taken.has(c)) continue;
      if (run.hasLink(from, c)) return c;
    }
    return null;
  }

  /** Tears a leg's pair down: no more writes reach it, transfers stop; its figures stay. */
  private retire(leg: Leg, why: string, _now: number): void {
    if (!leg.live) return;
    const m = leg.mode as ReplicationMode & { halt?: (why: string) => void };
    leg.ctl.gate.close();
    m.halt?.(why);
    leg.ctl.retiredBytes += m.bytesSent();
    leg.ctl.retired = true;
    leg.live = false;
  }

  /** Forms a new pair for `leg` from `source` to `target`: delta resync of `delta`, or a full copy. */
  private startPair(leg: Leg, source: string, target: string, delta: Map<number, Bitmap> | null, why: string): void {
    const run = this.run;
    const now = run.sim.now;
    const old = leg.mode.ctx;
    const ctl = leg.ctl;
    ctl.gate = new HostGate(run.host); // the torn-down mode keeps its closed gate
    ctl.retired = false;
    ctl.newPairAt_us = now;
    ctl.pairedAt_us = -1;
    ctl.reprotectTo = target;
    ctl.method = delta ? 'delta' : 'full';
    const events = new PairWatchLog(run.events, () => this.later(0, () => this.checkProtected(leg, mode)));
    const ctx: GroupContext = {
      sim: run.sim, name: old.name, spec: { ...old.spec, initial_copy: true }, volumes: old.volumes,
      source_site: source, target_site: target, link: run.link(source, target), host: leg.ctl.gate, events,
    };
    const tracks = delta ? [...delta.values()].reduce((a, b) => a + b.count, 0) : 0;
    run.events.emit(old.name, 'reprotect', `${source}->${target} (${why}): ${delta ? `delta resync of ${tracks} tracks` : 'full initial copy'}`);
    const mode: ReplicationMode = delta ? new JournalMode(ctx, delta) : createMode(ctx);
    leg.mode = mode;
    leg.live = true;
    leg.lastBusy_us = ctx.link.from(source).busyTime_us(now);
  }

  private checkProtected(leg: Leg, mode: ReplicationMode): void {
    const ctl = leg.ctl;
    if (leg.mode !== mode || !leg.live || ctl.pairedAt_us >= 0 || !PROTECTED_STATES.has(mode.state())) return;
    const now = this.run.sim.now;
    ctl.paired(now, mode.bytesSent());
    this.run.events.emit(mode.ctx.name, 'reprotected',
      `${mode.ctx.source_site}->${mode.ctx.target_site} protected after ${((now - ctl.newPairAt_us) / 1e6).toFixed(3)} s, ${ctl.reprotectBytes} B sent (${ctl.method})`);
    const promoted = this.mirror?.get(leg);
    if (promoted) {
      promoted.ctl.protectedAgain(now); // the group is protected again (its unprotected_s ends)
      this.mirror!.delete(leg);
    }
  }
}

/** The tracks where the recoverable images of two journal legs of one group differ, or null. */
export function divergentTracks(a: ReplicationMode, b: ReplicationMode): Map<number, Bitmap> | null {
  if (!(a instanceof JournalMode) || !(b instanceof JournalMode) || a.pairs.length !== b.pairs.length) return null;
  // Writes held by inflow control are in no ring: their tracks are unknown here, so copy everything.
  if ([...a.pairs, ...b.pairs].some((p) => p.heldBytes > 0)) return null;
  const host = a.ctx.host;
  const out = new Map<number, Bitmap>();
  for (const v of a.ctx.volumes) out.set(v.index, new Bitmap(v.tracks));
  const mark = (p: JournalPair, from: number, maxSeq: number): void => {
    const r = p.ring;
    for (let k = from; k < r.in && r.seq(k) <= maxSeq; k++) {
      const vol = host.volumes[r.vol(k)];
      const last = Math.min(vol.tracks - 1, vol.trackOf(r.offset(k) + r.len(k) - 1));
      const bm = out.get(vol.index)!;
      for (let t = vol.trackOf(r.offset(k)); t <= last; t++) bm.set(t);
    }
  };
  const steady = (p: JournalPair): boolean => p.state === 'PAIR' || p.state === 'PFUL';
  for (let i = 0; i < a.pairs.length; i++) {
    const pa = a.pairs[i];
    const pb = b.pairs[i];
    if (steady(pa) && steady(pb)) {
      // Both images are prefixes of the primary's write order: they differ by the writes between.
      const lag = pa.imageSeq() <= pb.imageSeq() ? pa : pb;
      mark(lag, lag.ring.received, Math.max(pa.imageSeq(), pb.imageSeq()));
    } else {
      // A suspended or copying image: everything either one may lack (conservative).
      for (const p of [pa, pb]) {
        p.volumes.forEach((v, l) => out.get(v)!.orFrom(p.diff[l]));
        mark(p, p.ring.received, Infinity);
      }
    }
  }
  return out;
}
