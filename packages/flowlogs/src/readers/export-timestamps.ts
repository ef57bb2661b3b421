/**
 * CloudWatch Logs export files: an export task (`aws logs create-export-task`, or "Export data to Amazon S3" in the
 * console) writes each log event as one line `<timestamp> <message>`, the timestamp in ISO 8601 UTC
 * (`2024-01-01T00:00:12.000Z`). For a flow log delivered to CloudWatch Logs the message is the record, so an
 * exported line is a record behind a timestamp. {@link stripExportTimestamps} removes those timestamps so the
 * records parse under the flow log's format.
 */

const LF = 10;
const DIGIT = (b: number) => b >= 0x30 && b <= 0x39;

/**
 * Length of the `YYYY-MM-DDTHH:MM:SS[.fraction]Z` timestamp plus the one space or tab after it at `buf[i]`, or 0 when
 * the line there does not start with one.
 */
export function exportTimestampLength(buf: Uint8Array, i: number, end: number): number {
  // YYYY-MM-DDTHH:MM:SS is 19 bytes
  const shape = '0000-00-00T00:00:00';
  if (end - i < 21) return 0;
  for (let k = 0; k < shape.length; k++) {
    const b = buf[i + k];
    const want = shape.charCodeAt(k);
    if (want === 0x30 ? !DIGIT(b) : b !== want) return 0;
  }
  let j = i + 19;
  if (buf[j] === 0x2e) {
    j++;
    const digits = j;
    while (j < end && DIGIT(buf[j])) j++;
    if (j === digits || j - digits > 9) return 0;
  }
  if (buf[j] !== 0x5a /* Z */) return 0;
  j++;
  if (buf[j] !== 0x20 && buf[j] !== 0x09) return 0;
  return j + 1 - i;
}

/** True when the text's first non-blank line starts with a CloudWatch Logs export timestamp. */
export function startsWithExportTimestamp(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === LF || head[i] === 0x0d || head[i] === 0x20)) i++;
  const nl = head.indexOf(LF, i);
  return exportTimestampLength(head, i, nl < 0 ? head.length : nl + 1) > 0;
}

/**
 * Yields the decompressed text with the leading export timestamp removed from every line that has one (other lines
 * pass unchanged, so line numbers stay those of the file). Lines may straddle chunks.
 */
export async function* stripExportTimestamps(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let carry: Uint8Array | undefined; // an unfinished line from the previous chunk
  for await (const chunk of chunks) {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    const last = buf.lastIndexOf(LF);
    if (last < 0) {
      carry = buf.slice(); // copy: the source may reuse its chunk
      continue;
    }
    yield strip(buf, 0, last + 1);
    if (last + 1 < buf.length) carry = buf.slice(last + 1);
  }
  if (carry && carry.length > 0) yield strip(carry, 0, carry.length);
}

/** Copies the whole lines of buf[start, end) without their timestamps. */
function strip(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out = Buffer.allocUnsafe(end - start);
  let o = 0;
  let i = start;
  while (i < end) {
    const nl = buf.indexOf(LF, i);
    const lineEnd = nl < 0 || nl >= end ? end : nl + 1;
    const from = i + exportTimestampLength(buf, i, lineEnd);
    out.set(buf.subarray(from, lineEnd), o);
    o += lineEnd - from;
    i = lineEnd;
  }
  return out.subarray(0, o);
}
