/**
 * The flow-log record parser: one line (or a whole Buffer of lines) under a format into typed values.
 *
 * Values: `-` becomes null; int32/int64 fields become JavaScript numbers (exact up to 2^53 - 1, far above any
 * packet or byte count; a larger value is a parse error rather than a silent rounding); every other field,
 * including `account-id` (leading zeros), stays a string.
 *
 * Lines: fields are separated by one or more spaces or tabs; a CR before the LF is ignored; blank lines and lines
 * starting with `#` are skipped; text after the last field that starts with `#` is a comment (AWS's examples page
 * annotates records that way). A line with the wrong number of fields or a non-numeric integer field becomes a
 * {@link ParseError} (line number, reason, text); it is counted and reported, never thrown.
 *
 * Speed: {@link FlowLogParser.parseBuffer} scans bytes once (no string per field) into a columnar
 * {@link FlowBatch}: integer columns are Float64Arrays (NaN for `-`), string fields are byte offsets decoded only
 * when read. Plain lines go through a WebAssembly SIMD kernel (wasm/scan.c) where the runtime has one; every other
 * line through the compiled JavaScript scanner below, which is the reference. See docs/parsing.md.
 */
import type { FieldSpec } from './fields.js';
import type { FlowLogFormat } from './format.js';
import type { FlowRecord, FlowValue } from './record.js';
import {
  giveBackKernel,
  KERNEL_MAX_FIELDS,
  KERNEL_WINDOW,
  loadKernel,
  type ScanKernel,
  takeKernel,
} from './wasm/kernel.js';

/** A line that could not be parsed. Not an Error: parsers return it (and count it) instead of throwing. */
export class ParseError {
  constructor(
    /** 1-based line number in the input (the header, if any, is line 1). */
    readonly line: number,
    /** What is wrong, naming the field and value. */
    readonly reason: string,
    /** The line's text (cut at {@link MAX_ERROR_TEXT} characters). */
    readonly text: string,
  ) {}

  /** `line N: reason`. */
  toString(): string {
    return `line ${this.line}: ${this.reason}`;
  }
}

/** True when a parse result is an error rather than a record. */
export function isParseError(x: unknown): x is ParseError {
  return x instanceof ParseError;
}

/** Longest line text kept in a ParseError. */
export const MAX_ERROR_TEXT = 4096;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const ZERO = 48;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** @internal The columns of reused batches: `capacity` rows laid out as a batch slab, at `byteOffset`. */
export interface ColumnRegion {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  /** Its address in the scan kernel's memory, or -1 when it is not in wasm memory. */
  readonly addr: number;
}

/**
 * A batch of parsed records over one Buffer, stored by column. Integer fields are Float64Arrays (NaN for `-`);
 * string fields are byte offsets into the Buffer, decoded when read. Rows are in input order.
 */
export class FlowBatch {
  /** Number of records. */
  count = 0;
  /** Lines that failed to parse, in input order. */
  readonly errors: ParseError[] = [];
  /** @internal Rows stored by the kernel whose line numbers are not written yet: (row, rows, line) triples. */
  readonly lineRuns: number[] = [];
  private readonly lineColumn: Float64Array;
  /** Byte offset where the batch stopped (the start of the first line not consumed). */
  end = 0;
  /** Line number of the first line not consumed. */
  nextLine = 0;
  /** Line number of the first line scanned. */
  firstLine = 0;

  /** @internal per int field (by slot): `capacity` values, column-major. */
  readonly ints: Float64Array;
  /** @internal per string field (by slot): start offsets, column-major. */
  readonly strStart: Int32Array;
  /** @internal per string field (by slot): end offsets, column-major. */
  readonly strEnd: Int32Array;
  /** @internal Address of the columns in the scan kernel's memory; -1 when they are not there. */
  readonly addr: number;
  /**
   * True when the columns are the parser's reused region (option `reuseBatches`): the batch is valid only until
   * the parser (or reader) makes its next batch, which overwrites them; rows from `count` on hold stale values.
   */
  readonly reused: boolean;

  constructor(
    /** The parser's format. */
    readonly format: FlowLogFormat,
    /** The bytes the string offsets point into. */
    readonly buf: Uint8Array,
    /** Maximum rows. */
    readonly capacity: number,
    private readonly plan: Plan,
    region?: ColumnRegion,
  ) {
    // one slab, not zero-filled up front: the scan writes every row below `count`, clearTail() zeroes the rest
    const ints = capacity * plan.intCount;
    const strs = capacity * plan.strCount;
    const slab = region ? region.buffer : Buffer.allocUnsafeSlow(8 * (capacity + ints) + 8 * strs).buffer;
    const at = region ? region.byteOffset : 0;
    this.addr = region ? region.addr : -1;
    this.reused = region !== undefined;
    this.lineColumn = new Float64Array(slab, at, capacity);
    this.ints = new Float64Array(slab, at + 8 * capacity, ints);
    this.strStart = new Int32Array(slab, at + 8 * (capacity + ints), strs);
    this.strEnd = new Int32Array(slab, at + 8 * (capacity + ints) + 4 * strs, strs);
  }

  /** @internal Zeroes the rows from `count` on (the slab is not zero-filled), once the scan is done. */
  clearTail(): this {
    const cap = this.capacity;
    const from = this.count;
    if (from === cap) return this;
    this.lineColumn.fill(0, from);
    for (let s = 0; s < this.plan.intCount; s++) this.ints.fill(0, s * cap + from, (s + 1) * cap);
    for (let s = 0; s < this.plan.strCount; s++) {
      this.strStart.fill(0, s * cap + from, (s + 1) * cap);
      this.strEnd.fill(0, s * cap + from, (s + 1) * cap);
    }
    return this;
  }

  /** 1-based input line number of each record (the rows the kernel stored get theirs on the first read). */
  get lines(): Float64Array {
    const runs = this.lineRuns;
    if (runs.length > 0) {
      const c = this.lineColumn;
      for (let i = 0; i < runs.length; i += 3) {
        const row = runs[i];
        const line = runs[i + 2];
        for (let k = 0; k < runs[i + 1]; k++) c[row + k] = line + k;
      }
      runs.length = 0;
    }
    return this.lineColumn;
  }

  /**
   * The values of an integer field for every record (NaN where the record has `-`). A view, valid while the batch
   * is alive.
   * @throws Error when the format lacks the field or it is a string field.
   */
  column(name: string): Float64Array {
    const i = this.format.indexOf(name);
    if (i < 0 || !this.plan.isInt[i]) throw new Error(`'${name}' is not an integer field of this format.`);
    const at = this.plan.slot[i] * this.capacity;
    return this.ints.subarray(at, at + this.count);
  }

  /** One field of one record, by field position in the format. */
  valueAt(row: number, field: number): FlowValue {
    const plan = this.plan;
    const s = plan.slot[field];
    if (plan.isInt[field]) {
      const v = this.ints[s * this.capacity + row];
      return Number.isNaN(v) ? null : v;
    }
    const at = s * this.capacity + row;
    return decodeString(this.buf, this.strStart[at], this.strEnd[at]);
  }

  /** One field of one record, by name; undefined when the format lacks the field. */
  get(row: number, name: string): FlowValue | undefined {
    const i = this.format.indexOf(name);
    return i < 0 ? undefined : this.valueAt(row, i);
  }

  /** One record as an object keyed by hyphenated field name, in format order. */
  record(row: number): FlowRecord {
    return this.plan.build(this, row);
  }

  /** Every record as objects. */
  records(): FlowRecord[] {
    const out = new Array<FlowRecord>(this.count);
    for (let r = 0; r < this.count; r++) out[r] = this.plan.build(this, r);
    return out;
  }
}

const textDecoder = new TextDecoder();

/** Node's native UTF-8 slice (no argument processing, no subarray); undefined outside Node. */
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (s: number, e: number) => string }).utf8Slice;

const ACCEPT = Buffer.from('ACCEPT');
const REJECT = Buffer.from('REJECT');

function is(buf: Uint8Array, start: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

function decodeString(buf: Uint8Array, start: number, end: number): string | null {
  const len = end - start;
  if (len === 1 && buf[start] === DASH) return null;
  // shared constants for the commonest values (no new string per record)
  if (len === 2 && buf[start] === 79 && buf[start + 1] === 75) return 'OK';
  if (len === 6 && is(buf, start, ACCEPT)) return 'ACCEPT';
  if (len === 6 && is(buf, start, REJECT)) return 'REJECT';
  return utf8Slice && buf instanceof Buffer
    ? utf8Slice.call(buf, start, end)
    : textDecoder.decode(buf.subarray(start, end));
}

/** What the scanner needs per field, precomputed from the format. */
interface Plan {
  readonly n: number;
  /** 1 for integer fields. */
  readonly isInt: Uint8Array;
  /** Index among int fields or among string fields. */
  readonly slot: Int32Array;
  readonly intCount: number;
  readonly strCount: number;
  readonly build: (batch: FlowBatch, row: number) => FlowRecord;
  readonly scan: Scanner;
}

/** Compiled code per format, shared by every parser of that format so the JIT warms up once per process. */
const PLANS = new Map<string, Plan>();

function makePlan(fields: readonly FieldSpec[]): Plan {
  const key = fields.map((f) => f.name).join(' ');
  let plan = PLANS.get(key);
  if (!plan) {
    plan = newPlan(fields);
    if (PLANS.size > 256) PLANS.clear();
    PLANS.set(key, plan);
  }
  return plan;
}

function newPlan(fields: readonly FieldSpec[]): Plan {
  const n = fields.length;
  const isInt = new Uint8Array(n);
  const slot = new Int32Array(n);
  let intCount = 0;
  let strCount = 0;
  for (let i = 0; i < n; i++) {
    if (fields[i].type === 'string') {
      slot[i] = strCount++;
    } else {
      isInt[i] = 1;
      slot[i] = intCount++;
    }
  }
  return {
    n,
    isInt,
    slot,
    intCount,
    strCount,
    build: compileBuilder(fields),
    scan: compileScanner({ n, isInt, slot }),
  };
}

const SAFE_NAME = /^[a-z0-9-]+$/;

/**
 * Compiles `(batch, row) => ({ "version": ..., "account-id": ..., ... })` for a format so every record object has
 * one fixed shape (fast property access, no dictionary-mode objects). Safe: the field names come from the catalog
 * (FlowLogFormat only admits catalog fields), are checked against /^[a-z0-9-]+$/ and are emitted via
 * JSON.stringify; no input data reaches the generated source.
 */
function compileBuilder(fields: readonly FieldSpec[]): (batch: FlowBatch, row: number) => FlowRecord {
  const props = fields.map((f, i) => {
    if (!SAFE_NAME.test(f.name)) throw new Error(`unexpected field name ${JSON.stringify(f.name)}`);
    return `${JSON.stringify(f.name)}: b.valueAt(r, ${i})`;
  });
  // (direct typed-array reads inlined here measured 2-4x slower for 29-field formats than the valueAt calls)
  return new Function('b', 'r', `return { ${props.join(', ')} };`) as (b: FlowBatch, r: number) => FlowRecord;
}

/** Options of {@link FlowLogParser}. */
export interface FlowLogParserOptions {
  /**
   * The buffer scanner: `wasm` runs a WebAssembly SIMD kernel over plain lines and the JavaScript scanner over the
   * rest (same results, faster); `js` uses only JavaScript; `auto` uses wasm where the runtime supports it.
   * Single lines ({@link FlowLogParser.parseLine}) always use JavaScript.
   * @default 'auto'
   */
  readonly kernel?: 'auto' | 'wasm' | 'js';
  /**
   * Reuse one set of columns for every batch of {@link FlowLogParser.parseBuffer} and
   * {@link FlowLogParser.parseLines} (like Arrow record batch readers or DuckDB data chunks): a batch is valid only
   * until the next one is made, which overwrites its columns (copy what you keep, e.g. `record(r)`, `records()`, or
   * `column(name).slice()`); rows from `count` on hold stale values, not zeros. The batches (counts, values, errors)
   * are the same as without the option. With the wasm kernel the columns live in the memory of a kernel instance of the parser's own, which
   * writes them in place: no copy, no allocation per batch, columns that stay in cache. About 4 MiB plus
   * `maxRows` x 8 bytes x (fields + 1) of memory per parser.
   * @default false: every batch has columns of its own
   */
  readonly reuseBatches?: boolean;
}

const DEFAULT_KERNEL: 'auto' | 'wasm' | 'js' = 'auto';

/**
 * Parses flow-log record lines under one format. Create one per format and reuse it.
 *
 * @example
 * const parser = new FlowLogParser(FlowLogFormat.DEFAULT);
 * const r = parser.parseLine('2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK', 1);
 * if (isParseError(r)) console.error(`${r.line}: ${r.reason}`); else console.log(r.bytes); // 4249
 */
export class FlowLogParser {
  private readonly plan: Plan;
  private readonly scan: Scanner;
  /** Running estimate of bytes per line, for batch sizing. Starts low (NODATA lines are short). */
  private bytesPerLine: number;
  /** The scanner in use for buffers: `wasm` (WebAssembly SIMD kernel plus JavaScript for odd lines) or `js`. */
  readonly kernel: 'wasm' | 'js';
  /** See {@link FlowLogParserOptions.reuseBatches}. */
  readonly reuseBatches: boolean;
  /** Reuse mode: the kernel instance of this parser (its memory holds the columns). */
  private own: ScanKernel | undefined;
  /** Reuse mode with the JavaScript scanner: the columns. */
  private regionBuffer: ArrayBuffer | undefined;
  private released = false;

  constructor(
    readonly format: FlowLogFormat,
    opts: FlowLogParserOptions = {},
  ) {
    this.plan = makePlan(format.fields);
    this.bytesPerLine = Math.max(8, this.plan.n * 5);
    const want = opts.kernel ?? DEFAULT_KERNEL;
    this.reuseBatches = opts.reuseBatches === true;
    const k =
      want === 'js' || this.plan.n > KERNEL_MAX_FIELDS
        ? undefined
        : this.reuseBatches
          ? takeKernel()
          : loadKernel();
    this.own = this.reuseBatches ? k : undefined;
    if (want === 'wasm' && !k) {
      throw new Error(
        this.plan.n > KERNEL_MAX_FIELDS
          ? `the wasm kernel handles at most ${KERNEL_MAX_FIELDS} fields`
          : 'WebAssembly SIMD is not available in this runtime',
      );
    }
    this.kernel = k ? 'wasm' : 'js';
    this.scan = k ? hybridScanner(k, this.plan) : this.plan.scan;
  }

  /** Parses one record line (without or with its trailing newline). Blank and `#` lines are errors here. */
  parseLine(line: string | Uint8Array, lineNo: number): FlowRecord | ParseError {
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    const buf = Buffer.allocUnsafe(bytes.length + 1);
    buf.set(bytes, 0);
    buf[bytes.length] = LF;
    const batch = new FlowBatch(this.format, buf, 1, this.plan);
    this.plan.scan(batch, buf, 0, buf.length, lineNo, onBad);
    if (batch.count === 1) return batch.record(0);
    if (batch.errors.length === 1) return batch.errors[0];
    return new ParseError(lineNo, 'blank line or comment: no record', decodeText(buf, 0, bytes.length));
  }

  /**
   * Parses the lines of `buf[start, end)` into columnar batches of at most `maxRows` records each. The last line
   * need not end with a newline. `firstLine` is the line number of the line at `start`.
   */
  *parseBuffer(
    buf: Uint8Array,
    opts: { start?: number; end?: number; firstLine?: number; maxRows?: number } = {},
  ): Generator<FlowBatch> {
    let pos = opts.start ?? 0;
    let end = opts.end ?? buf.length;
    let line = opts.firstLine ?? 1;
    const maxRows = opts.maxRows ?? 65536;
    let tail: Uint8Array | undefined;
    if (end > pos && buf[end - 1] !== LF) {
      // copy only the unterminated last line, with a newline, so the scanner never needs bounds checks
      const lastNl = lastIndexOf(buf, LF, pos, end);
      const t = Buffer.allocUnsafe(end - (lastNl + 1) + 1);
      t.set(buf.subarray(lastNl + 1, end), 0);
      t[t.length - 1] = LF;
      tail = t;
      end = lastNl + 1;
    }
    while (pos < end) {
      const batch = this.newBatch(buf, end - pos, maxRows);
      this.scan(batch, buf, pos, end, line, onBad);
      this.observe(batch, pos);
      pos = batch.end;
      line = batch.nextLine;
      yield batch;
    }
    if (tail) {
      const batch = new FlowBatch(this.format, tail, 1, this.plan);
      this.plan.scan(batch, tail, 0, tail.length, line, onBad);
      yield batch.clearTail();
    }
  }

  /**
   * Parses newline-terminated lines of `buf[start, end)` into one batch (stops early when `maxRows` records are
   * stored; see `batch.end`). The byte at `end - 1` must be a newline.
   */
  parseLines(buf: Uint8Array, start: number, end: number, firstLine: number, maxRows = 65536): FlowBatch {
    if (end > start && buf[end - 1] !== LF) throw new Error('parseLines needs newline-terminated input');
    const batch = this.newBatch(buf, end - start, maxRows);
    this.scan(batch, buf, start, end, firstLine, onBad);
    return this.observe(batch, start);
  }

  private newBatch(buf: Uint8Array, bytes: number, maxRows: number): FlowBatch {
    // Size the batch from the bytes per line seen so far (a batch that fills up stops early and the caller
    // continues with another), so each batch allocates about what it uses. Reused columns are sized the same way
    // (the same batches; and a column stride of exactly maxRows, a power of two, made the columns of a row share
    // cache sets: v5 was slower than with fresh columns).
    const estimate = Math.ceil((bytes / this.bytesPerLine) * 1.15) + 32;
    const rows = Math.max(1, Math.min(maxRows, estimate));
    if (this.reuseBatches) return new FlowBatch(this.format, buf, rows, this.plan, this.region(rows, bytes));
    return new FlowBatch(this.format, buf, rows, this.plan);
  }

  /**
   * Reuse mode: the columns for a batch of `rows` rows over `bytes` of input (the same memory every time; new
   * views, cheap). Any growth of the kernel's memory happens here, before the batch's views are made (it detaches
   * the views of earlier batches, which were valid until now only).
   */
  private region(rows: number, bytes: number): ColumnRegion {
    if (this.released) throw new Error('this parser was released; create another one');
    const size = 8 * rows * (1 + this.plan.intCount + this.plan.strCount);
    if (this.own) {
      const addr = this.own.reserveColumns(size, bytes);
      return { buffer: this.own.buffer, byteOffset: addr, addr };
    }
    if (!this.regionBuffer || this.regionBuffer.byteLength < size)
      this.regionBuffer = new ArrayBuffer(Math.max(size, (this.regionBuffer?.byteLength ?? 0) * 1.5));
    return { buffer: this.regionBuffer, byteOffset: 0, addr: -1 };
  }

  /**
   * Reuse mode: gives this parser's kernel instance back for other parsers (readers call it when their read
   * ends). Its batches become invalid and the parser must not parse buffers again.
   */
  release(): void {
    this.released = true;
    if (this.own) giveBackKernel(this.own);
    this.own = undefined;
  }

  private observe(batch: FlowBatch, start: number): FlowBatch {
    const lines = batch.nextLine - batch.firstLine;
    if (lines > 64) this.bytesPerLine = Math.max(2 * this.plan.n, (batch.end - start) / lines);
    return batch.reused ? batch : batch.clearTail();
  }
}

function lastIndexOf(buf: Uint8Array, byte: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (buf[i] === byte) return i;
  return start - 1;
}

function decodeText(buf: Uint8Array, start: number, end: number): string {
  let e = end;
  while (e > start && (buf[e - 1] === LF || buf[e - 1] === CR)) e--;
  const text = textDecoder.decode(buf.subarray(start, Math.min(e, start + MAX_ERROR_TEXT * 4)));
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}...` : text;
}

type Scanner = (
  batch: FlowBatch,
  buf: Uint8Array,
  start: number,
  end: number,
  firstLine: number,
  bad: (batch: FlowBatch, buf: Uint8Array, start: number, end: number, line: number) => void,
  /** Stop before this line number. @default no limit */
  lineLimit?: number,
) => void;

/**
 * Compiles the hot loop for one format: scans newline-terminated lines of buf[start, end) into the batch until it is
 * full. One pass over the bytes, unrolled per field (no per-field type dispatch); integer fields are accumulated
 * from digits as they are scanned, string fields only record their byte offsets. Every inner loop stops at the
 * final LF, so no bounds checks are needed. Bad lines go to `bad` (the slow path). Safe: the generated source
 * depends only on the fields' types and positions, never on input data or names.
 */
function compileScanner(plan: { n: number; isInt: Uint8Array; slot: Int32Array }): Scanner {
  const fields: string[] = [];
  for (let f = 0; f < plan.n; f++) {
    const sep =
      f === 0
        ? ''
        : `if (c !== ${SPACE} && c !== ${TAB}) break bad;
        do c = buf[++pos]; while (c === ${SPACE} || c === ${TAB});
        `;
    const base = `${plan.slot[f]} * cap + row`;
    fields.push(
      plan.isInt[f]
        ? `${sep}d = c - ${ZERO};
        if (d >>> 0 < 10) {
          v = d; c = buf[++pos]; d = c - ${ZERO};
          while (d >>> 0 < 10) { v = v * 10 + d; c = buf[++pos]; d = c - ${ZERO}; }
          if (c > ${SPACE} || v > ${MAX_SAFE}) break bad;
          ints[${base}] = v;
        } else if (c === ${DASH} && buf[pos + 1] <= ${SPACE}) {
          ints[${base}] = NaN; c = buf[++pos];
        } else break bad;`
        : `${sep}if (c <= ${SPACE}) break bad;
        ss[${base}] = pos; do c = buf[++pos]; while (c > ${SPACE}); se[${base}] = pos;`,
    );
  }
  const body = `
  const cap = batch.capacity, ints = batch.ints, ss = batch.strStart, se = batch.strEnd, lines = batch.lines;
  let row = batch.count, pos = start, line = firstLine, c = 0, d = 0, v = 0;
  const stop = lineLimit === undefined ? Infinity : lineLimit;
  outer: while (pos < end && row < cap && line < stop) {
    const lineStart = pos;
    c = buf[pos];
    while (c === ${SPACE} || c === ${TAB}) c = buf[++pos];
    if (c === ${CR}) c = buf[++pos];
    if (c === ${LF} || c === ${HASH}) { while (c !== ${LF}) c = buf[++pos]; pos++; line++; continue; }
    bad: {
      ${fields.join('\n      ')}
      while (c === ${SPACE} || c === ${TAB} || c === ${CR}) c = buf[++pos];
      if (c === ${HASH}) while (c !== ${LF}) c = buf[++pos];
      if (c !== ${LF}) break bad;
      lines[row++] = line; pos++; line++;
      continue outer;
    }
    while (buf[pos] !== ${LF}) pos++;
    pos++;
    onBad(batch, buf, lineStart, pos, line);
    line++;
  }
  batch.count = row; batch.end = pos; batch.nextLine = line; batch.firstLine = firstLine;`;
  return new Function('batch', 'buf', 'start', 'end', 'firstLine', 'onBad', 'lineLimit', body) as Scanner;
}

/** Smallest kernel window (bytes). */
const MIN_KERNEL_WINDOW = 8192;

/**
 * The kernel over plain lines, the JavaScript scanner over every other line (blank, comment, tabs, CRLF, runs of
 * spaces, bad lines): results identical to the JavaScript scanner alone.
 */
function hybridScanner(kernel: ScanKernel, plan: Plan): Scanner {
  return (batch, buf, start, end, firstLine, bad) => {
    let pos = start;
    let line = firstLine;
    let burst = 0;
    // bytes the kernel copies and scans per call: large while lines are plain, small after it stops early (so
    // input with an odd line every few lines costs no more than the JavaScript scanner)
    let window = KERNEL_WINDOW;
    const cap = batch.capacity;
    while (pos < end && batch.count < cap) {
      const from = pos;
      const step = kernel.scan(plan, batch, batch.count, buf, pos, end, window);
      const rows = step.rows;
      // line numbers of kernel rows are consecutive: written when first read (batch.lines)
      if (rows > 0) batch.lineRuns.push(batch.count, rows, line);
      batch.count += rows;
      line += rows;
      pos = step.end;
      window = step.stopped
        ? Math.max(MIN_KERNEL_WINDOW, 2 * (pos - from))
        : Math.min(KERNEL_WINDOW, 2 * window);
      if (!step.stopped || batch.count >= cap) continue;
      // the next line is not plain: the JavaScript scanner takes it, and more lines when odd lines come in a row
      burst = rows === 0 ? Math.min(1024, burst * 2 || 1) : 1;
      plan.scan(batch, buf, pos, end, line, bad, line + burst);
      pos = batch.end;
      line = batch.nextLine;
    }
    batch.end = pos;
    batch.nextLine = line;
    batch.firstLine = firstLine;
  };
}

function onBad(batch: FlowBatch, buf: Uint8Array, start: number, end: number, line: number): void {
  batch.errors.push(diagnose(batch.format, buf, start, end, line));
}

/** Explains why a line failed the fast scan (slow path: only for bad lines). */
function diagnose(
  format: FlowLogFormat,
  buf: Uint8Array,
  start: number,
  end: number,
  line: number,
): ParseError {
  const text = decodeText(buf, start, end);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we look for
  const ctl = /[\x00-\x08\x0b-\x1f]/.exec(text.replace(/\r$/, ''));
  if (ctl) {
    return new ParseError(
      line,
      `control character 0x${ctl[0].charCodeAt(0).toString(16).padStart(2, '0')} at column ${ctl.index + 1}; not a flow-log text line (is the file compressed or binary?)`,
      text,
    );
  }
  const n = format.fields.length;
  let tokens = text.trim().split(/[ \t]+/);
  // a token starting with '#' after the last field starts a comment
  if (tokens.length > n && tokens[n].startsWith('#')) tokens = tokens.slice(0, n);
  if (tokens.length !== n) {
    const v = format.version;
    return new ParseError(
      line,
      `expected ${n} fields (format: ${format.header()}; version ${v}), found ${tokens.length}`,
      text,
    );
  }
  for (let f = 0; f < n; f++) {
    if (format.fields[f].type === 'string') continue;
    const t = tokens[f];
    const name = format.names[f];
    if (t === '-') continue;
    if (!/^[0-9]+$/.test(t)) {
      return new ParseError(line, `field '${name}' is '${t}'; expected an integer or '-'`, text);
    }
    if (Number(t) > MAX_SAFE) {
      return new ParseError(
        line,
        `field '${name}' value ${t} is larger than 2^53-1 and cannot be exact`,
        text,
      );
    }
  }
  return new ParseError(line, 'unparseable line', text);
}
