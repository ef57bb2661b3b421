/**
 * The byte-source twin of {@link compileJsonLineWriter}: writes the flow-log line held in bytes `[start, end)` of
 * a buffer (a log event's message inside a scanned payload) as one JSON object plus newline, with no JS string in
 * between. Same output bytes where it succeeds; it gives up (the caller then uses the general string encoder) on
 * the same integer fields, but it copies string fields without looking at them: the source must be printable
 * ASCII without quotes or backslashes, which {@link scanSubscriptionMessage} guarantees for messages (DEL, 0x7f,
 * is printed as is by every encoder).
 */
import type { FlowLogFormat } from '../format.js';
import { type ByteWriter, littleEndianWords, writeNull } from './byte-writer.js';

/** Writes `src[start, end)` as a JSON line into `w`; false, with `w.pos` unchanged, when the general encoder must. */
export type JsonBytesWriter = (src: Buffer, start: number, end: number, w: ByteWriter) => boolean;

const SPACE = 32;
const LF = 10;
const DASH = 45;
const ZERO = 48;
const NINE = 57;
const QUOTE = 34;

/** Compiles the byte-source JSON line writer of a format. */
export function compileJsonBytesWriter(format: FlowLogFormat): JsonBytesWriter {
  const n = format.names.length;
  const keys = format.names.map((name, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`));
  // Keys are stored a word at a time (the up to 3 bytes past a key are overwritten by what follows).
  const keyWords = keys.map(littleEndianWords);
  const keyLengths = keys.map((k) => k.length);
  const isInt = format.fields.map((f) => f.type !== 'string');
  const keyBytes = keys.reduce((a, k) => a + k.length + 4, 0);
  let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  let viewOf: Buffer | undefined;
  let sview: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  let sviewOf: Buffer | undefined;
  return (src, start, end, w) => {
    w.ensure(keyBytes + (end - start) + 2 * n + 8);
    const out = w.buf;
    if (viewOf !== out) {
      view = new DataView(out.buffer, out.byteOffset, out.length);
      viewOf = out;
    }
    if (sviewOf !== src) {
      sview = new DataView(src.buffer, src.byteOffset, src.length);
      sviewOf = src;
    }
    // Values are copied a word at a time while the word holds no space (and, for integers, only digits).
    const end4 = end - 4;
    let o = w.pos;
    let i = start;
    let k = 0;
    while (k < n) {
      const kw = keyWords[k];
      for (let q = 0; q < kw.length; q++) view.setUint32(o + 4 * q, kw[q], true);
      o += keyLengths[k];
      const t = o;
      let j = i;
      let ok = true;
      if (isInt[k]) {
        while (j <= end4) {
          const x = sview.getUint32(j, true);
          const sp = x ^ 0x20202020;
          if (((sp - 0x01010101) & ~sp & 0x80808080) !== 0) break;
          if ((x & 0xf0f0f0f0) !== 0x30303030 || ((x + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) ok = false;
          view.setUint32(o, x, true);
          o += 4;
          j += 4;
        }
        while (j < end) {
          const c = src[j];
          if (c === SPACE) break;
          if (c < ZERO || c > NINE) ok = false;
          out[o++] = c;
          j++;
        }
        const len = j - i;
        if (len === 1 && out[t] === DASH) o = writeNull(out, t);
        else if (!ok || len === 0 || len > 15 || (len > 1 && out[t] === ZERO)) return false;
      } else {
        out[o++] = QUOTE;
        while (j <= end4) {
          const x = sview.getUint32(j, true);
          const sp = x ^ 0x20202020;
          if (((sp - 0x01010101) & ~sp & 0x80808080) !== 0) break;
          view.setUint32(o, x, true);
          o += 4;
          j += 4;
        }
        while (j < end) {
          const c = src[j];
          if (c === SPACE) break;
          out[o++] = c;
          j++;
        }
        const len = j - i;
        if (len === 1 && out[t + 1] === DASH) o = writeNull(out, t);
        else if (len === 0) return false;
        else out[o++] = QUOTE;
      }
      k++;
      i = j + 1;
      if (j === end) break;
    }
    if (k !== n || i <= end) return false;
    out[o++] = 125; // }
    out[o++] = LF;
    w.pos = o;
    return true;
  };
}
