// Bad input at the command line (DESIGN.md section 3): every malformed scenario of the corpus
// (test/fixtures/bad/) and every bad flag exits 2 with a located message (file:line:column, or
// the flag), never a stack trace, and creates no output folder.
//
// The whole corpus goes through main() in-process (one `repsim run` per file, fast); a spread
// sample of it, and every bad flag, goes through the real launcher (node bin/repsim.js).
// REPSIM_CLI_ALL=1 spawns the launcher for every corpus file too (slow: one Node start each).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { ROOT, STACK_LINE, repsimP, runMain, tempDir } from './helpers.js';

const BAD_DIR = join(ROOT, 'test/fixtures/bad');
const files = readdirSync(BAD_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const GOOD = 'test/fixtures/good/minimal.yaml';
const tmp = tempDir('bad-input');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
const outDir = () => join(tmp, `out-${n++}`, 'nested');

/** `path/to/file.yaml:12:7` at the start of some line of stderr. */
function locatedIn(stderr: string, file: string): boolean {
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc}:\\d+:\\d+[ :]`, 'm').test(stderr);
}

describe('the bad-input corpus at the command line', () => {
  it('holds at least 100 malformed scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
  });

  it.each(files)('repsim run %s exits 2 with a located message and writes nothing', async (f) => {
    const file = join('test/fixtures/bad', f);
    const out = outDir();
    const r = await runMain(['run', file, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(2);
    expect(locatedIn(r.stderr, file), r.stderr).toBe(true);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(out, '..'))).toBe(false);
  });

  // Every 24th file through the real launcher (all of them with REPSIM_CLI_ALL=1), concurrently.
  const spawned = process.env.REPSIM_CLI_ALL ? files : files.filter((_, i) => i % 24 === 0);
  it.concurrent.for(spawned)('node bin/repsim.js run %s exits 2 and writes nothing', async (f, { expect }) => {
    const file = join('test/fixtures/bad', f);
    const out = outDir();
    const r = await repsimP(['run', file, '--out', out]);
    expect(r.status, r.stderr).toBe(2);
    expect(locatedIn(r.stderr, file), r.stderr).toBe(true);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
    expect(existsSync(join(out, '..'))).toBe(false);
  });
});

describe('bad flags', () => {
  const cases: Array<{ what: string; args: (out: string) => string[]; stderr: RegExp }> = [
    { what: 'an unknown option', args: (o) => ['run', GOOD, '--out', o, '--bogus-flag'], stderr: /bogus-flag/ },
    { what: 'a misspelt option', args: (o) => ['run', GOOD, '--out', o, '--sed', '3'], stderr: /sed/ },
    { what: '--seed abc', args: (o) => ['run', GOOD, '--out', o, '--seed', 'abc'], stderr: /^--seed: expected a non-negative integer/m },
    { what: '--seed -4', args: (o) => ['run', GOOD, '--out', o, '--seed', '-4'], stderr: /^--seed: expected a non-negative integer/m },
    { what: '--set without =', args: (o) => ['run', GOOD, '--out', o, '--set', 'nokey'], stderr: /^--set\b/m },
    { what: '--set of an unknown path', args: (o) => ['run', GOOD, '--out', o, '--set', 'linkz.0.bandwidth=1Mbps'], stderr: /^--set\b.*linkz/m },
    { what: '--set of a bad value', args: (o) => ['run', GOOD, '--out', o, '--set', 'links.0.bandwidth=fast'], stderr: /^--set\b.*links(\.0|\[0\])\.bandwidth.*fast/m },
    { what: '--duration of a bad value', args: (o) => ['run', GOOD, '--out', o, '--duration', 'forever'], stderr: /^--duration\b.*forever/m },
    { what: 'a missing scenario file', args: (o) => ['run', 'test/fixtures/no-such-file.yaml', '--out', o], stderr: /^test\/fixtures\/no-such-file\.yaml: no such file/m },
    { what: 'a folder as the scenario', args: (o) => ['run', 'test/fixtures', '--out', o], stderr: /^test\/fixtures: is a directory/m },
    { what: 'no scenario at all', args: (o) => ['run', '--out', o], stderr: /non-option argument|scenario/ },
    { what: 'an unknown command', args: () => ['rnu', GOOD], stderr: /rnu|run/ },
  ];

  it.each(cases)('$what: exit 2, a message naming it, no stack, no output', async (c) => {
    const out = outDir();
    const r = await runMain(c.args(out));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(c.stderr);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(out, '..'))).toBe(false);
  });

  // The same through the real launcher, for the four the issue names.
  it.concurrent.for(cases.filter((c) => /unknown option|seed abc|--set without|missing scenario/.test(c.what)))(
    'node bin/repsim.js with $what exits 2',
    async (c, { expect }) => {
      const out = outDir();
      const r = await repsimP(c.args(out));
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.stderr);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(existsSync(join(out, '..'))).toBe(false);
    },
  );
});
