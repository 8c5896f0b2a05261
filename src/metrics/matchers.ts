// Test matchers for RPO bounds (DESIGN.md section 6), so an architecture's objective can live in
// another project's vitest suite:
//
//   import { expect } from 'vitest';
//   import { repsimMatchers } from 'repsim/matchers';
//   expect.extend(repsimMatchers);
//   expect(result).toHaveRpoBelow('30s', { percentile: 99 });
//   expect(result).toLoseNoData();
//   expect(result).toStayConsistent();
//
// Failure messages give the measured value, the group, and when the RPO peaked.

import { parseDuration_us } from '../io/scenario/units.js';
import type { GroupSummary, Summary } from './records.js';
import type {} from 'vitest'; // types only: the augmentation below extends vitest's Assertion

interface HasSummary {
  summary: Summary;
}

export interface RpoOptions {
  /** 99 (default), or 100 for the maximum; 'mean' for the mean. */
  percentile?: number | 'mean';
  /** Only this group (default: every group). */
  group?: string;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function groupsOf(received: unknown, group?: string): GroupSummary[] {
  const s = (received as HasSummary)?.summary;
  if (!s || !Array.isArray(s.groups)) throw new Error('expected a repsim simulation result (with .summary.groups)');
  const gs = group === undefined ? s.groups : s.groups.filter((g) => g.group === group);
  if (gs.length === 0) throw new Error(`no group ${group} in the result (groups: ${s.groups.map((g) => g.group).join(', ')})`);
  return gs;
}

function rpoOf(g: GroupSummary, p: number | 'mean'): number {
  if (p === 'mean') return g.rpo_mean_s;
  if (p === 100) return g.rpo_max_s;
  if (p === 99) return g.rpo_p99_s;
  throw new Error(`percentile ${p} is not in the summary (use 99, 100 or 'mean')`);
}

function peak(g: GroupSummary): string {
  const at = g.extra?.rpo_max_at_s;
  return typeof at === 'number' ? `; RPO peaked at ${g.rpo_max_s.toFixed(3)} s at t=${at.toFixed(1)} s` : '';
}

export function toHaveRpoBelow(received: unknown, bound: string | number, opts: RpoOptions = {}): MatcherResult {
  const bound_s = typeof bound === 'number' ? bound : parseDuration_us(bound) / 1e6;
  const p = opts.percentile ?? 99;
  const label = p === 'mean' ? 'mean RPO' : p === 100 ? 'max RPO' : `RPO p${p}`;
  const bad = groupsOf(received, opts.group).filter((g) => !(rpoOf(g, p) < bound_s));
  const all = groupsOf(received, opts.group);
  return {
    pass: bad.length === 0,
    message: () => bad.length > 0
      ? bad.map((g) => `group ${g.group}: ${label} ${rpoOf(g, p).toFixed(3)} s is not below ${bound_s} s${peak(g)}`).join('\n')
      : `expected ${label} not below ${bound_s} s, but every group is (${all.map((g) => `${g.group} ${rpoOf(g, p).toFixed(3)} s`).join(', ')})`,
  };
}

export function toLoseNoData(received: unknown, opts: { group?: string } = {}): MatcherResult {
  const gs = groupsOf(received, opts.group);
  const bad = gs.filter((g) => (g.data_loss_writes ?? 0) > 0 || (g.data_loss_bytes ?? 0) > 0);
  return {
    pass: bad.length === 0,
    message: () => bad.length > 0
      ? bad.map((g) => `group ${g.group}: lost ${g.data_loss_writes} writes (${g.data_loss_bytes} bytes) at failover`).join('\n')
      : 'expected data loss, but no group lost any write',
  };
}

export function toStayConsistent(received: unknown, opts: { group?: string } = {}): MatcherResult {
  const gs = groupsOf(received, opts.group);
  const exactBad = (g: GroupSummary) => typeof g.extra?.exact_violations === 'number' && g.extra.exact_violations > 0;
  const bad = gs.filter((g) => g.consistency_violations > 0 || exactBad(g));
  return {
    pass: bad.length === 0,
    message: () => bad.length > 0
      ? bad.map((g) => `group ${g.group}: ${g.consistency_violations} of ${g.recovery_points} recovery points inconsistent` +
        (exactBad(g) ? ` (exact oracle: ${g.extra.exact_violations} of ${g.extra.exact_checks})` : '') +
        (typeof g.extra?.first_violation_s === 'number' ? `, first at t=${g.extra.first_violation_s} s` : '')).join('\n')
      : 'expected a consistency violation, but every recovery point was consistent',
  };
}

export const repsimMatchers = { toHaveRpoBelow, toLoseNoData, toStayConsistent };

interface RepsimAssertions<R = unknown> {
  toHaveRpoBelow(bound: string | number, opts?: RpoOptions): R;
  toLoseNoData(opts?: { group?: string }): R;
  toStayConsistent(opts?: { group?: string }): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends RepsimAssertions<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends RepsimAssertions {}
}
