import { ExitCode, FlowlakeError } from '../errors.js';
import type { OrgAccount } from './org-accounts.js';
import type { AuditPlan, FlowLogExpectation } from './types.js';

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TRAFFIC_TYPES = ['ALL', 'ACCEPT', 'REJECT'];

/** Options of `flowlake audit` that describe what to audit (command-line flags; they override the config). */
export interface AuditFlags {
  readonly accounts?: string;
  readonly regions?: string;
  readonly roleName?: string;
  readonly externalId?: string;
  readonly bucket?: string;
  readonly prefix?: string;
  readonly bucketRegion?: string;
  readonly hive?: boolean;
  readonly logFormat?: string;
  readonly trafficType?: string;
  readonly fileFormat?: 'plain-text' | 'parquet';
  readonly maxAge?: number;
}

function usage(code: string, message: string, hint: string): FlowlakeError {
  return new FlowlakeError(code, message, { exitCode: ExitCode.USAGE, hint });
}

/** Splits a comma/space separated list. */
export function splitList(v: string): string[] {
  return v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The ARN partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Explicit account IDs from `--accounts`, or undefined for `org` (list them with Organizations). */
export function parseAccounts(value: string | undefined): string[] | undefined {
  if (value === undefined || value === 'org') return undefined;
  const ids = splitList(value);
  const bad = ids.filter((id) => !ACCOUNT_RE.test(id));
  if (bad.length > 0 || ids.length === 0) {
    throw usage(
      'BadAccountId',
      `--accounts has ${bad.length > 0 ? `invalid account ID(s) ${bad.map((b) => `'${b}'`).join(', ')}` : 'no account IDs'}.`,
      "Give 12-digit account IDs separated by commas (--accounts 111111111111,222222222222), or 'org' to list the organization's accounts.",
    );
  }
  return [...new Set(ids)];
}

/** Checks the flags' values; without a config, also that the flags name regions, a role and a bucket. */
export function validateFlags(flags: AuditFlags, withConfig: boolean): void {
  const regions = flags.regions === undefined ? [] : splitList(flags.regions);
  if (!withConfig && regions.length === 0) {
    throw usage(
      'MissingRegions',
      'No regions to audit.',
      'Pass --regions us-east-1,eu-west-1 (or --config flowlake.yaml).',
    );
  }
  const badRegion = regions.find((r) => !REGION_RE.test(r));
  if (badRegion)
    throw usage('BadRegion', `'${badRegion}' is not a region name.`, 'Use region codes like eu-west-1.');
  if (!withConfig && !flags.roleName) {
    throw usage(
      'MissingRoleName',
      'No role name to assume in member accounts.',
      'Pass --role-name <name> (the read-only audit role deployed in every member account) or --config with audit.roleName.',
    );
  }
  if (!withConfig && !flags.bucket) {
    throw usage(
      'MissingBucket',
      'No central bucket.',
      'Pass --bucket <central-bucket-name> (or --config flowlake.yaml).',
    );
  }
  if (flags.bucket !== undefined && !BUCKET_RE.test(flags.bucket)) {
    throw usage(
      'BadBucket',
      `'${flags.bucket}' is not an S3 bucket name.`,
      'Give the bucket name, not its ARN or an s3:// URL.',
    );
  }
  const trafficType = flags.trafficType?.toUpperCase();
  if (trafficType !== undefined && trafficType !== 'ANY' && !TRAFFIC_TYPES.includes(trafficType)) {
    throw usage(
      'BadTrafficType',
      `--traffic-type '${flags.trafficType}' is not valid.`,
      'Use ALL, ACCEPT, REJECT or any (not checked).',
    );
  }
  parseAccounts(flags.accounts);
}

/** Builds the audit plan from flags alone (no config). */
export function planFromFlags(flags: AuditFlags, accounts: readonly OrgAccount[]): AuditPlan {
  validateFlags(flags, false);
  const regions = splitList(flags.regions ?? '');
  const bucket = flags.bucket ?? '';
  const trafficType = flags.trafficType?.toUpperCase();
  const partition = partitionOf(regions[0]);
  const prefix = (flags.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const expect: FlowLogExpectation = {
    path: 'direct-s3',
    destination: { type: 's3', bucketArn: `arn:${partition}:s3:::${bucket}`, prefix },
    logFormat: flags.logFormat,
    trafficType: trafficType === 'ANY' ? undefined : (trafficType ?? 'ALL'),
    fileFormat: flags.fileFormat,
    hive: flags.hive,
  };
  return {
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, expect })),
    regions,
    roleName: flags.roleName ?? '',
    externalId: flags.externalId,
    partition,
    central: { bucket, prefix, region: flags.bucketRegion ?? regions[0], hive: flags.hive ?? true },
    maxAgeMinutes: flags.maxAge ?? 60,
  };
}
