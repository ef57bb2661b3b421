/**
 * The Firehose data-transformation logic for CloudWatch Logs subscription payloads carrying VPC flow logs (pure: no
 * AWS calls; the Lambda handler performs the re-ingestion this returns).
 *
 * Contract, per input record (each recordId appears exactly once in the response, in input order; nothing throws
 * on bad data):
 * - CONTROL_MESSAGE, wherever it sits in the batch -> `Dropped`.
 * - DATA_MESSAGE -> `Ok` with the flow records as newline-delimited JSON (default) or the original lines, each
 *   ending in `\n`, and dynamic-partitioning keys in `metadata.partitionKeys`; a DATA_MESSAGE with no events ->
 *   `Dropped`.
 * - A GuardDuty finding as plain JSON (what flowlake's EventBridge rule puts: the event's `detail`), or a whole
 *   EventBridge `GuardDuty Finding` event from `aws.guardduty` -> `Ok` with the finding as one NDJSON line and partition keys with `dataset: guardduty-stream` ({@link decodeGuardDutyRecord}); flow
 *   records carry `dataset: vpcflowlogs-stream`.
 * - Not base64/gzip/JSON, not a subscription message or GuardDuty finding, or a line that does not fit the configured format ->
 *   `ProcessingFailed` (Firehose writes the original to the error prefix; nothing is lost).
 * - When the response would pass `maxResponseBytes` (Lambda's 6 MB response limit), the overflowing records are
 *   `Dropped` here and returned in `reingest` for the handler to put back into the source (Firehose PutRecordBatch
 *   or Kinesis PutRecords). A record whose own output exceeds the limit is split into several payloads by log event.
 *   Re-ingested payloads carry an attempt counter (`flowlakeReingest`); past `maxReingestAttempts` a record is
 *   `ProcessingFailed` instead, so nothing loops. The handler turns records whose re-ingestion finally fails into
 *   `ProcessingFailed` ({@link markFailed}).
 */

import { gunzipSync } from 'node:zlib';
import {
  type CloudWatchLogsMessage,
  decodeCloudWatchPayload,
  encodeCloudWatchPayload,
} from '../cloudwatch-payload.js';
import { FlowLogFormat } from '../format.js';
import { ByteWriter } from './byte-writer.js';
import { type DecodedFinding, decodeGuardDutyRecord } from './guardduty.js';
import { compileJsonBytesWriter, type JsonBytesWriter } from './json-bytes-writer.js';
import { type JsonKernel, loadJsonKernel } from './json-kernel.js';
import {
  compileJsonEncoder,
  compileJsonLineWriter,
  countFields,
  isLineProblem,
  type JsonLineWriter,
  type LineEncoder,
} from './line-encoder.js';
import { isAccountId, partitionKeys, regionFromLogGroup } from './partition.js';
import { type ScannedMessage, scanSubscriptionMessage } from './payload-scan.js';
import { REINGEST_FIELD } from './reingest-field.js';
import type {
  FirehoseInputRecord,
  FirehoseOutputRecord,
  FirehoseTransformEvent,
  FirehoseTransformResponse,
  PartitionKeys,
} from './types.js';

/** How flow records are written: newline-delimited JSON objects, or the original space-separated lines. */
export type TransformOutput = 'json' | 'lines';

/** Lambda's response payload limit is 6 MiB (6,291,456 bytes); keep headroom like AWS's blueprint. */
export const DEFAULT_MAX_RESPONSE_BYTES = 6_000_000;
/** How many times one payload may be re-ingested before it goes to the error prefix instead. */
export const DEFAULT_MAX_REINGEST_ATTEMPTS = 3;
/** Target size of the transformed output of one split-off payload. */
export const DEFAULT_CHUNK_OUTPUT_BYTES = 1_000_000;
export { REINGEST_FIELD } from './reingest-field.js';

/** Options of {@link transformFirehoseEvent}. */
export interface TransformOptions {
  /** Format of the flow log lines in the payloads. @default FlowLogFormat.DEFAULT (version 2) */
  readonly format?: FlowLogFormat;
  /** Output encoding. @default 'json' */
  readonly output?: TransformOutput;
  /** Region partition key when neither the records nor the log group name tell it. @default event.region */
  readonly defaultRegion?: string;
  /** Largest response (JSON bytes) before records are re-ingested. @default 6,000,000 */
  readonly maxResponseBytes?: number;
  /** Re-ingestions per payload before it fails instead. @default 3 */
  readonly maxReingestAttempts?: number;
  /**
   * Lines mode: check the field count of every line instead of the first line of each payload. (JSON mode always
   * checks every line: it must type each value.) @default false
   */
  readonly checkEveryLine?: boolean;
  /** Target transformed size of each payload split off an oversized record. @default 1,000,000 */
  readonly chunkOutputBytes?: number;
  /**
   * Read payloads in the common shape straight from their bytes ({@link scanSubscriptionMessage}) instead of
   * through JSON.parse; the output is the same byte for byte. `false` forces the JSON.parse path (the reference,
   * for tests and comparisons). @default true
   */
  readonly scanBytes?: boolean;
}

/** One payload to put back into the source, on behalf of input record `recordId`. */
export interface ReingestEntry {
  /** The input record this payload came from (marked `Dropped` in the response). */
  readonly recordId: string;
  /** Gzip CloudWatch Logs payload, or a GuardDuty finding event as plain JSON (raw bytes; the SDK base64-encodes). */
  readonly data: Buffer;
  /** Kinesis partition key (from the original record), for a Kinesis source. */
  readonly partitionKey?: string;
}

/** Where re-ingested payloads go. */
export type ReingestTarget =
  | { readonly kind: 'firehose'; readonly deliveryStreamName: string }
  | { readonly kind: 'kinesis'; readonly streamArn: string };

/** Counts of one invocation. */
export interface TransformStats {
  recordsIn: number;
  ok: number;
  dropped: number;
  controlMessages: number;
  failed: number;
  reingested: number;
  logEvents: number;
  /** GuardDuty findings written (counted in `ok` too). */
  findings: number;
  bytesOut: number;
}

/** What the transform decided. */
export interface TransformOutcome {
  /** The Firehose response (records to re-ingest are `Dropped` until the handler marks failures). */
  readonly response: FirehoseTransformResponse;
  /** Payloads to re-ingest (empty in the common case). */
  readonly reingest: ReingestEntry[];
  /** Re-ingestion target from the event, if it names one. */
  readonly target?: ReingestTarget;
  readonly stats: TransformStats;
  /** Why records failed (recordId and reason), for logging. */
  readonly problems: { recordId: string; reason: string }[];
}

interface Encoders {
  readonly json: LineEncoder;
  readonly fast: JsonLineWriter;
  readonly bytes: JsonBytesWriter;
}
const encoders = new WeakMap<FlowLogFormat, Encoders>();

function encodersFor(format: FlowLogFormat): Encoders {
  let e = encoders.get(format);
  if (!e) {
    e = {
      json: compileJsonEncoder(format),
      fast: compileJsonLineWriter(format),
      bytes: compileJsonBytesWriter(format),
    };
    encoders.set(format, e);
  }
  return e;
}

/** Output bytes of the record being transformed (reused: one allocation per warm Lambda). */
const writer = new ByteWriter();

const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
const MESSAGE_TYPES = new Set(['DATA_MESSAGE', 'CONTROL_MESSAGE']);

/**
 * Output chunk size for gunzip: the size the gzip trailer announces (ISIZE) plus one, so the whole payload
 * inflates into one buffer with no concatenation; bounded by deflate's maximum ratio (1032:1) and the payload cap
 * so a lying trailer costs nothing but speed.
 */
function inflateChunkSize(gz: Buffer): number {
  const n = gz.length;
  if (n < 18) return 16 * 1024;
  return Math.max(1024, Math.min(gz.readUInt32LE(n - 4) + 1, n * 1032, MAX_PAYLOAD_BYTES + 1));
}

/** base64 -> gunzip of a record's data; undefined when that fails (the thorough decoder names the problem). */
function inflateRecord(data: string): Buffer | undefined {
  try {
    const gz = Buffer.from(data, 'base64');
    return gunzipSync(gz, { maxOutputLength: MAX_PAYLOAD_BYTES, chunkSize: inflateChunkSize(gz) });
  } catch {
    return undefined;
  }
}

/**
 * The JSON.parse path (the reference): top-level shape checked (events are checked while they are written).
 * Anything unusual returns undefined and goes through decodeCloudWatchPayload, which accepts the rarer encodings
 * and names the problem.
 */
function fastDecode(plain: Buffer): CloudWatchLogsMessage | undefined {
  try {
    const doc = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    if (
      doc !== null &&
      typeof doc === 'object' &&
      MESSAGE_TYPES.has(doc.messageType as string) &&
      typeof doc.owner === 'string' &&
      typeof doc.logGroup === 'string' &&
      typeof doc.logStream === 'string' &&
      Array.isArray(doc.subscriptionFilters) &&
      Array.isArray(doc.logEvents)
    ) {
      return doc as unknown as CloudWatchLogsMessage;
    }
  } catch {
    // fall through to the thorough decoder for the error message
  }
  return undefined;
}

function badEvent(ev: unknown, i: number): string | undefined {
  if (typeof ev !== 'object' || ev === null) return `logEvents[${i}] should be an object`;
  const e = ev as Record<string, unknown>;
  if (typeof e.message !== 'string') return `logEvents[${i}].message should be a string`;
  if (typeof e.timestamp !== 'number' || !Number.isFinite(e.timestamp)) {
    return `logEvents[${i}].timestamp should be a number (Unix ms)`;
  }
  return undefined;
}

/**
 * Writes the events' lines (original text, trailing CR/LF removed) joined by newlines into the writer. Checks the
 * field count of the first line (a format mismatch is a property of the log group's flow log, so it shows on
 * every line) or, with `everyLine`, of each line. Returns a problem or undefined.
 */
function writeLines(
  events: CloudWatchLogsMessage['logEvents'],
  fields: number,
  everyLine: boolean,
): string | undefined {
  const out: string[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    let m = ev?.message;
    if (typeof m !== 'string') return badEvent(ev, i);
    const last = m.charCodeAt(m.length - 1);
    if (last === 10 || last === 13) m = m.replace(/[\r\n]+$/, '');
    if ((i === 0 || everyLine) && quickFieldCount(m) !== fields && countFields(m) !== fields) {
      return `logEvents[${i}]: expected ${fields} fields, found ${countFields(m)}; the log group's flow log uses a different format than configured`;
    }
    out[i] = m;
  }
  writer.writeLine(out.join('\n'));
  return undefined;
}

/** Number of single-space-separated fields (AWS's separator), counted with the native indexOf. */
function quickFieldCount(line: string): number {
  let n = 1;
  let i = line.indexOf(' ');
  while (i !== -1) {
    n++;
    i = line.indexOf(' ', i + 1);
  }
  return n;
}

/** Writes the events as NDJSON into the writer (fast byte path, general encoder for the rest). */
function writeJson(events: CloudWatchLogsMessage['logEvents'], enc: Encoders): string | undefined {
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    const m = ev?.message;
    if (typeof m !== 'string') return badEvent(ev, i);
    if (enc.fast(m, writer)) continue;
    const r = enc.json(m);
    if (isLineProblem(r)) return `logEvents[${i}]: ${r.reason}`;
    writer.writeLine(r);
  }
  return undefined;
}

/** The re-ingestion target named by the event: the source Kinesis stream, else the Firehose stream itself. */
export function reingestTarget(event: FirehoseTransformEvent): ReingestTarget | undefined {
  if (event.sourceKinesisStreamArn) return { kind: 'kinesis', streamArn: event.sourceKinesisStreamArn };
  const arn = event.deliveryStreamArn;
  if (!arn) return undefined;
  const slash = arn.lastIndexOf('/');
  return { kind: 'firehose', deliveryStreamName: slash >= 0 ? arn.slice(slash + 1) : arn };
}

function firstToken(line: string, index: number): string | undefined {
  const tokens = line.trim().split(/[ \t]+/);
  const v = tokens[index];
  return v === undefined || v === '-' ? undefined : v;
}

/** Partition keys from the message's owner and log group and its first event. */
function keysFor(
  msg: Pick<CloudWatchLogsMessage, 'owner' | 'logGroup'>,
  first: { readonly message: string; readonly timestamp: number },
  format: FlowLogFormat,
  defaultRegion: string,
): PartitionKeys {
  let account = msg.owner;
  if (!isAccountId(account)) {
    const i = format.indexOf('account-id');
    const fromRecord = i >= 0 ? firstToken(first.message, i) : undefined;
    account = isAccountId(fromRecord) ? fromRecord : account || 'unknown';
  }
  const ri = format.indexOf('region');
  const region =
    (ri >= 0 ? firstToken(first.message, ri) : undefined) ??
    regionFromLogGroup(msg.logGroup) ??
    defaultRegion;
  return partitionKeys(account, region, first.timestamp);
}

/** Number of single-space-separated fields of bytes `[start, end)`. */
function quickFieldCountBytes(b: Buffer, start: number, end: number): number {
  let n = 1;
  let i = b.indexOf(32, start);
  while (i !== -1 && i < end) {
    n++;
    i = b.indexOf(32, i + 1);
  }
  return n;
}

/** The scan, with the byte checks in the JSON kernel where it runs (it also keeps the payload for writing). */
function scanPayload(plain: Buffer): ScannedMessage | undefined {
  const kernel = loadJsonKernel();
  if (!kernel) return scanSubscriptionMessage(plain);
  return kernel.stage(plain) ? scanSubscriptionMessage(plain, true) : undefined;
}

/** Where the output of the record being transformed is: its size and its base64 text. */
interface Written {
  readonly bytes: number;
  readonly base64: () => string;
}
const writerBase64 = (): string => writer.toBase64();
const kernelBase64 = (): string => (loadJsonKernel() as JsonKernel).base64();

/**
 * Writes a scanned DATA_MESSAGE's events straight from the payload bytes: JSON lines through the WebAssembly
 * kernel where it runs (else the byte writer), or the original lines. Undefined when a line needs the JSON.parse
 * path (which then decides, and names any problem): a field count that is not plainly right in lines mode, a line
 * the general encoder rejects in JSON mode.
 */
function writeScanned(
  b: Buffer,
  m: ScannedMessage,
  output: TransformOutput,
  format: FlowLogFormat,
  enc: Encoders,
  everyLine: boolean,
): Written | undefined {
  const { count, starts, ends } = m;
  if (output === 'json') {
    const general = (i: number): string | undefined => {
      const r = enc.json(b.toString('latin1', starts[i], ends[i]));
      return isLineProblem(r) ? undefined : `${r}\n`;
    };
    const kernel = loadJsonKernel();
    if (kernel?.use(format)) {
      const bytes = kernel.write(b, starts, ends, count, general);
      return bytes < 0 ? undefined : { bytes, base64: kernelBase64 };
    }
    writer.reset();
    for (let i = 0; i < count; i++) {
      if (enc.bytes(b, starts[i], ends[i], writer)) continue;
      const line = general(i);
      if (line === undefined) return undefined;
      writer.writeString(line);
    }
    return { bytes: writer.pos, base64: writerBase64 };
  }
  const fields = format.names.length;
  writer.reset();
  writer.ensure(b.length + count);
  const out = writer.buf;
  let o = 0;
  for (let i = 0; i < count; i++) {
    const s = starts[i];
    const e = ends[i];
    if ((i === 0 || everyLine) && quickFieldCountBytes(b, s, e) !== fields) return undefined;
    o += b.copy(out, o, s, e);
    out[o++] = 10;
  }
  writer.pos = o;
  return { bytes: o, base64: writerBase64 };
}

function attemptsOf(msg: CloudWatchLogsMessage): number {
  const n = (msg as unknown as Record<string, unknown>)[REINGEST_FIELD];
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

function withEvents(
  msg: CloudWatchLogsMessage,
  events: CloudWatchLogsMessage['logEvents'],
  attempt: number,
): CloudWatchLogsMessage {
  return { ...msg, logEvents: events, [REINGEST_FIELD]: attempt } as CloudWatchLogsMessage;
}

/** Bytes of a result record in the response JSON, besides `data` and metadata. */
function baseSize(recordId: string): number {
  return recordId.length + 48; // {"recordId":"…","result":"ProcessingFailed"},
}

function metadataSize(keys: PartitionKeys): number {
  // ,"metadata":{"partitionKeys":{"dataset":"…","account":"…","region":"…","year":"2026","month":"01","day":"01","hour":"00"}}
  return 134 + keys.dataset.length + keys.account.length + keys.region.length;
}

/**
 * Transforms one Firehose event. Pure apart from gzip; never throws for bad record data.
 */
export function transformFirehoseEvent(
  event: FirehoseTransformEvent,
  options: TransformOptions = {},
): TransformOutcome {
  const format = options.format ?? FlowLogFormat.DEFAULT;
  const output = options.output ?? 'json';
  const enc = encodersFor(format);
  const fields = format.names.length;
  const defaultRegion = options.defaultRegion ?? event.region ?? 'unknown';
  const maxResponse = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxAttempts = options.maxReingestAttempts ?? DEFAULT_MAX_REINGEST_ATTEMPTS;
  const chunkBytes = Math.min(
    options.chunkOutputBytes ?? DEFAULT_CHUNK_OUTPUT_BYTES,
    Math.floor(maxResponse / 4),
  );
  const target = reingestTarget(event);

  const input: readonly FirehoseInputRecord[] = Array.isArray(event?.records) ? event.records : [];
  const records: FirehoseOutputRecord[] = [];
  const reingest: ReingestEntry[] = [];
  const problems: { recordId: string; reason: string }[] = [];
  const stats: TransformStats = {
    recordsIn: input.length,
    ok: 0,
    dropped: 0,
    controlMessages: 0,
    failed: 0,
    reingested: 0,
    logEvents: 0,
    findings: 0,
    bytesOut: 0,
  };
  // Every record costs at least its base size; Ok records add data and metadata on top.
  let used = 16;
  for (const r of input) used += baseSize(String(r?.recordId ?? ''));

  const fail = (recordId: string, reason: string): void => {
    records.push({ recordId, result: 'ProcessingFailed' });
    problems.push({ recordId, reason });
    stats.failed++;
  };
  const drop = (recordId: string): void => {
    records.push({ recordId, result: 'Dropped' });
    stats.dropped++;
  };
  const putBack = (rec: FirehoseInputRecord, payloads: Buffer[]): void => {
    const partitionKey = rec.kinesisRecordMetadata?.partitionKey;
    for (const data of payloads) {
      reingest.push(
        partitionKey === undefined
          ? { recordId: rec.recordId, data }
          : { recordId: rec.recordId, data, partitionKey },
      );
    }
    records.push({ recordId: rec.recordId, result: 'Dropped' });
    stats.reingested++;
  };

  const writeFinding = (rec: FirehoseInputRecord, finding: DecodedFinding): void => {
    const recordId = rec.recordId;
    const data = Buffer.from(finding.line, 'utf8');
    const size = Math.ceil(data.length / 3) * 4 + metadataSize(finding.keys);
    if (used + size <= maxResponse) {
      records.push({
        recordId,
        result: 'Ok',
        data: data.toString('base64'),
        metadata: { partitionKeys: finding.keys },
      });
      used += size;
      stats.ok++;
      stats.findings++;
      stats.bytesOut += data.length;
      return;
    }
    const attempt = finding.attempts + 1;
    if (attempt > maxAttempts) {
      fail(recordId, `response limit reached and the finding was already re-ingested ${attempt - 1} times`);
    } else if (!target) {
      fail(recordId, 'response limit reached and the event names no stream to re-ingest into');
    } else {
      putBack(rec, [Buffer.from(JSON.stringify({ ...finding.record, [REINGEST_FIELD]: attempt }), 'utf8')]);
    }
  };

  /** Ok when the written output fits the response, else re-ingestion (split by log event when big). */
  const emit = (
    rec: FirehoseInputRecord,
    keys: PartitionKeys,
    events: number,
    { bytes, base64 }: Written,
    message: () => CloudWatchLogsMessage,
  ): void => {
    const recordId = String(rec?.recordId ?? '');
    stats.logEvents += events;
    const dataLen = Math.ceil(bytes / 3) * 4;
    const size = dataLen + metadataSize(keys);
    if (used + size <= maxResponse) {
      records.push({ recordId, result: 'Ok', data: base64(), metadata: { partitionKeys: keys } });
      used += size;
      stats.ok++;
      stats.bytesOut += bytes;
      return;
    }
    // Overflow: put the payload back into the source (split by log event when it is too big on its own).
    const msg = message();
    const attempt = attemptsOf(msg) + 1;
    if (attempt > maxAttempts) {
      fail(recordId, `response limit reached and the payload was already re-ingested ${attempt - 1} times`);
      return;
    }
    if (!target) {
      fail(recordId, 'response limit reached and the event names no stream to re-ingest into');
      return;
    }
    const all = msg.logEvents;
    if (dataLen <= chunkBytes) {
      putBack(rec, [encodeCloudWatchPayload(withEvents(msg, all, attempt))]);
      return;
    }
    // Split by log event, estimating each event's share of the output from its message length.
    let chars = 0;
    for (const e of all) chars += e.message.length + 1;
    const perChar = (dataLen / chars) * 1.05;
    const payloads: Buffer[] = [];
    let from = 0;
    let acc = 0;
    for (let i = 0; i < all.length; i++) {
      const len = (all[i].message.length + 1) * perChar;
      if (i > from && acc + len > chunkBytes) {
        payloads.push(encodeCloudWatchPayload(withEvents(msg, all.slice(from, i), attempt)));
        from = i;
        acc = 0;
      }
      acc += len;
    }
    payloads.push(encodeCloudWatchPayload(withEvents(msg, all.slice(from), attempt)));
    putBack(rec, payloads);
  };

  const everyLine = options.checkEveryLine ?? false;
  const scan = options.scanBytes ?? true;
  for (const rec of input) {
    const recordId = String(rec?.recordId ?? '');
    const plain = typeof rec?.data === 'string' && rec.data.length > 0 ? inflateRecord(rec.data) : undefined;
    // Common case: scan the bytes, no JSON.parse (anything unusual takes the reference path below).
    const scanned = plain && scan && scanPayload(plain);
    if (scanned) {
      if (scanned.messageType === 'CONTROL_MESSAGE') {
        stats.controlMessages++;
        drop(recordId);
        continue;
      }
      if (scanned.count === 0) {
        drop(recordId);
        continue;
      }
      const written = plain && writeScanned(plain, scanned, output, format, enc, everyLine);
      if (plain && written) {
        const first = { message: scanned.firstMessage, timestamp: scanned.firstTimestamp };
        const keys = keysFor(scanned, first, format, defaultRegion);
        const message = () => JSON.parse(plain.toString('utf8')) as CloudWatchLogsMessage;
        emit(rec, keys, scanned.count, written, message);
        continue;
      }
    }
    let msg: CloudWatchLogsMessage;
    try {
      if (typeof rec?.data !== 'string' || rec.data.length === 0) throw new Error('record data is empty');
      const fast = plain && fastDecode(plain);
      if (fast) msg = fast;
      else {
        const finding = decodeGuardDutyRecord(rec.data, defaultRegion);
        if (finding?.kind === 'problem') {
          fail(recordId, finding.reason);
          continue;
        }
        if (finding) {
          writeFinding(rec, finding);
          continue;
        }
        msg = decodeCloudWatchPayload(rec.data);
      }
    } catch (e) {
      fail(recordId, (e as Error).message);
      continue;
    }
    if (msg.messageType === 'CONTROL_MESSAGE') {
      stats.controlMessages++;
      drop(recordId);
      continue;
    }
    const events = msg.logEvents;
    if (events.length === 0) {
      drop(recordId);
      continue;
    }
    writer.reset();
    const bad = badEvent(events[0], 0);
    const problem =
      bad ?? (output === 'json' ? writeJson(events, enc) : writeLines(events, fields, everyLine));
    if (problem !== undefined) {
      fail(recordId, `${problem} (log group ${msg.logGroup}, stream ${msg.logStream})`);
      continue;
    }
    const written = { bytes: writer.pos, base64: writerBase64 };
    emit(rec, keysFor(msg, events[0], format, defaultRegion), events.length, written, () => msg);
  }
  return { response: { records }, reingest, ...(target ? { target } : {}), stats, problems };
}

/**
 * Marks records whose re-ingestion finally failed as `ProcessingFailed` (Firehose then writes their originals to
 * the error prefix), adjusting the stats. Returns the outcome for chaining.
 */
export function markFailed(
  outcome: TransformOutcome,
  recordIds: Iterable<string>,
  reason: string,
): TransformOutcome {
  const ids = new Set(recordIds);
  if (ids.size === 0) return outcome;
  for (const r of outcome.response.records) {
    if (ids.has(r.recordId) && r.result === 'Dropped') {
      r.result = 'ProcessingFailed';
      outcome.stats.reingested--;
      outcome.stats.failed++;
      outcome.problems.push({ recordId: r.recordId, reason });
    }
  }
  return outcome;
}
