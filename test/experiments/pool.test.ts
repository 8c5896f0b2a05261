// The worker pool's choice of worker file: the bundle only while it is fresh; and the bundle
// itself runs a task to the same summary as this thread does.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshWorkerBundle } from '../../src/experiments/pool.js';
import { runOne, type RunOutcome, type RunTask } from '../../src/experiments/run-one.js';

describe('freshWorkerBundle', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** dist/src/experiments/worker.js and dist/worker/{worker.js,inputs.json}; returns their paths. */
  function layout(): { compiled: string; bundle: string; list: string } {
    root = mkdtempSync(join(tmpdir(), 'repsim-pool-'));
    const compiled = join(root, 'dist', 'src', 'experiments', 'worker.js');
    const bundle = join(root, 'dist', 'worker', 'worker.js');
    const list = join(root, 'dist', 'worker', 'inputs.json');
    mkdirSync(join(root, 'dist', 'src', 'experiments'), { recursive: true });
    mkdirSync(join(root, 'dist', 'worker'), { recursive: true });
    writeFileSync(compiled, '');
    writeFileSync(bundle, '');
    writeFileSync(list, JSON.stringify(['../src/experiments/worker.js']));
    return { compiled, bundle, list };
  }
  const at = (path: string, s: number): void => utimesSync(path, s, s);

  it('takes the bundle when it is newer than every input', () => {
    const { compiled, bundle } = layout();
    at(compiled, 1_000);
    at(bundle, 2_000);
    expect(freshWorkerBundle(compiled)).toBe(bundle);
  });

  it('refuses a bundle older than an input (a tsc build after it), a missing input or a missing list', () => {
    const { compiled, bundle, list } = layout();
    at(compiled, 3_000);
    at(bundle, 2_000);
    expect(freshWorkerBundle(compiled)).toBeNull();
    at(compiled, 1_000);
    writeFileSync(list, JSON.stringify(['../src/experiments/worker.js', '../src/gone.js']));
    expect(freshWorkerBundle(compiled)).toBeNull();
    rmSync(list);
    expect(freshWorkerBundle(compiled)).toBeNull();
  });
});

describe('the built worker bundle', () => {
  const bundle = freshWorkerBundle();
  // `npm test` builds it just before vitest; CI must test it, a bare `vitest` may not have it.
  it('is there and fresh in CI', () => {
    if (process.env.CI) expect(bundle).not.toBeNull();
  });

  it.runIf(bundle !== null)('runs a task to the same summary as this thread', async () => {
    const task: RunTask = {
      scenario: 'scenarios/quickstart.yaml', set: [], seed: 7, duration: '20s', out: null, format: 'arrow', charts: false, report: false,
    };
    const work = (await import(pathToFileURL(bundle!).href)).default as (t: RunTask) => Promise<RunOutcome>;
    const [viaBundle, here] = [await work(task), await runOne(task)];
    expect(viaBundle.error).toBeNull();
    expect(viaBundle.summary?.run.writes).toBeGreaterThan(0);
    expect(JSON.stringify(viaBundle.summary)).toBe(JSON.stringify(here.summary));
  });
});
