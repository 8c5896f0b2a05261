// Replication-model benchmarks (issue 10): simulated host writes per CPU second of the whole
// model (workload, host, journal or OOS bitmap, link, sampler at 1 s), and the benchmark day
// (scenarios/bench-day.yaml) timed end to end with its Arrow output, peak RSS and the RSS
// through the simulated day.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timed } from '../src/engine/bench.js';
import { ResultsWriter } from '../src/io/output/index.js';
import { loadScenarioFile, loadScenarioText } from '../src/io/scenario/load.js';
import { resolvedYaml } from '../src/io/scenario/resolved.js';
import type { RecordSink } from '../src/metrics/sink.js';
import { Run } from '../src/run.js';
import type { Scenario } from '../src/scenario/types.js';

/** One group of 8 volumes, Poisson writes (zipf addresses), pushed to one site, 1 s samples. */
export function eightVolumes(mode: 'journal' | 'oos-bitmap', duration_s: number, rate_per_s = 50_000): string {
  const vols = Array.from({ length: 8 }, (_, i) => `  - { name: V${i + 1}, site: main, size: 100GiB }`).join('\n');
  const repl = mode === 'journal'
    ? '{ group: A, mode: journal, transfer: push, to: dr, journal: { capacity: 100GiB } }'
    : '{ group: A, mode: oos-bitmap, to: dr }';
  return `
name: bench-${mode}-8
seed: 1
duration: ${duration_s}s
sample_every: 1s
sites: [main, dr]
links: [{ between: [main, dr], bandwidth: 10Gbps, latency: 5ms }]
volumes:
${vols}
apps: [{ id: 1, name: A, volumes: [V1, V2, V3, V4, V5, V6, V7, V8], labels: {} }]
workloads: [{ app: A, rate: ${rate_per_s}/s, arrivals: poisson, size: 8KiB, address: { dist: zipf, theta: 0.99 } }]
replication: [${repl}]
`;
}

const nullSink: RecordSink = { timeseries() {}, event() {} };

export interface ModelRun {
  writes: number;
  events: number;
  seconds: number;
  cpu_seconds: number;
}

/** Runs a scenario into a sink (no output files); the time is the run's only. */
export function runModel(s: Scenario, sink: RecordSink = nullSink): ModelRun {
  const { value, seconds, cpu_seconds } = timed(() => new Run(s, s.seed, sink).run());
  return { writes: value.run.writes, events: value.run.events, seconds, cpu_seconds };
}

/** The same run streamed into real Arrow output (time series, events, summary). */
export async function runWithOutput(s: Scenario, onTick?: () => void): Promise<ModelRun & { output_s: number; sample_s: number }> {
  const out = mkdtempSync(join(tmpdir(), 'repsim-bench-'));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const writer = await ResultsWriter.open(out, { formats: 'arrow', objective_rpo_s: null, charts: false, report: false });
    const run = new Run(s, s.seed, writer);
    // Time the sampler (gauges, RPO, oracle check, rows handed to the Arrow writer): its handler
    // calls this.sample() at each sample, so an instance property wraps it.
    let sample_ms = 0;
    const inst = run as unknown as { sample: () => void };
    const sample = inst.sample.bind(run);
    inst.sample = () => {
      const t = performance.now();
      sample();
      sample_ms += performance.now() - t;
    };
    if (onTick) {
      const kind = run.sim.register('bench-tick', () => {
        onTick();
        if (run.sim.now + 60_000_000 <= s.duration_us) run.sim.schedule(60_000_000, kind);
      });
      run.sim.schedule(60_000_000, kind);
    }
    const summary = await run.runSliced(60_000_000);
    const t1 = performance.now();
    await writer.close(summary, resolvedYaml(s, { version: 'bench', seed: s.seed }));
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return {
      writes: summary.run.writes, events: summary.run.events, seconds, cpu_seconds: (c.user + c.system) / 1e6,
      output_s: (performance.now() - t1) / 1000,
      sample_s: sample_ms / 1000,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function loadText(yaml: string, name: string): Scenario {
  return loadScenarioText(yaml, name);
}

export function loadFile(path: string): Scenario {
  return loadScenarioFile(path);
}
