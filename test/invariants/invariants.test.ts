// Randomized scenarios (fast-check): valid topologies, workloads, journal policies and faults,
// run short, with the model's invariants checked during and after each run (check.ts): time
// order, byte and track conservation, journal pointer order and capacities, RPO bounds, and no
// consistency violation with one journal per group. 200 scenarios by default (100 per half, so
// vitest runs the halves in parallel); see params.ts for REPSIM_FUZZ_RUNS / REPSIM_FUZZ_SEED.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { runChecked } from './check.js';
import { scenarioArb } from './gen.js';
import { fuzzParams } from './params.js';

/** Runs `runs` random scenarios (seed offset `salt`) and returns what they exercised. */
export function fuzzInvariants(runs: number, salt: number) {
  const seen = { transitions: new Set<string>(), discarded: 0, resent: 0, runs: 0, failovers: 0 };
  fc.assert(
    fc.property(scenarioArb(), (c) => {
      const s = loadScenarioText(c.yaml, 'fuzz.yaml');
      const r = runChecked(s, c.seed);
      expect(r.checkpoints).toBeGreaterThan(0);
      r.transitions.forEach((t) => seen.transitions.add(t));
      seen.discarded += r.discarded_bytes;
      seen.resent += r.resent_tracks;
      seen.failovers += r.summary.groups.filter((g) => g.rto_s !== null).length;
      seen.runs++;
    }),
    fuzzParams(runs, salt, 0.5),
  );
  return seen;
}

describe('randomized scenarios keep the model invariants (first half)', () => {
  it('time order, conservation, journal pointers, consistency with one journal', () => {
    const seen = fuzzInvariants(100, 0);
    // The generator must reach the interesting states, or the invariants above prove little.
    expect(seen.runs).toBe(fuzzParams(100, 0, 0.5).numRuns);
    expect([...seen.transitions]).toEqual(expect.arrayContaining(['PAIR->PFUL', 'PFUL->PFUS', 'PFUS->COPY', 'COPY->PAIR']));
    expect(seen.discarded).toBeGreaterThan(0);
    expect(seen.resent).toBeGreaterThan(0);
    expect(seen.failovers).toBeGreaterThan(0);
  });
});
