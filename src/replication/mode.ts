// What every replication mode offers the rest of the model: a write hook on its volumes, the
// recoverable image (for RPO, data loss and the consistency oracle), and per-sample gauges.

import type { Simulator } from '../engine/sim.js';
import type { EventLog } from '../metrics/events.js';
import type { ModeHost } from '../model/host.js';
import type { Link } from '../model/link.js';
import type { Volume } from '../model/volume.js';
import type { Mode, ReplicationSpec } from '../scenario/types.js';

export interface GroupContext {
  sim: Simulator;
  /** Row name: the group, or group@site for extra targets. */
  name: string;
  spec: ReplicationSpec;
  volumes: Volume[];
  source_site: string;
  target_site: string;
  link: Link;
  host: ModeHost;
  events: EventLog;
  /** Keep the recoverable image as per-track versions for the exact oracle (tests, small runs). */
  exact?: boolean;
}

export interface Gauges {
  backlog_bytes: number;
  primary_journal_bytes: number;
  secondary_journal_bytes: number;
  oos_tracks: number;
}

export interface Loss {
  writes: number;
  bytes: number;
}

/**
 * Byte conservation of a mode (checked by test/invariants): every data byte written to the
 * group's volumes is received at the target, still pending (journaled or held), or discarded
 * into a differential bitmap (suspension, copy): written = received + pending + discarded.
 * Every track dirtied in a bitmap is re-sent by a copy or still dirty: dirtied = resent + dirty.
 */
export interface Accounting {
  written_bytes: number;
  received_bytes: number;
  pending_bytes: number;
  discarded_bytes: number;
  /** Track bytes put on the link by initial copies and resyncs. */
  resynced_bytes: number;
  dirtied_tracks: number;
  resent_tracks: number;
  dirty_tracks: number;
}

/**
 * A mode registers its own write hooks on ctx.host (itself, or its pairs: the hook on the
 * per-write path should be the object that does the work).
 */
export interface ReplicationMode {
  readonly ctx: GroupContext;
  readonly mode: Mode;
  /** RPO(t) in us: now minus the issue time of the oldest write the recoverable image lacks. */
  rpo_us(now: number): number;
  /** Pair state name (PAIR, PFUL, COPY, DUPLEX ...). */
  state(): string;
  gauges(out: Gauges): void;
  /** Is write `seq` (to vol/track) in the recoverable image? For the consistency oracle. */
  contains(vol: number, track: number, seq: number): boolean;
  /** Writes issued so far that the recoverable image lacks. */
  loss(now: number): Loss;
  /** Primary lost now: promote the target; returns the time until it can serve (us). */
  failover(now: number): number;
  /** Payload bytes this mode put on the link (data, not protocol overhead). */
  bytesSent(): number;
  /** Peak journal occupancy, primary and secondary (modes without a journal omit them: 0). */
  journalPeak_bytes?(): number;
  secondaryJournalPeak_bytes?(): number;
  /** Time suspended so far (modes that never suspend omit it: 0). */
  suspended_us?(now: number): number;
  /**
   * The recoverable image as per-track versions (one array per ctx.volumes entry), for the exact
   * oracle; null when the mode cannot say (not kept, or lost after a suspension).
   */
  imageVersions?(): Uint32Array[] | null;
  /** Mode-specific summary figures. */
  extra(): Record<string, number | string | null>;
  /** Byte and track conservation counters (optional; for invariant checks). */
  accounting?(): Accounting;
}
