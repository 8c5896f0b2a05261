// Every file in test/fixtures/bad/ is a small scenario with one fault, named after it. Its first
// line says `# expect: <substring>` (JSON files: a NAME.expect sidecar). Loading must fail with a
// ScenarioError that contains the substring in an issue that has a line and column.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../../src/io/scenario/load.js';
import { formatIssue, ScenarioError } from '../../../src/io/scenario/errors.js';

const BAD = fileURLToPath(new URL('../../fixtures/bad/', import.meta.url));
const files = readdirSync(BAD).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

function expectation(file: string): string {
  const sidecar = BAD + file.replace(/\.[^.]+$/, '.expect');
  if (existsSync(sidecar)) return readFileSync(sidecar, 'utf8').trim();
  const first = readFileSync(BAD + file, 'utf8').split('\n')[0];
  const m = /^# expect: (.+)$/.exec(first);
  if (!m) throw new Error(`${file}: first line must be "# expect: <substring>"`);
  return m[1];
}

describe('bad-input corpus', () => {
  it('has at least 110 files', () => expect(files.length).toBeGreaterThanOrEqual(110));

  it.each(files)('%s', (file) => {
    const want = expectation(file);
    let error: unknown;
    try {
      loadScenarioFile(BAD + file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const issues = (error as ScenarioError).issues;
    const hit = issues.find((i) => i.message.includes(want));
    expect(hit, `no issue contains ${JSON.stringify(want)}:\n${(error as Error).message}`).toBeDefined();
    expect(hit!.line).toBeGreaterThan(0);
    expect(hit!.column).toBeGreaterThan(0);
    expect(formatIssue(hit!)).toMatch(new RegExp(`^${BAD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${file.replace('.', '\\.')}:\\d+:\\d+[ :]`));
  });
});
