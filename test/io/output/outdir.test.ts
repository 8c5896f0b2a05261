import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputDir } from '../../../src/io/output/outdir.js';

const root = mkdtempSync(join(tmpdir(), 'repsim-outdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('OutputDir', () => {
  it('shows files under their final names only after commit', () => {
    const dir = join(root, 'a', 'run');
    const out = new OutputDir(dir);
    out.writeFile('timeseries.arrow', new Uint8Array([1, 2, 3]));
    out.writeFile('charts/rpo.svg', '<svg/>');
    out.writeFile('summary.json', '{}\n');
    // Before commit: only hidden temp names, nothing that looks complete.
    const before = listAll(dir);
    expect(before.filter((f) => !f.endsWith('charts'))).toHaveLength(3);
    for (const f of before) if (f !== 'charts') expect(f.split('/').pop()).toMatch(/^\..+\.tmp-\d+-\d+-\d+$/);
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    out.commit();
    expect(listAll(dir)).toEqual(['charts', 'charts/rpo.svg', 'summary.json', 'timeseries.arrow']);
    expect(readFileSync(join(dir, 'charts/rpo.svg'), 'utf8')).toBe('<svg/>');
    expect(out.names()).toEqual(['timeseries.arrow', 'charts/rpo.svg', 'summary.json']); // commit order
  });

  it('abort removes every temp and the folders it created, but not a user folder', () => {
    const fresh = join(root, 'b', 'c', 'run');
    const out = new OutputDir(fresh);
    out.writeFile('charts/x.png', new Uint8Array(10));
    out.writeFile('events.arrow', new Uint8Array(10));
    out.abort();
    expect(existsSync(join(root, 'b'))).toBe(false);

    const existing = join(root, 'user');
    mkdirSync(existing);
    writeFileSync(join(existing, 'notes.txt'), 'mine');
    const out2 = new OutputDir(existing);
    out2.writeFile('summary.json', '{}');
    out2.abort();
    expect(listAll(existing)).toEqual(['notes.txt']);
    expect(() => out2.writeFile('x', '')).toThrow(/aborted/);
  });

  it('discard drops an intermediate file', () => {
    const dir = join(root, 'd');
    const out = new OutputDir(dir);
    out.writeFile('timeseries.arrow', 'a');
    out.writeFile('timeseries.parquet', 'p');
    out.discard('timeseries.arrow');
    out.commit();
    expect(listAll(dir)).toEqual(['timeseries.parquet']);
  });
});
