// The recovery side attached to a Run: remote snapshots (seed 000 FIG 19), local-mirror backup
// generations (seed 004) and restores from them to the primary. CDP (seed 001) is a replication
// mode (cdp.ts) and point-in-time recovery (seed 002) a library (pit.ts).

import { GenerationSet } from './generations.js';
import { journalRows, type RecoveryHost } from './host.js';
import { RestoreToPrimary } from './restore-to-primary.js';
import { SnapshotFunction } from './snapshot.js';

export type { RecoveryHost } from './host.js';

export class Recovery {
  readonly snapshots: SnapshotFunction[] = [];
  readonly generations: GenerationSet[] = [];
  readonly restores: RestoreToPrimary[] = [];

  constructor(run: RecoveryHost) {
    const s = run.scenario;
    for (const spec of s.snapshots) {
      for (const row of journalRows(run, spec.group, 'snapshots')) this.snapshots.push(new SnapshotFunction(run, spec, row));
    }
    for (const spec of s.generations) {
      for (const row of journalRows(run, spec.group, 'generations')) this.generations.push(new GenerationSet(run, spec, row));
    }
    for (const spec of s.restores) {
      // The first target row of the group that holds the volume is the one restored from.
      const set = this.generations.find((g) => g.row.ctx.volumes.some((v) => v.name === spec.volume));
      if (!set) throw new Error(`restore of ${spec.volume}: no generations cover it`);
      this.restores.push(new RestoreToPrimary(run, spec, set));
    }
  }

  /** Summary figures for a group row (merged into GroupSummary.extra). */
  extra(group: string): Record<string, number | string | null> {
    const out: Record<string, number | string | null> = {};
    for (const x of [...this.snapshots, ...this.generations]) if (x.row.ctx.name === group) Object.assign(out, x.extra());
    const mine = this.restores.filter((r) => r.set.row.ctx.name === group);
    if (mine.length > 0) Object.assign(out, RestoreToPrimary.summarize(mine));
    return out;
  }
}

/** Attaches the scenario's snapshots, generations and restores to a Run (after its groups exist). */
export function attachRecovery(run: RecoveryHost): Recovery {
  return new Recovery(run);
}
