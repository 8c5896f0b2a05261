// report.html: one self-contained file with the run's summary table and interactive charts.
// vega-embed, vega and vega-lite are inlined as one pre-built bundle (scripts/bundle-report.mjs)
// and the chart data are inlined in the specs, so opening the file needs no network.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GroupSummary, Summary } from '../../metrics/records.js';
import type { VlSpec } from '../charts/specs.js';

/** The package root: the nearest folder above this module with repsim's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'repsim') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('repsim package root not found');
    dir = up;
  }
}

let cachedBundle: string | undefined;

/** The vega-embed bundle: dist/report-bundle.js, or built on the fly when absent (from source). */
export async function loadReportBundle(): Promise<string> {
  if (cachedBundle !== undefined) return cachedBundle;
  const root = packageRoot();
  const built = join(root, 'dist', 'report-bundle.js');
  if (existsSync(built)) {
    cachedBundle = readFileSync(built, 'utf8');
  } else {
    const script = join(root, 'scripts', 'bundle-report.mjs');
    const mod = (await import(pathToFileURL(script).href)) as { bundleReport(): Promise<string> };
    cachedBundle = await mod.bundleReport();
  }
  return cachedBundle;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON safe inside <script>: no '<' can close the element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));

const formats = new Map<number, Intl.NumberFormat>();
/** Grouped thousands and a fixed number of decimals (en-US, so the file is the same everywhere). */
function num(v: number | null, digits: number): string {
  if (v === null) return '–';
  let f = formats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(digits, f);
  }
  return f.format(v);
}

const MB = 1e6;

interface Column {
  head: string;
  title: string;
  cell: (g: GroupSummary) => string;
}

const COLUMNS: Column[] = [
  { head: 'group', title: 'replication group', cell: (g) => esc(g.group) },
  { head: 'mode', title: 'replication mode / transfer', cell: (g) => esc(g.transfer ? `${g.mode}/${g.transfer}` : g.mode) },
  { head: 'target', title: 'target site (hover for the selection reason)', cell: (g) => `<span title="${esc(g.selection_reason)}">${esc(g.target_site)}</span>` },
  { head: 'writes', title: 'host writes', cell: (g) => num(g.writes, 0) },
  { head: 'MB written', title: 'bytes written by hosts / 1e6', cell: (g) => num(g.bytes_written / MB, 1) },
  { head: 'MB sent', title: 'bytes sent over the link / 1e6', cell: (g) => num(g.bytes_sent / MB, 1) },
  { head: 'RPO p99 s', title: '99th percentile of sampled RPO', cell: (g) => num(g.rpo_p99_s, 3) },
  { head: 'RPO max s', title: 'maximum sampled RPO', cell: (g) => num(g.rpo_max_s, 3) },
  { head: 'RPO mean s', title: 'time-average RPO', cell: (g) => num(g.rpo_mean_s, 3) },
  { head: 'journal peak MB', title: 'peak primary journal bytes / 1e6', cell: (g) => num(g.journal_peak_bytes / MB, 1) },
  { head: 'suspended s', title: 'time the pair spent suspended', cell: (g) => num(g.suspended_s, 1) },
  { head: 'host p99 µs', title: '99th percentile host write latency', cell: (g) => num(g.host_latency_p99_us, 0) },
  { head: 'violations', title: 'consistency violations found by the oracle', cell: (g) => num(g.consistency_violations, 0) },
  { head: 'recovery points', title: 'recovery points created', cell: (g) => num(g.recovery_points, 0) },
  { head: 'loss writes', title: 'writes lost at the failure', cell: (g) => num(g.data_loss_writes, 0) },
  { head: 'loss MB', title: 'bytes lost at the failure / 1e6', cell: (g) => (g.data_loss_bytes === null ? '–' : num(g.data_loss_bytes / MB, 3)) },
  { head: 'RTO s', title: 'time from failure until the target serves', cell: (g) => num(g.rto_s, 3) },
];

function summaryTable(groups: GroupSummary[]): string {
  const head = COLUMNS.map((c) => `<th title="${esc(c.title)}">${esc(c.head)}</th>`).join('');
  const rows = groups.map((g) => `<tr>${COLUMNS.map((c, i) => `<td${i < 3 ? ' class="l"' : ''}>${c.cell(g)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="summary"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function extraTable(groups: GroupSummary[]): string {
  const keys = [...new Set(groups.flatMap((g) => Object.keys(g.extra)))].sort();
  if (keys.length === 0) return '';
  const head = `<th>group</th>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}`;
  const rows = groups
    .map((g) => `<tr><td class="l">${esc(g.group)}</td>${keys.map((k) => {
      const v = g.extra[k];
      return `<td>${v === undefined || v === null ? '–' : typeof v === 'number' ? num(v, Number.isInteger(v) ? 0 : 3) : esc(v)}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  return `<h2>Mode-specific figures</h2><div class="scroll"><table class="summary"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

const STYLE = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
.meta{color:#555;font-size:13px;margin-bottom:12px}
.ok{color:#1a7f37;font-weight:bold}.missed{color:#c62828;font-weight:bold}
table.summary{border-collapse:collapse;font-size:12px}
table.summary th,table.summary td{border:1px solid #ddd;padding:4px 8px;text-align:right;white-space:nowrap}
table.summary th{background:#f4f4f4}table.summary td.l{text-align:left}
.chart{margin:12px 0 24px}.scroll{overflow-x:auto}
`;

export interface ReportInput {
  summary: Summary;
  /** Chart name -> Vega-Lite spec, in display order. */
  charts: Record<string, VlSpec>;
}

export function buildReportHtml(input: ReportInput, bundle: string): string {
  const { run, groups } = input.summary;
  const objectives = run.objectives_met
    ? '<span class="ok">objectives met</span>'
    : `<span class="missed">objectives missed</span>: ${run.objective_failures.map(esc).join('; ')}`;
  const names = Object.keys(input.charts);
  const charts = names.map((n) => `<div class="chart" id="chart-${esc(n)}" data-chart="${esc(n)}"></div>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>repsim: ${esc(run.name)} (seed ${run.seed})</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(run.name)}</h1>
<div class="meta">seed ${run.seed} · repsim ${esc(run.version)} · ${num(run.duration_s, Number.isInteger(run.duration_s) ? 0 : 3)} s simulated · ${num(run.writes, 0)} writes · ${num(run.events, 0)} events · ${objectives}</div>
<h2>Summary per replication group</h2>
${summaryTable(groups)}
${extraTable(groups)}
<h2>Charts</h2>
${charts}
<script>${bundle}</script>
<script>
const specs = ${scriptJson(input.charts)};
const opts = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
Promise.all(Object.keys(specs).map((name) => vegaEmbed('#chart-' + name, specs[name], opts)))
  .then(() => { document.body.dataset.charts = 'ready'; })
  .catch((err) => { document.body.dataset.charts = 'error'; document.body.dataset.chartError = String(err); });
</script>
</body>
</html>
`;
}

export async function renderReportHtml(input: ReportInput): Promise<string> {
  return buildReportHtml(input, await loadReportBundle());
}
