// The terminal summary: one aligned row per replication group, numbers right-aligned.
import type { GroupSummary, Summary } from '../../metrics/records.js';

const MB = 1e6;

function fixed(v: number | null, digits: number): string {
  return v === null ? '-' : v.toFixed(digits);
}

interface Col {
  head: string;
  left?: boolean;
  cell: (g: GroupSummary) => string;
}

const COLS: Col[] = [
  { head: 'group', left: true, cell: (g) => g.group },
  { head: 'mode', left: true, cell: (g) => (g.transfer ? `${g.mode}/${g.transfer}` : g.mode) },
  { head: 'target', left: true, cell: (g) => g.target_site },
  { head: 'writes', cell: (g) => String(g.writes) },
  { head: 'MB written', cell: (g) => fixed(g.bytes_written / MB, 1) },
  { head: 'MB sent', cell: (g) => fixed(g.bytes_sent / MB, 1) },
  { head: 'RPO p99 s', cell: (g) => fixed(g.rpo_p99_s, 3) },
  { head: 'RPO max s', cell: (g) => fixed(g.rpo_max_s, 3) },
  { head: 'jnl peak MB', cell: (g) => fixed(g.journal_peak_bytes / MB, 1) },
  { head: 'susp s', cell: (g) => fixed(g.suspended_s, 1) },
  { head: 'host p99 us', cell: (g) => fixed(g.host_latency_p99_us, 0) },
  { head: 'viol', cell: (g) => String(g.consistency_violations) },
  { head: 'loss wr', cell: (g) => (g.data_loss_writes === null ? '-' : String(g.data_loss_writes)) },
  { head: 'loss MB', cell: (g) => (g.data_loss_bytes === null ? '-' : fixed(g.data_loss_bytes / MB, 3)) },
  { head: 'RTO s', cell: (g) => fixed(g.rto_s, 3) },
];

/** A compact table of the groups, then one line on the objectives; no trailing newline. */
export function formatSummaryTable(summary: Summary): string {
  const rows = [COLS.map((c) => c.head), ...summary.groups.map((g) => COLS.map((c) => c.cell(g)))];
  const widths = COLS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    r.map((s, i) => (COLS[i].left ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const { run } = summary;
  const verdict = run.objectives_met ? 'objectives: met' : `objectives: MISSED (${run.objective_failures.join('; ')})`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line), '', `${run.name} seed ${run.seed}: ${run.duration_s} s simulated, ${run.writes} writes; ${verdict}`].join('\n');
}
