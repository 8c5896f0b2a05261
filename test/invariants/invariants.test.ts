// Randomized scenarios (fast-check): valid topologies, workloads, journal policies and faults,
// run short, with the model's invariants checked during and after each run (check.ts).
// REPSIM_FUZZ_RUNS=2000 runs more; a failure prints fast-check's seed and path, and
// REPSIM_FUZZ_SEED=<seed> (with the same runs) replays it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { runChecked } from './check.js';
import { scenarioArb } from './gen.js';
import { fuzzParams } from './params.js';

describe('randomized scenarios keep the model invariants', () => {
  it('time order, byte and track conservation, journal pointers, consistency with one journal', () => {
    const transitions = new Set<string>();
    let discarded = 0;
    let resent = 0;
    let runs = 0;
    fc.assert(
      fc.property(scenarioArb(), (c) => {
        const s = loadScenarioText(c.yaml, 'fuzz.yaml');
        const r = runChecked(s, c.seed);
        expect(r.checkpoints).toBeGreaterThan(0);
        r.transitions.forEach((t) => transitions.add(t));
        discarded += r.discarded_bytes;
        resent += r.resent_tracks;
        runs++;
      }),
      fuzzParams(200),
    );
    // The generator must reach the interesting states, or the invariants above prove little.
    expect(runs).toBeGreaterThanOrEqual(Math.min(200, fuzzParams(200).numRuns));
    expect([...transitions]).toEqual(expect.arrayContaining(['PAIR->PFUL', 'PFUL->PFUS', 'PFUS->COPY', 'COPY->PAIR']));
    expect(discarded).toBeGreaterThan(0);
    expect(resent).toBeGreaterThan(0);
  });
});
