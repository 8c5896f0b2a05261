// An output folder whose files appear only when complete: each file is written under a hidden
// temporary name in its final folder (so the rename is atomic on one filesystem) and renamed by
// commit(). A crash or abort() leaves no file that looks whole. Files are renamed in the order
// they were first requested, so the file registered last (summary.json) marks a complete run.
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

export class OutputDir {
  readonly dir: string;
  private readonly tag: string;
  private readonly temps = new Map<string, string>(); // final relative name -> temp absolute path
  private readonly createdDirs: string[] = [];
  private state: 'open' | 'committed' | 'aborted' = 'open';

  constructor(dir: string) {
    this.dir = dir;
    // pid + thread + counter: sweep workers share a pid but never a temp name.
    this.tag = `${process.pid}-${threadId}-${counter++}`;
  }

  /** The temporary path to write `name` (relative, may contain '/'); creates folders as needed. */
  tempPath(name: string): string {
    this.ensureOpen();
    const existing = this.temps.get(name);
    if (existing !== undefined) return existing;
    const finalPath = join(this.dir, name);
    this.mkdirs(dirname(finalPath));
    const temp = join(dirname(finalPath), `.${basename(finalPath)}.tmp-${this.tag}`);
    this.temps.set(name, temp);
    return temp;
  }

  /** Writes a whole file (to its temporary name). */
  writeFile(name: string, data: string | Uint8Array): void {
    writeFileSync(this.tempPath(name), data);
  }

  /** Drops a file written only as an intermediate (e.g. the Arrow file behind a Parquet file). */
  discard(name: string): void {
    const temp = this.temps.get(name);
    if (temp === undefined) return;
    rmSync(temp, { force: true });
    this.temps.delete(name);
  }

  finalPath(name: string): string {
    return join(this.dir, name);
  }

  names(): string[] {
    return [...this.temps.keys()];
  }

  /** Renames every temporary file to its final name, in registration order. */
  commit(): void {
    this.ensureOpen();
    for (const [name, temp] of this.temps) renameSync(temp, join(this.dir, name));
    this.state = 'committed';
  }

  /** Deletes every temporary file and the folders this object created (if left empty). */
  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    for (const temp of this.temps.values()) rmSync(temp, { force: true });
    this.temps.clear();
    for (const d of [...this.createdDirs].reverse()) {
      try {
        rmdirSync(d); // only succeeds when empty: never removes a user's files
      } catch {
        /* not empty or already gone */
      }
    }
  }

  private ensureOpen(): void {
    if (this.state !== 'open') throw new Error(`output folder ${this.dir} is already ${this.state}`);
  }

  private mkdirs(dir: string): void {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d); d = dirname(d)) {
      missing.push(d);
      if (dirname(d) === d) break;
    }
    if (missing.length === 0) return;
    mkdirSync(dir, { recursive: true });
    this.createdDirs.push(...missing.reverse());
  }
}

