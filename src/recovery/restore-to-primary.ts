// Restore to the primary from a backup generation (seed 004 FIG 5-6). At the request the
// applications stop and pending async data is flushed to the secondary (PVOL = SPVOL, so the
// primary's pending bitmap is empty); the remote mirror is split. Then only the differential
// data goes back over the link (target -> source):
//
//   whole volume (FIG 6): the regions that the generation's two pending bitmaps name (the SPVOL
//     changed since the split, the backup volume changed since the split);
//   files (FIG 5): the same, restricted to the files' regions: a region of a file that did not
//     change since the backup is already right at the primary.
//
// The copy runs in batches of up to max_batch bytes, max_inflight in flight, sharing the link
// with replication. Time and bytes are reported against a full copy of the volume. The restored
// primary image is verified region by region: the generation's versions inside the restored
// ranges, the flushed primary's outside.
//
// The simulated workload is not stopped (its writes are the model's input); the restore is an
// operation costed and verified on the images at the request.

import { Bitmap } from '../model/bitmap.js';
import type { LinkDirection } from '../model/link.js';
import type { RestoreSpec } from '../scenario/types.js';
import type { GenerationSet, Mirror } from './generations.js';
import type { RecoveryHost } from './host.js';

export interface RestoreResult {
  generation: number;
  /** The generation's split point and the flushed primary's newest write (write seqs). */
  split_seq: number;
  flush_seq: number;
  request_us: number;
  copy_start_us: number;
  done_us: number;
  bytes: number;
  full_bytes: number;
  /** Analytic time of a full copy over the link (serialization + latency), us. */
  full_us: number;
  regions: number;
  /** Regions whose restored version differs from the expected image (0 when right); -1 unverified. */
  mismatched_regions: number;
}

export class RestoreToPrimary {
  result: RestoreResult | null = null;
  failed = '';
  private readonly dir: LinkDirection;
  private readonly sink: number;
  private readonly startKind: number;
  private queue: number[] = [];
  private inflight = 0;
  private pending: Omit<RestoreResult, 'done_us'> | null = null;

  constructor(private readonly run: RecoveryHost, readonly spec: RestoreSpec, readonly set: GenerationSet) {
    const ctx = set.row.ctx;
    this.dir = ctx.link.from(ctx.target_site);
    this.sink = this.dir.addReceiver(() => this.onDelivered());
    this.startKind = run.sim.register(`${ctx.name}:restore ${spec.volume}`, () => this.onRequest());
    run.sim.at(spec.at_us, this.startKind);
  }

  private get l(): number {
    return this.set.row.ctx.volumes.findIndex((v) => v.name === this.spec.volume);
  }

  private emit(kind: string, detail: string): void {
    this.run.events.emit(this.set.row.ctx.name, kind, detail);
  }

  private onRequest(): void {
    const gen = this.set.generation(this.spec.from_generation);
    const what = this.spec.regions ? `${this.spec.regions.length} ranges of ${this.spec.volume}` : this.spec.volume;
    if (!gen) {
      this.failed = `no generation ${this.spec.from_generation} held`;
      this.emit('restore_failed', `${what}: ${this.failed}`);
      return;
    }
    const request_us = this.run.sim.now;
    this.emit('restore_started', `${what} from generation ${gen.generation} (split at ${(gen.split_us / 1e6).toFixed(3)} s): flushing`);
    const flush_seq = this.set.lastIssuedSeq;
    this.set.flush(() => this.onFlushed(gen, request_us, flush_seq));
  }

  private onFlushed(gen: Mirror, request_us: number, flush_seq: number): void {
    const l = this.l;
    const mask = this.mask();
    const regions: number[] = [];
    this.set.diffRegions(gen, mask, (vol, r) => {
      if (vol === l) regions.push(r);
    });
    const bytes = regions.reduce((a, r) => a + this.set.regionBytes(l, r), 0);
    const vol = this.set.row.ctx.volumes[l];
    const link = this.set.row.ctx.link;
    this.pending = {
      generation: gen.generation, split_seq: gen.splitSeq, flush_seq, request_us, copy_start_us: this.run.sim.now, bytes, full_bytes: vol.size_bytes,
      full_us: Math.ceil((vol.size_bytes * 8 * 1e6) / link.bandwidth_bps) + link.latency_us,
      regions: regions.length, mismatched_regions: this.verify(gen, regions),
    };
    this.emit('restore_copy', `${regions.length} differential regions, ${bytes} B of ${vol.size_bytes} B`);
    this.queue = this.batches(regions);
    this.pump();
  }

  /** Region mask of the requested ranges, or null for the whole volume. */
  private mask(): Bitmap[] | null {
    if (!this.spec.regions) return null;
    const masks = this.set.regions.map((n) => new Bitmap(n));
    const rb = this.set.spec.region_bytes;
    for (const x of this.spec.regions) {
      const last = Math.floor((x.offset_bytes + x.length_bytes - 1) / rb);
      for (let r = Math.floor(x.offset_bytes / rb); r <= last; r++) masks[this.l].set(r);
    }
    return masks;
  }

  /** Copy batches in bytes, each up to max_batch (at least one region). */
  private batches(regions: number[]): number[] {
    const max = this.set.row.ctx.spec.journal.max_batch_bytes;
    const out: number[] = [];
    let cur = 0;
    for (const r of regions) {
      const b = this.set.regionBytes(this.l, r);
      if (cur > 0 && cur + b > max) (out.push(cur), (cur = 0));
      cur += b;
    }
    if (cur > 0) out.push(cur);
    return out.reverse(); // popped from the end
  }

  private pump(): void {
    const window = this.set.row.ctx.spec.journal.max_inflight;
    while (this.inflight < window && this.queue.length > 0) {
      this.inflight++;
      this.dir.send(this.queue.pop()!, this.sink, 0);
    }
    if (this.inflight === 0 && this.queue.length === 0 && this.pending) this.finish();
  }

  private onDelivered(): void {
    this.inflight--;
    this.pump();
  }

  private finish(): void {
    const r: RestoreResult = { ...this.pending!, done_us: this.run.sim.now };
    this.pending = null;
    this.result = r;
    this.emit('restore_done', `${r.bytes} B in ${((r.done_us - r.request_us) / 1e6).toFixed(3)} s ` +
      `(full copy ${r.full_bytes} B, ${(r.full_us / 1e6).toFixed(3)} s); mismatched regions ${r.mismatched_regions}`);
  }

  /**
   * The restored volume, region by region: copied regions take the generation's version, the
   * others keep the flushed primary's. Expected: the generation inside the requested ranges (all
   * of the volume for a whole restore), the primary elsewhere. Returns the regions that differ.
   */
  private verify(gen: Mirror, copied: number[]): number {
    if (!gen.versions || !this.set.spvol) return -1;
    const l = this.l;
    const genV = gen.versions[l];
    const restored = this.set.spvol[l].slice();
    for (const r of copied) restored[r] = genV[r];
    const mask = this.mask();
    let bad = 0;
    for (let r = 0; r < restored.length; r++) {
      const want = !mask || mask[l].get(r) ? genV[r] : this.set.spvol[l][r];
      if (restored[r] !== want) bad++;
    }
    return bad;
  }

  /** Summary figures over the restores of one group row. */
  static summarize(list: RestoreToPrimary[]): Record<string, number | string | null> {
    const done = list.map((x) => x.result).filter((r): r is RestoreResult => r !== null);
    const sum = (f: (r: RestoreResult) => number): number => done.reduce((a, r) => a + f(r), 0);
    return {
      restores: done.length,
      restores_failed: list.filter((x) => x.failed !== '').length,
      restore_bytes: sum((r) => r.bytes),
      restore_full_bytes: sum((r) => r.full_bytes),
      restore_s: done.length ? Math.max(...done.map((r) => r.done_us - r.request_us)) / 1e6 : null,
      restore_full_s: done.length ? Math.max(...done.map((r) => r.full_us)) / 1e6 : null,
      restore_mismatched_regions: done.some((r) => r.mismatched_regions < 0) ? null : sum((r) => r.mismatched_regions),
    };
  }
}
