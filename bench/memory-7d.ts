// Bounded memory over simulated time (issue 11): a 7-day run at moderate load, streamed into a
// real output folder (Arrow time series and events), with the process's memory sampled at
// simulated checkpoints. Memory must not grow with simulated duration: the heap after a full
// GC and the peak RSS at 7 d should match those at 1 d.
//
//   npx tsc -p tsconfig.json && node --expose-gc dist/bench/memory-7d.js [--rate 100] [--days 7] [--json]
//
// Not a timed test: a benchmark that records figures for BENCHMARKS.md.

import { rmSync, mkdtempSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsWriter } from '../src/io/output/index.js';
import { loadScenarioText } from '../src/io/scenario/load.js';
import { resolvedYaml } from '../src/io/scenario/resolved.js';
import { Run } from '../src/run.js';

const DAY_US = 86_400_000_000;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** Moderate load: two volumes, pull journal, a daily link outage (suspend + resync). */
function scenarioYaml(days: number, rate: number): string {
  return `
name: memory-7d
duration: ${days}d
sample_every: 1s
sites: [main, remote1]
links: [{ between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }]
volumes:
  - { name: db, site: main, size: 200GiB }
  - { name: logs, site: main, size: 50GiB }
apps: [{ id: 1, name: DB, volumes: [db, logs] }]
workloads:
  - { app: DB, rate: ${rate}/s, arrivals: poisson, size: { dist: lognormal, mean: 16KiB }, address: { dist: zipf, theta: 0.99 } }
  - { volume: logs, rate: ${Math.max(1, Math.round(rate / 4))}/s, address: sequential, dependent: { fraction: 0.1, on: db } }
replication:
  - { group: DB, transfer: pull, journal: { capacity: 2GiB, pfus_watch: 30s, resync_after: 2m } }
faults:
${Array.from({ length: days }, (_, d) => `  - { at: ${d * 24 + 12}h, link: [main, remote1], down_for: 20m }`).join('\n')}
`;
}

interface Sample {
  sim_days: number;
  wall_s: number;
  heap_after_gc_mib: number;
  rss_mib: number;
  peak_rss_mib: number;
  writes: number;
  output_mib: number;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const days = arg('days', 7);
  const rate = arg('rate', 100);
  const json = process.argv.includes('--json');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) process.stderr.write('note: run node with --expose-gc for heap-after-GC figures\n');
  const out = mkdtempSync(join(tmpdir(), 'repsim-memory-7d-'));
  const s = loadScenarioText(scenarioYaml(days, rate), 'memory-7d.yaml');
  const writer = await ResultsWriter.open(out, { formats: 'arrow', objective_rpo_s: null, charts: false, report: false });
  const run = new Run(s, 1, writer);
  const samples: Sample[] = [];
  const t0 = performance.now();
  const mib = (b: number) => Math.round((b / 1048576) * 10) / 10;
  const take = (sim_days: number) => {
    gc?.();
    const m = process.memoryUsage();
    samples.push({
      sim_days,
      wall_s: Math.round((performance.now() - t0) / 100) / 10,
      heap_after_gc_mib: mib(m.heapUsed),
      rss_mib: mib(m.rss),
      peak_rss_mib: mib(process.resourceUsage().maxRSS * 1024),
      writes: run.host.writes,
      output_mib: mib(dirBytes(out)),
    });
    if (!json) {
      const x = samples[samples.length - 1];
      console.log(`${String(x.sim_days).padStart(5)} d  wall ${String(x.wall_s).padStart(7)} s  heap ${String(x.heap_after_gc_mib).padStart(7)} MiB  ` +
        `rss ${String(x.rss_mib).padStart(7)} MiB  peak rss ${String(x.peak_rss_mib).padStart(7)} MiB  writes ${x.writes}  output ${x.output_mib} MiB`);
    }
  };
  // Checkpoints: after warm-up (6 h), 1 d, 3 d and the end; sampled between events (read only).
  const marks = [0.25, 1, 3, days].filter((d, i, a) => d <= days && a.indexOf(d) === i);
  const kind = run.sim.register('memory-sample', (k) => take(marks[k]));
  marks.forEach((d, k) => run.sim.at(Math.round(d * DAY_US) - 1, kind, k));
  const summary = await run.runSliced(60_000_000);
  await writer.close(summary, resolvedYaml(s, { version: 'bench', seed: 1 }));
  const first = samples.find((x) => x.sim_days === 1) ?? samples[0];
  const last = samples[samples.length - 1];
  const result = {
    node: process.version,
    days,
    rate_per_s: rate,
    writes: summary.run.writes,
    events: summary.run.events,
    wall_s: Math.round((performance.now() - t0) / 100) / 10,
    output_mib: mib(dirBytes(out)),
    samples,
    heap_growth_1d_to_end_mib: Math.round((last.heap_after_gc_mib - first.heap_after_gc_mib) * 10) / 10,
    peak_rss_growth_1d_to_end_mib: Math.round((last.peak_rss_mib - first.peak_rss_mib) * 10) / 10,
  };
  rmSync(out, { recursive: true, force: true });
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`${result.writes} writes, ${result.events} events in ${result.wall_s} s; output ${result.output_mib} MiB (streamed)`);
    console.log(`heap after GC, 1 d -> ${days} d: ${result.heap_growth_1d_to_end_mib >= 0 ? '+' : ''}${result.heap_growth_1d_to_end_mib} MiB; ` +
      `peak RSS: ${result.peak_rss_growth_1d_to_end_mib >= 0 ? '+' : ''}${result.peak_rss_growth_1d_to_end_mib} MiB`);
  }
}

await main();
