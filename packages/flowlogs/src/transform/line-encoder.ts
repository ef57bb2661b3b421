/**
 * Compiled per-format encoders from one flow-log line to one output line, without building a record object or
 * calling JSON.stringify per record: the JSON text is concatenated from precomputed key prefixes and the raw tokens.
 *
 * Value rules match the parser (`parser.ts`): fields are separated by runs of spaces or tabs, a trailing CR/LF is
 * ignored, `-` becomes `null`, int32/int64 fields become JSON numbers (a value that is not a non-negative integer, or
 * is above 2^53 - 1, is an error), every other field is a JSON string (so `account-id` keeps its leading zeros).
 */
import type { FlowLogFormat } from '../format.js';
import type { ByteWriter } from './byte-writer.js';
import { compileJsonBytesWriter } from './json-bytes-writer.js';

/** Why a line does not fit its format (returned, never thrown). */
export interface LineProblem {
  readonly reason: string;
}

/** Turns one flow-log line into its output text (without the trailing newline), or a problem. */
export type LineEncoder = (line: string) => string | LineProblem;

/** True when an encoder result is a problem rather than text. */
export function isLineProblem(x: string | LineProblem): x is LineProblem {
  return typeof x !== 'string';
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const DASH = 45;
const ZERO = 48;
const NINE = 57;
const QUOTE = 34;
const BACKSLASH = 92;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function trimEnd(line: string): number {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c === LF || c === CR || c === SPACE || c === TAB) end--;
    else break;
  }
  return end;
}

function skipBlanks(line: string, i: number, end: number): number {
  while (i < end) {
    const c = line.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

/** Number of whitespace-separated fields on a line. */
export function countFields(line: string): number {
  const end = trimEnd(line);
  let i = skipBlanks(line, 0, end);
  let n = 0;
  while (i < end) {
    n++;
    while (i < end) {
      const c = line.charCodeAt(i);
      if (c === SPACE || c === TAB) break;
      i++;
    }
    i = skipBlanks(line, i, end);
  }
  return n;
}

function fieldCountProblem(line: string, expected: number): LineProblem {
  return {
    reason: `expected ${expected} fields, found ${countFields(line)}; the log group's flow log uses a different format than configured`,
  };
}

/**
 * Encoder for lines mode: checks the field count and returns the line itself (trailing CR/LF removed).
 */
export function compileLinesEncoder(format: FlowLogFormat): LineEncoder {
  const expected = format.names.length;
  return (line) => {
    const end = trimEnd(line);
    const text = end === line.length ? line : line.slice(0, end);
    return countFields(text) === expected ? text : fieldCountProblem(line, expected);
  };
}

/**
 * Encoder for newline-delimited JSON: `{"version":2,"account-id":"123456789012",...,"log-status":"OK"}` with the
 * format's hyphenated field names as keys, in format order.
 */
export function compileJsonEncoder(format: FlowLogFormat): LineEncoder {
  const n = format.names.length;
  const prefixes = format.names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const isInt = format.fields.map((f) => f.type !== 'string');
  return (line) => {
    const end = trimEnd(line);
    let i = skipBlanks(line, 0, end);
    let out = '';
    let k = 0;
    while (i < end) {
      const start = i;
      let plain = true;
      while (i < end) {
        const c = line.charCodeAt(i);
        if (c === SPACE || c === TAB) break;
        if (c === QUOTE || c === BACKSLASH || c < SPACE) plain = false;
        i++;
      }
      if (k >= n) return fieldCountProblem(line, n);
      const len = i - start;
      out += prefixes[k];
      if (len === 1 && line.charCodeAt(start) === DASH) {
        out += 'null';
      } else if (isInt[k]) {
        let digits = true;
        for (let j = start; j < i; j++) {
          const c = line.charCodeAt(j);
          if (c < ZERO || c > NINE) {
            digits = false;
            break;
          }
        }
        const token = line.slice(start, i);
        if (!digits) {
          return {
            reason: `field '${format.names[k]}' should be an integer or '-', got '${token.slice(0, 40)}'`,
          };
        }
        if (len < 16 && (len === 1 || line.charCodeAt(start) !== ZERO)) out += token;
        else {
          const v = Number(token);
          if (v > MAX_SAFE) return { reason: `field '${format.names[k]}' value ${token} exceeds 2^53 - 1` };
          out += String(v);
        }
      } else {
        const token = line.slice(start, i);
        out += plain ? `"${token}"` : JSON.stringify(token);
      }
      k++;
      i = skipBlanks(line, i, end);
    }
    if (k !== n) return fieldCountProblem(line, n);
    return `${out}}`;
  };
}

/**
 * Writes one line as a JSON object plus newline straight into `w`, byte by byte, for the common case (fields
 * separated by single spaces, ASCII text without quotes or backslashes, canonical integers). Returns false, with
 * `w.pos` unchanged, when the line needs the general encoder (escapes, other separators, leading zeros, errors).
 */
export type JsonLineWriter = (line: string, w: ByteWriter) => boolean;

/** Printable ASCII except quote and backslash: what the byte writer copies as it is. */
const PLAIN_LINE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Compiles the fast writer for a format (same output as {@link compileJsonEncoder} where it succeeds): a line of
 * plain characters goes through {@link compileJsonBytesWriter}; any other line returns false.
 */
export function compileJsonLineWriter(format: FlowLogFormat): JsonLineWriter {
  const bytes = compileJsonBytesWriter(format);
  let scratch = Buffer.allocUnsafe(1024);
  return (line, w) => {
    if (!PLAIN_LINE.test(line)) return false;
    if (scratch.length < line.length) scratch = Buffer.allocUnsafe(line.length * 2);
    return bytes(scratch, 0, scratch.write(line, 0, 'latin1'), w);
  };
}
