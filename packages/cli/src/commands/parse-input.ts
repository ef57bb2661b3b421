/**
 * One input of `flowlake parse`: recognises what the (decompressed) bytes are, then prints its records as JSON
 * lines. Flow-log text (S3 objects, pasted records), CloudWatch Logs exports (a timestamp before each record) and
 * CloudWatch Logs subscription messages (as Firehose stores them in S3 without a transform, or base64 record data
 * one per line).
 */
import type { Readable } from 'node:stream';
import {
  batchJsonLines,
  DecompressError,
  decompress,
  defaultFormatOf,
  FlowLogFormat,
  FlowLogParser,
  FormatError,
  isParseError,
  looksLikeCloudWatchMessages,
  readCloudWatchMessages,
  readFlowLogText,
  startsWithExportTimestamp,
  stripExportTimestamps,
} from '@flowlake/flowlogs';
import type { Io } from '../io.js';

/** What one input gave. */
export interface InputResult {
  records: number;
  bad: number;
  /** The gzip data was corrupt or truncated (records before the damage were printed). */
  unreadable: boolean;
  /** stdout was closed (e.g. `| head`): stop reading. */
  closed: boolean;
}

/** One input: a file (with its path) or standard input. */
export interface ParseInput {
  readonly name: string;
  readonly stream: Readable;
  readonly path?: string;
}

type Kind = 'text' | 'export' | 'cloudwatch' | 'parquet';

/** The decompressed bytes and what they hold, judged from their first line (or first 4 KiB). */
async function open(stream: Readable): Promise<{ kind: Kind; chunks: AsyncIterable<Uint8Array> }> {
  const text = decompress(stream);
  const head: Uint8Array[] = [];
  let len = 0;
  while (len < 4096) {
    const next = await text.next(); // not for-of: leaving that loop would close the generator
    if (next.done) break;
    if (next.value.length === 0) continue;
    head.push(next.value);
    len += next.value.length;
    if (next.value.includes(10)) break;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* head;
    yield* { [Symbol.asyncIterator]: () => text };
  }
  const first = Buffer.concat(head);
  if (first.subarray(0, 4).toString('latin1') === 'PAR1') return { kind: 'parquet', chunks: all() };
  if (looksLikeCloudWatchMessages(first)) return { kind: 'cloudwatch', chunks: all() };
  if (startsWithExportTimestamp(first)) return { kind: 'export', chunks: stripExportTimestamps(all()) };
  return { kind: 'text', chunks: all() };
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function assumedNotice(name: string, format: FlowLogFormat): string {
  return format === FlowLogFormat.TGW_DEFAULT
    ? `${name}: no header line; its records have the 36 fields of the Transit Gateway default format, read as --format tgw-default\n`
    : `${name}: no header line; its records have the 14 fields of the default format, read as --format default\n`;
}

/**
 * Parses one input and prints its records. Throws FormatError (unknown field; no header and no format); reports a
 * corrupt gzip stream on stderr and returns `unreadable`.
 */
export async function parseInput(
  { name, stream, path }: ParseInput,
  format: FlowLogFormat | undefined,
  io: Io,
): Promise<InputResult> {
  const result: InputResult = { records: 0, bad: 0, unreadable: false, closed: false };
  const target: Target = { name, format, io, result };
  try {
    const { kind, chunks } = await open(stream);
    if (kind === 'parquet') {
      const { printParquet } = await import('./parse-parquet.js'); // loads DuckDB only for Parquet
      await printParquet(path, chunks, target);
    } else if (kind === 'cloudwatch') {
      io.err(
        `${name}: CloudWatch Logs subscription messages; parsing the flow-log records in their log events\n`,
      );
      await printCloudWatch(chunks, target);
    } else {
      if (kind === 'export') {
        io.err(
          `${name}: lines start with CloudWatch Logs export timestamps; parsing the records after them\n`,
        );
      }
      await printText(chunks, target);
    }
  } catch (e) {
    if (!(e instanceof DecompressError)) throw e;
    io.err(`${name}: ${e.message}\n`);
    result.unreadable = true;
  }
  return result;
}

/** What the printers share: the input's name, the --format, where to write and the counters to update. */
export interface Target {
  readonly name: string;
  readonly format: FlowLogFormat | undefined;
  readonly io: Io;
  readonly result: InputResult;
}

async function printText(
  chunks: AsyncIterable<Uint8Array>,
  { name, format, io, result }: Target,
): Promise<void> {
  const reader = readFlowLogText(chunks, {
    format,
    assumeDefault: true,
    reuseBatches: true, // each batch becomes JSON bytes before the next step
    onError: (e) => io.err(`${name}:${e.line}: ${e.reason}\n    ${clip(e.text)}\n`),
  });
  try {
    let noticed = false;
    for await (const batch of reader.batches()) {
      if (!noticed && reader.formatAssumed && reader.format) io.err(assumedNotice(name, reader.format));
      noticed = true;
      if (batch.count > 0) io.out(batchJsonLines(batch));
      if (io.drain && !(await io.drain())) {
        result.closed = true;
        break;
      }
    }
  } finally {
    result.records += reader.stats.records;
    result.bad += reader.stats.errors;
  }
}

/**
 * Subscription messages: every log event of every DATA_MESSAGE is one record line (CONTROL_MESSAGEs carry none).
 * Without `format`, the first record must be of a default format. A bad document or record is reported as
 * `name: document D event E: reason` and counted; the others still print.
 */
async function printCloudWatch(
  chunks: AsyncIterable<Uint8Array>,
  { name, format, io, result }: Target,
): Promise<void> {
  let parser = format ? new FlowLogParser(format) : undefined;
  for await (const doc of readCloudWatchMessages(chunks)) {
    if (doc.error !== undefined) {
      io.err(`${name}: ${doc.error}\n`);
      result.bad++;
      continue;
    }
    if (doc.message.messageType !== 'DATA_MESSAGE') continue; // a reachability check: no records
    let text = '';
    doc.message.logEvents.forEach((event, e) => {
      if (!parser) {
        const assumed = defaultFormatOf(event.message);
        if (!assumed) throw new FormatError(`${name}: the log events carry no header naming their fields`);
        io.err(assumedNotice(name, assumed));
        parser = new FlowLogParser(assumed);
      }
      const where = `document ${doc.index} event ${e + 1}`;
      const r = parser.parseLine(event.message, e + 1);
      if (isParseError(r)) {
        io.err(`${name}: ${where} (${doc.message.logStream}): ${r.reason}\n    ${clip(r.text)}\n`);
        result.bad++;
      } else {
        text += `${JSON.stringify(r)}\n`;
        result.records++;
      }
    });
    if (text !== '') io.out(text);
    if (io.drain && !(await io.drain())) {
      result.closed = true;
      return;
    }
  }
}
