// Safe outputs (DESIGN.md section 5): an interrupted run (SIGINT) or a run that fails mid-way
// leaves no file that looks complete, and no temporary file either.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, repsim, repsimAsync, tempDir } from './helpers.js';

const tmp = tempDir('interrupt');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FINAL = ['summary.json', 'summary.arrow', 'timeseries.arrow', 'events.arrow', 'scenario.resolved.yaml', 'report.html', 'charts'];

/** Everything under dir (recursively), or [] when it does not exist. */
function listAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// Long enough that it is still simulating when interrupted (a day at 2000 writes/s).
const LONG = `
duration: 1d
sites: [main, remote1]
links: [{ between: [main, remote1], bandwidth: 100Mbps, latency: 20ms }]
volumes: [{ name: vol1, site: main, size: 100GiB }]
workloads: [{ volume: vol1, rate: 2000/s }]
replication: [{ group: vol1 }]
`;

describe('an interrupted run', () => {
  it('SIGINT while simulating: exit 130, no final file, no temporary file', async () => {
    const scenario = join(tmp, 'long.yaml');
    writeFileSync(scenario, LONG);
    const out = join(tmp, 'out-sigint');
    const child = repsimAsync(['run', scenario, '--out', out, '--no-charts', '--no-report']);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Wait until the run has opened its streamed outputs (hidden temporary names) ...
    let temps: string[] = [];
    for (let i = 0; i < 400 && temps.length === 0; i++) {
      await sleep(25);
      temps = listAll(out).filter((f) => /^\.timeseries\.arrow\.tmp-/.test(f));
    }
    expect(temps.length, `no temporary output appeared; stderr: ${stderr}`).toBe(1);
    // ... and is simulating (it takes far longer than this to finish).
    await sleep(300);
    expect(child.exitCode).toBe(null);
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(signal, stderr).toBe(null);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(STACK_LINE);
    const left = listAll(out);
    expect(left.filter((f) => FINAL.includes(f))).toEqual([]);
    expect(left.filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('SIGINT into an existing folder keeps the user\'s files and adds none', async () => {
    const scenario = join(tmp, 'long.yaml');
    writeFileSync(scenario, LONG);
    const out = join(tmp, 'out-existing');
    rmSync(out, { recursive: true, force: true });
    // A complete earlier result in the folder must not be damaged by an interrupted rerun.
    const first = repsim(['run', 'test/fixtures/good/minimal.yaml', '--duration', '5s', '--out', out, '--no-charts', '--no-report', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    const before = listAll(out).map((f) => [f, statSync(join(out, f)).size]);
    const child = repsimAsync(['run', scenario, '--out', out, '--no-charts', '--no-report']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 400 && !listAll(out).some((f) => f.includes('.tmp-')); i++) await sleep(25);
    await sleep(300);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(listAll(out).map((f) => [f, statSync(join(out, f)).size])).toEqual(before);
  });
});

describe('a run that fails mid-way', () => {
  it('a trace with a bad line half-way: exit 3, a message naming the line, no final file', () => {
    const dir = join(tmp, 'trace-case');
    rmSync(dir, { recursive: true, force: true });
    const out = join(tmp, 'out-trace');
    // 20 000 good write records 1 ms apart (MSR Cambridge format, ticks of 100 ns), then a bad one.
    const t0 = 128166372003061629;
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`${t0 + i * 10_000},wdev,0,Write,${(i % 1000) * 4096},4096,100`);
    lines.push(`${t0 + 20_000 * 10_000},wdev,0,Write,notanumber,4096,100`);
    for (let i = 20_001; i < 20_100; i++) lines.push(`${t0 + i * 10_000},wdev,0,Write,0,4096,100`);
    const scenario = join(tmp, 'trace.yaml');
    writeFileSync(join(tmp, 'bad-trace.csv'), lines.join('\n') + '\n');
    writeFileSync(scenario, `
duration: 60s
sites: [main, remote1]
links: [{ between: [main, remote1], bandwidth: 100Mbps, latency: 5ms }]
volumes: [{ name: vol1, site: main, size: 10GiB }]
workloads:
  - { volume: vol1, arrivals: { kind: trace, file: bad-trace.csv, disks: { "0": vol1 } } }
replication: [{ group: vol1 }]
`);
    const r = repsim(['run', scenario, '--out', out]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/bad-trace\.csv:20001: bad offset or size/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
    const left = listAll(out);
    expect(left.filter((f) => FINAL.includes(f))).toEqual([]);
    expect(left.filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
