// Destination selection (seed 000 FIG 13): sum the IO statistics (write throughput) of the
// group's volumes and compare the sum with the bandwidth of the link to each candidate site.
// A site "carries" the group when its link bandwidth is larger than the sum (step 1310).
//
// Policies, all over the candidate sites linked to the group's source:
//   first-fit     the first site that carries the load, in the scenario's link-table order
//                 (seed 000 FIG 4 is that table);
//   max-headroom  the site with the most bandwidth left over;
//   min-latency   the nearest (lowest latency) site that carries the load;
//   priority      the first site that carries the load in the `candidates` order (seed 002
//                 FIG 12: a user-defined preference list).
// When no site carries the load, every policy takes the largest bandwidth and reports a warning.
//
// The IO statistics of a volume are its declared `write_rate` (seed 000 FIG 7); a volume
// without one is measured: the scenario's workloads alone are simulated over the warm-up window
// (at most the run's duration; same seed and stream names as the run, so the measured writes are
// the run's first writes).

import { dirname } from 'node:path';
import { Streams } from '../engine/random.js';
import { Simulator } from '../engine/sim.js';
import { HostIo } from '../model/host.js';
import { Volume } from '../model/volume.js';
import { Workload } from '../model/workload.js';
import type { LinkSpec, ReplicationSpec, Scenario, SelectionPolicy } from '../scenario/types.js';
import type { ResolvedGroup } from './groups.js';

export interface SiteOption {
  site: string;
  bandwidth_bps: number;
  latency_us: number;
}

export interface Choice {
  site: string;
  /** False when no candidate's bandwidth exceeds the load (the largest was taken). */
  sufficient: boolean;
  reason: string;
}

export interface Selection extends Choice {
  load_bps: number;
  /** How the load was obtained: declared write rates, measured, or both. */
  load_source: 'declared' | 'measured' | 'declared+measured';
  /** A warning for the event log, or null. */
  warning: string | null;
}

export function formatMbps(bps: number): string {
  return `${(bps / 1e6).toFixed(1)} Mbps`;
}

/**
 * Applies a policy to sites given in the policy's scan order (links order for first-fit,
 * candidates order for priority; ties in the other policies go to the earlier site).
 */
export function choose(policy: SelectionPolicy, load_bps: number, sites: readonly SiteOption[]): Choice {
  if (sites.length === 0) throw new Error('destination selection: no candidate site');
  const fits = sites.filter((s) => s.bandwidth_bps > load_bps);
  const load = formatMbps(load_bps);
  if (fits.length === 0) {
    const best = sites.reduce((a, b) => (b.bandwidth_bps > a.bandwidth_bps ? b : a));
    return {
      site: best.site,
      sufficient: false,
      reason: `no site carries ${load}: largest bandwidth ${best.site} (${formatMbps(best.bandwidth_bps)})`,
    };
  }
  let pick: SiteOption;
  let why: string;
  switch (policy) {
    case 'first-fit':
    case 'priority':
      pick = fits[0];
      why = policy === 'first-fit' ? 'first in the link table' : 'first in the candidate list';
      break;
    case 'max-headroom':
      pick = fits.reduce((a, b) => (b.bandwidth_bps > a.bandwidth_bps ? b : a));
      why = `headroom ${formatMbps(pick.bandwidth_bps - load_bps)}`;
      break;
    case 'min-latency':
      pick = fits.reduce((a, b) => (b.latency_us < a.latency_us ? b : a));
      why = `nearest, latency ${pick.latency_us / 1000} ms`;
      break;
  }
  return { site: pick.site, sufficient: true, reason: `${policy}: ${pick.site} ${formatMbps(pick.bandwidth_bps)} > ${load} (${why})` };
}

/** Candidate sites linked to `source`, in the scan order of the policy. */
export function siteOptions(links: readonly LinkSpec[], source: string, spec: ReplicationSpec): SiteOption[] {
  const linkTo = (site: string): LinkSpec | undefined =>
    links.find((l) => (l.between[0] === source && l.between[1] === site) || (l.between[1] === source && l.between[0] === site));
  const eligible = new Set(spec.candidates);
  const order = spec.selection === 'priority'
    ? spec.candidates
    : links.map((l) => (l.between[0] === source ? l.between[1] : l.between[1] === source ? l.between[0] : '')).filter((s) => eligible.has(s));
  const out: SiteOption[] = [];
  for (const site of order) {
    const l = linkTo(site);
    if (l && site !== source && !out.some((o) => o.site === site)) out.push({ site, bandwidth_bps: l.bandwidth_bps, latency_us: l.latency_us });
  }
  return out;
}

/** Bytes per second written to each volume over the first `window_us` of the run (workloads only). */
export function measureWriteRates(scenario: Scenario, seed: number, window_us: number): number[] {
  const sim = new Simulator();
  const streams = new Streams(seed);
  const volumes = scenario.volumes.map((v, i) => Volume.fromSpec(i, v));
  const index = new Map(volumes.map((v) => [v.name, v.index]));
  const host = new HostIo(sim, volumes, scenario.host.service_time_us);
  const named = (name: string): number[] => (scenario.apps.find((a) => a.name === name)?.volumes ?? [name]).map((n) => index.get(n)!);
  const traceDir = scenario.source_file ? dirname(scenario.source_file) : process.cwd();
  scenario.workloads.forEach((w, i) => {
    const vols = named(w.app ?? w.volume!).map((k) => volumes[k]);
    const depOn = w.dependent === null ? [] : named(w.dependent.on);
    new Workload(sim, host, streams, i, w, vols, depOn, window_us, traceDir);
  });
  sim.run(window_us);
  return Array.from(host.bytesOf, (b) => (b * 1e6) / window_us);
}

/** The target of replication entry `i`: the configured site, or destination selection for `to: auto`. */
export function selectTarget(scenario: Scenario, i: number, group: ResolvedGroup, seed: number): Selection {
  const spec = scenario.replication[i];
  if (spec.to !== 'auto') {
    return { site: spec.to, sufficient: true, reason: 'configured', load_bps: 0, load_source: 'declared', warning: null };
  }
  const vols = group.volumes.map((n) => scenario.volumes.find((v) => v.name === n)!);
  const undeclared = vols.filter((v) => !(v.write_rate_bytes_per_s > 0));
  // A window longer than the run would measure writes the run never issues.
  const window_us = Math.min(spec.selection_warmup_us, scenario.duration_us);
  const measured = undeclared.length > 0 ? measureWriteRates(scenario, seed, window_us) : [];
  const rate_Bps = vols.reduce((sum, v) => sum + (v.write_rate_bytes_per_s > 0
    ? v.write_rate_bytes_per_s
    : measured[scenario.volumes.indexOf(v)]), 0);
  const load_bps = rate_Bps * 8;
  const load_source = undeclared.length === 0 ? 'declared' : undeclared.length === vols.length ? 'measured' : 'declared+measured';
  const choice = choose(spec.selection, load_bps, siteOptions(scenario.links, group.source_site, spec));
  const how = load_source === 'declared' ? 'sum of declared write rates'
    : `${load_source === 'measured' ? '' : 'declared + '}measured over ${window_us / 1e6} s`;
  const reason = `${choice.reason}; load ${formatMbps(load_bps)} = ${how} of ${group.volumes.join(', ')}`;
  const warning = choice.sufficient ? null
    : `group ${group.name}: no candidate link exceeds the load of ${formatMbps(load_bps)}; chose ${choice.site}, the largest bandwidth (the journal will grow)`;
  return { ...choice, reason, load_bps, load_source, warning };
}
