/**
 * Reads a flow-log text object as AWS writes it to S3: gzip (or plain) text whose first line is a header naming the
 * fields (`version account-id interface-id ...`), then one record per line. Streams: memory stays at about one
 * decompressed chunk (1 MiB) plus one batch, whatever the object size.
 *
 * @example
 * const reader = readFlowLogText(createReadStream('x.log.gz'), { onError: (e) => console.warn(String(e)) });
 * for await (const records of reader) for (const r of records) total += (r.bytes as number) ?? 0;
 * console.log(reader.format?.version, reader.stats);
 */
import { FlowLogFormat, FormatError } from '../format.js';
import { type FlowBatch, FlowLogParser, type FlowLogParserOptions, ParseError } from '../parser.js';
import type { FlowRecord } from '../record.js';
import { type ByteSource, decompress } from './decompress.js';
import { type LineRun, MAX_LINE_BYTES, splitLines } from './lines.js';

export type { ByteSource } from './decompress.js';

/** Options of {@link readFlowLogText}. */
export interface ReadFlowLogTextOptions {
  /**
   * The format of an object without a header line (CloudWatch Logs exports, hand-made files). A header line in the
   * object takes precedence.
   * @default none: an object without a header is an error
   */
  readonly format?: FlowLogFormat;
  /**
   * Without a header line and without `format`: read the object under a default format when its first line is a
   * record of one: the 14 tokens of a version-2 VPC record, or the 36 tokens of a Transit Gateway record of a flow
   * log created without a log format (what CloudWatch Logs exports and the AWS documentation show).
   * `reader.formatAssumed` tells when this happened.
   * @default false
   */
  readonly assumeDefault?: boolean;
  /** Called for every line that does not parse (it is counted in `stats.errors` either way). */
  readonly onError?: (error: ParseError) => void;
  /** Most records per batch. @default 65536 */
  readonly maxRows?: number;
  /** Errors kept in `reader.errors` (all are counted and passed to onError). @default 100 */
  readonly keepErrors?: number;
  /**
   * Decompressed bytes zlib may inflate ahead (on the libuv thread pool) while the caller parses: overlaps
   * inflating with parsing on a second core. 0 inflates only on demand.
   * @default 4 MiB
   */
  readonly readAhead?: number;
  /** Longest line accepted whole. @default 1 MiB */
  readonly maxLineBytes?: number;
  /** The parser's buffer scanner (see {@link FlowLogParserOptions.kernel}). @default the parser's default */
  readonly kernel?: FlowLogParserOptions['kernel'];
  /**
   * `batches()` yields batches that share one set of columns (see {@link FlowLogParserOptions.reuseBatches}): a
   * batch is valid only until the next iteration step; copy what you keep. Faster (no copy, no allocation per
   * batch). `records()` and array iteration build their objects before the next step, so they are unaffected.
   * @default false: every batch has columns of its own
   */
  readonly reuseBatches?: boolean;
}

/** Counters of one read. */
export interface TextReadStats {
  /** Lines read, including the header, blank and comment lines. */
  lines: number;
  /** Records parsed. */
  records: number;
  /** Lines that failed to parse. */
  errors: number;
  /** Header lines (the first one, and repeats from concatenated objects). */
  headers: number;
  /** Bytes read from the source (compressed size for gzip). */
  bytesIn: number;
  /** Decompressed text bytes. */
  bytesOut: number;
}

/** A streaming reader of one flow-log text object. Iterate it once: `batches()`, `records()`, or arrays. */
export class FlowLogTextReader implements AsyncIterable<FlowRecord[]> {
  /** The object's format: from its header, else the `format` option; undefined until the first line is read. */
  format: FlowLogFormat | undefined;
  /** True when the object started with a header line. */
  hasHeader = false;
  /** True when the object had no header and a default format was assumed (option `assumeDefault`; see `format`). */
  formatAssumed = false;
  /** Counters, updated as the read proceeds. */
  readonly stats: TextReadStats = { lines: 0, records: 0, errors: 0, headers: 0, bytesIn: 0, bytesOut: 0 };
  /** The first `keepErrors` parse errors. */
  readonly errors: ParseError[] = [];
  private used = false;
  private parser: FlowLogParser | undefined;

  constructor(
    private readonly source: ByteSource,
    private readonly opts: ReadFlowLogTextOptions = {},
  ) {
    this.format = opts.format;
  }

  /**
   * The fast path: columnar batches ({@link FlowBatch}), one or two per decompressed chunk.
   * @throws FormatError when the header names an unknown field, or there is no header and no `format` option.
   * @throws DecompressError when gzip data is corrupt or truncated.
   */
  async *batches(): AsyncGenerator<FlowBatch> {
    if (this.used) throw new Error('a FlowLogTextReader can be iterated only once');
    this.used = true;
    const stats = this.stats;
    const chunks = decompress(this.source, {
      readAhead: this.opts.readAhead ?? 4 << 20,
      onInputBytes: (n) => (stats.bytesIn += n),
    });
    const counted = async function* () {
      for await (const c of chunks) {
        stats.bytesOut += c.length;
        yield c;
      }
    };
    try {
      yield* this.parseRuns(splitLines(counted(), this.opts.maxLineBytes ?? MAX_LINE_BYTES));
    } finally {
      this.parser?.release();
    }
  }

  /** Parses the line runs into batches (the parser is made at the header). */
  private async *parseRuns(runs: AsyncIterable<LineRun>): AsyncGenerator<FlowBatch> {
    const stats = this.stats;
    const maxRows = this.opts.maxRows ?? 65536;
    const keep = this.opts.keepErrors ?? 100;
    const onError = this.opts.onError;
    let line = 1;
    let parser: FlowLogParser | undefined;
    for await (const run of runs) {
      let start = run.start;
      if (!parser) {
        start = this.readHeader(run);
        if (start > run.start) line = 2;
        if (!this.format) {
          throw new FormatError(
            "the object has no header line naming its fields; pass its format (the flow log's LogFormat, " +
              'e.g. FlowLogFormat.DEFAULT for the 14 version-2 fields)',
          );
        }
        parser = new FlowLogParser(this.format, {
          kernel: this.opts.kernel,
          reuseBatches: this.opts.reuseBatches,
        });
        this.parser = parser;
      }
      while (start < run.end) {
        const batch = parser.parseLines(run.buf, start, run.end, line, maxRows);
        start = batch.end;
        line = batch.nextLine;
        stats.records += batch.count;
        if (batch.errors.length > 0) {
          this.repeatedHeaders(batch);
          stats.errors += batch.errors.length;
          for (const e of batch.errors) {
            if (this.errors.length < keep) this.errors.push(e);
            onError?.(e);
          }
        }
        stats.lines = line - 1;
        yield batch;
      }
    }
  }

  /** Records one by one (objects keyed by hyphenated field name). */
  async *records(): AsyncGenerator<FlowRecord> {
    for await (const batch of this.batches()) {
      for (let r = 0; r < batch.count; r++) yield batch.record(r);
    }
  }

  /** Records in arrays, one array per batch. */
  async *[Symbol.asyncIterator](): AsyncGenerator<FlowRecord[]> {
    for await (const batch of this.batches()) if (batch.count > 0) yield batch.records();
  }

  /**
   * Concatenated objects (`cat *.log.gz`, multi-member gzip) repeat the header line mid-stream: drop repeats of this
   * object's header from the errors, and explain a header of another format.
   */
  private repeatedHeaders(batch: FlowBatch): void {
    const header = this.format?.header();
    for (let i = batch.errors.length - 1; i >= 0; i--) {
      const e = batch.errors[i];
      const names = e.text
        .trim()
        .split(/[ \t]+/)
        .join(' ');
      if (!FlowLogFormat.isHeaderLine(names)) continue;
      if (names === header) {
        batch.errors.splice(i, 1);
        this.stats.headers++;
      } else {
        batch.errors[i] = new ParseError(
          e.line,
          `header line of another format in the middle of the input (${names}); concatenated objects of ` +
            'different flow logs must be read separately',
          e.text,
        );
      }
    }
  }

  /** Detects the header on the first line; returns where records start. */
  private readHeader(run: LineRun): number {
    let start = run.start;
    const buf = run.buf;
    if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3; // UTF-8 BOM
    const nl = buf.indexOf(10, start);
    const first = Buffer.from(
      buf.buffer,
      buf.byteOffset + start,
      Math.min(nl, start + 65536) - start,
    ).toString('utf8');
    if (!FlowLogFormat.isHeaderLine(first)) {
      const assumed = !this.format && this.opts.assumeDefault ? defaultFormatOf(first) : undefined;
      if (assumed) {
        this.format = assumed;
        this.formatAssumed = true;
      }
      return start;
    }
    this.format = FlowLogFormat.fromHeader(first);
    this.hasHeader = true;
    this.stats.headers++;
    return nl + 1;
  }
}

/**
 * The default format a header-less record is written in, if it is one: 14 tokens starting with version 2 (a VPC
 * flow log without a log format), or 36 tokens starting with `6 TransitGateway` / `6 TransitGatewayAttachment` (a
 * Transit Gateway flow log without a log format).
 */
export function defaultFormatOf(line: string): FlowLogFormat | undefined {
  const tokens = line.trim().split(/[ \t]+/);
  if (tokens.length === FlowLogFormat.DEFAULT.fields.length && tokens[0] === '2')
    return FlowLogFormat.DEFAULT;
  if (
    tokens.length === FlowLogFormat.TGW_DEFAULT.fields.length &&
    tokens[0] === '6' &&
    (tokens[1] === 'TransitGateway' || tokens[1] === 'TransitGatewayAttachment')
  ) {
    return FlowLogFormat.TGW_DEFAULT;
  }
  return undefined;
}

/**
 * Reads a flow-log text object (gzip or plain, detected from its bytes) from a stream, async iterable or Buffer.
 * The header line gives the format; records come in batches; bad lines are counted and reported via `onError`.
 */
export function readFlowLogText(source: ByteSource, opts: ReadFlowLogTextOptions = {}): FlowLogTextReader {
  return new FlowLogTextReader(source, opts);
}
