// Randomized scenarios (fast-check): valid topologies, workloads, journal policies and faults,
// run short, with the model's invariants checked during and after each run (check.ts): time
// order, byte and track conservation, journal pointer order and capacities, RPO bounds, and no
// consistency violation in a consistent set-up (one journal per group, bitmaps with
// consistency groups, sync, snapshots, CDP); mostly journal mode, sometimes another mode.
// 200 scenarios by default (100 per half, so vitest runs the halves in parallel); see
// params.ts for REPSIM_FUZZ_RUNS / REPSIM_FUZZ_SEED.
import { describe, expect, it } from 'vitest';
import { fuzzInvariants } from './fuzz.js';
import { fuzzParams } from './params.js';

describe('randomized scenarios keep the model invariants (first half)', () => {
  it('time order, conservation, journal pointers, consistency with one journal', () => {
    const seen = fuzzInvariants(100, 0);
    // The generator must reach the interesting states, or the invariants above prove little.
    expect(seen.runs).toBe(fuzzParams(100, 0, 0.5).numRuns);
    // (COPY->PAIR needs a long quiet tail after a resync: invariants-b's recovery property.)
    expect([...seen.transitions]).toEqual(expect.arrayContaining(['PAIR->PFUL', 'PFUL->PFUS', 'PFUS->COPY', 'SIMPLEX->DUPLEX']));
    expect(seen.discarded).toBeGreaterThan(0);
    expect(seen.resent).toBeGreaterThan(0);
    expect(seen.failovers).toBeGreaterThan(0);
  });
});
