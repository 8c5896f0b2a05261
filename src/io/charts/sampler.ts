// A bounded copy of the run's rows for charts. Time series are reduced per group by min/max
// bucketing: buckets span `width` consecutive samples; when the bucket budget is used up,
// neighbours merge pairwise and the width doubles, so memory is bounded whatever the duration
// and every peak (the RPO maximum above all) survives. The RPO distribution is kept as an
// exact-at-its-points ECDF over ~1%-wide logarithmic bins.
import type { EventRow, TimeseriesRow } from '../../metrics/records.js';

export const SERIES = ['rpo_s', 'primary_journal_bytes', 'secondary_journal_bytes', 'link_utilization'] as const;
export type SeriesName = (typeof SERIES)[number];
const NS = SERIES.length;

export interface SeriesPoint {
  t_s: number;
  group: string;
  series: SeriesName;
  value: number;
}

export interface EcdfPoint {
  group: string;
  rpo_s: number;
  fraction: number;
}

export interface StateInterval {
  group: string;
  state: string;
  start_s: number;
  end_s: number;
}

export interface MarkedEvent {
  t_s: number;
  group: string;
  kind: string;
  detail: string;
}

export interface ChartData {
  groups: string[];
  points: SeriesPoint[];
  ecdf: EcdfPoint[];
  states: StateInterval[];
  /** Events other than pair_state (failover, suspend, snapshot...), at most `max_events`. */
  events: MarkedEvent[];
  end_s: number;
  /** True when some points/intervals/events were dropped to stay within the bounds. */
  truncated: boolean;
}

// Per bucket and series: t at min, min, t at max, max.
const SLOT = 4;

class GroupSeries {
  width = 1;
  samples = 0;
  buckets: Float64Array[] = [];
  readonly ecdf = new Map<number, { count: number; max: number }>();
  zeroRpo = 0;
  tsStates: { t_s: number; state: string }[] = [];
  evStates: { t_s: number; state: string }[] = [];

  constructor(private readonly maxBuckets: number) {}

  add(row: TimeseriesRow): void {
    let b = Math.floor(this.samples / this.width);
    if (b === this.maxBuckets) {
      this.mergePairs();
      b = Math.floor(this.samples / this.width);
    }
    if (b === this.buckets.length) this.buckets.push(newBucket());
    const bucket = this.buckets[b];
    for (let s = 0; s < NS; s++) {
      const v = row[SERIES[s]];
      const o = s * SLOT;
      if (v < bucket[o + 1]) { bucket[o] = row.t_s; bucket[o + 1] = v; }
      if (v > bucket[o + 3]) { bucket[o + 2] = row.t_s; bucket[o + 3] = v; }
    }
    this.samples++;
    this.addRpo(row.rpo_s);
  }

  private mergePairs(): void {
    const merged: Float64Array[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i];
      const c = this.buckets[i + 1];
      if (c) {
        for (let o = 0; o < NS * SLOT; o += SLOT) {
          if (c[o + 1] < a[o + 1]) { a[o] = c[o]; a[o + 1] = c[o + 1]; }
          if (c[o + 3] > a[o + 3]) { a[o + 2] = c[o + 2]; a[o + 3] = c[o + 3]; }
        }
      }
      merged.push(a);
    }
    this.buckets = merged;
    this.width *= 2;
  }

  private addRpo(rpo_s: number): void {
    if (!(rpo_s > 0)) {
      this.zeroRpo++;
      return;
    }
    const k = logBin(rpo_s);
    const bin = this.ecdf.get(k);
    if (bin) {
      bin.count++;
      if (rpo_s > bin.max) bin.max = rpo_s;
    } else this.ecdf.set(k, { count: 1, max: rpo_s });
  }
}

function newBucket(): Float64Array {
  const b = new Float64Array(NS * SLOT);
  for (let o = 0; o < NS * SLOT; o += SLOT) {
    b[o + 1] = Infinity;
    b[o + 3] = -Infinity;
  }
  return b;
}

// Bin = binary exponent and the top 6 mantissa bits: bins ~1.1% wide, no Math.log involved.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: high word at [1]
function logBin(x: number): number {
  f64[0] = x;
  return u32[HI] >>> 14; // sign(0) + 11 exponent bits + 6 mantissa bits
}

export class ChartSampler {
  private readonly byGroup = new Map<string, GroupSeries>();
  private readonly events: MarkedEvent[] = [];
  private end_s = 0;
  private truncated = false;
  private readonly maxBuckets: number;

  constructor(
    readonly max_points_per_group = 2000,
    readonly max_events = 2000,
    readonly max_state_changes_per_group = 5000,
  ) {
    this.maxBuckets = Math.max(1, Math.floor(max_points_per_group / 2));
  }

  timeseries(row: TimeseriesRow): void {
    const g = this.group(row.group);
    g.add(row);
    const last = g.tsStates[g.tsStates.length - 1];
    if (!last || last.state !== row.pair_state) this.pushState(g.tsStates, row.t_s, row.pair_state);
    if (row.t_s > this.end_s) this.end_s = row.t_s;
  }

  event(row: EventRow): void {
    if (row.t_s > this.end_s) this.end_s = row.t_s;
    if (row.kind === 'pair_state') {
      const state = stateFromDetail(row.detail);
      if (state) this.pushState(this.group(row.group).evStates, row.t_s, state);
      return;
    }
    if (this.events.length < this.max_events) this.events.push({ ...row });
    else this.truncated = true;
  }

  data(): ChartData {
    const groups = [...this.byGroup.keys()];
    const points: SeriesPoint[] = [];
    const ecdf: EcdfPoint[] = [];
    const states: StateInterval[] = [];
    for (const [group, g] of this.byGroup) {
      for (let s = 0; s < NS; s++) {
        const series = SERIES[s];
        for (const b of g.buckets) {
          const o = s * SLOT;
          const [tMin, vMin, tMax, vMax] = [b[o], b[o + 1], b[o + 2], b[o + 3]];
          if (tMin === tMax) points.push({ t_s: tMin, group, series, value: vMin });
          else if (tMin < tMax) points.push({ t_s: tMin, group, series, value: vMin }, { t_s: tMax, group, series, value: vMax });
          else points.push({ t_s: tMax, group, series, value: vMax }, { t_s: tMin, group, series, value: vMin });
        }
      }
      ecdf.push(...groupEcdf(group, g));
      // Intervals from pair_state events when the model emits them, else from sampled states.
      const changes = g.evStates.length > 0 ? g.evStates : g.tsStates;
      changes.forEach((c, i) => {
        const end_s = i + 1 < changes.length ? changes[i + 1].t_s : this.end_s;
        states.push({ group, state: c.state, start_s: c.t_s, end_s });
      });
    }
    return { groups, points, ecdf, states, events: [...this.events], end_s: this.end_s, truncated: this.truncated };
  }

  private group(name: string): GroupSeries {
    let g = this.byGroup.get(name);
    if (!g) {
      g = new GroupSeries(this.maxBuckets);
      this.byGroup.set(name, g);
    }
    return g;
  }

  private pushState(list: { t_s: number; state: string }[], t_s: number, state: string): void {
    if (list.length < this.max_state_changes_per_group) list.push({ t_s, state });
    else this.truncated = true;
  }
}

function groupEcdf(group: string, g: GroupSeries): EcdfPoint[] {
  const total = g.samples;
  if (total === 0) return [];
  const out: EcdfPoint[] = [];
  let cum = g.zeroRpo;
  if (cum > 0) out.push({ group, rpo_s: 0, fraction: cum / total });
  for (const k of [...g.ecdf.keys()].sort((a, b) => a - b)) {
    const bin = g.ecdf.get(k)!;
    cum += bin.count;
    out.push({ group, rpo_s: bin.max, fraction: cum / total });
  }
  return out;
}

/** The state a pair_state event moves to: "PAIR->PSUS ..." gives PSUS, "PSUS ..." gives PSUS. */
export function stateFromDetail(detail: string): string | null {
  const arrow = /(?:->|→)\s*([A-Za-z_]+)/.exec(detail);
  if (arrow) return arrow[1];
  const first = /^\s*(?:[a-z_]+\s*[=:]\s*)?([A-Za-z_]+)/.exec(detail);
  return first ? first[1] : null;
}
