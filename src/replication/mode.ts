// What every replication mode offers the rest of the model: a write hook on its volumes, the
// recoverable image (for RPO, data loss and the consistency oracle), and per-sample gauges.

import type { Simulator } from '../engine/sim.js';
import type { EventLog } from '../metrics/events.js';
import type { HostIo, WriteHook } from '../model/host.js';
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
  host: HostIo;
  events: EventLog;
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

export interface ReplicationMode extends WriteHook {
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
  journalPeak_bytes(): number;
  secondaryJournalPeak_bytes(): number;
  suspended_us(now: number): number;
  /** Mode-specific summary figures. */
  extra(): Record<string, number | string | null>;
}
