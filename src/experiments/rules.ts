// Vendor rules of thumb for replication sizing, computed from the scenario's declared workload,
// so `repsim size` can show where they over- or under-size against the simulation:
//   link bandwidth    = peak write rate x safety factor
//   journal capacity  > (write rate - link rate) x outage or burst length
// They use mean rates and mean burst lengths, as the rules are applied in practice; the
// simulation sees the whole distribution (long bursts, queueing, protocol round trips).
import { resolveGroups } from '../control/groups.js';
import { linkKey } from '../run.js';
import type { ArrivalSpec, Scenario, SizeSpec, WorkloadSpec } from '../scenario/types.js';

export interface GroupLoad {
  group: string;
  source_site: string;
  target_site: string;
  /** Index into scenario.links of the group's link, -1 when none. */
  link_index: number;
  link_bps: number;
  mean_write_Bps: number;
  /** Every workload at its peak at once (bursts assumed to coincide, as the rule does). */
  peak_write_Bps: number;
  /** Longest mean burst (onoff ON period, diurnal burst) in seconds; 0 when none. */
  burst_s: number;
  /** Write rate during that burst, bytes/s. */
  burst_write_Bps: number;
  /** Longest scheduled outage of the group's link (link-down faults), seconds; 0 when none. */
  outage_s: number;
  /** Workloads whose rate could not be read (traces without declared volume rates). */
  unknown: string[];
}

export interface RuleOfThumb {
  /** Which quantity: 'bandwidth_bps' | 'capacity_bytes'. */
  quantity: string;
  value: number | null;
  /** The arithmetic, in words. */
  formula: string;
}

export function meanSize_bytes(s: SizeSpec): number {
  switch (s.dist) {
    case 'fixed': return s.bytes;
    case 'uniform': return (s.min_bytes + s.max_bytes) / 2;
    case 'lognormal': return s.mean_bytes;
    case 'empirical': {
      const w = s.bins.reduce((a, b) => a + b.weight, 0);
      return s.bins.reduce((a, b) => a + b.bytes * b.weight, 0) / w;
    }
  }
}

/** Mean of a 24 h piecewise-linear profile (wrapping from the last point to the first). */
export function profileMean(points: Array<[number, number]>): number {
  if (points.length === 0) return 1;
  const p = [...points].sort((a, b) => a[0] - b[0]);
  const ext = [[p[p.length - 1][0] - 24, p[p.length - 1][1]], ...p, [p[0][0] + 24, p[0][1]]];
  let area = 0;
  for (let i = 1; i < ext.length; i++) {
    const [h0, f0] = ext[i - 1];
    const [h1, f1] = ext[i];
    const a = Math.max(0, Math.min(24, h0));
    const b = Math.max(0, Math.min(24, h1));
    if (b <= a) continue;
    const at = (h: number) => f0 + ((f1 - f0) * (h - h0)) / (h1 - h0);
    area += ((at(a) + at(b)) / 2) * (b - a);
  }
  return area / 24;
}

interface Rates {
  mean_per_s: number;
  peak_per_s: number;
  burst_s: number;
  burst_per_s: number;
}

function arrivalRates(rate: number, a: ArrivalSpec): Rates | null {
  switch (a.kind) {
    case 'constant':
    case 'poisson':
      return { mean_per_s: rate, peak_per_s: rate, burst_s: 0, burst_per_s: rate };
    case 'onoff': {
      const on_s = a.on_mean_us / 1e6;
      const off_s = a.off_mean_us / 1e6;
      const mean = (a.on_rate_per_s * on_s + a.off_rate_per_s * off_s) / (on_s + off_s);
      return { mean_per_s: mean, peak_per_s: a.on_rate_per_s, burst_s: on_s, burst_per_s: a.on_rate_per_s };
    }
    case 'diurnal': {
      const maxF = Math.max(1, ...a.points.map((p) => p[1])) / profileMean(a.points);
      const bursts = a.bursts.length ? a.bursts : [{ at_us: 0, for_us: 0, factor: 1 }];
      const b = bursts.reduce((x, y) => (y.factor * y.for_us > x.factor * x.for_us ? y : x));
      const maxBurst = Math.max(...bursts.map((x) => x.factor));
      return { mean_per_s: rate, peak_per_s: rate * maxF * maxBurst, burst_s: b.for_us / 1e6, burst_per_s: rate * maxF * b.factor };
    }
    case 'trace':
      return null;
  }
}

/** The declared load on each replication group's link. */
export function groupLoads(s: Scenario): GroupLoad[] {
  const groups = resolveGroups(s);
  return s.replication.map((spec, i) => {
    const g = groups[i];
    const target = spec.to !== 'auto' ? spec.to : (spec.candidates.find((c) => s.links.some((l) => linkKey(l.between[0], l.between[1]) === linkKey(g.source_site, c))) ?? '');
    const link_index = s.links.findIndex((l) => linkKey(l.between[0], l.between[1]) === linkKey(g.source_site, target));
    const inGroup = new Set(g.volumes);
    const load: GroupLoad = {
      group: g.name, source_site: g.source_site, target_site: target, link_index,
      link_bps: link_index >= 0 ? s.links[link_index].bandwidth_bps : 0,
      mean_write_Bps: 0, peak_write_Bps: 0, burst_s: 0, burst_write_Bps: 0, outage_s: 0, unknown: [],
    };
    const bursts: Array<{ s: number; extra_Bps: number }> = [];
    s.workloads.forEach((w, k) => addWorkload(s, w, k, inGroup, load, bursts));
    // The longest burst; the other workloads keep their mean rate meanwhile.
    for (const b of bursts) {
      if (b.s > load.burst_s) {
        load.burst_s = b.s;
        load.burst_write_Bps = load.mean_write_Bps + b.extra_Bps;
      }
    }
    for (const f of s.faults) {
      if (f.kind === 'link-down' && link_index >= 0 && linkKey(f.link[0], f.link[1]) === linkKey(g.source_site, target)) {
        load.outage_s = Math.max(load.outage_s, f.down_for_us / 1e6);
      }
    }
    return load;
  });
}

function addWorkload(
  s: Scenario, w: WorkloadSpec, k: number, inGroup: Set<string>, load: GroupLoad, bursts: Array<{ s: number; extra_Bps: number }>,
): void {
  const vols = w.app !== null ? (s.apps.find((a) => a.name === w.app)?.volumes ?? []) : [w.volume!];
  const share = vols.filter((v) => inGroup.has(v)).length / Math.max(1, vols.length); // writes spread over the app's volumes
  if (share === 0) return;
  const r = arrivalRates(w.rate_per_s, w.arrivals);
  if (r === null) {
    const declared = vols.filter((v) => inGroup.has(v)).reduce((a, v) => a + (s.volumes.find((x) => x.name === v)?.write_rate_bytes_per_s ?? 0), 0);
    if (declared > 0) {
      load.mean_write_Bps += declared;
      load.peak_write_Bps += declared;
    } else load.unknown.push(`workloads.${k}`);
    return;
  }
  const size = meanSize_bytes(w.size) * share;
  load.mean_write_Bps += r.mean_per_s * size;
  load.peak_write_Bps += r.peak_per_s * size;
  if (r.burst_s > 0) bursts.push({ s: r.burst_s, extra_Bps: (r.burst_per_s - r.mean_per_s) * size });
}

/** Link bandwidth = peak write rate x safety factor. */
export function bandwidthRule(l: GroupLoad, safety: number): RuleOfThumb {
  const bps = l.peak_write_Bps * 8 * safety;
  return {
    quantity: 'bandwidth_bps',
    value: l.unknown.length ? null : bps,
    formula: `peak write rate ${(l.peak_write_Bps * 8 / 1e6).toFixed(1)} Mbps x safety factor ${safety}`,
  };
}

/** Journal capacity > (write rate - link rate) x outage or burst length: the larger of the two cases. */
export function journalRule(l: GroupLoad): RuleOfThumb {
  const link_Bps = l.link_bps / 8;
  const outage = l.mean_write_Bps * l.outage_s; // the link carries nothing during an outage
  const burst = Math.max(0, l.burst_write_Bps - link_Bps) * l.burst_s;
  const parts = [
    `outage: ${(l.mean_write_Bps / 1e6).toFixed(2)} MB/s x ${l.outage_s} s = ${(outage / 1e6).toFixed(1)} MB`,
    `burst: (${(l.burst_write_Bps / 1e6).toFixed(2)} - ${(link_Bps / 1e6).toFixed(2)}) MB/s x ${l.burst_s} s = ${(burst / 1e6).toFixed(1)} MB`,
  ];
  return { quantity: 'capacity_bytes', value: l.unknown.length ? null : Math.max(outage, burst), formula: parts.join('; ') };
}

/** The rule that matches a sizing path, for the group that path concerns; null when there is none. */
export function ruleFor(s: Scenario, path: string, safety: number): (RuleOfThumb & { group: string }) | null {
  const loads = groupLoads(s);
  const link = /^links\.(\d+)\.bandwidth$/.exec(path);
  if (link) {
    const l = loads.find((x) => x.link_index === Number(link[1]));
    return l ? { group: l.group, ...bandwidthRule(l, safety) } : null;
  }
  const jnl = /^replication\.(\d+)\.journal\.capacity$/.exec(path);
  if (jnl && loads[Number(jnl[1])]) return { group: loads[Number(jnl[1])].group, ...journalRule(loads[Number(jnl[1])]) };
  return null;
}
