// Second half of the randomized invariant suite (a different seed), as its own file so vitest
// runs it in parallel with the first; plus liveness in healthy set-ups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { runChecked } from './check.js';
import { healthyArb, recoveringArb } from './gen.js';
import { fuzzInvariants } from './fuzz.js';
import { fuzzParams } from './params.js';

describe('randomized scenarios keep the model invariants (second half)', () => {
  it('time order, conservation, journal pointers, consistency with one journal', () => {
    const seen = fuzzInvariants(100, 1);
    expect(seen.runs).toBe(fuzzParams(100, 1, 0.5).numRuns);
    expect(seen.discarded).toBeGreaterThan(0);
  });

  it('healthy set-ups keep up: nothing suspends, RPO stays below a second', () => {
    fc.assert(
      fc.property(healthyArb(), (c) => {
        const r = runChecked(loadScenarioText(c.yaml, 'healthy.yaml'), c.seed);
        for (const g of r.summary.groups) {
          expect(g.suspended_s, g.group).toBe(0);
          // Latency <= 60 ms, copy_every <= 100 ms, restore is not part of the image: far below 1 s.
          expect(g.rpo_max_s, g.group).toBeLessThan(1);
        }
      }),
      fuzzParams(40, 2, 0.2),
    );
  });

  it('a suspended pair resyncs once the link is back (pull and push)', () => {
    let suspended = 0;
    fc.assert(
      fc.property(recoveringArb(), (c) => {
        const r = runChecked(loadScenarioText(c.yaml, 'recovering.yaml'), c.seed);
        if (!r.transitions.has('PFUL->PFUS') && !r.transitions.has('PAIR->PFUS')) return;
        suspended++;
        expect([...r.transitions]).toEqual(expect.arrayContaining(['PFUS->COPY', 'COPY->PAIR']));
        expect(r.final_states[0]).toMatch(/^(PAIR|PFUL)$/);
      }),
      fuzzParams(40, 3, 0.2),
    );
    expect(suspended).toBeGreaterThan(5);
  });
});
