/**
 * JSON lines from a parsed batch without a record object or a string per field: `flowlake parse` output at
 * columnar speed. The bytes are exactly those of `JSON.stringify(batch.record(row)) + '\n'` for every row.
 */
import type { FlowLogFormat } from './format.js';
import type { FlowBatch } from './parser.js';

interface JsonPlan {
  /** `{"version":` for the first field, `,"account-id":` for the others. */
  readonly keys: readonly Buffer[];
  /** The keys as little-endian 32-bit words (the last one padded), stored a word at a time. */
  readonly keyWords: readonly Uint32Array[];
  readonly isInt: readonly boolean[];
  /** Index among the integer fields or among the string fields (the batch's column order). */
  readonly slot: readonly number[];
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
      keys,
      keyWords: keys.map((k) => {
        const padded = Buffer.alloc(Math.ceil(k.length / 4) * 4);
        k.copy(padded);
        return new Uint32Array(padded.buffer, padded.byteOffset, padded.length / 4).slice();
      }),
      isInt,
      slot: isInt.map((int) => (int ? ints++ : strs++)),
    };
    PLANS.set(format, plan);
  }
  return plan;
}

const NULL = Buffer.from('null');

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

/** A larger copy of `out[0, at)` with room for `need` more bytes. */
function grow(out: Buffer, at: number, need: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(out.length * 2, at + need));
  out.copy(next, 0, 0, at);
  return next;
}

/**
 * The batch's records as JSON lines, one per row, keys in format order, `-` as null, integers as numbers. A string
 * of printable ASCII without `"` or `\` is copied byte for byte; any other is written by JSON.stringify.
 */
export function batchJsonLines(batch: FlowBatch): Buffer {
  const { keys, keyWords, isInt, slot } = planOf(batch.format);
  const n = keys.length;
  const cap = batch.capacity;
  const src = batch.buf;
  const { ints, strStart, strEnd } = batch;
  let out: Buffer = Buffer.allocUnsafe(Math.max(1024, batch.count * (64 + 24 * n)));
  let view: DataView = new DataView(out.buffer, out.byteOffset, out.length);
  let at = 0;
  for (let r = 0; r < batch.count; r++) {
    for (let f = 0; f < n; f++) {
      const key = keys[f];
      if (isInt[f]) {
        if (at + key.length + 16 > out.length) {
          out = grow(out, at, key.length + 16);
          view = new DataView(out.buffer, out.byteOffset, out.length);
        }
        const words = keyWords[f];
        for (let k = 0; k < words.length; k++) view.setUint32(at + 4 * k, words[k], true);
        at += key.length;
        const v = ints[slot[f] * cap + r];
        if (Number.isNaN(v)) for (let k = 0; k < 4; k++) out[at++] = NULL[k];
        else at = writeUint(out, at, v);
        continue;
      }
      const s = strStart[slot[f] * cap + r];
      const e = strEnd[slot[f] * cap + r];
      if (at + key.length + e - s + 6 > out.length) {
        out = grow(out, at, key.length + e - s + 6);
        view = new DataView(out.buffer, out.byteOffset, out.length);
      }
      const words = keyWords[f];
      for (let k = 0; k < words.length; k++) view.setUint32(at + 4 * k, words[k], true);
      at += key.length;
      if (e - s === 1 && src[s] === 45) {
        for (let k = 0; k < 4; k++) out[at++] = NULL[k];
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
      if (plain) {
        out[at++] = 34;
      } else {
        at = begin;
        const text = JSON.stringify(batch.valueAt(r, f));
        if (at + text.length * 3 > out.length) {
          out = grow(out, at, text.length * 3);
          view = new DataView(out.buffer, out.byteOffset, out.length);
        }
        at += out.write(text, at, 'utf8');
      }
    }
    if (at + 2 > out.length) {
      out = grow(out, at, 2);
      view = new DataView(out.buffer, out.byteOffset, out.length);
    }
    out[at++] = 125; // }
    out[at++] = 10;
  }
  return out.subarray(0, at);
}
