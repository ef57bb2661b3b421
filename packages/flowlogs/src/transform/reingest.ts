/**
 * Re-ingestion of overflow payloads into the Firehose stream (PutRecordBatch) or the source Kinesis stream
 * (PutRecords), independent of the SDK: the caller passes a `send` function that performs one API call.
 *
 * Batches hold at most 500 entries and 4 MiB (PutRecordBatch's limits; PutRecords allows 5 MiB). Only the entries
 * a call reports as failed are retried, with exponential backoff and full jitter, up to `maxAttempts` calls per
 * batch; a call that throws (throttling, network) counts as an attempt failing every pending entry. Entries still
 * failing at the end are reported by their input recordId, so the handler can return those records as
 * `ProcessingFailed` (Firehose keeps the original in the error prefix): no record is lost. A record whose split-off
 * payloads partly succeeded is delivered at least once (possible duplicates, never loss).
 */
import type { ReingestEntry } from './transform.js';

/** Result of one API call: the positions (in the entries passed) that were not accepted. */
export interface SendResult {
  readonly failedIndexes: readonly number[];
  /** Error code per failed entry, when the service names one (e.g. `ServiceUnavailableException`). */
  readonly errorCodes?: readonly string[];
}

/** Performs one PutRecordBatch / PutRecords call for these entries. */
export type ReingestSender = (entries: readonly ReingestEntry[]) => Promise<SendResult>;

/** Options of {@link reingestAll}. */
export interface ReingestOptions {
  /** API calls per batch (first try included). @default 5 */
  readonly maxAttempts?: number;
  /** Backoff base in ms; attempt n waits a random time up to `baseDelayMs * 2^(n-1)`. @default 100 */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts in ms. @default 3000 */
  readonly maxDelayMs?: number;
  /** Entries per call. @default 500 */
  readonly maxRecordsPerCall?: number;
  /** Bytes per call (data plus partition keys). @default 4 MiB */
  readonly maxBytesPerCall?: number;
  /** Sleep function (tests replace it). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Random source in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

/** What re-ingestion achieved. */
export interface ReingestReport {
  /** Input recordIds with at least one payload that could not be re-ingested. */
  readonly failedRecordIds: Set<string>;
  /** Payloads accepted by the service. */
  readonly accepted: number;
  /** API calls made. */
  readonly calls: number;
  /** Distinct error codes / messages seen. */
  readonly errors: string[];
}

/** PutRecordBatch: 500 records, 4 MiB per call. */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 4 * 1024 * 1024;

/** Splits entries into calls of at most `maxRecords` entries and `maxBytes` bytes (an oversized entry goes alone). */
export function batchEntries(
  entries: readonly ReingestEntry[],
  maxRecords = MAX_RECORDS_PER_CALL,
  maxBytes = MAX_BYTES_PER_CALL,
): ReingestEntry[][] {
  const batches: ReingestEntry[][] = [];
  let cur: ReingestEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = e.data.length + (e.partitionKey ? Buffer.byteLength(e.partitionKey) : 0);
    if (cur.length > 0 && (cur.length >= maxRecords || bytes + size > maxBytes)) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(e);
    bytes += size;
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Re-ingests every entry, retrying only failed entries, within a bounded number of calls per batch. */
export async function reingestAll(
  entries: readonly ReingestEntry[],
  send: ReingestSender,
  options: ReingestOptions = {},
): Promise<ReingestReport> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 3000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const failedRecordIds = new Set<string>();
  const errors = new Set<string>();
  let accepted = 0;
  let calls = 0;
  for (const batch of batchEntries(entries, options.maxRecordsPerCall, options.maxBytesPerCall)) {
    let pending = batch;
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1))));
      calls++;
      try {
        const res = await send(pending);
        const failed = new Set(res.failedIndexes);
        res.errorCodes?.forEach((c) => {
          errors.add(c);
        });
        accepted += pending.length - failed.size;
        pending = pending.filter((_, i) => failed.has(i));
      } catch (e) {
        errors.add((e as Error).name || String(e));
      }
    }
    for (const e of pending) failedRecordIds.add(e.recordId);
  }
  return { failedRecordIds, accepted, calls, errors: [...errors] };
}
