// Journal mode for one replication group and one target: one journal for the whole consistency
// group (seed 000: the update order is kept across all of its volumes), or, with
// journal_per: volume, the naive set-up of one journal per volume, whose recoverable image the
// consistency oracle will find inconsistent under dependent writes.

import type { Accounting, Gauges, GroupContext, Loss, ReplicationMode } from '../mode.js';
import type { Bitmap } from '../../model/bitmap.js';
import { JournalPair } from './pair.js';

export class JournalMode implements ReplicationMode {
  readonly mode = 'journal' as const;
  readonly pairs: JournalPair[];
  /** Host volume index -> pair. */
  private readonly pairOf: JournalPair[] = [];

  /**
   * `delta` (control plane, src/control/failover.ts): start with a delta resync that copies only
   * these tracks (host volume index -> bitmap), instead of ctx.spec.initial_copy's full copy.
   */
  constructor(readonly ctx: GroupContext, delta?: ReadonlyMap<number, Bitmap>) {
    const vols = ctx.volumes.map((v) => v.index);
    if (ctx.spec.journal_per === 'volume') {
      this.pairs = ctx.volumes.map((v) => new JournalPair(ctx, [v.index], `${ctx.name}/${v.name}`));
    } else {
      this.pairs = [new JournalPair(ctx, vols, ctx.name)];
    }
    for (const p of this.pairs) for (const v of p.volumes) this.pairOf[v] = p;
    // Each pair is its volumes' hook itself: no dispatch through the mode on the per-write path.
    for (const p of this.pairs) for (const v of p.volumes) ctx.host.addHook(v, p);
    const copy = ctx.spec.initial_copy || delta !== undefined;
    ctx.events.emit(ctx.name, 'pair_state', `SMPL->${copy ? 'COPY' : 'PAIR'} (pair created to ${ctx.target_site})`);
    for (const p of this.pairs) p.start(copy, delta ? p.volumes.map((v) => delta.get(v)!) : undefined);
  }

  /** Control plane: tear every pair down (PSUE) when the source or target fails. */
  halt(why: string): void {
    for (const p of this.pairs) p.halt(why);
  }

  rpo_us(now: number): number {
    let oldest = Infinity;
    for (const p of this.pairs) oldest = Math.min(oldest, p.oldestMissing());
    return oldest === Infinity ? 0 : Math.max(0, now - oldest);
  }

  state(): string {
    // The worst state of the group's pairs names the group.
    const order = ['PSUE', 'PFUS', 'COPY', 'PFUL', 'PAIR'];
    let worst = 'PAIR';
    for (const p of this.pairs) if (order.indexOf(p.state) < order.indexOf(worst)) worst = p.state;
    return worst;
  }

  gauges(out: Gauges): void {
    out.backlog_bytes = 0;
    out.primary_journal_bytes = 0;
    out.secondary_journal_bytes = 0;
    out.oos_tracks = 0;
    for (const p of this.pairs) {
      const m = p.missing();
      out.backlog_bytes += m.bytes; // acknowledged bytes not at the target (held writes: see latency)
      out.primary_journal_bytes += p.ring.primaryBytes;
      out.secondary_journal_bytes += p.ring.secondaryBytes;
      out.oos_tracks += p.diffTracks();
    }
  }

  contains(vol: number, _track: number, seq: number): boolean {
    const p = this.pairOf[vol];
    return p !== undefined && seq <= p.imageSeq();
  }

  loss(_now: number): Loss {
    let writes = 0;
    let bytes = 0;
    for (const p of this.pairs) {
      const m = p.missing();
      writes += m.writes;
      bytes += m.bytes;
    }
    return { writes, bytes };
  }

  failover(now: number): number {
    let apply = 0;
    for (const p of this.pairs) apply = Math.max(apply, p.restore.remainingApply_us(now));
    return apply + this.ctx.spec.promotion_delay_us;
  }

  bytesSent(): number {
    return this.pairs.reduce((a, p) => a + p.transfer.bytesSent, 0);
  }

  journalPeak_bytes(): number {
    return this.pairs.reduce((a, p) => a + p.peakPrimary_bytes, 0);
  }

  secondaryJournalPeak_bytes(): number {
    return this.pairs.reduce((a, p) => a + p.peakSecondary_bytes, 0);
  }

  suspended_us(now: number): number {
    return this.pairs.reduce((a, p) => Math.max(a, p.suspendedNow_us(now)), 0);
  }

  accounting(): Accounting {
    const a: Accounting = {
      written_bytes: 0, received_bytes: 0, pending_bytes: 0, discarded_bytes: 0, resynced_bytes: 0,
      dirtied_tracks: 0, resent_tracks: 0, dirty_tracks: 0,
    };
    for (const p of this.pairs) {
      const r = p.ring;
      a.written_bytes += p.writtenBytes;
      a.received_bytes += p.receivedBytes;
      a.pending_bytes += r.dataBytes(r.received, r.in) + p.heldBytes;
      a.discarded_bytes += p.discardedBytes;
      a.resynced_bytes += p.resyncBytesSent;
      a.dirtied_tracks += p.dirtiedTracks;
      a.resent_tracks += p.resentTracks;
      a.dirty_tracks += p.diffTracks();
    }
    return a;
  }

  imageVersions(): Uint32Array[] | null {
    const byVol = new Map<number, Uint32Array>();
    for (const p of this.pairs) {
      if (p.imageVersions === null) return null;
      p.volumes.forEach((v, i) => byVol.set(v, p.imageVersions![i]));
    }
    return this.ctx.volumes.map((v) => byVol.get(v.index)!);
  }

  extra(): Record<string, number | string | null> {
    return {
      unacked_writes: this.pairs.reduce((a, p) => a + p.unacked(), 0),
      journals: this.pairs.length,
      suspensions: this.pairs.reduce((a, p) => a + p.suspensions, 0),
      resync_bytes: this.pairs.reduce((a, p) => a + p.resyncBytesSent, 0),
      applied_bytes: this.pairs.reduce((a, p) => a + p.restore.appliedBytes, 0),
    };
  }
}
