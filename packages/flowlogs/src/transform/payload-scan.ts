/**
 * A strict scanner for the common shape of a CloudWatch Logs subscription message, working on the gunzipped bytes
 * so the transform builds no object and no string per log event: it returns where each event's message sits, and
 * the writers copy those bytes straight into the output.
 *
 * It accepts only what it can prove JSON.parse would read the same way, and returns undefined for anything else
 * (the caller then takes the JSON.parse path, which stays the reference):
 * - the whole document is ASCII, has no backslash (so no escapes) and no control byte (so the only whitespace is
 *   the space character, allowed between tokens);
 * - the top-level object has exactly the keys `messageType` ('DATA_MESSAGE' or 'CONTROL_MESSAGE'), `owner`,
 *   `logGroup`, `logStream` (strings), `subscriptionFilters` (array of strings) and `logEvents` (array), in any
 *   order, plus optionally the re-ingestion counter (an integer), each at most once;
 * - each event is an object with `timestamp` (an integer) and `message` (a string) and optionally `id` (a string),
 *   each at most once, nothing else;
 * - nothing but spaces follows the closing brace.
 */
import { isAscii } from 'node:buffer';
import { REINGEST_FIELD } from './reingest-field.js';

/** A scanned subscription message. Event offsets are valid until the next scan (the arrays are reused). */
export interface ScannedMessage {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  /** Number of log events. */
  readonly count: number;
  /** Event `i`'s message is bytes `[starts[i], ends[i])` of the scanned buffer. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Timestamp of the first event (NaN without events). */
  readonly firstTimestamp: number;
  /** First event's message text ('' without events). */
  readonly firstMessage: string;
}

const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

// Top-level keys, as bits.
const MESSAGE_TYPE = 1;
const OWNER = 2;
const LOG_GROUP = 4;
const LOG_STREAM = 8;
const FILTERS = 16;
const EVENTS = 32;
const REINGEST = 64;
const REQUIRED = 63;
const TOP_KEYS = new Map<string, number>([
  ['messageType', MESSAGE_TYPE],
  ['owner', OWNER],
  ['logGroup', LOG_GROUP],
  ['logStream', LOG_STREAM],
  ['subscriptionFilters', FILTERS],
  ['logEvents', EVENTS],
  [REINGEST_FIELD, REINGEST],
]);
// Event keys, as bits.
const ID = 1;
const TIMESTAMP = 2;
const MESSAGE = 4;

let starts = new Int32Array(1024);
let ends = new Int32Array(1024);

/** True when some byte is below 0x20 (a control character), 4 bytes at a time. */
export function hasControlBytes(b: Buffer): boolean {
  const n = b.length;
  let i = 0;
  while (i < n && ((b.byteOffset + i) & 3) !== 0) if (b[i++] < SPACE) return true;
  const words = (n - i) >> 2;
  const u = new Uint32Array(b.buffer, b.byteOffset + i, words);
  let acc = 0;
  // A byte x < 0x20 makes (x - 0x20) borrow into its top bit while ~x has it set (exact for the whole word).
  for (let k = 0; k < words; k++) {
    const x = u[k];
    acc |= (x - 0x20202020) & ~x;
  }
  if ((acc & 0x80808080) !== 0) return true;
  for (i += words * 4; i < n; i++) if (b[i] < SPACE) return true;
  return false;
}

function skipSpaces(b: Buffer, p: number): number {
  while (b[p] === SPACE) p++;
  return p;
}

/** Position after an integer `-?(0|[1-9][0-9]*)` at p (at most 300 digits, so always finite), or -1. */
function integerEnd(b: Buffer, p: number): number {
  if (b[p] === MINUS) p++;
  const first = b[p];
  if (first === ZERO) return p + 1;
  if (!(first > ZERO && first <= NINE)) return -1;
  const start = p;
  p++;
  while (b[p] >= ZERO && b[p] <= NINE) p++;
  return p - start > 300 ? -1 : p;
}

/** Index of the closing quote of the string opening at p, or -1. */
function stringEnd(b: Buffer, p: number): number {
  return b[p] === QUOTE ? b.indexOf(QUOTE, p + 1) : -1;
}

const MESSAGE_KEY = Buffer.from('message', 'latin1');
const TIMESTAMP_KEY = Buffer.from('timestamp', 'latin1');

function bytesEqual(b: Buffer, s: number, key: Buffer): boolean {
  for (let i = 0; i < key.length; i++) if (b[s + i] !== key[i]) return false;
  return true;
}

function eventKey(b: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 7) return bytesEqual(b, s, MESSAGE_KEY) ? MESSAGE : 0;
  if (len === 9) return bytesEqual(b, s, TIMESTAMP_KEY) ? TIMESTAMP : 0;
  if (len === 2) return b[s] === 105 && b[s + 1] === 100 ? ID : 0; // id
  return 0;
}

function grow(n: number): void {
  if (n < starts.length) return;
  const s = new Int32Array(starts.length * 2);
  const e = new Int32Array(starts.length * 2);
  s.set(starts);
  e.set(ends);
  starts = s;
  ends = e;
}

/** Scans the events array at p (its `[`); returns the position after `]` or -1. Fills starts/ends. */
function scanEvents(b: Buffer, p: number, out: { count: number; ts0: number; te0: number }): number {
  if (b[p] !== LBRACKET) return -1;
  p = skipSpaces(b, p + 1);
  let count = 0;
  if (b[p] === RBRACKET) {
    out.count = 0;
    return p + 1;
  }
  for (;;) {
    if (b[p] !== LBRACE) return -1;
    p = skipSpaces(b, p + 1);
    let seen = 0;
    for (;;) {
      const ke = stringEnd(b, p);
      if (ke < 0) return -1;
      const key = eventKey(b, p + 1, ke);
      if (key === 0 || (seen & key) !== 0) return -1;
      seen |= key;
      p = skipSpaces(b, ke + 1);
      if (b[p] !== COLON) return -1;
      p = skipSpaces(b, p + 1);
      if (key === TIMESTAMP) {
        const e = integerEnd(b, p);
        if (e < 0) return -1;
        if (count === 0) {
          out.ts0 = p;
          out.te0 = e;
        }
        p = e;
      } else {
        const e = stringEnd(b, p);
        if (e < 0) return -1;
        if (key === MESSAGE) {
          grow(count);
          starts[count] = p + 1;
          ends[count] = e;
        }
        p = e + 1;
      }
      p = skipSpaces(b, p);
      if (b[p] === COMMA) {
        p = skipSpaces(b, p + 1);
        continue;
      }
      if (b[p] !== RBRACE) return -1;
      p++;
      break;
    }
    if ((seen & (TIMESTAMP | MESSAGE)) !== (TIMESTAMP | MESSAGE)) return -1;
    count++;
    p = skipSpaces(b, p);
    if (b[p] === COMMA) {
      p = skipSpaces(b, p + 1);
      continue;
    }
    if (b[p] !== RBRACKET) return -1;
    out.count = count;
    return p + 1;
  }
}

/** Scans an array of strings at p; returns the position after `]` or -1. */
function scanStrings(b: Buffer, p: number): number {
  if (b[p] !== LBRACKET) return -1;
  p = skipSpaces(b, p + 1);
  if (b[p] === RBRACKET) return p + 1;
  for (;;) {
    const e = stringEnd(b, p);
    if (e < 0) return -1;
    p = skipSpaces(b, e + 1);
    if (b[p] === RBRACKET) return p + 1;
    if (b[p] !== COMMA) return -1;
    p = skipSpaces(b, p + 1);
  }
}

/**
 * Scans a gunzipped subscription message; undefined when it is not in the common shape (see the file header) and
 * must go through JSON.parse instead. `checked`: the caller has already verified that the bytes are printable
 * ASCII without backslashes (the JSON kernel's `stage` does it with SIMD).
 */
export function scanSubscriptionMessage(b: Buffer, checked = false): ScannedMessage | undefined {
  if (!checked && (!isAscii(b) || b.indexOf(BACKSLASH) !== -1 || hasControlBytes(b))) return undefined;
  let p = skipSpaces(b, 0);
  if (b[p] !== LBRACE) return undefined;
  p = skipSpaces(b, p + 1);
  let seen = 0;
  let messageType = '';
  let owner = '';
  let logGroup = '';
  let logStream = '';
  const ev = { count: 0, ts0: 0, te0: 0 };
  for (;;) {
    const ke = stringEnd(b, p);
    if (ke < 0) return undefined;
    const key = TOP_KEYS.get(b.toString('latin1', p + 1, ke));
    if (key === undefined || (seen & key) !== 0) return undefined;
    seen |= key;
    p = skipSpaces(b, ke + 1);
    if (b[p] !== COLON) return undefined;
    p = skipSpaces(b, p + 1);
    if (key === EVENTS) p = scanEvents(b, p, ev);
    else if (key === FILTERS) p = scanStrings(b, p);
    else if (key === REINGEST) p = integerEnd(b, p);
    else {
      const e = stringEnd(b, p);
      if (e < 0) return undefined;
      const value = b.toString('latin1', p + 1, e);
      if (key === MESSAGE_TYPE) messageType = value;
      else if (key === OWNER) owner = value;
      else if (key === LOG_GROUP) logGroup = value;
      else logStream = value;
      p = e + 1;
    }
    if (p < 0) return undefined;
    p = skipSpaces(b, p);
    if (b[p] === COMMA) {
      p = skipSpaces(b, p + 1);
      continue;
    }
    if (b[p] !== RBRACE) return undefined;
    p = skipSpaces(b, p + 1);
    break;
  }
  if (p !== b.length || (seen & REQUIRED) !== REQUIRED) return undefined;
  if (messageType !== 'DATA_MESSAGE' && messageType !== 'CONTROL_MESSAGE') return undefined;
  const count = ev.count;
  return {
    messageType,
    owner,
    logGroup,
    logStream,
    count,
    starts,
    ends,
    firstTimestamp: count > 0 ? Number(b.toString('latin1', ev.ts0, ev.te0)) : Number.NaN,
    firstMessage: count > 0 ? b.toString('latin1', starts[0], ends[0]) : '',
  };
}
