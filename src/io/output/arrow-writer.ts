// A streaming Arrow IPC *file* writer: rows are buffered in typed arrays and written as one
// RecordBatch every `batch_rows` rows, synchronously to a file descriptor, so memory stays
// bounded by one batch (plus the string dictionaries) whatever the number of rows.
//
// Strings of low cardinality are dictionary-encoded (Dictionary<Utf8, Int32>). The IPC file
// format forbids replacement dictionaries, so each column keeps ONE growing dictionary: a batch
// that meets new strings appends them as a delta chunk (apache-arrow writes it as a delta
// DictionaryBatch because the dictionary vector shares its earlier chunks), and indices of
// earlier batches stay valid. Strings declared up front (ColumnSpec.dictionary) go in the
// first dictionary batch, so files whose strings are all known need no deltas at all.
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  AsyncByteQueue,
  Data,
  DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Table,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';

/** f64: Float64; dict: Dictionary<Utf8, Int32>; utf8: plain strings (high cardinality). */
export type ColumnKind = 'f64' | 'dict' | 'utf8';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  nullable?: boolean;
  /** dict: strings known up front. The first batch then carries them all, and a file whose
   * strings were all declared has one plain dictionary per column (no deltas). */
  dictionary?: readonly string[];
}

export interface ArrowWriterOptions {
  /** Rows per RecordBatch (default 8192). */
  batch_rows?: number;
  /** Schema metadata (deterministic strings only). */
  metadata?: Map<string, string>;
}

/** An AsyncByteQueue that writes straight to a file: the arrow writer accepts it as its sink. */
class FdSink extends AsyncByteQueue {
  bytes = 0;
  constructor(private readonly fd: number) {
    super();
  }
  override write(value: ArrayBufferView | ArrayBufferLike | string): void {
    const u8 =
      value instanceof Uint8Array
        ? value
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : typeof value === 'string'
            ? new TextEncoder().encode(value)
            : new Uint8Array(value);
    if (u8.byteLength === 0) return;
    writeSync(this.fd, u8);
    this.bytes += u8.byteLength;
  }
}

interface ColumnBuffer {
  spec: ColumnSpec;
  type: DataType;
  f64?: Float64Array;
  idx?: Int32Array;
  str?: (string | null)[];
  valid?: Uint8Array; // one byte per row while buffering; packed to a bitmap at flush
  dict?: DictState;
}

interface DictState {
  codes: Map<string, number>;
  chunks: Data<Utf8>[];
  pending: string[]; // strings met since the last flushed chunk
}

export function arrowSchema(columns: ColumnSpec[], metadata?: Map<string, string>): Schema {
  let dictId = 0;
  const fields = columns.map((c) => {
    const type =
      c.kind === 'f64' ? new Float64() : c.kind === 'utf8' ? new Utf8() : new Dictionary(new Utf8(), new Int32(), dictId++, false);
    return new Field(c.name, type, c.nullable ?? false);
  });
  return new Schema(fields, metadata);
}

/** Buffers rows column-wise in typed arrays and cuts them into RecordBatches. */
export class BatchBuilder<R extends object = Record<string, unknown>> {
  readonly schema: Schema;
  private readonly cols: ColumnBuffer[];
  readonly batchRows: number;
  private buffered = 0;
  private total = 0;

  constructor(columns: ColumnSpec[], opts: ArrowWriterOptions = {}, private readonly label = 'table') {
    this.batchRows = opts.batch_rows ?? 8192;
    this.schema = arrowSchema(columns, opts.metadata);
    this.cols = columns.map((spec, i) => newBuffer(spec, this.schema.fields[i].type, this.batchRows));
  }

  get rows(): number {
    return this.total;
  }

  /** Adds a row; returns a full batch every `batch_rows` rows, else null. */
  append(row: R): RecordBatch | null {
    const i = this.buffered;
    const r = row as Record<string, unknown>;
    for (const c of this.cols) {
      const v = r[c.spec.name];
      const isNull = v === null || v === undefined;
      if (isNull && !c.spec.nullable) throw new Error(`${this.label}: column ${c.spec.name} is not nullable (row ${this.total})`);
      if (c.valid) c.valid[i] = isNull ? 0 : 1;
      if (c.f64) c.f64[i] = isNull ? 0 : (v as number);
      else if (c.idx) c.idx[i] = isNull ? 0 : code(c.dict!, String(v));
      else c.str![i] = isNull ? null : String(v);
    }
    this.total++;
    return ++this.buffered === this.batchRows ? this.cut() : null;
  }

  /** The rows buffered since the last batch, or null when none. */
  finish(): RecordBatch | null {
    return this.buffered > 0 ? this.cut() : null;
  }

  private cut(): RecordBatch {
    const n = this.buffered;
    const children = this.cols.map((c) => columnData(c, n));
    this.buffered = 0;
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}

/** An in-memory Arrow Table of rows, with the same schema as the files (library API, tests). */
export function tableFromRows<R extends object>(columns: ColumnSpec[], rows: Iterable<R>, opts: ArrowWriterOptions = {}): Table {
  const b = new BatchBuilder<R>(columns, opts);
  const batches: RecordBatch[] = [];
  for (const row of rows) {
    const batch = b.append(row);
    if (batch) batches.push(batch);
  }
  const last = b.finish();
  if (last) batches.push(last);
  return batches.length > 0 ? new Table(batches) : new Table(b.schema);
}

export class ArrowTableWriter<R extends object = Record<string, unknown>> {
  readonly schema: Schema;
  private readonly builder: BatchBuilder<R>;
  private readonly fd: number;
  private readonly sink: FdSink;
  private readonly writer: RecordBatchFileWriter;
  private closed = false;

  constructor(readonly path: string, columns: ColumnSpec[], opts: ArrowWriterOptions = {}) {
    this.builder = new BatchBuilder<R>(columns, opts, path);
    this.schema = this.builder.schema;
    this.fd = openSync(path, 'w');
    this.sink = new FdSink(this.fd);
    this.writer = new RecordBatchFileWriter();
    this.writer.reset(this.sink, this.schema); // writes the magic and the schema message now
  }

  get rows(): number {
    return this.builder.rows;
  }

  get bytesWritten(): number {
    return this.sink.bytes;
  }

  append(row: R): void {
    const batch = this.builder.append(row);
    if (batch) this.writer.write(batch);
  }

  /** Writes the buffered rows and the footer, then closes the file. */
  close(): void {
    if (this.closed) return;
    const last = this.builder.finish();
    if (last) this.writer.write(last);
    this.writer.finish(); // footer
    this.writer.close();
    closeSync(this.fd);
    this.closed = true;
  }

  /** Closes the file without finishing it (the caller deletes it). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function newBuffer(spec: ColumnSpec, type: DataType, n: number): ColumnBuffer {
  const b: ColumnBuffer = { spec, type };
  if (spec.nullable) b.valid = new Uint8Array(n);
  if (spec.kind === 'f64') b.f64 = new Float64Array(n);
  else if (spec.kind === 'dict') {
    b.idx = new Int32Array(n);
    b.dict = { codes: new Map(), chunks: [], pending: [] };
    for (const v of spec.dictionary ?? []) code(b.dict, v);
  } else b.str = new Array<string | null>(n);
  return b;
}

function code(d: DictState, s: string): number {
  let k = d.codes.get(s);
  if (k === undefined) {
    k = d.codes.size;
    d.codes.set(s, k);
    d.pending.push(s);
  }
  return k;
}

function columnData(c: ColumnBuffer, n: number): Data {
  const { nullCount, nullBitmap } = packValidity(c.valid, n);
  if (c.f64) {
    return makeData({ type: c.type as Float64, length: n, nullCount, nullBitmap, data: c.f64.slice(0, n) });
  }
  if (c.idx) {
    const d = c.dict!;
    // The first chunk must exist even when empty: a later non-delta chunk would be a replacement.
    if (d.pending.length > 0 || d.chunks.length === 0) {
      d.chunks.push(vectorFromArray(d.pending, new Utf8()).data[0]);
      d.pending = [];
    }
    return makeData({
      type: c.type as Dictionary<Utf8, Int32>,
      length: n,
      nullCount,
      nullBitmap,
      data: c.idx.slice(0, n),
      dictionary: new Vector(d.chunks),
    });
  }
  return vectorFromArray(c.str!.slice(0, n), new Utf8()).data[0];
}

function packValidity(valid: Uint8Array | undefined, n: number): { nullCount: number; nullBitmap?: Uint8Array } {
  if (!valid) return { nullCount: 0 };
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) bitmap[i >> 3] |= 1 << (i & 7);
    else nullCount++;
  }
  return nullCount === 0 ? { nullCount: 0 } : { nullCount, nullBitmap: bitmap };
}
