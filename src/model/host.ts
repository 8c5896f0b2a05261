// The host IO path (seed 000 FIG 15). A host write is given a global sequence number, takes the
// local service time, passes every replication hook on its volume, and completes. A hook may
// delay the acknowledgement by a known amount (sync mirror round trip) or hold it (inflow
// control, consistency-group coordination) and release it later. Latencies go to per-group
// HDR histograms.
//
// The write being issued is exposed as one reused struct (`HostWrite`), so the per-write path
// allocates nothing; hooks copy what they keep.

import type { Simulator } from '../engine/sim.js';
import { Distribution } from '../metrics/histogram.js';
import { HeldWrites } from './held.js';
import type { IoStats } from './iostats.js';
import type { Volume } from './volume.js';

export interface HostWrite {
  seq: number;
  issued_us: number;
  volume: number;
  offset_bytes: number;
  length_bytes: number;
  track: number;
  /** Sequence number of the write this one depends on, or -1. */
  depends_on: number;
  /** Volume and track of that write (for the consistency oracle), or -1. */
  dep_volume: number;
  dep_track: number;
}

/** Returned by a hook that holds the acknowledgement and will call HostIo.release(). */
export const HOLD = -1;

export interface WriteHook {
  /** Returns the extra acknowledgement delay in us (>= 0), or HOLD. */
  onWrite(w: HostWrite): number;
  /**
   * Optional: reads what onWrite will read for the coming writes (n of them, to volumes[i] and
   * tracks[i]: of any volume), ahead of them, and returns any number (see HostIo.touchAhead).
   */
  touch?(volumes: Int32Array, tracks: Float64Array, n: number): number;
}

export interface WriteObserver {
  onIssued(w: HostWrite): void;
}

/** What a replication mode sees of the host: its volumes, its hooks, and release of held writes. */
export interface ModeHost {
  readonly volumes: Volume[];
  readonly service_time_us: number;
  addHook(volume: number, hook: WriteHook): void;
  /** Releases a held write; issued_us, when the hook kept it, spares the host a lookup. */
  release(seq: number, volume: number, track: number, issued_us?: number): void;
}

/** Recent completions per source, to resolve "depends on the latest completed write of X". */
const RECENT = 256;

export class CompletionTrail {
  private readonly seq = new Float64Array(RECENT).fill(-1);
  private readonly done_us = new Float64Array(RECENT);
  private readonly vol = new Int32Array(RECENT);
  private readonly track = new Int32Array(RECENT);
  private n = 0;
  /** n % RECENT, kept apart so the per-write add() does no division. */
  private head = 0;

  add(seq: number, done_us: number, vol: number, track: number): void {
    const i = this.head;
    this.head = (i + 1) & (RECENT - 1);
    this.n++;
    this.seq[i] = seq;
    this.done_us[i] = done_us;
    this.vol[i] = vol;
    this.track[i] = track;
  }

  /** The newest write completed at or before now; fills out[0..2] = seq, vol, track. */
  latestCompleted(now: number, out: Float64Array): boolean {
    const lo = Math.max(0, this.n - RECENT);
    let best = -1;
    for (let k = this.n - 1; k >= lo; k--) {
      const i = k % RECENT;
      if (this.done_us[i] <= now && this.seq[i] > best) {
        best = this.seq[i];
        out[0] = best;
        out[1] = this.vol[i];
        out[2] = this.track[i];
      }
    }
    return best >= 0;
  }
}

export class HostIo implements ModeHost {
  readonly write: HostWrite = {
    seq: 0, issued_us: 0, volume: 0, offset_bytes: 0, length_bytes: 0, track: 0,
    depends_on: -1, dep_volume: -1, dep_track: -1,
  };
  private nextSeq = 1; // 0 means "no write" in version arrays
  /** Per volume, its hooks; replaced (never edited in place) when one is removed. */
  private readonly hooks: WriteHook[][];
  /** Per volume, the latency histograms (groups) its writes count in. */
  private readonly latencyOf: Distribution[][];
  readonly latency: Distribution[] = [];
  private readonly observers: WriteObserver[] = [];
  /** The hooks with a touch method, each once (see touchAhead). */
  private touchers: WriteHook[] = [];
  /** touchAhead's volume and track of each coming write. */
  private touchVol = new Int32Array(0);
  private touchTrack = new Float64Array(0);
  /** Sum of what touch returned: stored, so the loads are not optimised away. */
  touched = 0;
  /** Writes and bytes issued per volume (integers below 2^53: sums over volumes are exact). */
  readonly writesOf: Float64Array;
  readonly bytesOf: Float64Array;
  /** Per-volume write statistics over a sliding window, when attached (the run's). */
  iostats: IoStats | null = null;
  private readonly held = new HeldWrites();
  /**
   * Hooks still holding a held write, for writes held by more than one (absent: one). It
   * completes when the last one releases it. Most held writes have one holder: one map update
   * per hold instead of two.
   */
  private readonly holders = new Map<number, number>();
  /** Per volume, its recent completions (dependent writes look here), kept where tracked. */
  readonly trails: CompletionTrail[];
  private readonly tracked: Uint8Array;

  constructor(
    private readonly sim: Simulator,
    readonly volumes: Volume[],
    readonly service_time_us: number,
  ) {
    this.hooks = volumes.map(() => []);
    this.latencyOf = volumes.map(() => []);
    this.trails = volumes.map(() => new CompletionTrail());
    this.tracked = new Uint8Array(volumes.length);
    this.writesOf = new Float64Array(volumes.length);
    this.bytesOf = new Float64Array(volumes.length);
  }

  addHook(volume: number, hook: WriteHook): void {
    this.hooks[volume] = [...this.hooks[volume], hook];
    this.findTouchers();
  }

  /** Removes a hook from a volume (a torn-down pair): a copy, so an issue in progress is unaffected. */
  removeHook(volume: number, hook: WriteHook): void {
    this.hooks[volume] = this.hooks[volume].filter((h) => h !== hook);
    this.findTouchers();
  }

  private findTouchers(): void {
    this.touchers = [...new Set(this.hooks.flat().filter((h) => h.touch !== undefined))];
  }

  /**
   * The writes a workload will issue next (n of them: host volume volIndex[vols[i]], offset
   * offs[i]), announced ahead: hooks load what those writes will read (a random word of a
   * bitmap larger than the cache) in one tight loop, where the cache misses overlap instead of
   * stalling one write each. It changes nothing but timing.
   */
  touchAhead(vols: Int32Array, volIndex: Int32Array, offs: Float64Array, n: number): void {
    const hooks = this.touchers;
    if (hooks.length === 0) return;
    if (this.touchVol.length < n) {
      this.touchVol = new Int32Array(n);
      this.touchTrack = new Float64Array(n);
    }
    const tv = this.touchVol;
    const tt = this.touchTrack;
    for (let i = 0; i < n; i++) {
      const v = volIndex[vols[i]];
      tv[i] = v;
      tt[i] = this.volumes[v].trackOf(offs[i]);
    }
    let acc = 0;
    for (let k = 0; k < hooks.length; k++) acc += hooks[k].touch!(tv, tt, n);
    this.touched += acc;
  }

  /** Writes issued so far, over all volumes. */
  get writes(): number {
    return sum(this.writesOf);
  }

  /** Bytes issued so far, over all volumes. */
  get bytes(): number {
    return sum(this.bytesOf);
  }

  observe(o: WriteObserver): void {
    this.observers.push(o);
  }

  /** Keeps the recent completions of a volume: a dependent write will look for them. */
  trackCompletions(volume: number): void {
    this.tracked[volume] = 1;
  }

  /** Makes a latency histogram for a set of volumes (a replication group); returns its index. */
  latencyGroup(volumes: number[]): number {
    const idx = this.latency.length;
    const d = new Distribution();
    this.latency.push(d);
    for (const v of volumes) this.latencyOf[v].push(d);
    return idx;
  }

  /**
   * Issues a host write now. `dep` (seq, vol, track) or null. Returns the ack time in us, or
   * -1 when a hook holds it.
   */
  issue(volume: number, offset_bytes: number, length_bytes: number, dep: Float64Array | null): number {
    const w = this.write;
    const now = this.sim.now;
    w.seq = this.nextSeq++;
    w.issued_us = now;
    w.volume = volume;
    w.offset_bytes = offset_bytes;
    w.length_bytes = length_bytes;
    w.track = this.volumes[volume].trackOf(offset_bytes);
    if (dep !== null) {
      w.depends_on = dep[0];
      w.dep_volume = dep[1];
      w.dep_track = dep[2];
    } else {
      w.depends_on = -1;
      w.dep_volume = -1;
      w.dep_track = -1;
    }
    this.count(volume, length_bytes, now);
    const obs = this.observers;
    for (let i = 0; i < obs.length; i++) obs[i].onIssued(w);
    const extra = this.runHooks(w, this.hooks[volume]);
    if (extra === HOLD) return -1;
    const latency = this.service_time_us + extra;
    this.recordLatency(volume, latency);
    if (this.tracked[volume] === 1) this.trails[volume].add(w.seq, now + latency, volume, w.track);
    return now + latency;
  }

  private count(volume: number, length_bytes: number, now: number): void {
    // IO statistics read bytesOf at second boundaries: close the past seconds first.
    if (this.iostats !== null && now >= this.iostats.nextBoundary_us) this.iostats.roll(now);
    this.writesOf[volume]++;
    this.bytesOf[volume] += length_bytes;
  }

  /** Passes w to each hook: the largest extra delay, or HOLD (registered) if any hook holds it. */
  private runHooks(w: HostWrite, hooks: WriteHook[]): number {
    let extra = 0;
    let holds = 0;
    for (let i = 0; i < hooks.length; i++) {
      const d = hooks[i].onWrite(w);
      if (d === HOLD) holds++;
      else if (d > extra) extra = d;
    }
    return holds === 0 ? extra : this.hold(w, holds);
  }

  /** Registers w as held by `holds` hooks (apart from runHooks, which V8 then inlines). */
  private hold(w: HostWrite, holds: number): number {
    this.held.add(w.seq, w.issued_us); // w.seq is new (nextSeq++): never held before
    if (holds > 1) this.holders.set(w.seq, holds);
    return HOLD;
  }

  /** A hook releases a held write: it completes now (or after local service, if later). */
  release(seq: number, volume: number, track: number, issued_us?: number): void {
    const n = this.holders.size > 0 ? this.holders.get(seq) : undefined;
    if (n !== undefined) {
      // Another hook (e.g. a second target's journal) still holds it.
      if (n > 2) this.holders.set(seq, n - 1);
      else this.holders.delete(seq); // one holder left: the default
      return;
    }
    const issued = this.held.remove(seq, issued_us);
    const done = Math.max(this.sim.now, issued + this.service_time_us);
    this.recordLatency(volume, done - issued);
    if (this.tracked[volume] === 1) this.trails[volume].add(seq, done, volume, track);
  }

  /** Writes held now. */
  get heldNow(): number {
    return this.held.count;
  }

  /** Issue time of the oldest held write, or Infinity. */
  oldestHeld_us(): number {
    return this.held.oldest_us();
  }

  private recordLatency(volume: number, latency_us: number): void {
    const ds = this.latencyOf[volume];
    for (let i = 0; i < ds.length; i++) ds[i].record(latency_us);
  }
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
