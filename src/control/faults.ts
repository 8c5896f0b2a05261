// Fault injection: link outages and bandwidth degradation, site and storage-system failures, at
// fixed times or (random-link) drawn from exponential times between failures (mean mtbf) and
// repair times (mean mttr) on the fault's own random stream `faults.<index>`, so the draws do
// not depend on anything else in the run.
//
// A link is down while any cause holds it down (an outage, a random failure, a failed site):
// overlapping outages do not bring it up early. A failed site takes its links down for good; a
// failed storage system leaves them up. What a lost site means for replication pairs is the
// failover module's business (src/control/failover.ts).

import { exponential } from '../engine/distributions.js';
import type { Streams } from '../engine/random.js';
import type { Simulator } from '../engine/sim.js';
import type { EventLog } from '../metrics/events.js';
import type { Link } from '../model/link.js';
import type { FaultSpec } from '../scenario/types.js';

export type SiteLoss = 'site' | 'storage';

export interface FaultTargets {
  /** All links of the run, in scenario order. */
  links: readonly Link[];
  link(a: string, b: string): Link;
  /** A site (or its storage system) is lost at the current time. */
  siteLost(site: string, what: SiteLoss): void;
}

export class FaultInjector {
  /** Causes holding each link down. */
  private readonly downCount = new Map<Link, number>();
  private readonly lostSites = new Set<string>();

  constructor(
    private readonly sim: Simulator,
    private readonly streams: Streams,
    private readonly events: EventLog,
    private readonly targets: FaultTargets,
  ) {}

  /** Schedules every fault of the scenario; index i of a random fault names its stream. */
  addAll(faults: readonly FaultSpec[]): void {
    faults.forEach((f, i) => this.add(f, i));
  }

  add(f: FaultSpec, index: number): void {
    const sim = this.sim;
    switch (f.kind) {
      case 'link-down': {
        const l = this.targets.link(f.link[0], f.link[1]);
        const up = sim.register(`fault ${index} link-up`, () => this.linkUp(l, 'outage over'));
        sim.at(f.at_us, sim.register(`fault ${index} link-down`, () => {
          this.linkDown(l, `outage for ${f.down_for_us / 1e6} s`);
          sim.schedule(f.down_for_us, up);
        }));
        return;
      }
      case 'link-degrade': {
        const l = this.targets.link(f.link[0], f.link[1]);
        let before = 0;
        const restore = sim.register(`fault ${index} link-restore`, () => {
          l.setBandwidth(before);
          this.events.emit('*', 'link_restored', `${l.a}<->${l.b} back to ${before} bps`);
        });
        sim.at(f.at_us, sim.register(`fault ${index} link-degrade`, () => {
          before = l.bandwidth_bps;
          l.setBandwidth(f.bandwidth_bps);
          this.events.emit('*', 'link_degraded', `${l.a}<->${l.b} from ${before} to ${f.bandwidth_bps} bps for ${f.for_us / 1e6} s`);
          sim.schedule(f.for_us, restore);
        }));
        return;
      }
      case 'site-fail':
      case 'storage-fail': {
        const what: SiteLoss = f.kind === 'site-fail' ? 'site' : 'storage';
        sim.at(f.at_us, sim.register(`fault ${index} ${what} ${f.site}`, () => this.loseSite(f.site, what)));
        return;
      }
      case 'random-link':
        this.addRandomLink(f, index);
        return;
    }
  }

  private addRandomLink(f: Extract<FaultSpec, { kind: 'random-link' }>, index: number): void {
    const sim = this.sim;
    const rng = this.streams.stream(`faults.${index}`);
    const l = this.targets.link(f.link[0], f.link[1]);
    // Whole microseconds, at least 1, so a failure and its repair never share an instant.
    const draw = (mean_us: number): number => Math.max(1, Math.round(exponential(rng, 1 / mean_us)));
    const fail: number = sim.register(`fault ${index} random link-down`, () => {
      const repair_us = draw(f.mttr_us);
      this.linkDown(l, `random failure, repair in ${repair_us / 1e6} s`);
      sim.schedule(repair_us, repaired);
    });
    const repaired: number = sim.register(`fault ${index} random link-up`, () => {
      this.linkUp(l, 'repaired');
      sim.schedule(draw(f.mtbf_us), fail);
    });
    sim.schedule(draw(f.mtbf_us), fail);
  }

  private linkDown(l: Link, why: string): void {
    const n = this.downCount.get(l) ?? 0;
    this.downCount.set(l, n + 1);
    if (n === 0) {
      l.down();
      this.events.emit('*', 'link_down', `${l.a}<->${l.b} (${why})`);
    }
  }

  private linkUp(l: Link, why: string): void {
    const n = this.downCount.get(l) ?? 0;
    if (n <= 0) throw new Error(`link ${l.a}<->${l.b} brought up more often than down`);
    this.downCount.set(l, n - 1);
    if (n === 1) {
      l.up();
      this.events.emit('*', 'link_up', `${l.a}<->${l.b} (${why})`);
    }
  }

  /** A site or its storage fails (once); a failed site's links stay down for the rest of the run. */
  loseSite(site: string, what: SiteLoss): void {
    const key = `${what}\u0000${site}`;
    if (this.lostSites.has(key)) return;
    this.lostSites.add(key);
    this.events.emit('*', what === 'site' ? 'site_failed' : 'storage_failed', site);
    if (what === 'site') {
      for (const l of this.targets.links) if (l.a === site || l.b === site) this.linkDown(l, `site ${site} failed`);
    }
    this.targets.siteLost(site, what); // idempotent there: a site whose storage failed is already lost
  }
}
