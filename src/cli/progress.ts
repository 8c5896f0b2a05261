// Progress bars with ETA on a terminal (cli-progress), on stderr so stdout stays clean for
// --json. Silent when stderr is not a TTY (CI, pipes, files) or with --quiet. Wall-clock time
// only reaches the terminal, never an output file.
import cliProgress from 'cli-progress';
import type { RecordSink } from '../metrics/sink.js';
import type { EventRow, TimeseriesRow } from '../metrics/records.js';

export interface Progress {
  /** Sets the absolute value (0..total). */
  update(value: number, payload?: Record<string, string>): void;
  increment(by?: number, payload?: Record<string, string>): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  /** What is counted, e.g. "runs" or "sim s". */
  unit: string;
  label?: string;
  quiet?: boolean;
  /** Default process.stderr. */
  stream?: NodeJS.WriteStream;
}

const SILENT: Progress = { update: () => {}, increment: () => {}, stop: () => {} };

export function progressEnabled(quiet: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): boolean {
  return !quiet && stream.isTTY === true;
}

export function openProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!progressEnabled(opts.quiet, stream) || opts.total <= 0) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${opts.label ?? 'progress'} [{bar}] {percentage}% | {value}/{total} ${opts.unit} | ETA {eta_formatted} {note}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
      // A single run blocks the event loop: draw on update, not from a timer.
      synchronousUpdate: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(opts.total, 0, { note: '' });
  return {
    update: (v, payload) => bar.update(v, payload),
    increment: (by = 1, payload) => bar.increment(by, payload),
    stop: () => bar.stop(),
  };
}

/**
 * Wraps a run's sink so the bar follows simulated time (one update per sampled second at
 * most; the sampler's rows carry t_s). For `repsim run`: `runScenario(s, { sink: withProgress(writer, bar) })`.
 */
export function withProgress(sink: RecordSink, progress: Progress): RecordSink {
  let shown = -1;
  return {
    timeseries(row: TimeseriesRow): void {
      sink.timeseries(row);
      const t = Math.floor(row.t_s);
      if (t > shown) {
        shown = t;
        progress.update(t);
      }
    },
    event(row: EventRow): void {
      sink.event(row);
    },
  };
}
