// fast-check arbitraries for the randomized invariant suite: VALID scenarios in the raw YAML
// vocabulary (topologies, workloads, journal policies, faults), kept short (5-60 s simulated at
// modest rates) so hundreds run in seconds, and MUTATIONS that make a valid scenario invalid.
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Raw scenario as a user would write it (units as strings). */
export type RawScenario = Record<string, unknown> & {
  duration: string;
  sites: string[];
  volumes: Array<{ name: string; site: string; size: string; track_size?: string }>;
  replication: Array<Record<string, unknown>>;
  workloads: Array<Record<string, unknown>>;
  faults?: Array<Record<string, unknown>>;
};

/** What the generator chose, for invariants that only hold in some set-ups. */
export interface GenCase {
  raw: RawScenario;
  yaml: string;
  /** Run seed. */
  seed: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

const sizeStr = (bytes: number): string => (bytes % MiB === 0 ? `${bytes / MiB}MiB` : `${Math.ceil(bytes / KiB)}KiB`);

const arrivalsArb = fc.oneof(
  fc.constant('constant'),
  fc.constant('poisson'),
  fc.record({
    kind: fc.constant('onoff'),
    on_mean: fc.integer({ min: 100, max: 5000 }).map((ms) => `${ms}ms`),
    off_mean: fc.integer({ min: 100, max: 5000 }).map((ms) => `${ms}ms`),
  }),
);

/** Fixed and uniform sizes within 4 KiB..256 KiB, lognormal means up to 64 KiB: a 2 MiB journal holds several. */
const sizeArb = fc.oneof(
  fc.integer({ min: 1, max: 64 }).map((k) => sizeStr(k * 4 * KiB)),
  fc.record({
    dist: fc.constant('uniform'),
    min: fc.integer({ min: 1, max: 8 }).map((k) => sizeStr(k * 4 * KiB)),
    max: fc.integer({ min: 8, max: 64 }).map((k) => sizeStr(k * 4 * KiB)),
  }),
  fc.record({ dist: fc.constant('lognormal'), mean: fc.integer({ min: 1, max: 16 }).map((k) => sizeStr(k * 4 * KiB)), sigma: fc.constantFrom(0.2, 0.5) }),
);

const addressArb = fc.oneof(
  fc.constantFrom('uniform', 'zipf', 'sequential', 'hotspot'),
  fc.record({ dist: fc.constant('zipf'), theta: fc.integer({ min: 1, max: 150 }).map((x) => x / 100) }),
  fc.record({ dist: fc.constant('sequential'), streams: fc.integer({ min: 1, max: 4 }) }),
);

const journalArb = fc.record(
  {
    capacity: fc.integer({ min: 2, max: 512 }).map((m) => `${m}MiB`),
    copy_at: fc.constantFrom(0, 0.1, 0.5),
    copy_every: fc.constantFrom('0s', '10ms', '100ms', '1s'),
    max_batch: fc.constantFrom('64KiB', '256KiB', '1MiB', '4MiB'),
    max_inflight: fc.integer({ min: 1, max: 8 }),
    on_full: fc.constantFrom('suspend', 'throttle'),
    pful_at: fc.constantFrom('50%', '80%', '95%'),
    pfus_watch: fc.constantFrom('0s', '500ms', '3s', '20s'),
    resync_after: fc.constantFrom('0s', '1s', '5s'),
    metadata: fc.constantFrom('0B', '64B', '512B'),
  },
  { requiredKeys: ['capacity'] },
);

export interface GenOptions {
  /** Smallest and largest simulated duration, seconds. */
  min_s?: number;
  max_s?: number;
  /** Largest rate of one workload (writes/s) and most workloads. */
  max_rate?: number;
  max_workloads?: number;
  /** Journal mode only (default: mostly journal, sometimes another mode). */
  journal_only?: boolean;
}

/** A valid scenario: a main site with 1-3 volumes, one or two remote sites, one journal group. */
export function scenarioArb(opts: GenOptions = {}): fc.Arbitrary<GenCase> {
  const min_s = opts.min_s ?? 5;
  const max_s = opts.max_s ?? 20;
  return fc
    .record({
      duration_s: fc.integer({ min: min_s, max: max_s }),
      sample_ms: fc.constantFrom(100, 250, 500, 1000, 2000),
      remotes: fc.integer({ min: 1, max: 2 }),
      nvol: fc.integer({ min: 1, max: 3 }),
      vol_gib: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 3, maxLength: 3 }),
      track: fc.constantFrom(undefined, '32KiB', '64KiB', '256KiB'),
      links: fc.array(
        fc.record({ mbps: fc.integer({ min: 5, max: 2000 }), latency_ms: fc.integer({ min: 0, max: 60 }) }),
        { minLength: 2, maxLength: 2 },
      ),
      workloads: fc.array(
        fc.record({
          target: fc.integer({ min: 0, max: 3 }), // 0..2: a volume, 3: the app
          rate: fc.integer({ min: 5, max: opts.max_rate ?? 300 }),
          arrivals: arrivalsArb,
          size: sizeArb,
          address: addressArb,
          dependent: fc.option(fc.record({ fraction: fc.constantFrom(0.05, 0.3, 1), on: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
        }),
        { minLength: 1, maxLength: opts.max_workloads ?? 2 },
      ),
      rep: fc.record({
        transfer: fc.constantFrom('pull', 'push'),
        to: fc.constantFrom('r1', 'auto'),
        journal: journalArb,
        journal_per: fc.constantFrom('group', 'volume'),
        restore_every: fc.constantFrom('100ms', '1s', '5s'),
        apply_rate: fc.constantFrom('5MB/s', '50MB/s', '400MB/s'),
        initial_copy: fc.boolean(),
        also_r2: fc.boolean(),
        group_by: fc.constantFrom('volumes', 'app', 'process', 'ctg'),
        mode: opts.journal_only ? fc.constant('journal') : fc.oneof(
          { weight: 6, arbitrary: fc.constant('journal') },
          { weight: 1, arbitrary: fc.constantFrom('oos-bitmap', 'sync', 'snapshot', 'cdp') },
        ),
        bitmap: fc.record({
          consistency_groups: fc.boolean(),
          cg_interval: fc.constantFrom('0s', '500ms', '3s'),
          max_concurrent: fc.integer({ min: 1, max: 32 }),
          transfer_unit: fc.constantFrom('track', 'sectors'),
          collision: fc.constantFrom('send-old-image', 'new-image'),
        }),
        sync_on_failure: fc.constantFrom('fence', 'split'),
        ship_interval: fc.constantFrom('1s', '3s', '10s'),
        cdp: fc.record({ bookmark_every: fc.constantFrom('1s', '5s'), any_point: fc.boolean() }),
      }),
      faults: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('down'), at: fc.double({ min: 0, max: 0.95, noNaN: true }), for_ms: fc.integer({ min: 10, max: 20_000 }), r: fc.integer({ min: 1, max: 2 }) }),
          fc.record({ kind: fc.constant('degrade'), at: fc.double({ min: 0, max: 0.95, noNaN: true }), for_ms: fc.integer({ min: 10, max: 20_000 }), r: fc.integer({ min: 1, max: 2 }), mbps: fc.integer({ min: 1, max: 50 }) }),
          fc.record({ kind: fc.constant('site'), at: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }),
        ),
        { maxLength: 3 },
      ),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    })
    .map((g) => {
      const dur_ms = g.duration_s * 1000;
      const sites = ['main', ...Array.from({ length: g.remotes }, (_, i) => `r${i + 1}`)];
      const vols = Array.from({ length: g.nvol }, (_, i) => ({
        name: `vol${i + 1}`,
        site: 'main',
        size: `${g.vol_gib[i]}GiB`,
        ...(g.track ? { track_size: g.track } : {}),
      }));
      const links = sites.slice(1).map((r, i) => ({
        between: ['main', r], bandwidth: `${g.links[i].mbps}Mbps`, latency: `${g.links[i].latency_ms}ms`,
      }));
      const app = { id: 1, name: 'app1', volumes: vols.map((v) => v.name), labels: { 'consistent-group': 'CTG1, end' } };
      const workloads = g.workloads.map((w) => {
        const target = w.target >= g.nvol ? { app: 'app1' } : { volume: vols[w.target].name };
        const out: Record<string, unknown> = { ...target, rate: `${w.rate}/s`, arrivals: w.arrivals, size: w.size, address: w.address };
        if (w.dependent) out.dependent = { fraction: w.dependent.fraction, on: vols[w.dependent.on % g.nvol].name };
        return out;
      });
      const groupName = { volumes: vols.map((v) => v.name).join(', '), app: 'app1', process: 'sales', ctg: 'CTG1' }[g.rep.group_by];
      const journal = { ...g.rep.journal };
      // The journal must hold the largest write (the loader checks it): at least 2 MiB holds 256 KiB.
      const rep: Record<string, unknown> = {
        group: groupName, mode: 'journal', transfer: g.rep.transfer, to: g.rep.to, journal,
        journal_per: g.rep.journal_per, restore_every: g.rep.restore_every, apply_rate: g.rep.apply_rate,
        initial_copy: g.rep.initial_copy,
      };
      if (g.rep.also_r2 && g.remotes === 2) rep.also_to = ['r2'];
      rep.mode = g.rep.mode;
      if (g.rep.mode === 'oos-bitmap') rep.bitmap = g.rep.bitmap;
      if (g.rep.mode === 'sync') rep.sync = { on_link_failure: g.rep.sync_on_failure };
      if (g.rep.mode === 'snapshot') rep.ship = { interval: g.rep.ship_interval, keep: 2 };
      if (g.rep.mode === 'cdp') rep.cdp = g.rep.cdp;
      let siteFailed = false;
      const faults = g.faults.flatMap((f): Array<Record<string, unknown>> => {
        const at = `${Math.floor(f.at * dur_ms)}ms`;
        if (f.kind === 'site') {
          if (siteFailed) return [];
          siteFailed = true;
          return [{ at, site: 'main', fails: true }];
        }
        const r = `r${Math.min(f.r, g.remotes)}`;
        if (f.kind === 'down') return [{ at, link: ['main', r], down_for: `${f.for_ms}ms` }];
        return [{ at, link: ['main', r], bandwidth: `${(f as { mbps: number }).mbps}Mbps`, for: `${f.for_ms}ms` }];
      });
      const raw: RawScenario = {
        name: 'fuzz',
        duration: `${g.duration_s}s`,
        sample_every: `${Math.min(g.sample_ms, dur_ms)}ms`,
        sites,
        links,
        volumes: vols,
        apps: [app],
        business_processes: [{ id: 1, name: 'sales', apps: [1] }],
        workloads,
        replication: [rep],
        faults,
      };
      return { raw, yaml: stringify(raw), seed: g.seed };
    });
}

// ---- invalid scenarios ----

export interface Mutation {
  /** What was broken, for the failure message. */
  what: string;
  /** Text a correct error message must contain (a path or a word), case-insensitive. */
  expect: string;
  apply(raw: RawScenario): void;
}

const typos: Array<[string, string]> = [['duration', 'duraton'], ['sites', 'site'], ['volumes', 'volumnes'], ['replication', 'replicaton']];

/** Mutations that each make any scenario from scenarioArb invalid. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...typos).map(([k, t]): Mutation => ({
    what: `top-level key ${k} misspelt ${t}`, expect: t,
    apply: (r) => {
      r[t] = r[k];
      delete r[k];
    },
  })),
  fc.constantFrom('fast', '-5Mbps', '100 furlongs', '0Mbps').map((v): Mutation => ({
    what: `bandwidth ${v}`, expect: 'links[0].bandwidth', apply: (r) => ((r.links as Array<Record<string, unknown>>)[0].bandwidth = v),
  })),
  fc.constantFrom('forever', '-1s', '10 parsecs').map((v): Mutation => ({ what: `duration ${v}`, expect: 'duration', apply: (r) => (r.duration = v) })),
  fc.constantFrom('nowhere', 'mian').map((v): Mutation => ({
    what: `volume on unknown site ${v}`, expect: 'volumes[0].site', apply: (r) => (r.volumes[0].site = v),
  })),
  fc.constantFrom('bandwith', 'latncy').map((k): Mutation => ({
    what: `unknown link key ${k}`, expect: k, apply: (r) => ((r.links as Array<Record<string, unknown>>)[0][k] = '1Mbps'),
  })),
  fc.constantFrom('ghost', 'vol9').map((v): Mutation => ({
    what: `workload on unknown volume ${v}`, expect: 'workloads[0]',
    apply: (r) => {
      delete r.workloads[0].app;
      r.workloads[0].volume = v;
    },
  })),
  fc.constantFrom(-1, 0, 'lots').map((v): Mutation => ({
    what: `journal max_inflight ${v}`, expect: 'max_inflight',
    apply: (r) => ((r.replication[0].journal as Record<string, unknown>).max_inflight = v),
  })),
  fc.constantFrom('journl', 'rsync').map((v): Mutation => ({ what: `mode ${v}`, expect: 'replication[0].mode', apply: (r) => (r.replication[0].mode = v) })),
  fc.constantFrom('1KiB', '4KiB').map((v): Mutation => ({
    what: `journal capacity ${v} below one write`, expect: 'capacity',
    apply: (r) => {
      r.replication[0].mode = 'journal';
      (r.replication[0].journal as Record<string, unknown>).capacity = v;
      r.workloads[0].size = '64KiB';
    },
  })),
  fc.constant<Mutation>({
    what: 'fault after the end of the run', expect: 'faults[0].at',
    apply: (r) => (r.faults = [{ at: '100d', link: ['main', 'r1'], down_for: '1s' }]),
  }),
  fc.constant<Mutation>({ what: 'sites missing', expect: 'sites', apply: (r) => delete (r as Record<string, unknown>).sites }),
  fc.constant<Mutation>({
    what: 'link to itself', expect: 'links[0].between', apply: (r) => ((r.links as Array<Record<string, unknown>>)[0].between = ['main', 'main']),
  }),
  fc.constant<Mutation>({ what: 'group unknown', expect: 'replication[0].group', apply: (r) => (r.replication[0].group = 'nosuchgroup') }),
);

/**
 * A healthy set-up: no faults, no initial copy, a fast link and apply, journals far larger than
 * the run's writes, no copy_at wait. Replication must keep up: RPO stays near the link latency.
 */
export function healthyArb(): fc.Arbitrary<GenCase> {
  return scenarioArb({ max_s: 15, journal_only: true }).map((c) => {
    const raw = structuredClone(c.raw);
    raw.faults = [];
    for (const l of raw.links as Array<Record<string, unknown>>) l.bandwidth = '10Gbps';
    const rep = raw.replication[0];
    const j = rep.journal as Record<string, unknown>;
    // Transfer capacity (max_inflight x max_batch per round trip <= 120 ms) far above the
    // largest offered load (2 workloads x 300/s x 256 KiB = 157 MB/s).
    rep.journal = { capacity: '4GiB', max_batch: '4MiB', max_inflight: 8, copy_every: '0s', metadata: j.metadata ?? '64B', on_full: j.on_full ?? 'suspend' };
    rep.initial_copy = false;
    rep.apply_rate = '1GB/s';
    return { raw, yaml: stringify(raw), seed: c.seed };
  });
}

/**
 * A healthy set-up with a 10 s link outage: at loads above 1.3 MB/s the 16 MiB journal fills and
 * the pair suspends (PFUS); with ample bandwidth afterwards it must resync and be back in PAIR
 * well before the end. Loads stay below 6.6 MB/s (2 x 100/s x 32 KiB) and round trips short
 * (5 ms latency), so the journal, which takes the writes made during the resync copy, holds
 * them for 2.5 s while the copy needs well under 1 s. (A journal that fills during the copy
 * sends writes back to the bitmap, and the copy can then chase them forever: reported.)
 */
export function recoveringArb(): fc.Arbitrary<GenCase> {
  return fc.tuple(healthyArb(), fc.constantFrom('pull', 'push')).map(([c, transfer]) => {
    const raw = structuredClone(c.raw);
    raw.duration = '30s';
    raw.sample_every = '500ms';
    raw.faults = [{ at: '2s', link: ['main', 'r1'], down_for: '10s' }];
    for (const l of raw.links as Array<Record<string, unknown>>) l.latency = '5ms';
    for (const w of raw.workloads) {
      w.rate = `${Math.min(100, parseInt(String(w.rate), 10))}/s`;
      w.size = '32KiB';
    }
    const rep = raw.replication[0];
    rep.transfer = transfer;
    rep.to = 'r1';
    delete rep.also_to;
    rep.journal = { ...(rep.journal as object), capacity: '16MiB', on_full: 'suspend', pfus_watch: '0s', resync_after: '1s' };
    // Restore often: a secondary journal that fills between restores (restore_every x load >
    // capacity) pushes back on the primary and can suspend the pair at any time.
    rep.restore_every = '100ms';
    return { raw, yaml: stringify(raw), seed: c.seed };
  });
}
