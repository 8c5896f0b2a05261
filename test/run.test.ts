// End to end through the CLI: output files, determinism, exit codes (issue 2).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repsim = (...args: string[]) => spawnSync('node', ['bin/repsim.js', ...args], { encoding: 'utf8' });
const FILES = ['summary.json', 'summary.arrow', 'timeseries.arrow', 'events.arrow', 'scenario.resolved.yaml'];

function runQuickstart(seed: number): string {
  const out = join(mkdtempSync(join(tmpdir(), 'repsim-run-')), 'out');
  const r = repsim('run', 'scenarios/quickstart.yaml', '--seed', String(seed), '--duration', '60s', '--out', out, '--no-charts', '--no-report', '--quiet');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

describe('repsim run', () => {
  it('writes the result files; the same seed gives byte-identical files, another seed different ones', () => {
    const a = runQuickstart(5);
    const b = runQuickstart(5);
    const c = runQuickstart(6);
    for (const f of FILES) {
      expect(existsSync(join(a, f)), f).toBe(true);
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between identical runs`).toBe(true);
    }
    for (const f of ['summary.json', 'timeseries.arrow']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(c, f))), `${f} identical across seeds`).toBe(false);
    }
    const summary = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
    expect(summary.run.seed).toBe(5);
    expect(summary.groups[0].host_latency_p99_us).toBe(200);
    expect(readFileSync(join(a, 'scenario.resolved.yaml'), 'utf8')).toMatch(/seed: 5/);
    expect(readdirSync(a).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('exits 1 when an objective is missed', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'repsim-obj-')), 'out');
    const r = repsim('run', 'scenarios/quickstart.yaml', '--duration', '30s', '--set', 'objectives.rpo_p99_s=0.001',
      '--out', out, '--no-charts', '--no-report', '--quiet');
    expect(r.status).toBe(1);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });
});

describe('repsim validate', () => {
  it('prints ok and the resolved groups', () => {
    const r = repsim('validate', 'scenarios/quickstart.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
    expect(r.stdout).toMatch(/group sales: business-process, volumes Volume1, Volume2 at main/);
  });

  it('exits 2 on a wrong unit, naming the file, line, column and path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'repsim-bad-'));
    const file = join(dir, 'bad.yaml');
    const text = readFileSync('scenarios/quickstart.yaml', 'utf8').replace('bandwidth: 100Mbps', 'bandwidth: fast');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('bandwidth: fast')) + 1;
    const r = repsim('validate', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:${line}:`);
    expect(r.stderr).toContain('links[0].bandwidth');
    expect(r.stderr).toContain('"fast"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
