/**
 * OpenSearch fan-out (pure): one search document per flow record (and per GuardDuty finding) from the transform's
 * `Ok` output records, for a second, Direct PUT Firehose stream whose destination is an OpenSearch Service domain.
 *
 * Why a fan-out: Firehose indexes each Firehose record as one document, while one CloudWatch Logs record holds many
 * flow records, and a transform Lambda cannot return more records than it received. So the transform Lambda puts
 * one Firehose record per flow record into the OpenSearch stream itself (PutRecordBatch, batched here).
 *
 * A document is the NDJSON line the S3 output has in JSON mode (in lines mode the line is encoded as JSON anyway),
 * with two fields in front: `flowlake_dataset` (`vpcflowlogs-stream` or `guardduty-stream`, the S3 dataset key) and
 * `@timestamp` (ISO 8601 UTC: the flow record's `start`; for findings and records without `start`, the hour of the
 * partition keys) so OpenSearch Dashboards has a time field. Nothing here throws for bad data: lines that cannot be
 * encoded (lines mode checks only the first line of each payload) and documents above Firehose's 1,000 KiB record
 * limit are returned as `skipped`.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/limits.html
 */
import { FlowLogFormat } from '../format.js';
import { compileJsonEncoder, isLineProblem, type LineEncoder } from './line-encoder.js';
import { GUARDDUTY_DATASET } from './partition.js';
import { batchEntries, MAX_BYTES_PER_CALL, MAX_RECORDS_PER_CALL } from './reingest.js';
import type { ReingestEntry, TransformOutput } from './transform.js';
import type { FirehoseOutputRecord, PartitionKeys } from './types.js';

/** Firehose's largest record (before base64): 1,000 KiB. */
export const MAX_DOCUMENT_BYTES = 1000 * 1024;
/** Name of the field telling which dataset a document belongs to. */
export const DATASET_FIELD = 'flowlake_dataset';
/** Name of the time field (ISO 8601 UTC). */
export const TIMESTAMP_FIELD = '@timestamp';

/** One document for the OpenSearch stream, on behalf of input record `recordId` (raw JSON bytes). */
export type SearchDocument = ReingestEntry;

/** Options of {@link searchDocuments}. */
export interface DocumentOptions {
  /** Format of the flow log lines (lines mode only). @default FlowLogFormat.DEFAULT */
  readonly format?: FlowLogFormat;
  /** What the transform wrote into `data`. @default 'json' */
  readonly output?: TransformOutput;
  /** Largest document in bytes. @default MAX_DOCUMENT_BYTES */
  readonly maxDocumentBytes?: number;
}

/** Documents of one response. */
export interface DocumentSet {
  readonly documents: SearchDocument[];
  /** Lines or findings that yield no document, with the reason. */
  readonly skipped: { recordId: string; reason: string }[];
}

const encoders = new WeakMap<FlowLogFormat, LineEncoder>();

function encoderFor(format: FlowLogFormat): LineEncoder {
  let e = encoders.get(format);
  if (!e) {
    e = compileJsonEncoder(format);
    encoders.set(format, e);
  }
  return e;
}

const START_KEY = '"start":';
/** 9999-12-31T23:59:59Z: later times have no plain ISO 8601 form. */
const MAX_ISO_SECONDS = 253_402_300_799;

/** Unix seconds of the top-level `"start":<digits>` of a flat flow-record JSON object, if any. */
function startSeconds(json: string): number | undefined {
  let i = json.indexOf(START_KEY);
  while (i > 0) {
    const before = json.charCodeAt(i - 1);
    if (before === 123 /* { */ || before === 44 /* , */) break;
    i = json.indexOf(START_KEY, i + 1);
  }
  if (i < 0) return undefined;
  let j = i + START_KEY.length;
  let v = 0;
  const from = j;
  for (; j < json.length; j++) {
    const c = json.charCodeAt(j);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return j > from && j - from <= 12 && v <= MAX_ISO_SECONDS ? v : undefined;
}

function hourOf(keys: PartitionKeys): string {
  return `${keys.year}-${keys.month}-${keys.day}T${keys.hour}:00:00Z`;
}

/** `{"flowlake_dataset":…,"@timestamp":…,<the object's own fields>}` */
function withHeader(json: string, dataset: string, timestamp: string): string {
  const head = `{"${DATASET_FIELD}":${JSON.stringify(dataset)},"${TIMESTAMP_FIELD}":"${timestamp}"`;
  let i = 1;
  while (i < json.length && (json.charCodeAt(i) === 32 || json.charCodeAt(i) === 10)) i++;
  return json.charCodeAt(i) === 125 /* } */ ? `${head}}` : `${head},${json.slice(1)}`;
}

/** Last converted start time (records of one payload mostly share their capture window). */
let lastStart = -1;
let lastIso = '';

function isoSeconds(seconds: number): string {
  if (seconds !== lastStart) {
    lastStart = seconds;
    lastIso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastIso;
}

function flowDocument(json: string, dataset: string, keys: PartitionKeys): string {
  const start = startSeconds(json);
  return withHeader(json, dataset, start === undefined ? hourOf(keys) : isoSeconds(start));
}

const START_BYTES = Buffer.from(START_KEY);
const heads = new Map<string, Buffer>();

/** `{"flowlake_dataset":"<dataset>","@timestamp":"` as bytes. */
function headFor(dataset: string): Buffer {
  let h = heads.get(dataset);
  if (!h) {
    h = Buffer.from(`{"${DATASET_FIELD}":${JSON.stringify(dataset)},"${TIMESTAMP_FIELD}":"`);
    heads.set(dataset, h);
  }
  return h;
}

/** Unix seconds of the top-level `"start":<digits>` of the JSON object in `buf[from, to)`, if any. */
function startSecondsIn(buf: Buffer, from: number, to: number): number | undefined {
  let i = buf.indexOf(START_BYTES, from);
  while (i > from && i < to && buf[i - 1] !== 123 && buf[i - 1] !== 44) i = buf.indexOf(START_BYTES, i + 1);
  if (i <= from || i >= to) return undefined;
  let j = i + START_BYTES.length;
  const first = j;
  let v = 0;
  for (; j < to; j++) {
    const c = buf[j];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return j > first && j - first <= 12 && v <= MAX_ISO_SECONDS ? v : undefined;
}

/**
 * JSON mode without text decoding: each line of `buf` (one flat JSON object) becomes header + line bytes in one
 * buffer per record; the documents are views into it.
 */
function jsonDocuments(
  buf: Buffer,
  recordId: string,
  keys: PartitionKeys,
  maxBytes: number,
  documents: SearchDocument[],
  skipped: { recordId: string; reason: string }[],
): void {
  const head = headFor(keys.dataset);
  let lines = 1;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lines++;
  const pool = Buffer.allocUnsafe(buf.length + lines * (head.length + 32));
  let o = 0;
  let from = 0;
  while (from < buf.length) {
    let to = buf.indexOf(10, from);
    if (to < 0) to = buf.length;
    if (to > from && buf[from] === 123) {
      const start = startSecondsIn(buf, from, to);
      const ts = start === undefined ? hourOf(keys) : isoSeconds(start);
      const begin = o;
      o += head.copy(pool, o);
      o += pool.write(ts, o, 'latin1');
      pool[o++] = 34; // "
      let k = from + 1;
      while (k < to && (buf[k] === 32 || buf[k] === 9)) k++;
      if (buf[k] === 125) pool[o++] = 125;
      else {
        pool[o++] = 44; // ,
        o += buf.copy(pool, o, from + 1, to);
      }
      if (o - begin > maxBytes) {
        skipped.push({
          recordId,
          reason: `document of ${o - begin} bytes exceeds Firehose's record limit of ${maxBytes} bytes`,
        });
        o = begin;
      } else documents.push({ recordId, data: pool.subarray(begin, o) });
    } else if (to > from) {
      skipped.push({ recordId, reason: 'line is not a JSON object' });
    }
    from = to + 1;
  }
}

/**
 * The documents of every `Ok` record of a transform response, in order: one per flow record (each line of the
 * record's data) and one per GuardDuty finding. `Dropped` and `ProcessingFailed` records yield none (re-ingested
 * payloads yield their documents when they come back through the transform).
 */
export function searchDocuments(
  records: readonly FirehoseOutputRecord[],
  options: DocumentOptions = {},
): DocumentSet {
  const output = options.output ?? 'json';
  const encode = output === 'lines' ? encoderFor(options.format ?? FlowLogFormat.DEFAULT) : undefined;
  const maxBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  const documents: SearchDocument[] = [];
  const skipped: { recordId: string; reason: string }[] = [];
  const push = (recordId: string, doc: string): void => {
    const data = Buffer.from(doc, 'utf8');
    if (data.length > maxBytes) {
      skipped.push({
        recordId,
        reason: `document of ${data.length} bytes exceeds Firehose's record limit of ${maxBytes} bytes`,
      });
    } else documents.push({ recordId, data });
  };
  for (const rec of records) {
    if (rec.result !== 'Ok' || rec.data === undefined || rec.metadata === undefined) continue;
    const keys = rec.metadata.partitionKeys;
    const recordId = rec.recordId;
    if (keys.dataset === GUARDDUTY_DATASET) {
      const line = Buffer.from(rec.data, 'base64').toString('utf8').trim();
      if (line.startsWith('{')) push(recordId, withHeader(line, keys.dataset, hourOf(keys)));
      else skipped.push({ recordId, reason: 'GuardDuty record is not a JSON object' });
      continue;
    }
    if (!encode) {
      jsonDocuments(Buffer.from(rec.data, 'base64'), recordId, keys, maxBytes, documents, skipped);
      continue;
    }
    const text = Buffer.from(rec.data, 'base64').toString('utf8');
    let from = 0;
    let lineNo = 0;
    while (from < text.length) {
      let to = text.indexOf('\n', from);
      if (to < 0) to = text.length;
      const line = text.slice(from, to);
      from = to + 1;
      lineNo++;
      if (line.length === 0) continue;
      const json = encode(line);
      if (isLineProblem(json)) skipped.push({ recordId, reason: `line ${lineNo}: ${json.reason}` });
      else push(recordId, flowDocument(json, keys.dataset, keys));
    }
  }
  return { documents, skipped };
}

/** Splits documents into PutRecordBatch calls of at most 500 records and 4 MiB. */
export function documentBatches(
  documents: readonly SearchDocument[],
  maxRecords = MAX_RECORDS_PER_CALL,
  maxBytes = MAX_BYTES_PER_CALL,
): SearchDocument[][] {
  return batchEntries(documents, maxRecords, maxBytes);
}
