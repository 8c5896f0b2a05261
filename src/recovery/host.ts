// What the recovery side needs from a Run (kept structural so recovery does not import run.ts).

import type { Simulator } from '../engine/sim.js';
import type { EventLog } from '../metrics/events.js';
import type { HostIo } from '../model/host.js';
import type { Link } from '../model/link.js';
import type { Volume } from '../model/volume.js';
import { JournalMode } from '../replication/journal/mode.js';
import type { ReplicationMode } from '../replication/mode.js';
import type { ReplicationSpec, Scenario } from '../scenario/types.js';

export interface RecoveryHost {
  readonly scenario: Scenario;
  readonly sim: Simulator;
  readonly events: EventLog;
  readonly host: HostIo;
  readonly volumes: Volume[];
  readonly groups: ReadonlyArray<{ mode: ReplicationMode }>;
  link(a: string, b: string): Link;
}

/** The replication entry a recovery entry names (case-insensitive, as convert.ts checks). */
export function replicationEntry(s: Scenario, group: string): ReplicationSpec {
  const r = s.replication.find((x) => x.group.toLowerCase() === group.toLowerCase());
  if (!r) throw new Error(`no replication entry for group "${group}"`);
  return r;
}

/** The journal-mode rows (one per target) simulating a replication entry. */
export function journalRows(run: RecoveryHost, group: string, what: string): JournalMode[] {
  const spec = replicationEntry(run.scenario, group);
  const rows = run.groups.map((g) => g.mode).filter((m) => m.ctx.spec === spec);
  const journals = rows.filter((m): m is JournalMode => m instanceof JournalMode);
  if (journals.length === 0) {
    throw new Error(`${what} for group "${group}" needs journal replication (mode ${spec.mode} is not supported)`);
  }
  return journals;
}
