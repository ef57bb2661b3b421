/**
 * JSON lines from a parsed batch without a record object or a string per field: `flowlake parse` output at
 * columnar speed. The bytes are exactly those of `JSON.stringify(batch.record(row)) + '\n'` for every row.
 */
import type { FlowLogFormat } from './format.js';
import type { FlowBatch } from './parser.js';
import { littleEndianWords, writeNull } from './transform/byte-writer.js';

interface JsonPlan {
  /** Byte lengths of the keys: `{"version":` for the first field, `,"account-id":` for the others. */
  readonly keyLengths: readonly number[];
  /** The keys as little-endian 32-bit words (the last one padded), stored a word at a time. */
  readonly keyWords: readonly Uint32Array[];
  readonly isInt: readonly boolean[];
  /** Index among the integer fields or among the string fields (the batch's column order). */
  readonly slot: readonly number[];
  /** Room a row needs besides its string bytes: keys (+3 for word stores), 16 per field (digits, null or quotes), `}\n`. */
  readonly rowBytes: number;
}

const PLANS = new WeakMap<FlowLogFormat, JsonPlan>();

function planOf(format: FlowLogFormat): JsonPlan {
  let plan = PLANS.get(format);
  if (!plan) {
    let ints = 0;
    let strs = 0;
    const isInt = format.fields.map((f) => f.type !== 'string');
    const keys = format.names.map((name, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`));
    plan = {
      keyLengths: keys.map((k) => k.length),
      rowBytes: keys.reduce((sum, k) => sum + k.length, 3) + 16 * keys.length + 2,
      keyWords: keys.map(littleEndianWords),
      isInt,
      slot: isInt.map((int) => (int ? ints++ : strs++)),
    };
    PLANS.set(format, plan);
  }
  return plan;
}

/** Writes the decimal digits of `v` (an integer, 0 <= v < 2^31) at `at`, at least `width` of them; returns the end. */
function writeSmall(out: Buffer, at: number, v: number, width: number): number {
  let digits = 1;
  for (let p = 10; p <= v; p *= 10) digits++;
  if (digits < width) digits = width;
  const end = at + digits;
  for (let i = end - 1; i >= at; i--) {
    const q = (v / 10) | 0;
    out[i] = 48 + v - q * 10;
    v = q;
  }
  return end;
}

/** Writes the decimal digits of a non-negative integer (at most 2^53 - 1) at `at`; returns the end. */
function writeUint(out: Buffer, at: number, v: number): number {
  if (v < 2147483648) return writeSmall(out, at, v | 0, 1);
  // integer arithmetic on both halves (float % and / per digit are many times slower)
  const hi = Math.floor(v / 1e8);
  return writeSmall(out, writeSmall(out, at, hi, 1), v - hi * 1e8, 8);
}

/**
 * The batch's records as JSON lines, one per row, keys in format order, `-` as null, integers as numbers. A string
 * of printable ASCII without `"` or `\` is copied byte for byte; any other is written by JSON.stringify.
 */
export function batchJsonLines(batch: FlowBatch): Buffer {
  const { keyLengths, keyWords, isInt, slot, rowBytes } = planOf(batch.format);
  const n = keyLengths.length;
  const cap = batch.capacity;
  const src = batch.buf;
  const { ints, strStart, strEnd } = batch;
  let out: Buffer = Buffer.allocUnsafe(Math.max(1024, batch.count * (rowBytes + 8 * n)));
  let view = new DataView(out.buffer, out.byteOffset, out.length);
  let at = 0;
  for (let r = 0; r < batch.count; r++) {
    // room for the whole row: keys, integers, and at most 6 JSON bytes per string byte (\uXXXX)
    let need = rowBytes;
    for (let f = 0; f < n; f++)
      if (!isInt[f]) need += 6 * (strEnd[slot[f] * cap + r] - strStart[slot[f] * cap + r]);
    if (at + need > out.length) {
      const next = Buffer.allocUnsafe(Math.max(out.length * 2, at + need));
      out.copy(next, 0, 0, at);
      out = next;
      view = new DataView(out.buffer, out.byteOffset, out.length);
    }
    for (let f = 0; f < n; f++) {
      const words = keyWords[f]; // stored a word at a time: up to 3 bytes past the key are overwritten next
      for (let k = 0; k < words.length; k++) view.setUint32(at + 4 * k, words[k], true);
      at += keyLengths[f];
      if (isInt[f]) {
        const v = ints[slot[f] * cap + r];
        at = Number.isNaN(v) ? writeNull(out, at) : writeUint(out, at, v);
        continue;
      }
      const s = strStart[slot[f] * cap + r];
      const e = strEnd[slot[f] * cap + r];
      if (e - s === 1 && src[s] === 45) {
        at = writeNull(out, at);
        continue;
      }
      const begin = at;
      out[at++] = 34;
      let plain = true;
      for (let i = s; i < e; i++) {
        const b = src[i];
        if (b < 0x20 || b > 0x7e || b === 34 || b === 92) {
          plain = false;
          break;
        }
        out[at++] = b;
      }
      if (plain) out[at++] = 34;
      else at = begin + out.write(JSON.stringify(batch.valueAt(r, f)), begin, 'utf8');
    }
    out[at++] = 125; // }
    out[at++] = 10;
  }
  return out.subarray(0, at);
}
