// A leg is one replication pair of a group (one summary row): the group to its target, or
// group@site for an extra target. The control plane replaces a leg's mode when the pair is
// re-formed after a failure; these helpers let it do that without the modes' cooperation:
// a gate that disconnects a torn-down mode from the host's writes, and an event log that tells
// when a new pair reaches its protected state.

import { EventLog } from '../metrics/events.js';
import type { DependencyOracle } from '../metrics/oracle.js';
import type { HostIo, ModeHost, WriteHook } from '../model/host.js';
import type { Volume } from '../model/volume.js';
import type { Loss, ReplicationMode } from '../replication/mode.js';

/**
 * The host as a mode sees it, with a switch: once closed, the hooks the mode registered are
 * removed from the host (a torn-down pair must not journal or hold writes). It forwards to the
 * real host directly, so the per-write path has no wrapper.
 */
export class HostGate implements ModeHost {
  private isOpen = true;
  readonly volumes: Volume[];
  readonly service_time_us: number;
  private readonly registered: { volume: number; hook: WriteHook }[] = [];

  constructor(private readonly real: HostIo) {
    this.volumes = real.volumes;
    this.service_time_us = real.service_time_us;
  }

  get open(): boolean {
    return this.isOpen;
  }

  addHook(volume: number, hook: WriteHook): void {
    if (!this.isOpen) return;
    this.registered.push({ volume, hook });
    this.real.addHook(volume, hook);
  }

  release(seq: number, volume: number, track: number, issued_us?: number): void {
    this.real.release(seq, volume, track, issued_us);
  }

  /** Disconnects the mode from the host's writes. */
  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const r of this.registered) this.real.removeHook(r.volume, r.hook);
  }
}

/** Pair states in which a target holds a usable, current image. */
export const PROTECTED_STATES: ReadonlySet<string> = new Set(['PAIR', 'PFUL', 'DUPLEX']);

/** Forwards every event to the run's log and reports pair_state transitions into a protected state. */
export class PairWatchLog extends EventLog {
  constructor(private readonly real: EventLog, private readonly onProtected: () => void) {
    super({ timeseries: () => {}, event: () => {} }, () => 0); // everything goes to `real`
  }

  override emit(group: string, kind: string, detail: string): void {
    this.real.emit(group, kind, detail);
    if (kind === 'pair_state' && /->(PAIR|DUPLEX)\b/.test(detail)) this.onProtected();
  }

  override count(group: string, kind: string): number {
    return this.real.count(group, kind);
  }
}

/** Failure and re-protection figures of one leg (summary `extra`). */
export class LegControl {
  gate: HostGate;
  /** Payload bytes of the leg's torn-down modes, frozen when each was torn down. */
  retiredBytes = 0;
  /** The current mode was torn down and not replaced. */
  retired = false;
  /** Start of the current unprotected interval (target or source lost), or -1 while protected. */
  private lostAt_us = -1;
  private unprotectedTotal_us = 0;
  private everLost = false;
  /** The current new pair: when it was formed and when it reached a protected state (-1: not yet). */
  newPairAt_us = -1;
  pairedAt_us = -1;
  reprotectTo: string | null = null;
  method: 'delta' | 'full' | null = null;
  /** The last completed re-protection: its duration and the bytes its pair sent to get there. */
  reprotect_s: number | null = null;
  reprotectBytes: number | null = null;
  note: string | null = null;

  constructor(host: HostIo) {
    this.gate = new HostGate(host);
  }

  /** The leg lost its protection now (an open interval until protectedAgain). */
  lose(now_us: number): void {
    if (this.lostAt_us < 0) this.lostAt_us = now_us;
    this.everLost = true;
    this.note = null;
  }

  protectedAgain(now_us: number): void {
    if (this.lostAt_us < 0) return;
    this.unprotectedTotal_us += now_us - this.lostAt_us;
    this.lostAt_us = -1;
  }

  /** The current new pair reached its protected state now. */
  paired(now_us: number, bytes: number): void {
    this.pairedAt_us = now_us;
    this.reprotect_s = (now_us - this.newPairAt_us) / 1e6;
    this.reprotectBytes = bytes;
    this.protectedAgain(now_us);
  }

  bytesSent(mode: ReplicationMode): number {
    return this.retiredBytes + (this.retired ? 0 : mode.bytesSent());
  }

  extra(end_us: number): Record<string, number | string | null> {
    const open = this.lostAt_us >= 0 ? end_us - this.lostAt_us : 0;
    return {
      reprotect_to: this.reprotectTo,
      reprotect_method: this.method,
      reprotect_s: this.reprotect_s,
      reprotect_bytes: this.reprotectBytes,
      unprotected_s: this.everLost ? (this.unprotectedTotal_us + open) / 1e6 : null,
      failover_note: this.note,
    };
  }
}

/** What the control plane needs of a summary row (run.ts's GroupRun provides it). */
export interface Leg {
  /** Index of the replication entry. */
  readonly entry: number;
  mode: ReplicationMode;
  /** Sampled: the leg has a pair (possibly copying). */
  live: boolean;
  lastBusy_us: number;
  failedOver: boolean;
  loss: Loss | null;
  rto_us: number | null;
  readonly oracle: DependencyOracle;
  readonly ctl: LegControl;
}
