/**
 * GuardDuty findings that EventBridge routes into the streaming Firehose stream (flowlake's GuardDuty rule targets
 * it when streaming is on). Firehose hands the transform what EventBridge put: plain JSON, not a gzip CloudWatch
 * Logs payload. Two shapes are accepted:
 * - the finding itself (flowlake's rule sends the event's `detail`): an object with string `schemaVersion`, `type`
 *   and a GuardDuty finding `arn` (`arn:<partition>:guardduty:...`);
 * - the whole EventBridge event: `source: aws.guardduty`, `detail-type: GuardDuty Finding`, finding in `detail`.
 * Either becomes one NDJSON line (the finding) partitioned under the `guardduty-stream` dataset. Other plain-JSON
 * EventBridge events are problems; anything else is left to the CloudWatch Logs decoder (and fails there).
 *
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 */
import { GUARDDUTY_DATASET, isAccountId, partitionKeys } from './partition.js';
import { REINGEST_FIELD } from './reingest-field.js';
import type { PartitionKeys } from './types.js';

const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const FINDING_ARN_RE = /^arn:aws[a-z-]*:guardduty:/;
const MAX_EVENT_BYTES = 8 * 1024 * 1024;

/** A GuardDuty finding ready to write. */
export interface DecodedFinding {
  readonly kind: 'finding';
  /** The record as received, without the re-ingestion counter (to re-ingest on overflow). */
  readonly record: Record<string, unknown>;
  /** How many times the record was re-ingested already. */
  readonly attempts: number;
  /** The finding as one JSON line, ending in `\n`. */
  readonly line: string;
  readonly keys: PartitionKeys;
}

/** A plain-JSON EventBridge event that is not a GuardDuty finding, or a finding that cannot be placed. */
export interface FindingProblem {
  readonly kind: 'problem';
  readonly reason: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function timeOf(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function regionOf(v: unknown): string | undefined {
  return typeof v === 'string' && REGION_RE.test(v) ? v : undefined;
}

/**
 * Decodes a record's base64 data as an EventBridge GuardDuty finding event. Returns undefined when the data is not
 * a plain JSON object (gzip, other bytes, or JSON that is not an object), so the caller reports its own error.
 */
export function decodeGuardDutyRecord(
  data: string,
  defaultRegion: string,
): DecodedFinding | FindingProblem | undefined {
  let event: unknown;
  try {
    const buf = Buffer.from(data, 'base64');
    if (buf.length > MAX_EVENT_BYTES || (buf[0] === 0x1f && buf[1] === 0x8b)) return undefined;
    event = JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(event)) return undefined;
  const n = event[REINGEST_FIELD];
  const attempts = typeof n === 'number' && Number.isFinite(n) ? n : 0;
  const { [REINGEST_FIELD]: _counter, ...record } = event;
  if (isBareFinding(record)) return place(record, {}, record, attempts, defaultRegion);
  if (!('detail-type' in record || 'source' in record)) return undefined;
  const source = record.source;
  const detailType = record['detail-type'];
  if (source !== 'aws.guardduty' || detailType !== 'GuardDuty Finding') {
    return {
      kind: 'problem',
      reason: `EventBridge event (source ${JSON.stringify(source)}, detail-type ${JSON.stringify(detailType)}) is not a GuardDuty Finding from aws.guardduty`,
    };
  }
  const detail = record.detail;
  if (!isObject(detail)) return { kind: 'problem', reason: 'GuardDuty Finding event has no detail object' };
  return place(record, record, detail, attempts, defaultRegion);
}

function isBareFinding(o: Record<string, unknown>): boolean {
  return (
    typeof o.schemaVersion === 'string' &&
    typeof o.type === 'string' &&
    typeof o.arn === 'string' &&
    FINDING_ARN_RE.test(o.arn)
  );
}

/** Keys and line of a finding; `event` is the EventBridge envelope (empty for a bare finding). */
function place(
  record: Record<string, unknown>,
  event: Record<string, unknown>,
  detail: Record<string, unknown>,
  attempts: number,
  defaultRegion: string,
): DecodedFinding | FindingProblem {
  const account = isAccountId(event.account)
    ? event.account
    : isAccountId(detail.accountId)
      ? detail.accountId
      : undefined;
  if (account === undefined) {
    return {
      kind: 'problem',
      reason: 'GuardDuty Finding event names no 12-digit account (account, detail.accountId)',
    };
  }
  const time = timeOf(detail.updatedAt) ?? timeOf(event.time);
  if (time === undefined) {
    return { kind: 'problem', reason: 'GuardDuty finding has no valid time (detail.updatedAt, time)' };
  }
  const region = regionOf(event.region) ?? regionOf(detail.region) ?? defaultRegion;
  return {
    kind: 'finding',
    record,
    attempts,
    line: `${JSON.stringify(detail)}\n`,
    keys: partitionKeys(account, region, time, GUARDDUTY_DATASET),
  };
}
