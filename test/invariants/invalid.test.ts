// Randomized INVALID scenarios: a valid random scenario broken by one mutation (a misspelt key,
// a bad unit, an undefined reference, a value out of range, ...). `repsim run` must exit 2 with
// a located message naming the fault, never a stack trace, and create no output folder.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain, STACK_LINE } from '../cli/helpers.js';
import { mutationArb, scenarioArb } from './gen.js';
import { fuzzParams } from './params.js';

const tmp = mkdtempSync(join(tmpdir(), 'repsim-invalid-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

describe('randomized invalid scenarios', () => {
  it('exit 2, file:line:column and the fault named, no stack, no output', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scenarioArb(), mutationArb, async (c, m) => {
        const raw = structuredClone(c.raw);
        m.apply(raw);
        const file = join(tmp, `bad-${n}.yaml`);
        const out = join(tmp, `out-${n++}`);
        writeFileSync(file, stringify(raw));
        const r = await runMain(['run', file, '--out', out, '--quiet']);
        expect(r.code, `${m.what}:\n${r.stderr}`).toBe(2);
        expect(r.stderr, m.what).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+[ :]`, 'm'));
        expect(r.stderr.toLowerCase(), m.what).toContain(m.expect.toLowerCase());
        expect(r.stderr).not.toMatch(STACK_LINE);
        expect(existsSync(out)).toBe(false);
        seen.add(m.what.split(' ')[0]);
      }),
      fuzzParams(100, 20, 0.5),
    );
    expect(seen.size).toBeGreaterThan(5);
  });
});
