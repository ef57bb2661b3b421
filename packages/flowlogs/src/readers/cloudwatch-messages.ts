/**
 * Streams CloudWatch Logs subscription messages out of a stored object: what Firehose writes to S3 from a
 * CloudWatch Logs subscription without decompression or a transform (gzip members of JSON documents back to back),
 * the same decompressed (JSON documents back to back or one per line), or one base64 record `data` per line (as
 * copied from Kinesis / Firehose records). A bad document is reported and skipped; the others still flow.
 */
import {
  type CloudWatchLogsMessage,
  DEFAULT_MAX_PAYLOAD_BYTES,
  decodeCloudWatchPayload,
  PayloadError,
  toCloudWatchLogsMessage,
} from '../cloudwatch-payload.js';
import { JsonObjectScanner } from './json-objects.js';

/** One document of the stream: its message, or why it could not be read. */
export type CloudWatchDocument =
  | { readonly index: number; readonly message: CloudWatchLogsMessage; readonly error?: undefined }
  | { readonly index: number; readonly message?: undefined; readonly error: string };

const LF = 10;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * True when decompressed text holds subscription messages rather than flow-log lines: it starts (after
 * whitespace) with `{`, or with `H4sI` (base64 of a gzip header).
 */
export function looksLikeCloudWatchMessages(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && isSpace(head[i])) i++;
  if (head[i] === 0x7b) return true;
  return Buffer.from(head.subarray(i, i + 4)).toString('latin1') === 'H4sI';
}

/**
 * Yields the documents of decompressed text (see the module comment) in order, numbered from 1. Memory: one
 * document (at most `maxDocumentBytes`; a larger one is reported and skipped) plus one chunk.
 */
export async function* readCloudWatchMessages(
  text: AsyncIterable<Uint8Array>,
  opts: { maxDocumentBytes?: number } = {},
): AsyncGenerator<CloudWatchDocument> {
  const max = opts.maxDocumentBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const it = text[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.every(isSpace)) first = await it.next();
  if (first.done) return;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (!first.done) yield first.value;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  }
  let i = 0;
  while (isSpace(first.value[i])) i++;
  yield* first.value[i] === 0x7b ? jsonDocuments(chunks(), max) : base64Lines(chunks(), max);
}

async function* jsonDocuments(
  chunks: AsyncIterable<Uint8Array>,
  max: number,
): AsyncGenerator<CloudWatchDocument> {
  const scan = new JsonObjectScanner();
  let parts: Uint8Array[] = [];
  let size = 0;
  let index = 0;
  let inJunk = false;
  for await (const chunk of chunks) {
    let from = scan.inside ? 0 : -1; // start of the current document's bytes in this chunk
    for (let i = 0; i < chunk.length; i++) {
      i = scan.next(chunk, i, chunk.length);
      if (scan.event === 'begin') {
        index++;
        inJunk = false;
        from = i;
        parts = [];
        size = 0;
      } else if (scan.event === 'end') {
        size += i + 1 - from;
        if (size > max) {
          yield { index, error: `document ${index} is larger than ${max} bytes; skipped` };
        } else {
          parts.push(chunk.subarray(from, i + 1));
          yield decodeDocument(index, Buffer.concat(parts));
        }
        parts = [];
        from = -1;
      } else if (scan.event === 'junk') {
        if (!inJunk) {
          const c = chunk[i];
          const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
          yield { index, error: `unexpected ${shown} after document ${index}; skipped up to the next '{'` };
        }
        inJunk = true;
      }
    }
    if (scan.inside && from >= 0) {
      // the document goes on in the next chunk: keep a copy (the source may reuse its buffer) unless too large
      size += chunk.length - from;
      if (size <= max) parts.push(Buffer.from(chunk.subarray(from)));
      else parts = [];
    }
  }
  if (scan.inside) yield { index, error: `document ${index} is truncated (the input ends inside it)` };
}

function decodeDocument(index: number, bytes: Buffer): CloudWatchDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { index, error: `document ${index} is not valid JSON (${(e as Error).message})` };
  }
  try {
    return { index, message: toCloudWatchLogsMessage(doc) };
  } catch (e) {
    if (e instanceof PayloadError) return { index, error: `document ${index}: ${e.message}` };
    throw e;
  }
}

async function* base64Lines(
  chunks: AsyncIterable<Uint8Array>,
  max: number,
): AsyncGenerator<CloudWatchDocument> {
  const longest = Math.ceil(max / 3) * 4 + 2; // base64 of a max-size payload, plus CRLF
  let carry = '';
  let skipping = false; // inside an over-long line
  let index = 0;
  const decode = (line: string): CloudWatchDocument => {
    index++;
    try {
      return { index, message: decodeCloudWatchPayload(line, { maxBytes: max }) };
    } catch (e) {
      if (e instanceof PayloadError) return { index, error: `document ${index}: ${e.message}` };
      throw e;
    }
  };
  for await (const chunk of chunks) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    for (let nl = buf.indexOf(LF); nl >= 0; nl = buf.indexOf(LF, start)) {
      const line = carry + buf.toString('latin1', start, nl);
      carry = '';
      start = nl + 1;
      if (skipping) skipping = false;
      else if (line.trim() !== '') yield decode(line);
    }
    if (skipping) continue;
    carry += buf.toString('latin1', start);
    if (carry.length > longest) {
      index++;
      yield { index, error: `document ${index} is longer than ${longest} characters; skipped` };
      carry = '';
      skipping = true;
    }
  }
  if (!skipping && carry.trim() !== '') yield decode(carry);
}
