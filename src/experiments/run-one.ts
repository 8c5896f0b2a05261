// One run of a sweep: load the scenario with the cell's overrides, simulate, write the normal
// run folder. Used in-process (--workers 1) and by the worker threads (worker.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultsWriter, type OutputFormat } from '../io/output/index.js';
import { loadScenarioFile } from '../io/scenario/load.js';
import { resolvedYaml } from '../io/scenario/resolved.js';
import type { Summary } from '../metrics/records.js';
import type { RecordSink } from '../metrics/sink.js';
import { runScenario } from '../run.js';
import { VERSION } from '../version.js';

export interface RunTask {
  scenario: string;
  set: string[];
  seed: number;
  duration: string | null;
  /** Run folder; null = no files, the summary comes back in the outcome (sizing). */
  out: string | null;
  format: OutputFormat;
  charts: boolean;
  report: boolean;
}

export interface RunOutcome {
  out: string | null;
  /** Null on success; the message otherwise (worker errors cross threads as plain text). */
  error: string | null;
  /** Only for runs without a folder. */
  summary: Summary | null;
  /**
   * Measurement only (benchmarks): when the run started and ended (ms since the epoch, from the
   * monotonic clock of the thread) and the CPU seconds of the thread that ran it (NaN off Linux).
   */
  start_ms: number;
  end_ms: number;
  cpu_s: number;
}

const NULL_SINK: RecordSink = { timeseries: () => {}, event: () => {} };

/** A run folder is complete once its summary.json exists (the writer renames it last). */
export function runComplete(dir: string): boolean {
  return existsSync(join(dir, 'summary.json'));
}

/**
 * CPU seconds of the calling thread (Linux: /proc/thread-self/stat, in clock ticks of 10 ms), or
 * NaN. process.cpuUsage() counts every thread, so it cannot tell one worker's run from another.
 */
export function threadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

export async function runOne(task: RunTask): Promise<RunOutcome> {
  const start_ms = performance.timeOrigin + performance.now();
  const c0 = threadCpuSeconds();
  const o = await runOneUntimed(task);
  return { ...o, start_ms, end_ms: performance.timeOrigin + performance.now(), cpu_s: threadCpuSeconds() - c0 };
}

async function runOneUntimed(task: RunTask): Promise<Omit<RunOutcome, 'start_ms' | 'end_ms' | 'cpu_s'>> {
  try {
    const scenario = loadScenarioFile(task.scenario, { set: task.set, seed: task.seed, duration: task.duration ?? undefined });
    if (task.out === null) return { out: null, error: null, summary: runScenario(scenario, { sink: NULL_SINK }) };
    const writer = await ResultsWriter.open(task.out, {
      formats: task.format, objective_rpo_s: scenario.objectives.rpo_p99_s, charts: task.charts, report: task.report,
    });
    try {
      const summary = runScenario(scenario, { sink: writer });
      await writer.close(summary, resolvedYaml(scenario, { version: VERSION, seed: scenario.seed }));
    } catch (e) {
      writer.abort();
      throw e;
    }
    return { out: task.out, error: null, summary: null };
  } catch (e) {
    return { out: task.out, error: (e as Error)?.message ?? String(e), summary: null };
  }
}
