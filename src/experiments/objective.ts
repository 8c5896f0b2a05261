// Objectives for sizing: "rpo_p99_s<=30", "suspended_s==0", "data_loss_bytes<1e6", checked on
// every replication group of a run (or one named group).
import { CliError, EXIT_BAD_INPUT } from '../cli/errors.js';
import type { GroupSummary, Summary } from '../metrics/records.js';

export type Op = '<=' | '<' | '>=' | '>' | '==';

export interface Objective {
  metric: string;
  op: Op;
  value: number;
  text: string;
}

const NUMERIC_METRICS = [
  'writes', 'bytes_written', 'bytes_sent', 'rpo_max_s', 'rpo_p99_s', 'rpo_mean_s', 'journal_peak_bytes',
  'secondary_journal_peak_bytes', 'suspended_s', 'host_latency_p50_us', 'host_latency_p99_us', 'host_latency_p999_us',
  'host_latency_max_us', 'consistency_violations', 'data_loss_writes', 'data_loss_bytes', 'rto_s',
];

export function parseObjective(text: string): Objective {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|==|<|>)\s*(-?[0-9.]+(?:e[+-]?\d+)?)\s*$/i.exec(text);
  if (!m || !Number.isFinite(Number(m[3]))) {
    throw new CliError(EXIT_BAD_INPUT, `--objective ${text}: expected metric<=number, e.g. 'rpo_p99_s<=30' (operators <= < >= > ==)`);
  }
  const metric = m[1];
  if (!NUMERIC_METRICS.includes(metric) && !metric.startsWith('extra.')) {
    throw new CliError(EXIT_BAD_INPUT, `--objective ${text}: unknown metric "${metric}" (one of ${NUMERIC_METRICS.join(', ')}, or extra.<key>)`);
  }
  return { metric, op: m[2] as Op, value: Number(m[3]), text: `${metric}${m[2]}${m[3]}` };
}

/** The metric's value for a group; null counts as 0 (no failure: no loss, no RTO). */
export function metricValue(g: GroupSummary, metric: string): number {
  const v = metric.startsWith('extra.') ? g.extra?.[metric.slice(6)] : (g as unknown as Record<string, unknown>)[metric];
  if (v === null || v === undefined) return 0;
  if (typeof v !== 'number') throw new CliError(EXIT_BAD_INPUT, `metric ${metric} is not a number (${JSON.stringify(v)})`);
  return v;
}

export function holds(o: Objective, v: number): boolean {
  switch (o.op) {
    case '<=': return v <= o.value;
    case '<': return v < o.value;
    case '>=': return v >= o.value;
    case '>': return v > o.value;
    case '==': return v === o.value;
  }
}

/** Groups the objectives apply to: every group, or the one named. */
export function groupsOf(s: Summary, group: string | null): GroupSummary[] {
  if (group === null) return s.groups;
  const g = s.groups.filter((x) => x.group === group);
  if (g.length === 0) throw new CliError(EXIT_BAD_INPUT, `--group ${group}: no such group (have ${s.groups.map((x) => x.group).join(', ')})`);
  return g;
}

/** A run meets the objectives when every objective holds on every selected group. */
export function runMeets(s: Summary, objectives: Objective[], group: string | null): boolean {
  return groupsOf(s, group).every((g) => objectives.every((o) => holds(o, metricValue(g, o.metric))));
}

/** The least favourable value of the objective's metric over runs and groups. */
export function worstValue(summaries: Summary[], o: Objective, group: string | null): number {
  const vals = summaries.flatMap((s) => groupsOf(s, group).map((g) => metricValue(g, o.metric)));
  return o.op === '>=' || o.op === '>' ? Math.min(...vals) : Math.max(...vals);
}
