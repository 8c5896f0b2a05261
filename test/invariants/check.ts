// Runs a scenario with invariant checks at checkpoints during the run and at its end. The
// checkpoints are extra simulator events whose handlers only read state, so the model's own
// events keep their relative order (and its results) unchanged.
import type { EventRow, Summary, TimeseriesRow } from '../../src/metrics/records.js';
import type { RecordSink } from '../../src/metrics/sink.js';
import { JournalMode } from '../../src/replication/journal/mode.js';
import type { Gauges, ReplicationMode } from '../../src/replication/mode.js';
import { Run } from '../../src/run.js';
import type { Scenario } from '../../src/scenario/types.js';

export class InvariantError extends Error {
  override name = 'InvariantError';
}

function must(cond: boolean, what: () => string): void {
  if (!cond) throw new InvariantError(what());
}

/** A sink that asserts both row streams are in time order and keeps a few counts. */
class OrderedSink implements RecordSink {
  lastRow_s = -Infinity;
  lastEvent_s = -Infinity;
  rows = 0;
  events = 0;
  readonly states = new Set<string>();
  readonly kinds = new Map<string, number>();
  timeseries(row: TimeseriesRow): void {
    must(row.t_s >= this.lastRow_s, () => `timeseries went back in time: ${row.t_s} after ${this.lastRow_s}`);
    must(row.rpo_s >= 0 && Number.isFinite(row.rpo_s), () => `rpo_s ${row.rpo_s} at ${row.t_s}`);
    must(row.link_utilization >= -1e-9 && row.link_utilization <= 1 + 1e-9, () => `link_utilization ${row.link_utilization} at ${row.t_s}`);
    for (const k of ['backlog_bytes', 'primary_journal_bytes', 'secondary_journal_bytes', 'oos_tracks'] as const) {
      must(row[k] >= 0, () => `${k} ${row[k]} at ${row.t_s}`);
    }
    this.lastRow_s = row.t_s;
    this.rows++;
  }
  event(row: EventRow): void {
    must(row.t_s >= this.lastEvent_s, () => `event went back in time: ${row.t_s} after ${this.lastEvent_s} (${row.kind} ${row.detail})`);
    this.lastEvent_s = row.t_s;
    this.events++;
    this.kinds.set(row.kind, (this.kinds.get(row.kind) ?? 0) + 1);
    if (row.kind === 'pair_state') this.states.add(row.detail.replace(/ \(.*$/, '').replace(/^.*: /, ''));
  }
}

export interface CheckReport {
  summary: Summary;
  checkpoints: number;
  rows: number;
  events: number;
  /** Pair transitions seen, e.g. "PAIR->PFUL". */
  transitions: Set<string>;
  /** Sum over groups of the final accounting. */
  discarded_bytes: number;
  resent_tracks: number;
  /** Each group's state at the end. */
  final_states: string[];
  /** Events by kind. */
  event_kinds: Map<string, number>;
}

const gauges: Gauges = { backlog_bytes: 0, primary_journal_bytes: 0, secondary_journal_bytes: 0, oos_tracks: 0 };

/** Every invariant that holds at any instant for one group. */
export function checkMode(m: ReplicationMode, now: number): void {
  const at = () => `${m.ctx.name} at ${now} us`;
  const rpo = m.rpo_us(now);
  must(rpo >= 0 && rpo <= now, () => `${at()}: RPO ${rpo} us outside [0, now]`);
  m.gauges(gauges);
  const loss = m.loss(now);
  must(loss.writes >= 0 && loss.bytes >= 0, () => `${at()}: negative loss ${JSON.stringify(loss)}`);
  // RPO > 0 needs a missing write, except before an initial copy completes (RPO counts from
  // pair creation then) and during a copy.
  must(loss.writes > 0 || rpo === 0 || m.state() === 'COPY' || m.ctx.spec.initial_copy,
    () => `${at()}: RPO ${rpo} us with no missing write (${m.state()})`);
  if (m.accounting) {
    const a = m.accounting();
    for (const [k, v] of Object.entries(a)) must(Number.isInteger(v) && v >= 0, () => `${at()}: accounting ${k} = ${v}`);
    must(a.written_bytes === a.received_bytes + a.pending_bytes + a.discarded_bytes,
      () => `${at()}: written ${a.written_bytes} != received ${a.received_bytes} + pending ${a.pending_bytes} + discarded ${a.discarded_bytes}`);
    must(a.dirtied_tracks === a.resent_tracks + a.dirty_tracks,
      () => `${at()}: dirtied tracks ${a.dirtied_tracks} != re-sent ${a.resent_tracks} + still dirty ${a.dirty_tracks}`);
  }
  if (m instanceof JournalMode) {
    must(gauges.backlog_bytes === loss.bytes, () => `${at()}: backlog ${gauges.backlog_bytes} != loss bytes ${loss.bytes}`);
    for (const p of m.pairs) {
      p.ring.check(); // pointer order of seed 002 FIG 5 (throws)
      must(p.ring.primaryBytes <= p.capacity_bytes, () => `${at()}: primary journal ${p.ring.primaryBytes} B over capacity ${p.capacity_bytes}`);
      must(p.ring.secondaryBytes <= p.secondary_capacity_bytes,
        () => `${at()}: secondary journal ${p.ring.secondaryBytes} B over capacity ${p.secondary_capacity_bytes}`);
      must(p.restore.appliedSeq <= p.lastReceivedSeq_, () => `${at()}: applied seq ${p.restore.appliedSeq} beyond received ${p.lastReceivedSeq_}`);
      if (p.state === 'PAIR' || p.state === 'PFUL') {
        // In PAIR the image holds every received entry: no track may still be dirty or on its way.
        must(p.diffTracks() === 0, () => `${at()}: ${p.state} with ${p.diffTracks()} dirty tracks`);
        must(!p.transfer.isCopying, () => `${at()}: ${p.state} while a track copy is still running`);
      }
    }
  }
}

/**
 * Set-ups whose recoverable image is consistent by construction: one journal per group (update
 * order kept), bitmap copies with consistency groups, sync mirrors, shipped snapshots and CDP.
 * One journal per volume, or bitmaps without consistency groups, may legitimately violate.
 */
export function consistentByDesign(m: ReplicationMode): boolean {
  const spec = m.ctx.spec;
  switch (m.mode) {
    case 'journal':
      return m instanceof JournalMode && m.pairs.length === 1;
    case 'oos-bitmap':
      return spec.bitmap.consistency_groups;
    default:
      return true;
  }
}

function describe(m: ReplicationMode): string {
  const spec = m.ctx.spec;
  return m.mode === 'journal' ? `journal/${spec.transfer}, journal_per ${spec.journal_per}` : m.mode;
}

/** Runs `s` with checkpoints (about `checkpoints` of them) and end-of-run checks; throws InvariantError (or the model's own check errors). */
export function runChecked(s: Scenario, seed: number, checkpoints = 40, prepare?: (run: Run) => void): CheckReport {
  const sink = new OrderedSink();
  const run = new Run(s, seed, sink);
  prepare?.(run); // tests of the checker itself schedule a fault in the model here
  const sim = run.sim;
  let last = -1;
  let n = 0;
  const kind = sim.register('invariant-check', () => {
    const now = sim.now;
    must(now >= last, () => `time went backwards: ${now} < ${last}`);
    last = now;
    n++;
    for (const g of run.groups) checkMode(g.mode, now);
  });
  // Odd offsets, so checkpoints fall between samples as well as on other events' times.
  const step = Math.max(1, Math.floor(s.duration_us / checkpoints) + 7);
  for (let t = step; t <= s.duration_us; t += step) sim.at(t, kind);
  const summary = run.run();
  const now = sim.now;
  must(now === s.duration_us, () => `run ended at ${now}, not at the duration ${s.duration_us}`);
  let discarded = 0;
  let resent = 0;
  run.groups.forEach((g, i) => {
    checkMode(g.mode, now);
    const sg = summary.groups[i];
    const a = g.mode.accounting?.();
    if (a) {
      must(a.written_bytes === sg.bytes_written, () => `${sg.group}: mode saw ${a.written_bytes} B written, summary says ${sg.bytes_written}`);
      discarded += a.discarded_bytes;
      resent += a.resent_tracks;
      // Every byte put on the link is a received/in-flight journal byte or a copied track:
      // bytes_sent >= received data (metadata and in-flight batches only add).
      must(sg.bytes_sent >= a.received_bytes + a.resynced_bytes,
        () => `${sg.group}: bytes_sent ${sg.bytes_sent} < received ${a.received_bytes} + resynced ${a.resynced_bytes}`);
    }
    must(sg.rpo_max_s >= sg.rpo_p99_s - 1e-9 && sg.rpo_p99_s >= 0 && sg.rpo_mean_s <= sg.rpo_max_s + 1e-9,
      () => `${sg.group}: RPO summary out of order ${sg.rpo_mean_s}/${sg.rpo_p99_s}/${sg.rpo_max_s}`);
    if (consistentByDesign(g.mode)) {
      must(sg.consistency_violations === 0, () => `${sg.group}: ${sg.consistency_violations} consistency violations in a consistent set-up (${describe(g.mode)})`);
    }
  });
  must(summary.run.bytes_written === run.host.bytes, () => 'run bytes_written differs from the host');
  return {
    summary, checkpoints: n, rows: sink.rows, events: sink.events, transitions: sink.states, discarded_bytes: discarded,
    resent_tracks: resent, final_states: run.groups.map((g) => g.mode.state()), event_kinds: sink.kinds,
  };
}
