// Mode factory: one replication mode per (group, target).

import type { GroupContext, ReplicationMode } from './mode.js';
import { JournalMode } from './journal/mode.js';
import { OosBitmapMode } from './bitmap/mode.js';
import { SyncMode } from './sync/mode.js';
import { ShipMode } from './ship/mode.js';
import { CdpMode } from '../recovery/cdp.js';

export type ModeFactory = (ctx: GroupContext) => ReplicationMode;

const factories: Partial<Record<GroupContext['spec']['mode'], ModeFactory>> = {
  journal: (ctx) => new JournalMode(ctx),
  'oos-bitmap': (ctx) => new OosBitmapMode(ctx),
  sync: (ctx) => new SyncMode(ctx),
  snapshot: (ctx) => new ShipMode(ctx),
  cdp: (ctx) => new CdpMode(ctx),
};

/** Registers a mode implementation (each mode's module calls this once). */
export function registerMode(mode: GroupContext['spec']['mode'], f: ModeFactory): void {
  factories[mode] = f;
}

export function createMode(ctx: GroupContext): ReplicationMode {
  const f = factories[ctx.spec.mode];
  if (!f) throw new Error(`replication mode "${ctx.spec.mode}" is not available`);
  return f(ctx);
}
