// The run's output folder (DESIGN.md section 5): streams time series and events into Arrow
// files as the run goes, and at close writes the summary, the resolved scenario, optional
// Parquet copies, charts and the HTML report, then renames everything into place at once.
// Nothing appears under its final name until close() succeeds; abort() removes every temp.
import type { EventRow, Summary, TimeseriesRow } from '../../metrics/records.js';
import type { RecordSink } from '../../metrics/sink.js';
import { ChartSampler } from '../charts/sampler.js';
import { buildChartSpecs, CHART_NAMES, specJson, type ChartName, type VlSpec } from '../charts/specs.js';
import { ArrowTableWriter } from './arrow-writer.js';
import { OutputDir } from './outdir.js';
import { arrowFileToParquet } from './parquet.js';
import { eventColumns, flattenSummary, summaryJson, timeseriesColumns, type KnownStrings } from './schemas.js';
import { summaryMetadata } from './tables.js';

export type OutputFormat = 'arrow' | 'parquet' | 'both';

/** Every file a run may write: those this run did not write are removed from a reused folder. */
const KNOWN_OUTPUTS = [
  'scenario.resolved.yaml', 'summary.json', 'report.html',
  ...['summary', 'timeseries', 'events'].flatMap((t) => [`${t}.arrow`, `${t}.parquet`]),
  ...CHART_NAMES.flatMap((n) => ['vl.json', 'svg', 'png'].map((ext) => `charts/${n}.${ext}`)),
];

export interface ResultsOptions {
  formats: OutputFormat;
  /** The scenario's rpo_p99_s objective (a rule on the RPO charts); null when none. */
  objective_rpo_s: number | null;
  /** Write charts/*.vl.json, *.svg, *.png. */
  charts: boolean;
  /** Write report.html. */
  report: boolean;
  /** Rows per Arrow RecordBatch / Parquet row group (default 8192). */
  batch_rows?: number;
  /** Bound on the chart copy of each group's series (default 2000 points). */
  chart_points_per_group?: number;
  /** PNG scale factor relative to the SVG (default 2). */
  png_scale?: number;
  /** Group names and event kinds known before the run: seeds the string dictionaries so
   * the Arrow files need no delta dictionaries (any reader opens them). Optional. */
  known?: KnownStrings;
}

export class ResultsWriter implements RecordSink {
  private readonly out: OutputDir;
  private readonly ts: ArrowTableWriter<TimeseriesRow>;
  private readonly ev: ArrowTableWriter<EventRow>;
  private readonly sampler: ChartSampler | null;
  private done = false;

  private constructor(dir: string, private readonly opts: ResultsOptions) {
    this.out = new OutputDir(dir);
    const batch_rows = opts.batch_rows;
    try {
      this.ts = new ArrowTableWriter(this.out.tempPath('timeseries.arrow'), timeseriesColumns(opts.known), { batch_rows });
      this.ev = new ArrowTableWriter(this.out.tempPath('events.arrow'), eventColumns(opts.known), { batch_rows });
    } catch (err) {
      this.out.abort();
      throw err;
    }
    this.sampler = opts.charts || opts.report ? new ChartSampler(opts.chart_points_per_group ?? 2000) : null;
  }

  static async open(dir: string, opts: ResultsOptions): Promise<ResultsWriter> {
    return new ResultsWriter(dir, opts);
  }

  get dir(): string {
    return this.out.dir;
  }

  timeseries(row: TimeseriesRow): void {
    this.ts.append(row);
    this.sampler?.timeseries(row);
  }

  event(row: EventRow): void {
    this.ev.append(row);
    this.sampler?.event(row);
  }

  /** Finishes every file and renames them into place; on failure removes them and rethrows. */
  async close(summary: Summary, resolvedYaml: string): Promise<void> {
    if (this.done) throw new Error(`results in ${this.out.dir} already closed`);
    try {
      this.ts.close();
      this.ev.close();
      this.out.writeFile('scenario.resolved.yaml', resolvedYaml);
      this.writeSummaryArrow(summary);
      await this.writeParquet();
      const specs = this.sampler ? buildChartSpecs(this.sampler.data(), { objective_rpo_s: this.opts.objective_rpo_s }) : null;
      if (specs && this.opts.charts) await this.writeCharts(specs);
      if (specs && this.opts.report) {
        const { renderReportHtml } = await import('../report/report.js'); // lazy: vega is heavy
        this.out.writeFile('report.html', await renderReportHtml({ summary, charts: specs }));
      }
      // Written last and renamed last: its presence means the folder is complete.
      this.out.writeFile('summary.json', summaryJson(summary));
      this.out.commit(KNOWN_OUTPUTS);
      this.done = true;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  /** Removes every temporary file; safe to call at any time (SIGINT, exceptions). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.ts.abort();
    this.ev.abort();
    this.out.abort();
  }

  private writeSummaryArrow(summary: Summary): void {
    const flat = flattenSummary(summary.groups);
    const w = new ArrowTableWriter(this.out.tempPath('summary.arrow'), flat.columns, { metadata: summaryMetadata(summary) });
    for (const row of flat.rows) w.append(row);
    w.close();
  }

  private async writeParquet(): Promise<void> {
    if (this.opts.formats === 'arrow') return;
    for (const table of ['timeseries', 'events', 'summary']) {
      await arrowFileToParquet(this.out.tempPath(`${table}.arrow`), this.out.tempPath(`${table}.parquet`));
      if (this.opts.formats === 'parquet') this.out.discard(`${table}.arrow`);
    }
  }

  private async writeCharts(specs: Record<ChartName, VlSpec>): Promise<void> {
    const { renderChart } = await import('../charts/render.js'); // lazy: vega and resvg are heavy
    for (const [name, spec] of Object.entries(specs)) {
      const chart = await renderChart(name, spec, { scale: this.opts.png_scale ?? 2 });
      this.out.writeFile(`charts/${name}.vl.json`, specJson(spec));
      this.out.writeFile(`charts/${name}.svg`, chart.svg);
      this.out.writeFile(`charts/${name}.png`, chart.png);
    }
  }
}
