// Parquet output via parquet-wasm. The run streams rows into Arrow IPC files; at close each
// Arrow file is converted by reading it back one RecordBatch at a time and feeding the batches
// to parquet-wasm's streaming writer (one row group per batch), so memory stays bounded by a
// batch. Rows per row group = rows per Arrow batch (8192 by default).
import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  Data,
  DataType,
  makeData,
  RecordBatch,
  RecordBatchReader,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm/node';

// The node build of parquet-wasm is CommonJS and loads its .wasm synchronously on require.
const require = createRequire(import.meta.url);
let wasm: typeof ParquetWasm | undefined;
function parquetWasm(): typeof ParquetWasm {
  wasm ??= require('parquet-wasm/node') as typeof ParquetWasm;
  return wasm;
}

/** Converts an Arrow IPC file to a Parquet file (zstd, fixed "created_by": byte-deterministic). */
export async function arrowFileToParquet(arrowPath: string, parquetPath: string): Promise<void> {
  const pw = parquetWasm();
  const handle = await open(arrowPath, 'r');
  const fd = openSync(parquetPath, 'w');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    const schemaOnly = reader.schema;
    const it = reader[Symbol.asyncIterator]();
    let sawBatch = false;
    const batches = new ReadableStream<ParquetWasm.RecordBatch>({
      async pull(controller) {
        const next = await it.next();
        if (next.done) {
          // parquet-wasm needs at least one batch to learn the schema.
          if (!sawBatch) controller.enqueue(toWasmBatch(pw, emptyBatch(schemaOnly)));
          controller.close();
          return;
        }
        sawBatch = true;
        controller.enqueue(toWasmBatch(pw, next.value));
      },
    });
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.ZSTD)
      .setCreatedBy('repsim')
      .build();
    const bytes = await pw.transformParquetStream(batches, props);
    for await (const chunk of bytes as unknown as AsyncIterable<Uint8Array>) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
    await handle.close();
  }
}

function toWasmBatch(pw: typeof ParquetWasm, batch: RecordBatch): ParquetWasm.RecordBatch {
  const ipc = tableToIPC(new Table([plainBatch(batch)]), 'stream');
  const table = pw.Table.fromIPCStream(ipc);
  const out = table.recordBatch(0)!;
  table.free();
  return out;
}

// Each batch goes to parquet-wasm as its own IPC stream, which cannot carry the file's delta
// dictionaries: dictionary columns get one dictionary chunk holding every string so far
// (indices stay valid; dictionaries are small). Parquet re-encodes them per row group.
const flatDictionaries = new WeakMap<Vector, Vector<Utf8>>();

function plainBatch(batch: RecordBatch): RecordBatch {
  const children = batch.schema.fields.map((f, i) => {
    const d = batch.data.children[i];
    if (!DataType.isDictionary(f.type) || !d.dictionary || d.dictionary.data.length <= 1) return d;
    let flat = flatDictionaries.get(d.dictionary);
    if (!flat) {
      flat = vectorFromArray([...d.dictionary] as string[], new Utf8());
      flatDictionaries.set(d.dictionary, flat);
    }
    return new Data(d.type, d.offset, d.length, d.nullCount, d.buffers, d.children, flat);
  });
  const data = makeData({ type: new Struct(batch.schema.fields), length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(batch.schema, data);
}

function emptyBatch(schema: Schema): RecordBatch {
  return new RecordBatch(schema);
}

/** Reads a Parquet file into an apache-arrow Table (tests, notebooks, `compare`). */
export function readParquetTable(bytes: Uint8Array): Table {
  return tableFromIPC(parquetWasm().readParquet(bytes).intoIPCStream());
}
