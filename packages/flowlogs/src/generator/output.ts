/**
 * Writers for generated (or any) flow records: text lines as AWS writes them, S3 objects grouped the way flow-log
 * delivery groups them, CloudWatch Logs subscription payloads, and a streaming file writer.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { type CloudWatchLogsMessage, encodeCloudWatchPayload, logEventId } from '../cloudwatch-payload.js';
import { FlowLogFormat } from '../format.js';
import { buildObjectKey, type FileFormat, fileWindowStart, type KeyLayout } from '../keys.js';
import type { FlowRecord } from '../record.js';
import type { Org } from './org.js';
import { RECORD_ORIGIN, type RecordOrigin } from './records.js';

/** A format object, or a format string (`${version} ${srcaddr} ...`). */
export type FormatLike = FlowLogFormat | string;

function toFormat(format: FormatLike): FlowLogFormat {
  return typeof format === 'string' ? FlowLogFormat.parse(format) : format;
}

const SAFE_NAME = /^[a-z0-9-]+$/;

/**
 * Compiles a line writer for a format: nulls become `-`, `version` becomes the format's version (as AWS does). The
 * function is generated so each field is a constant-key property read (several times faster than a loop over names).
 */
function lineWriter(format: FlowLogFormat): (r: FlowRecord) => string {
  const parts = format.names.map((name) => {
    if (!SAFE_NAME.test(name)) throw new Error(`unexpected field name ${JSON.stringify(name)}`);
    return name === 'version' ? JSON.stringify(String(format.version)) : `d(r[${JSON.stringify(name)}])`;
  });
  const dash = (v: FlowRecord[string] | undefined): string | number =>
    v === null || v === undefined || v === '' ? '-' : v;
  return new Function('d', `return (r) => ${parts.join(" + ' ' + ")};`)(dash) as (r: FlowRecord) => string;
}

/** The record as it reads back from a line of `format`: only the format's fields, `version` = format version. */
export function projectRecord(record: FlowRecord, format: FormatLike): FlowRecord {
  const f = toFormat(format);
  const out: FlowRecord = {};
  for (const name of f.names) out[name] = name === 'version' ? f.version : (record[name] ?? null);
  return out;
}

/** Options of the line writers. */
export interface LineOptions {
  /** Start with the header line of field names, as S3 text files do. @default false */
  readonly header?: boolean;
}

/** Lines of the records (no trailing newlines), lazily. */
export function* lines(
  records: Iterable<FlowRecord>,
  format: FormatLike,
  options: LineOptions = {},
): Generator<string> {
  const f = toFormat(format);
  if (options.header) yield f.header();
  const write = lineWriter(f);
  for (const r of records) yield write(r);
}

/** All lines of the records as an array (header first when asked). */
export function toLines(
  records: Iterable<FlowRecord>,
  format: FormatLike,
  options: LineOptions = {},
): string[] {
  return [...lines(records, format, options)];
}

/** Newline-terminated text in chunks of about `chunkChars` characters, for streams. */
export function* textChunks(
  records: Iterable<FlowRecord>,
  format: FormatLike,
  options: LineOptions & { readonly chunkChars?: number } = {},
): Generator<string> {
  const size = options.chunkChars ?? 1 << 16;
  let buf = '';
  for (const line of lines(records, format, options)) {
    buf += `${line}\n`;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

/** Result of {@link writeFlowLogFile}. */
export interface WrittenFile {
  readonly path: string;
  readonly records: number;
  /** Uncompressed text bytes (header included). */
  readonly textBytes: number;
  /** Bytes written to the file. */
  readonly fileBytes: number;
}

/** Options of {@link writeFlowLogFile}. */
export interface WriteFileOptions {
  readonly format: FormatLike;
  /** Write the header line first. @default true */
  readonly header?: boolean;
  /** @default true when the path ends in `.gz` */
  readonly gzip?: boolean;
  /** gzip level (1 fastest .. 9 smallest). @default 6 */
  readonly level?: number;
  /**
   * Stop taking records once the file holds about this many bytes (for sized benchmark files; overshoots by at most
   * one 64 KiB chunk plus the compressor's buffer). Pass a long time window so the records do not run out first.
   */
  readonly maxFileBytes?: number;
}

/**
 * Streams records to a file (gzip when the path ends in `.gz`) with a header line by default, like an S3 text object.
 * Memory stays flat: records are pulled one 64 KiB chunk at a time.
 */
export async function writeFlowLogFile(
  path: string,
  records: Iterable<FlowRecord>,
  options: WriteFileOptions,
): Promise<WrittenFile> {
  let count = 0;
  let textBytes = 0;
  let fileBytes = 0;
  const limit = options.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const counted = function* (): Generator<FlowRecord> {
    for (const r of records) {
      count++;
      yield r;
    }
  };
  const chunks = function* (): Generator<Buffer> {
    for (const c of textChunks(counted(), options.format, { header: options.header ?? true })) {
      const b = Buffer.from(c, 'utf8');
      textBytes += b.length;
      yield b;
      if (fileBytes >= limit) return;
    }
  };
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      fileBytes += chunk.length;
      done(null, chunk);
    },
  });
  const gzip = options.gzip ?? path.endsWith('.gz');
  const source = Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  if (gzip) await pipeline(source, createGzip({ level: options.level ?? 6 }), meter, createWriteStream(path));
  else await pipeline(source, meter, createWriteStream(path));
  return { path, records: count, textBytes, fileBytes };
}

/** One S3 object as flow-log delivery would write it. */
export interface S3Object {
  /** Object key (without bucket). */
  readonly key: string;
  /** gzip of the header line plus one line per record. */
  readonly body: Buffer;
  readonly records: number;
  readonly accountId: string;
  readonly region: string;
  readonly flowLogId: string;
  /** Start of the 5-minute delivery window (records whose `end` falls in it). */
  readonly time: Date;
}

/** Options of {@link toS3Objects}. */
export interface S3ObjectOptions {
  readonly layout: KeyLayout;
  /** Only plain text can be written without dependencies. */
  readonly fileFormat: FileFormat;
  readonly format: FormatLike;
  /** Folder inside the bucket before `AWSLogs/`. */
  readonly prefix?: string;
  /** The organization the records came from: gives each interface's flow log ID and region exactly. */
  readonly org?: Org;
  /** Split a window's records into several objects of at most this many records (AWS may publish several files). */
  readonly maxRecordsPerObject?: number;
}

interface Owner {
  readonly accountId: string;
  readonly region: string;
  readonly flowLogId: string;
}

function syntheticFlowLogId(basis: string): string {
  return `fl-${createHash('sha256').update(basis).digest('hex').slice(0, 17)}`;
}

function ownersFrom(records: readonly FlowRecord[], org: Org | undefined): (r: FlowRecord) => Owner {
  if (org) {
    return (r) => {
      const eni = org.eniById.get(r['interface-id'] as string);
      const vpc = eni && org.vpcById.get(eni.vpcId);
      if (!eni || !vpc) {
        throw new Error(`interface '${r['interface-id']}' is not part of the organization passed as 'org'.`);
      }
      return { accountId: eni.accountId, region: eni.region, flowLogId: vpc.flowLogId };
    };
  }
  // Without the organization: learn each interface's VPC and region from its records.
  const known = new Map<string, Owner>();
  for (const r of records) {
    const id = r['interface-id'] as string;
    if (known.has(id) || typeof r['vpc-id'] !== 'string' || typeof r.region !== 'string') continue;
    known.set(id, {
      accountId: String(r['account-id']),
      region: r.region,
      flowLogId: syntheticFlowLogId(`${r['account-id']}/${r['vpc-id']}`),
    });
  }
  return (r) => {
    const id = r['interface-id'] as string;
    let o = known.get(id);
    const origin = (r as { [RECORD_ORIGIN]?: RecordOrigin })[RECORD_ORIGIN];
    if (!o && origin) {
      o = {
        accountId: String(r['account-id']),
        region: origin.region,
        flowLogId: syntheticFlowLogId(`${r['account-id']}/${origin.vpcId}`),
      };
      known.set(id, o);
    }
    if (!o) {
      throw new Error(
        `cannot tell the region of interface '${r['interface-id']}' (its records carry no region/vpc-id); pass 'org'.`,
      );
    }
    return o;
  };
}

/** An S3 object's key and records, before its body is written (see {@link planS3Objects}). */
export interface PlannedS3Object extends Omit<S3Object, 'body' | 'records'> {
  readonly records: readonly FlowRecord[];
}

/**
 * Groups records into the S3 objects VPC Flow Logs delivery would write: one object per flow log (VPC) and 5-minute
 * window of the records' `end` time (split by `maxRecordsPerObject`), with the key for the layout and file format.
 * Use it to write Parquet bodies with a Parquet library; {@link toS3Objects} writes text bodies.
 */
export function planS3Objects(
  records: Iterable<FlowRecord>,
  options: Omit<S3ObjectOptions, 'format'>,
): PlannedS3Object[] {
  const all = Array.isArray(records) ? (records as FlowRecord[]) : [...records];
  const ownerOf = ownersFrom(all, options.org);
  const groups = new Map<string, { owner: Owner; window: number; records: FlowRecord[] }>();
  for (const r of all) {
    const owner = ownerOf(r);
    const window = fileWindowStart(new Date((r.end as number) * 1000)).getTime();
    const id = `${owner.flowLogId}|${window}`;
    let g = groups.get(id);
    if (!g) {
      g = { owner, window, records: [] };
      groups.set(id, g);
    }
    g.records.push(r);
  }
  const max = options.maxRecordsPerObject ?? Number.POSITIVE_INFINITY;
  const out: PlannedS3Object[] = [];
  for (const { owner, window, records: rs } of groups.values()) {
    for (let from = 0, part = 0; from < rs.length; from += max, part++) {
      const time = new Date(window);
      const hash = createHash('sha256')
        .update(`${owner.flowLogId}/${window}/${part}`)
        .digest('hex')
        .slice(0, 8);
      const key = buildObjectKey({
        ...owner,
        prefix: options.prefix,
        time,
        hash,
        layout: options.layout,
        fileFormat: options.fileFormat,
      });
      out.push({ key, records: rs.slice(from, from + max), ...owner, time });
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * S3 text objects as VPC Flow Logs delivers them ({@link planS3Objects} grouping), body = gzip(header line + lines).
 * Parquet is refused: this package has no runtime dependencies; write Parquet bodies from {@link planS3Objects}.
 */
export function toS3Objects(records: Iterable<FlowRecord>, options: S3ObjectOptions): S3Object[] {
  if (options.fileFormat !== 'text') {
    throw new Error(
      `fileFormat '${options.fileFormat}' needs a Parquet writer; use 'text', or planS3Objects() and write the bodies with a Parquet library.`,
    );
  }
  const format = toFormat(options.format);
  const write = lineWriter(format);
  const header = format.header();
  return planS3Objects(records, options).map((o) => {
    let text = `${header}\n`;
    for (const r of o.records) text += `${write(r)}\n`;
    return { ...o, body: gzipSync(text, { level: 6 }), records: o.records.length };
  });
}

/** Options of {@link toCloudWatchPayloads}. */
export interface CloudWatchPayloadOptions {
  readonly format: FormatLike;
  /** Log group the flow logs publish to. */
  readonly logGroup: string;
  /** Most log events per message. @default 1000 */
  readonly maxEventsPerMessage?: number;
  /** Subscription filter name. @default 'flowlake' */
  readonly subscriptionFilter?: string;
}

/** Largest JSON message built before compression (CloudWatch batches stay well under Kinesis' 1 MiB record). */
const MAX_MESSAGE_CHARS = 900_000;

/** The decoded messages {@link toCloudWatchPayloads} compresses: one log stream per interface, events by time. */
export function toCloudWatchMessages(
  records: Iterable<FlowRecord>,
  options: CloudWatchPayloadOptions,
): CloudWatchLogsMessage[] {
  const write = lineWriter(toFormat(options.format));
  const max = options.maxEventsPerMessage ?? 1000;
  const streams = new Map<
    string,
    { owner: string; stream: string; events: { ts: number; line: string }[] }
  >();
  for (const r of records) {
    const stream = String(r['interface-id']);
    const owner = String(r['account-id']);
    const id = `${owner}/${stream}`;
    let s = streams.get(id);
    if (!s) {
      s = { owner, stream, events: [] };
      streams.set(id, s);
    }
    s.events.push({ ts: (r.start as number) * 1000, line: write(r) });
  }
  const out: CloudWatchLogsMessage[] = [];
  let seq = 0;
  for (const s of streams.values()) {
    s.events.sort((a, b) => a.ts - b.ts);
    let batch: { id: string; timestamp: number; message: string }[] = [];
    let chars = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      out.push({
        messageType: 'DATA_MESSAGE',
        owner: s.owner,
        logGroup: options.logGroup,
        logStream: s.stream,
        subscriptionFilters: [options.subscriptionFilter ?? 'flowlake'],
        logEvents: batch,
      });
      batch = [];
      chars = 0;
    };
    for (const e of s.events) {
      if (batch.length >= max || chars + e.line.length + 100 > MAX_MESSAGE_CHARS) flush();
      batch.push({ id: logEventId(e.ts, seq++), timestamp: e.ts, message: e.line });
      chars += e.line.length + 100;
    }
    flush();
  }
  return out;
}

/**
 * CloudWatch Logs subscription payloads (gzip JSON, one Buffer per Kinesis/Firehose record) for the records, as a
 * flow log publishing to `logGroup` would produce them: log stream = interface ID, owner = account, event timestamp =
 * record start, message = the record line (no header).
 */
export function toCloudWatchPayloads(
  records: Iterable<FlowRecord>,
  options: CloudWatchPayloadOptions,
): Buffer[] {
  return toCloudWatchMessages(records, options).map(encodeCloudWatchPayload);
}
