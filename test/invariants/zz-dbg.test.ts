import fc from 'fast-check';
import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import { runChecked } from './check.js';
import { scenarioArb } from './gen.js';
it('dbg', () => {
  const cases = fc.sample(scenarioArb({ max_s: 60, max_rate: 600, max_workloads: 3 }), { numRuns: 200, seed: 42 });
  cases.forEach((c, i) => { if (i < 125) return;
    writeFileSync('/tmp/fuzzcur.yaml', c.yaml + `# seed ${c.seed}\n`);
    const t0 = performance.now();
    let err = '';
    try { runChecked(loadScenarioText(c.yaml, 'f.yaml'), c.seed); } catch (e) { err = String(e).slice(0, 300); }
    const dt = performance.now() - t0;
    if (err) { console.log(i, dt.toFixed(0), err); writeFileSync(`/tmp/fail-${i}.yaml`, c.yaml + `# seed ${c.seed}\n`); }
  });
});
