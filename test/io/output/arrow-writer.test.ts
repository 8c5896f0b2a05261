import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageHeader, MessageReader, tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { ArrowTableWriter, type ColumnSpec } from '../../../src/io/output/arrow-writer.js';
import { EVENT_COLUMNS, TIMESERIES_COLUMNS, timeseriesColumns } from '../../../src/io/output/schemas.js';
import { summaryTable, timeseriesTable } from '../../../src/io/output/tables.js';
import { syntheticRows, syntheticSummary } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'repsim-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, columns: ColumnSpec[], rows: object[], batch_rows: number): ArrowTableWriter {
  const w = new ArrowTableWriter(path, columns, { batch_rows });
  for (const r of rows) w.append(r);
  w.close();
  return w;
}

describe('ArrowTableWriter', () => {
  it('reads back identically across batches whose dictionaries grow (delta dictionaries)', () => {
    // Later batches meet new group names and states: each must arrive as a delta dictionary.
    const rows = [...syntheticRows(1500), ...syntheticRows(1000, ['late-group', 'sales'])].map((r, i) => ({
      ...r,
      pair_state: i > 3500 ? `S${i % 7}` : r.pair_state,
    }));
    const path = join(dir, 'ts.arrow');
    write(path, TIMESERIES_COLUMNS, rows, 1000);
    const table = tableFromIPC(readFileSync(path));
    expect(table.numRows).toBe(rows.length);
    expect(table.batches.length).toBe(Math.ceil(rows.length / 1000));
    expect(DataType.isDictionary(table.schema.fields[1].type)).toBe(true);
    expect(DataType.isDictionary(table.schema.fields[8].type)).toBe(true);
    expect(table.toArray().map((r) => r.toJSON())).toEqual(rows);
  });

  it('writes nulls in nullable columns and refuses them elsewhere', () => {
    const cols: ColumnSpec[] = [
      { name: 'x', kind: 'f64', nullable: true },
      { name: 'd', kind: 'dict', nullable: true },
      { name: 's', kind: 'utf8', nullable: true },
    ];
    const rows = [
      { x: 1.5, d: 'a', s: 'é <&>' },
      { x: null, d: null, s: null },
      { x: -0.25, d: 'b', s: '' },
    ];
    const path = join(dir, 'nulls.arrow');
    write(path, cols, rows, 2);
    const table = tableFromIPC(readFileSync(path));
    expect(table.toArray().map((r) => r.toJSON())).toEqual(rows);
    expect(table.getChild('x')!.nullCount).toBe(1);

    const w = new ArrowTableWriter(join(dir, 'bad.arrow'), EVENT_COLUMNS);
    expect(() => w.append({ t_s: 1, group: null, kind: 'k', detail: '' })).toThrow(/group is not nullable/);
    w.abort();
  });

  it('streams: full batches are on disk before close, and the same rows give the same bytes', () => {
    const rows = syntheticRows(600);
    const a = join(dir, 'a.arrow');
    const w = new ArrowTableWriter(a, TIMESERIES_COLUMNS, { batch_rows: 256 });
    const sizes: number[] = [];
    for (const r of rows) {
      w.append(r);
      if (w.rows % 256 === 0) sizes.push(statSync(a).size);
    }
    w.close();
    // Every full batch grew the file while appending (nothing held back until close).
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
    const b = join(dir, 'b.arrow');
    write(b, TIMESERIES_COLUMNS, rows, 256);
    expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
  });

  it('writes a readable empty table with its schema', () => {
    const path = join(dir, 'empty.arrow');
    write(path, EVENT_COLUMNS, [], 100);
    const table = tableFromIPC(readFileSync(path));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['t_s', 'group', 'kind', 'detail']);
  });
});

/** [dictionary id, isDelta] of every dictionary message in an Arrow IPC file, in file order. */
function dictionaryMessages(path: string): [number, boolean][] {
  const bytes = readFileSync(path);
  const out: [number, boolean][] = [];
  const reader = new MessageReader(bytes.subarray(8)); // after the magic: the stream part
  for (let msg = reader.readMessage(); msg; msg = reader.readMessage()) {
    if (msg.headerType === MessageHeader.DictionaryBatch) {
      const h = msg.header() as unknown as { id: number | bigint; isDelta: boolean };
      out.push([Number(h.id), h.isDelta]);
    }
    reader.readMessageBody(msg.bodyLength);
  }
  return out;
}

describe('dictionary batches', () => {
  it('grow by deltas only when strings were not declared', () => {
    const rows = [...syntheticRows(300), ...syntheticRows(300, ['late'])];
    const undeclared = join(dir, 'undeclared.arrow');
    write(undeclared, TIMESERIES_COLUMNS, rows, 256);
    // group: initial + 'late' delta; pair_state: initial only (PAIR/PSUS in the first batch).
    expect(dictionaryMessages(undeclared)).toEqual([[0, false], [1, false], [0, true]]);
    const declared = join(dir, 'declared.arrow');
    write(declared, timeseriesColumns({ groups: ['sales', 'payroll', 'late'] }), rows, 256);
    expect(dictionaryMessages(declared)).toEqual([[0, false], [1, false]]);
    expect(tableFromIPC(readFileSync(declared)).toArray().map((r) => r.toJSON())).toEqual(rows);
  });
});

describe('in-memory tables', () => {
  it('timeseriesTable and summaryTable match what the files hold', () => {
    const rows = syntheticRows(5000);
    const mem = timeseriesTable(rows);
    const path = join(dir, 'mem.arrow');
    write(path, TIMESERIES_COLUMNS, rows, 8192);
    const file = tableFromIPC(readFileSync(path));
    expect(mem.schema.fields.map(String)).toEqual(file.schema.fields.map(String));
    expect(mem.toArray().map((r) => r.toJSON())).toEqual(file.toArray().map((r) => r.toJSON()));
    const s = summaryTable(syntheticSummary());
    expect(s.numRows).toBe(2);
    expect(s.getChild('cg_formed')!.toArray()).toEqual(new Float64Array([0, 118]));
    expect(s.getChild('cg_formed')!.get(0)).toBeNull();
  });
});
