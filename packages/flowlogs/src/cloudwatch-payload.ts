/**
 * CloudWatch Logs subscription payloads: the gzip-compressed JSON document CloudWatch Logs sends to a subscription
 * destination (Kinesis Data Streams, Firehose, Lambda), base64-encoded inside Kinesis/Firehose records.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { JsonObjectScanner } from './readers/json-objects.js';

/** One log event: for flow logs, one record line. */
export interface CloudWatchLogEvent {
  /** Event ID (a 56-digit decimal string in DATA_MESSAGE; `''` in CONTROL_MESSAGE). */
  readonly id: string;
  /** Event time in Unix milliseconds (for flow logs: the record's `start`). */
  readonly timestamp: number;
  /** The log line. */
  readonly message: string;
}

/** Kinds of subscription messages. */
export type CloudWatchMessageType = 'DATA_MESSAGE' | 'CONTROL_MESSAGE';

/** The decoded subscription payload. */
export interface CloudWatchLogsMessage {
  /** `DATA_MESSAGE` carries log events; `CONTROL_MESSAGE` is a reachability check with nothing to store. */
  readonly messageType: CloudWatchMessageType;
  /** Account ID that owns the log group (`CloudwatchLogs` in control messages). */
  readonly owner: string;
  readonly logGroup: string;
  /** Log stream: for flow logs, the network interface ID. */
  readonly logStream: string;
  /** Names of the subscription filters that matched. */
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly CloudWatchLogEvent[];
}

/** A payload that is not valid gzip, not JSON, or not shaped like a subscription message. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** The message text CloudWatch Logs puts in the control message it sends when a subscription is created. */
export const CONTROL_MESSAGE_TEXT = 'CWL CONTROL MESSAGE: Checking health of destination Firehose.';

/** Default cap on decompressed size (protects against gzip bombs); override with `maxBytes`. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** Options of the decoders. */
export interface DecodeOptions {
  /** Largest decompressed payload accepted, in bytes. @default 64 MiB */
  readonly maxBytes?: number;
}

/** Compresses a message the way CloudWatch Logs does (JSON, gzip level 6). Base64-encode it for Kinesis/Firehose. */
export function encodeCloudWatchPayload(message: CloudWatchLogsMessage): Buffer {
  return gzipSync(JSON.stringify(message), { level: 6 });
}

/** The control message CloudWatch Logs sends to check that a destination is reachable. */
export function controlMessage(timestamp: number = Date.now()): CloudWatchLogsMessage {
  return {
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [{ id: '', timestamp, message: CONTROL_MESSAGE_TEXT }],
  };
}

/** True for CONTROL_MESSAGE payloads (to be dropped, not stored). */
export function isControlMessage(message: CloudWatchLogsMessage): boolean {
  return message.messageType === 'CONTROL_MESSAGE';
}

/**
 * A 56-digit event ID like CloudWatch Logs assigns, deterministic in (timestamp, sequence). CloudWatch IDs are opaque;
 * this one only has their shape.
 */
export function logEventId(timestamp: number, sequence: number): string {
  const ts = String(Math.max(0, Math.trunc(timestamp)))
    .padStart(16, '0')
    .slice(-16);
  const seq = String(Math.max(0, Math.trunc(sequence)))
    .padStart(20, '0')
    .slice(-20);
  return `${ts}${'0'.repeat(20)}${seq}`;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const BASE64_RE = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  return typeof value === 'object' ? 'an object' : String(value);
}

function toBytes(input: Buffer | Uint8Array | string): Buffer {
  if (typeof input !== 'string') return Buffer.isBuffer(input) ? input : Buffer.from(input);
  const text = input.trim();
  if (text.startsWith('{')) return Buffer.from(text, 'utf8');
  if (!BASE64_RE.test(text)) {
    throw new PayloadError(
      'payload string is neither base64 nor JSON; expected the base64 data of a Kinesis/Firehose record.',
    );
  }
  return Buffer.from(text, 'base64');
}

/** Bytes of the JSON document(s): gunzipped when gzip (several concatenated members are read whole). */
function inflate(bytes: Buffer, maxBytes: number): Buffer {
  if (bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1) {
    try {
      return gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PayloadError(
          `decompressed payload exceeds ${maxBytes} bytes; raise maxBytes if this is expected.`,
        );
      }
      throw new PayloadError(
        `corrupt gzip payload (${(e as Error).message}); the record data may be truncated.`,
      );
    }
  }
  if (bytes.length > maxBytes) throw new PayloadError(`payload exceeds ${maxBytes} bytes.`);
  const first = bytes.subarray(0, 64).toString('utf8').trimStart();
  if (first.startsWith('{')) return bytes;
  throw new PayloadError(
    `payload is neither gzip (starts 0x1f 0x8b) nor JSON (starts with '{'); first bytes: ${bytes.subarray(0, 8).toString('hex')}.`,
  );
}

function check(cond: boolean, path: string, expected: string, got: unknown): void {
  if (!cond)
    throw new PayloadError(
      `not a CloudWatch Logs subscription message: ${path} should be ${expected}, got ${describe(got)}.`,
    );
}

/** Validates the shape of a parsed JSON document. */
export function toCloudWatchLogsMessage(doc: unknown): CloudWatchLogsMessage {
  check(typeof doc === 'object' && doc !== null && !Array.isArray(doc), 'the document', 'a JSON object', doc);
  const d = doc as Record<string, unknown>;
  check(
    d.messageType === 'DATA_MESSAGE' || d.messageType === 'CONTROL_MESSAGE',
    'messageType',
    "'DATA_MESSAGE' or 'CONTROL_MESSAGE'",
    d.messageType,
  );
  for (const k of ['owner', 'logGroup', 'logStream'] as const)
    check(typeof d[k] === 'string', k, 'a string', d[k]);
  check(
    Array.isArray(d.subscriptionFilters),
    'subscriptionFilters',
    'an array of strings',
    d.subscriptionFilters,
  );
  (d.subscriptionFilters as unknown[]).forEach((s, i) => {
    check(typeof s === 'string', `subscriptionFilters[${i}]`, 'a string', s);
  });
  check(Array.isArray(d.logEvents), 'logEvents', 'an array', d.logEvents);
  (d.logEvents as unknown[]).forEach((ev, i) => {
    check(typeof ev === 'object' && ev !== null && !Array.isArray(ev), `logEvents[${i}]`, 'an object', ev);
    const e = ev as Record<string, unknown>;
    check(typeof e.id === 'string', `logEvents[${i}].id`, 'a string', e.id);
    check(
      typeof e.timestamp === 'number' && Number.isFinite(e.timestamp),
      `logEvents[${i}].timestamp`,
      'a number (Unix ms)',
      e.timestamp,
    );
    check(typeof e.message === 'string', `logEvents[${i}].message`, 'a string', e.message);
  });
  return d as unknown as CloudWatchLogsMessage;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PayloadError(`${what} is not valid JSON (${(e as Error).message}).`);
  }
}

/**
 * Decodes one subscription payload: gzip bytes, base64 text of gzip bytes (Kinesis/Firehose record `data`), or
 * plain JSON (after Firehose decompression).
 * @throws PayloadError for corrupt gzip, non-JSON, or a document that is not a subscription message.
 */
export function decodeCloudWatchPayload(
  input: Buffer | Uint8Array | string,
  options: DecodeOptions = {},
): CloudWatchLogsMessage {
  const text = inflate(toBytes(input), options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES).toString('utf8');
  return toCloudWatchLogsMessage(parseJson(text, 'payload'));
}

/** Splits concatenated JSON objects (`{..}{..}` or one per line) at top-level brace boundaries. */
function splitJsonObjects(bytes: Buffer): string[] {
  const out: string[] = [];
  const scan = new JsonObjectScanner();
  let begin = 0;
  for (let i = 0; i < bytes.length; i++) {
    i = scan.next(bytes, i, bytes.length);
    if (scan.event === 'begin') begin = i;
    else if (scan.event === 'end') out.push(bytes.toString('utf8', begin, i + 1));
    else if (scan.event === 'junk') {
      throw new PayloadError(
        `unexpected '${String.fromCharCode(bytes[i])}' between JSON documents at byte ${i} of the payload.`,
      );
    }
  }
  if (scan.inside) throw new PayloadError('payload ends inside a JSON document (truncated?).');
  return out;
}

/**
 * Decodes several messages stored back to back: concatenated gzip members (what an S3 object from Firehose holds
 * when it neither decompresses nor adds delimiters), or concatenated / newline-separated JSON documents.
 * @throws PayloadError naming the first bad document.
 */
export function decodeCloudWatchPayloads(
  input: Buffer | Uint8Array | string,
  options: DecodeOptions = {},
): CloudWatchLogsMessage[] {
  const bytes = inflate(toBytes(input), options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  return splitJsonObjects(bytes).map((doc, i) => {
    try {
      return toCloudWatchLogsMessage(parseJson(doc, `document ${i + 1}`));
    } catch (e) {
      if (e instanceof PayloadError) throw new PayloadError(`document ${i + 1}: ${e.message}`);
      throw e;
    }
  });
}
