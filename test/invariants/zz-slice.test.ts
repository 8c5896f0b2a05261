import fc from 'fast-check';
import { it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { Run } from '../../src/run.js';
import { scenarioArb } from './gen.js';
it('slice', async () => {
  const r = fc.check(fc.asyncProperty(scenarioArb({ max_s: 10 }), fc.integer({ min: 1000, max: 3_000_000 }), async (c, slice_us) => {
    const s = loadScenarioText(c.yaml, 'fuzz.yaml');
    const a = new MemorySink();
    const plain = new Run(s, c.seed, a).run();
    const b = new MemorySink();
    const sliced = await new Run(s, c.seed, b).runSliced(slice_us);
    if (JSON.stringify(plain) !== JSON.stringify(sliced)) {
      writeFileSync('/tmp/slice.yaml', c.yaml.replace('name: fuzz', `name: fuzz\nseed: ${c.seed}`) + `# slice ${slice_us}\n`);
      writeFileSync('/tmp/slice-a.json', JSON.stringify(plain, null, 1));
      writeFileSync('/tmp/slice-b.json', JSON.stringify(sliced, null, 1));
      return false;
    }
    return true;
  }), { seed: 20261133, path: '1', numRuns: 1 });
  console.log(r.failed);
});
