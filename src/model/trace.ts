// Replay of a block trace in the SNIA / MSR Cambridge CSV format:
//   Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime
// Timestamp is in Windows ticks (100 ns). Reads are skipped; time starts at the first record.
// The file is read in fixed-size chunks, so memory stays flat whatever the trace's length.

import { closeSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

const CHUNK_BYTES = 1 << 20;

export interface TraceRecord {
  time_us: number;
  disk: string;
  offset_bytes: number;
  size_bytes: number;
}

export class TraceReader {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(CHUNK_BYTES);
  private pending = '';
  private lines: string[] = [];
  private lineIdx = 0;
  private eof = false;
  private t0_ticks = -1;
  private current: TraceRecord | null = null;
  private lineNo = 0;
  readonly path: string;

  constructor(file: string, baseDir: string, private readonly time_scale: number) {
    this.path = isAbsolute(file) ? file : join(baseDir, file);
    this.fd = openSync(this.path, 'r');
    this.advance();
  }

  /** Time of the next write record, or -1 at the end. */
  nextTime_us(): number {
    return this.current === null ? -1 : this.current.time_us;
  }

  /** Returns the next write record and reads ahead. */
  take(): TraceRecord {
    const rec = this.current;
    if (rec === null) throw new Error('trace: take() past the end');
    this.advance();
    return rec;
  }

  private advance(): void {
    this.current = null;
    for (;;) {
      const line = this.nextLine();
      if (line === null) {
        closeSync(this.fd);
        return;
      }
      const rec = this.parse(line);
      if (rec !== null) {
        this.current = rec;
        return;
      }
    }
  }

  private parse(line: string): TraceRecord | null {
    const f = line.split(',');
    if (f.length < 6 || !/^\d+$/.test(f[0].trim())) return null; // header or blank
    if (f[3].trim().toLowerCase() !== 'write') return null;
    const ticks = Number(f[0]);
    if (this.t0_ticks < 0) this.t0_ticks = ticks;
    const offset = Number(f[4]);
    const size = Number(f[5]);
    if (!Number.isFinite(offset) || !Number.isFinite(size) || size <= 0) {
      throw new Error(`${this.path}:${this.lineNo}: bad offset or size in "${line}"`);
    }
    return {
      time_us: Math.round(((ticks - this.t0_ticks) / 10) * this.time_scale),
      disk: f[2].trim(),
      offset_bytes: offset,
      size_bytes: size,
    };
  }

  private nextLine(): string | null {
    while (this.lineIdx >= this.lines.length) {
      if (this.eof) {
        if (this.pending === '') return null;
        const last = this.pending;
        this.pending = '';
        this.lineNo++;
        return last;
      }
      const n = readSync(this.fd, this.buf, 0, CHUNK_BYTES, null);
      if (n === 0) {
        this.eof = true;
        continue;
      }
      const text = this.pending + this.buf.toString('utf8', 0, n);
      const parts = text.split('\n');
      this.pending = parts.pop() ?? '';
      this.lines = parts;
      this.lineIdx = 0;
    }
    this.lineNo++;
    return this.lines[this.lineIdx++];
  }
}
