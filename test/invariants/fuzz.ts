// The randomized invariant property shared by the two halves of the suite.
import fc from 'fast-check';
import { expect } from 'vitest';
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

