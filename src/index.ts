// The library API (DESIGN.md section 6): load a scenario, simulate it, get typed summaries and
// Arrow tables. For notebooks and other projects' tests.
//
//   import { loadScenario, simulate } from 'repsim';
//   const result = await simulate(loadScenario('scenarios/failover.yaml'), { seed: 3 });
//   result.summary.groups[0].rpo_p99_s;
//   result.timeseries;  // an apache-arrow Table

import type { Table } from 'apache-arrow';
import { loadScenarioFile, loadScenarioText, type LoadOptions } from './io/scenario/load.js';
import { ResultsWriter, type OutputFormat } from './io/output/index.js';
import { eventsTable, summaryTable, timeseriesTable } from './io/output/tables.js';
import { resolvedYaml } from './io/scenario/resolved.js';
import type { EventRow, Summary, TimeseriesRow } from './metrics/records.js';
import { MemorySink, type RecordSink } from './metrics/sink.js';
import { runScenario } from './run.js';
import type { Scenario } from './scenario/types.js';
import { VERSION } from './version.js';

export type { Scenario } from './scenario/types.js';
export type { Summary, GroupSummary, RunSummary, TimeseriesRow, EventRow } from './metrics/records.js';
export { ScenarioError, formatScenarioErrors } from './io/scenario/errors.js';
export { VERSION } from './version.js';

/** Loads and validates a scenario file (YAML or JSON); throws ScenarioError on bad input. */
export function loadScenario(path: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioFile(path, opts);
}

/** Parses scenario text (YAML or JSON); `name` is used in messages. */
export function parseScenario(text: string, name = 'scenario.yaml', opts: LoadOptions = {}): Scenario {
  return loadScenarioText(text, name, opts);
}

export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Also write the output folder (DESIGN.md section 5) here. */
  out?: string;
  format?: OutputFormat;
}

export interface SimulationResult {
  summary: Summary;
  /** One row per sample and group. */
  timeseries: Table;
  /** One row per state change. */
  events: Table;
  /** One row per group (summary.arrow's schema). */
  summaryTable: Table;
  /** The same rows as plain objects. */
  rows: { timeseries: TimeseriesRow[]; events: EventRow[] };
}

/**
 * Runs a scenario. Rows are kept in memory (for tests and notebooks); for long runs write an
 * output folder with `out` or use the CLI, which streams them.
 */
export async function simulate(scenario: Scenario, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const seed = opts.seed ?? scenario.seed;
  const mem = new MemorySink();
  let sink: RecordSink = mem;
  let writer: ResultsWriter | null = null;
  if (opts.out !== undefined) {
    writer = await ResultsWriter.open(opts.out, {
      formats: opts.format ?? 'arrow', objective_rpo_s: scenario.objectives.rpo_p99_s, charts: true, report: true,
    });
    const w = writer;
    sink = { timeseries: (r) => (mem.timeseries(r), w.timeseries(r)), event: (e) => (mem.event(e), w.event(e)) };
  }
  let summary: Summary;
  try {
    summary = runScenario(scenario, { seed, sink });
    if (writer) await writer.close(summary, resolvedYaml({ ...scenario, seed }, { version: VERSION, seed }));
  } catch (e) {
    writer?.abort();
    throw e;
  }
  return {
    summary, timeseries: timeseriesTable(mem.rows), events: eventsTable(mem.events), summaryTable: summaryTable(summary),
    rows: { timeseries: mem.rows, events: mem.events },
  };
}

export { timeseriesTable, eventsTable, summaryTable } from './io/output/tables.js';
