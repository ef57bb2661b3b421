/** Splits a stream of byte chunks into runs of whole lines without copying them. */

/** `buf[start, end)` holds whole lines; the byte at `end - 1` is a newline. */
export interface LineRun {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** Longest line kept whole; longer lines are cut (and then fail to parse) so bad input cannot exhaust memory. */
export const MAX_LINE_BYTES = 1 << 20;

const LF = 10;

function lastLf(buf: Uint8Array): number {
  return Buffer.isBuffer(buf) ? buf.lastIndexOf(LF) : buf.lastIndexOf(LF);
}

/**
 * Yields runs of complete lines. Lines inside a chunk are passed as views of the chunk (no copy); only a line that
 * straddles chunks is copied into its own small run. A last line without a newline gets one.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<LineRun> {
  let carry: Uint8Array[] = [];
  let carryLen = 0;
  let skipping = false; // inside an overlong line: drop bytes until its newline
  for await (const chunk of chunks) {
    let start = 0;
    if (carryLen > 0 || skipping) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        if (!skipping) {
          carry.push(chunk.slice());
          carryLen += chunk.length;
          if (carryLen > maxLineBytes) skipping = true;
        }
        continue;
      }
      carry.push(chunk.subarray(0, nl + 1));
      const line = Buffer.concat(carry);
      carry = [];
      carryLen = 0;
      if (skipping) {
        skipping = false;
        yield cut(line, maxLineBytes);
      } else {
        yield { buf: line, start: 0, end: line.length };
      }
      start = nl + 1;
    }
    const last = lastLf(chunk);
    if (last >= start) {
      yield { buf: chunk, start, end: last + 1 };
      start = last + 1;
    }
    if (start < chunk.length) {
      // copy the partial last line: the chunk's memory may be reused by its producer
      carry.push(chunk.slice(start));
      carryLen = chunk.length - start;
      if (carryLen > maxLineBytes) skipping = true;
    }
  }
  if (carryLen > 0) {
    const line = Buffer.concat([...carry, Buffer.from([LF])]);
    yield skipping ? cut(line, maxLineBytes) : { buf: line, start: 0, end: line.length };
  }
}

function cut(line: Uint8Array, max: number): LineRun {
  const head = Buffer.alloc(Math.min(max, line.length - 1) + 1);
  head.set(line.subarray(0, head.length - 1));
  head[head.length - 1] = LF;
  return { buf: head, start: 0, end: head.length };
}
