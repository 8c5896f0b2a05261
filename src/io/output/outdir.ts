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

  /**
   * Renames every temporary file to its final name. The file registered last is the folder's
   * completion marker: an old copy of it is removed first and the new one renamed last, so a
   * crash part-way never leaves a marker beside a mix of old and new files. `stale` names
   * (files a previous run wrote and this one did not) are removed before the marker appears.
   */
  commit(stale: string[] = []): void {
    this.ensureOpen();
    const entries = [...this.temps];
    const marker = entries.pop();
    if (marker) rmSync(join(this.dir, marker[0]), { force: true });
    for (const [name, temp] of entries) renameSync(temp, join(this.dir, name));
    for (const name of stale) if (!this.temps.has(name)) rmSync(join(this.dir, name), { force: true });
    for (const sub of new Set(stale.filter((n) => n.includes('/')).map((n) => dirname(join(this.dir, n))))) {
      try {
        rmdirSync(sub); // a subfolder (charts/) left empty by stale removal
      } catch {
        /* not empty or absent */
      }
    }
    if (marker) renameSync(marker[1], join(this.dir, marker[0]));
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

