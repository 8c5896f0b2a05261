// The notebooks are stored without outputs and execute without a cell error on Deno's Jupyter
// kernel (notebooks/run.sh: jupyter nbconvert --execute). Needs jupyter-nbconvert (.ci/run
// installs it); skipped outside CI when it is missing.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const notebooks = readdirSync('notebooks').filter((f) => f.endsWith('.ipynb')).sort();
const hasJupyter = spawnSync('sh', ['-c', 'command -v jupyter-nbconvert'], { encoding: 'utf8' }).status === 0;

describe('notebooks', () => {
  it('are stored without outputs, on the Deno kernel', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(4);
    for (const f of notebooks) {
      const nb = JSON.parse(readFileSync(`notebooks/${f}`, 'utf8'));
      expect(nb.metadata.kernelspec.name, f).toBe('deno');
      for (const c of nb.cells.filter((x: { cell_type: string }) => x.cell_type === 'code')) {
        expect([c.outputs, c.execution_count], f).toEqual([[], null]);
      }
    }
  });

  it.runIf(hasJupyter || process.env.CI)('execute headlessly without a cell error', () => {
    const r = spawnSync('bash', ['notebooks/run.sh'], { encoding: 'utf8', timeout: 900_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain(`notebooks: ${notebooks.length} executed`);
  }, 900_000);
});
