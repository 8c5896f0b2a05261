// Application-group resolution (seed 000 FIG 2-3, 10-12). A replication entry's `group` names,
// in this order of precedence: a business process (TP monitor table, case-insensitive), a
// consistent-group label value ("CTG1" / "CTG1, end" on VM/pod labels), an app (VM/pod) name,
// or a comma-separated list of volume names. The group's data volumes must sit at one site.
import type { AppSpec, BusinessProcessSpec, Scenario, VolumeSpec } from '../scenario/types.js';

export type GroupVia = 'business-process' | 'consistent-group' | 'app' | 'volumes';

export interface ResolvedGroup {
  /** The group as written in the replication entry. */
  name: string;
  /** Data volumes (role data) in first-mention order. */
  volumes: string[];
  source_site: string;
  /** Apps whose volumes the group covers, by name. */
  apps: string[];
  /** Consistent groups: some member carries the ", end" marker (FIG 10 step 1014); otherwise true. */
  complete: boolean;
  via: GroupVia;
}

export class GroupError extends Error {
  override name = 'GroupError';
}

export const CTG_LABEL = 'consistent-group';

/** "CTG1, end" -> { group: "CTG1", end: true }. */
export function parseCtgLabel(value: string): { group: string; end: boolean } {
  const parts = value.split(',').map((p) => p.trim());
  return { group: parts[0], end: parts.slice(1).some((p) => p.toLowerCase() === 'end') };
}

export interface ConsistencyGroupInfo {
  group: string;
  /** Indices into apps[] of the members, in order. */
  members: number[];
  complete: boolean;
}

/** Consistent groups declared by app labels, keyed by lower-cased group name, in first-seen order. */
export function consistencyGroups(apps: readonly AppSpec[]): Map<string, ConsistencyGroupInfo> {
  const out = new Map<string, ConsistencyGroupInfo>();
  apps.forEach((app, i) => {
    const label = app.labels[CTG_LABEL];
    if (label === undefined) return;
    const { group, end } = parseCtgLabel(label);
    const key = group.toLowerCase();
    const info = out.get(key) ?? { group, members: [], complete: false };
    info.members.push(i);
    info.complete ||= end;
    out.set(key, info);
  });
  return out;
}

type GroupInputs = Pick<Scenario, 'apps' | 'business_processes' | 'volumes'>;

function findByName<T extends { name: string }>(items: readonly T[], name: string): T | undefined {
  const lower = name.trim().toLowerCase();
  return items.find((x) => x.name.toLowerCase() === lower);
}

function appsVolumes(apps: readonly AppSpec[]): string[] {
  return [...new Set(apps.flatMap((a) => a.volumes))];
}

function appsOf(s: GroupInputs, bp: BusinessProcessSpec): AppSpec[] {
  return bp.apps.map((id) => {
    const app = s.apps.find((a) => a.id === id);
    if (!app) throw new GroupError(`business process "${bp.name}" names app id ${id}, which is not defined`);
    return app;
  });
}

function finish(s: GroupInputs, name: string, via: GroupVia, volumeNames: string[], apps: AppSpec[], complete: boolean): ResolvedGroup {
  const byName = new Map<string, VolumeSpec>(s.volumes.map((v) => [v.name, v]));
  const vols = volumeNames.map((n) => {
    const v = byName.get(n);
    if (!v) throw new GroupError(`group "${name}" uses volume "${n}", which is not defined`);
    return v;
  });
  const data = vols.filter((v) => v.role === 'data');
  if (data.length === 0) throw new GroupError(`group "${name}" has no data volumes`);
  const sites = [...new Set(data.map((v) => v.site))];
  if (sites.length > 1) {
    const where = sites.map((site) => `${site}: ${data.filter((v) => v.site === site).map((v) => v.name).join(', ')}`);
    throw new GroupError(`group "${name}" has volumes at several sites (${where.join('; ')})`);
  }
  return { name, volumes: data.map((v) => v.name), source_site: sites[0], apps: apps.map((a) => a.name), complete, via };
}

/** Resolve one group name; throws GroupError with a user-facing message. */
export function resolveGroup(s: GroupInputs, name: string): ResolvedGroup {
  const bp = findByName(s.business_processes, name);
  if (bp) {
    const apps = appsOf(s, bp);
    return finish(s, name, 'business-process', appsVolumes(apps), apps, true);
  }
  const ctg = consistencyGroups(s.apps).get(name.trim().toLowerCase());
  if (ctg) {
    const apps = ctg.members.map((i) => s.apps[i]);
    return finish(s, name, 'consistent-group', appsVolumes(apps), apps, ctg.complete);
  }
  const app = findByName(s.apps, name);
  if (app) return finish(s, name, 'app', app.volumes, [app], true);
  const listed = name.split(',').map((v) => v.trim()).filter(Boolean);
  const known = new Set(s.volumes.map((v) => v.name));
  if (listed.length > 0 && listed.every((v) => known.has(v))) {
    const apps = s.apps.filter((a) => a.volumes.some((v) => listed.includes(v)));
    return finish(s, name, 'volumes', [...new Set(listed)], apps, true);
  }
  const unknown = listed.filter((v) => !known.has(v));
  const hint = listed.length > 1 ? ` (volumes not defined: ${unknown.join(', ')})` : '';
  throw new GroupError(`no business process, consistent group, app or volume named "${name}"${hint}`);
}

/** One resolved group per replication entry, in scenario order. */
export function resolveGroups(scenario: Scenario): ResolvedGroup[] {
  return scenario.replication.map((r) => resolveGroup(scenario, r.group));
}
