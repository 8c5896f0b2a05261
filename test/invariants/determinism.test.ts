// Determinism (DESIGN.md section 2): the same scenario and seed give byte-identical output
// files, and the CLI's sliced run (which yields to the event loop for signals) gives exactly the
// rows of a plain run.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ResultsWriter } from '../../src/io/output/index.js';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { resolvedYaml } from '../../src/io/scenario/resolved.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { Run } from '../../src/run.js';
import type { Scenario } from '../../src/scenario/types.js';
import { scenarioArb } from './gen.js';
import { fuzzParams } from './params.js';

const tmp = mkdtempSync(join(tmpdir(), 'repsim-determinism-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function writeOutputs(s: Scenario, seed: number): Promise<Map<string, Buffer>> {
  const dir = join(tmp, `run-${n++}`);
  const w = await ResultsWriter.open(dir, { formats: 'arrow', objective_rpo_s: null, charts: false, report: false });
  const summary = await new Run(s, seed, w).runSliced();
  await w.close(summary, resolvedYaml(s, { version: 'test', seed }));
  const files = new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
  rmSync(dir, { recursive: true });
  return files;
}

describe('determinism', () => {
  it('the same seed twice gives byte-identical output files', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ max_s: 10 }), async (c) => {
        const s = loadScenarioText(c.yaml, 'fuzz.yaml');
        const a = await writeOutputs(s, c.seed);
        const b = await writeOutputs(loadScenarioText(c.yaml, 'fuzz.yaml'), c.seed);
        expect([...a.keys()]).toEqual(['events.arrow', 'scenario.resolved.yaml', 'summary.arrow', 'summary.json', 'timeseries.arrow']);
        for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
      }),
      fuzzParams(20, 10, 0.1),
    );
  });

  it('a sliced run (the CLI) gives the rows and summary of a plain run', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ max_s: 10 }), fc.integer({ min: 1000, max: 3_000_000 }), async (c, slice_us) => {
        const s = loadScenarioText(c.yaml, 'fuzz.yaml');
        const plainSink = new MemorySink();
        const plain = new Run(s, c.seed, plainSink).run();
        const slicedSink = new MemorySink();
        const sliced = await new Run(s, c.seed, slicedSink).runSliced(slice_us);
        expect(sliced).toEqual(plain);
        expect(slicedSink.rows).toEqual(plainSink.rows);
        expect(slicedSink.events).toEqual(plainSink.events);
      }),
      fuzzParams(20, 11, 0.1),
    );
  });

  it('a different seed changes the host writes (the seed is used)', () => {
    const c = fc.sample(scenarioArb({ min_s: 5, max_s: 5 }), { numRuns: 1, seed: 5 })[0];
    const s = loadScenarioText(c.yaml, 'fuzz.yaml');
    const a = new Run(s, 1, new MemorySink()).run();
    const b = new Run(s, 2, new MemorySink()).run();
    expect(a.run.bytes_written === b.run.bytes_written && a.run.events === b.run.events).toBe(false);
  });
});
