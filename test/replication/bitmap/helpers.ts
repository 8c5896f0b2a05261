// Shared by the oos-bitmap tests: build a scenario from YAML, run it keeping the Run (for the
// modes' internals), and a shadow of the primary that checks each consistency group exactly.
import { loadScenarioText } from '../../../src/io/scenario/load.js';
import { MemorySink } from '../../../src/metrics/sink.js';
import type { GroupSummary } from '../../../src/metrics/records.js';
import { Run } from '../../../src/run.js';
import type { OosBitmapMode } from '../../../src/replication/bitmap/mode.js';

export function load(yaml: string, duration?: string) {
  return loadScenarioText(yaml, 'test.yaml', duration ? { duration } : {});
}

export interface Ran {
  r: Run;
  sink: MemorySink;
  groups: GroupSummary[];
  g: GroupSummary;
}

export function runYaml(yaml: string, before?: (r: Run) => void, exactOracle = false): Ran {
  const s = load(yaml);
  const sink = new MemorySink();
  const r = new Run(s, s.seed, sink, { exactOracle });
  before?.(r);
  const groups = r.run().groups;
  return { r, sink, groups, g: groups[groups.length - 1] };
}

export function bitmapMode(r: Run, k = -1): OosBitmapMode {
  const g = k < 0 ? r.groups[r.groups.length - 1] : r.groups[k];
  return g.mode as OosBitmapMode;
}

/**
 * Keeps the primary's per-track versions; when an increment starts it copies them (the cut
 * image) and when the secondary makes its instant virtual copy it compares the secondary
 * volumes with that copy, track by track.
 */
export function shadowConsistencyGroups(r: Run, mode: OosBitmapMode) {
  const vols = mode.ctx.volumes;
  const secVer = mode.secVer;
  if (secVer === null) throw new Error('the shadow needs the secondary versions: run with the exact oracle');
  const local = new Map(vols.map((v, i) => [v.index, i]));
  const ver = vols.map((v) => new Uint32Array(v.tracks));
  r.host.observe({
    onIssued: (w) => {
      const l = local.get(w.volume);
      if (l === undefined) return;
      const ts = vols[l].track_size_bytes;
      for (let t = w.track; t <= Math.floor((w.offset_bytes + w.length_bytes - 1) / ts); t++) ver[l][t] = w.seq;
    },
  });
  const out = { formed: 0, mismatchedTracks: 0, nonEmpty: 0 };
  let cut: Uint32Array[] = [];
  const begin = mode.beginIncrement.bind(mode);
  mode.beginIncrement = () => {
    cut = ver.map((a) => a.slice());
    begin();
  };
  const flashed = mode.flashed.bind(mode);
  mode.flashed = () => {
    out.formed++;
    let any = false;
    for (let l = 0; l < vols.length; l++) {
      const sec = secVer[l];
      for (let t = 0; t < sec.length; t++) {
        if (sec[t] !== cut[l][t]) out.mismatchedTracks++;
        if (cut[l][t] !== 0) any = true;
      }
    }
    if (any) out.nonEmpty++;
    flashed();
  };
  return out;
}
