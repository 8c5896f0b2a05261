// Test helpers: build a Run from YAML, and an independent record of the primary's writes from
// which the image at any point (per-track versions) is recomputed for oracle comparisons.
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { Run } from '../../src/run.js';

export function makeRun(yaml: string, opts: { seed?: number; exact?: boolean } = {}): { run: Run; sink: MemorySink } {
  const s = loadScenarioText(yaml, 'test.yaml');
  const sink = new MemorySink();
  const run = new Run(s, opts.seed ?? s.seed, sink, { exactOracle: opts.exact === true });
  return { run, sink };
}

/** Every host write, in issue order, seen by a host observer of its own. */
export class WriteRecorder {
  readonly seq: number[] = [];
  readonly time: number[] = [];
  readonly vol: number[] = [];
  readonly first: number[] = [];
  readonly last: number[] = [];
  readonly len: number[] = [];
  readonly offset: number[] = [];
  readonly dep: number[] = [];

  constructor(private readonly run: Run) {
    run.host.observe({
      onIssued: (w) => {
        const v = run.volumes[w.volume];
        this.seq.push(w.seq);
        this.time.push(w.issued_us);
        this.vol.push(w.volume);
        this.first.push(v.trackOf(w.offset_bytes));
        this.last.push(v.trackOf(w.offset_bytes + w.length_bytes - 1));
        this.len.push(w.length_bytes);
        this.offset.push(w.offset_bytes);
        this.dep.push(w.depends_on);
      },
    });
  }

  /** Per-track versions of `volumes` (host indices) after every write accepted by `keep`. */
  image(volumes: number[], keep: (seq: number, i: number) => boolean): Uint32Array[] {
    const out = volumes.map((v) => new Uint32Array(this.run.volumes[v].tracks));
    for (let i = 0; i < this.seq.length; i++) {
      const l = volumes.indexOf(this.vol[i]);
      if (l < 0 || !keep(this.seq[i], i)) continue;
      out[l].fill(this.seq[i], this.first[i], this.last[i] + 1);
    }
    return out;
  }

  /** Region versions of one volume (region_bytes granularity) after the writes `keep` accepts. */
  regionImage(volume: number, region_bytes: number, keep: (seq: number, i: number) => boolean): Uint32Array {
    const out = new Uint32Array(Math.ceil(this.run.volumes[volume].size_bytes / region_bytes));
    for (let i = 0; i < this.seq.length; i++) {
      if (this.vol[i] !== volume || !keep(this.seq[i], i)) continue;
      const a = Math.floor(this.offset[i] / region_bytes);
      const b = Math.floor((this.offset[i] + this.len[i] - 1) / region_bytes);
      out.fill(this.seq[i], a, b + 1);
    }
    return out;
  }

  /** Regions of one volume touched by the writes `keep` accepts. */
  regionsTouched(volume: number, region_bytes: number, keep: (seq: number, i: number) => boolean): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < this.seq.length; i++) {
      if (this.vol[i] !== volume || !keep(this.seq[i], i)) continue;
      const a = Math.floor(this.offset[i] / region_bytes);
      const b = Math.floor((this.offset[i] + this.len[i] - 1) / region_bytes);
      for (let r = a; r <= b; r++) out.add(r);
    }
    return out;
  }
}
