// Test helpers: build a scenario from YAML text and run it in memory, keeping the Run for
// inspection of model internals.
import { loadScenarioText } from '../../src/io/scenario/load.js';
import type { Summary } from '../../src/metrics/records.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { Run } from '../../src/run.js';
import type { Scenario } from '../../src/scenario/types.js';

export function scenario(yaml: string, set: string[] = []): Scenario {
  return loadScenarioText(yaml, 'test.yaml', { set });
}

export interface TestRun {
  run: Run;
  summary: Summary;
  sink: MemorySink;
}

/** Builds the Run (so a test can attach observers) and runs it when `go` is called. */
export function prepare(yaml: string, set: string[] = [], seed?: number): { run: Run; sink: MemorySink; go: () => TestRun } {
  const s = scenario(yaml, set);
  const sink = new MemorySink();
  const run = new Run(s, seed ?? s.seed, sink);
  return { run, sink, go: () => ({ run, sink, summary: run.run() }) };
}

export function simulateYaml(yaml: string, set: string[] = [], seed?: number): TestRun {
  return prepare(yaml, set, seed).go();
}

export function eventsOf(sink: MemorySink, kind: string, contains = ''): { t_s: number; detail: string }[] {
  return sink.events.filter((e) => e.kind === kind && e.detail.includes(contains));
}
