// An interrupted sweep (SIGINT) leaves no file that looks complete, and re-running the same
// command resumes it: completed runs are kept, the rest run, and the dataset is byte-identical
// to an uninterrupted sweep's.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repsim, repsimAsync, tempDir } from './helpers.js';

const tmp = tempDir('sweep-interrupt');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const all = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);
const summaries = (dir: string) => all(dir).filter((f) => f.endsWith('/summary.json') && f.startsWith('runs'));

function args(out: string): string[] {
  return ['sweep', 'test/fixtures/good/minimal.yaml', '--duration', '90s', '--vary', 'links.0.bandwidth=50Mbps,100Mbps,400Mbps',
    '--seeds', '1..3', '--workers', '2', '--out', out, '--quiet'];
}

describe('an interrupted sweep', () => {
  it('SIGINT mid-way: no complete-looking file; a re-run resumes to the same dataset', async () => {
    const out = join(tmp, 'interrupted');
    const child = repsimAsync(args(out));
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    // Interrupt once some, but not all, of the 9 runs are complete.
    for (let i = 0; i < 1200 && summaries(out).length < 2; i++) await sleep(25);
    const doneBefore = summaries(out).length;
    expect(doneBefore, stderr).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(code === 130 || signal === 'SIGINT', `exit ${code} ${signal}: ${stderr}`).toBe(true);
    const done = summaries(out);
    expect(done.length).toBeLessThan(9);
    // No sweep-level dataset: it is written (renamed) only when every run is complete.
    expect(all(out).filter((f) => /^(summary\.(arrow|parquet|json)|sweep\.json)$/.test(f))).toEqual([]);
    // Every run folder that says it is complete is whole and readable.
    for (const s of done) {
      const dir = join(out, dirname(s));
      expect(readdirSync(dir).filter((f) => !f.startsWith('.')).sort()).toEqual(
        expect.arrayContaining(['events.arrow', 'scenario.resolved.yaml', 'summary.arrow', 'summary.json', 'timeseries.arrow']),
      );
      expect(JSON.parse(readFileSync(join(out, s), 'utf8')).run.writes).toBeGreaterThan(0);
    }

    // Resume: the same command runs only what is missing.
    const resumed = repsim([...args(out).filter((a) => a !== '--quiet'), '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const outcome = JSON.parse(resumed.stdout);
    expect(outcome).toMatchObject({ runs: 9, skipped: done.length, ran: 9 - done.length });
    expect(all(out).filter((f) => f.includes('.tmp-'))).toEqual([]);

    // The same dataset as a sweep never interrupted.
    const ref = join(tmp, 'reference');
    const fresh = repsim(args(ref));
    expect(fresh.status, fresh.stderr).toBe(0);
    for (const f of ['summary.arrow', 'sweep.json']) {
      expect(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
    }
  });
});
