/**
 * Dynamic-partitioning keys for one transformed record, so Firehose writes it under the same Hive layout as direct
 * delivery (`aws-account-id=`, `aws-region=`, `year=`, `month=`, `day=`, `hour=`).
 *
 * - account: the payload's `owner` (the account whose log group received the flow log, like the account of direct
 *   delivery's `AWSLogs/<account>/`); when that is not a 12-digit ID, the first record's `account-id`.
 * - region: the first record's `region` field when the format has it; else a Region name inside the log group name
 *   (flowlake names member log groups `/flowlake/vpcflowlogs/<region>`); else the configured default (the Lambda's
 *   `FLOWLAKE_REGION`, else the event's or `AWS_REGION`).
 * - time: the first log event's timestamp (UTC). Firehose takes one set of keys per output record and one output
 *   record per input recordId, so a payload whose events straddle an hour lands in the hour of its first event.
 */
import type { PartitionKeys } from './types.js';

/** `dataset` partition key of flow records (the S3 segment after `aws-account-id=<acct>/`). */
export const FLOWLOG_DATASET = 'vpcflowlogs-stream';
/** `dataset` partition key of GuardDuty findings. */
export const GUARDDUTY_DATASET = 'guardduty-stream';

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /(?:^|[/_.:-])([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)(?=$|[/_.:-])/;

/** A Region name found inside a log group name (`/flowlake/vpcflowlogs/eu-west-1` -> `eu-west-1`), if any. */
export function regionFromLogGroup(logGroup: string): string | undefined {
  return REGION_RE.exec(logGroup)?.[1];
}

/** True for a 12-digit AWS account ID. */
export function isAccountId(s: unknown): s is string {
  return typeof s === 'string' && ACCOUNT_RE.test(s);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Keys for a record: account, region, the UTC year/month/day/hour of `timestampMs` and the dataset. */
export function partitionKeys(
  account: string,
  region: string,
  timestampMs: number,
  dataset: string = FLOWLOG_DATASET,
): PartitionKeys {
  const d = new Date(timestampMs);
  return {
    dataset,
    account,
    region,
    year: String(d.getUTCFullYear()),
    month: pad2(d.getUTCMonth() + 1),
    day: pad2(d.getUTCDate()),
    hour: pad2(d.getUTCHours()),
  };
}
