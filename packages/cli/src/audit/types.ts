import type { RuleId, Severity } from './rules.js';

/** How a member account's flow logs reach the central account (the config's `delivery`). */
export type DeliveryPath = 'direct-s3' | 'replication' | 'cloudwatch-firehose' | 'cloudwatch-kinesis';

/** Where a member account's flow logs must deliver. */
export type ExpectedDestination =
  | { readonly type: 's3'; readonly bucketArn: string; readonly prefix: string }
  | { readonly type: 'kinesis-data-firehose'; readonly arn: string }
  | { readonly type: 'cloud-watch-logs'; readonly logGroupName: string };

/** What the config says a member account's flow logs look like. */
export interface FlowLogExpectation {
  readonly path: DeliveryPath;
  /** The destination; a function when it depends on the region (local bucket, member log group). */
  readonly destination: ExpectedDestination | ((region: string, accountId: string) => ExpectedDestination);
  /** Only these VPC IDs are checked; undefined: every VPC (`vpcs: all`). */
  readonly vpcIds?: readonly string[];
  /** The format string; undefined: not checked. */
  readonly logFormat?: string;
  /** ALL | ACCEPT | REJECT; undefined: not checked. */
  readonly trafficType?: string;
  /** S3 destination options; undefined: not checked. */
  readonly fileFormat?: 'plain-text' | 'parquet';
  readonly hive?: boolean;
  readonly perHour?: boolean;
}

/** A member account to audit. */
export interface AuditAccount {
  readonly id: string;
  readonly name?: string;
  readonly expect: FlowLogExpectation;
  /** Regions of this account; default: the plan's regions. */
  readonly regions?: readonly string[];
}

/** Everything one audit run needs. */
export interface AuditPlan {
  readonly accounts: readonly AuditAccount[];
  readonly regions: readonly string[];
  /** Role assumed in each member account. */
  readonly roleName: string;
  readonly externalId?: string;
  /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Central bucket where objects are listed for freshness; undefined: freshness not checked. */
  readonly central?: {
    readonly bucket: string;
    readonly prefix: string;
    /** Region of the central bucket. */
    readonly region: string;
    /** Hive-compatible prefixes when a flow log does not tell (streaming path objects). */
    readonly hive: boolean;
  };
  /** Objects older than this count as stale. */
  readonly maxAgeMinutes: number;
  /** Path of the config file, used as the SARIF artifact location. */
  readonly configPath?: string;
}

/** One non-compliance. */
export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly accountId: string;
  readonly region?: string;
  /** VPC ID, flow log ID or bucket prefix. */
  readonly resource?: string;
  readonly message: string;
}

/** What the audit saw in one account. */
export interface AccountResult {
  readonly accountId: string;
  readonly name?: string;
  readonly path: DeliveryPath;
  /** `ok`: audited; `partial`: some regions or checks failed; `unreachable`: assume-role failed. */
  readonly status: 'ok' | 'partial' | 'unreachable';
  readonly vpcs: number;
  /** VPCs with a flow log delivering to the central destination. */
  readonly covered: number;
  /** Age in minutes of the newest object in the central bucket; undefined when none or not checked. */
  readonly newestObjectAgeMinutes?: number;
  readonly findings: number;
}

/** The result of an audit run. */
export interface AuditReport {
  readonly generatedAt: string;
  readonly regions: readonly string[];
  readonly accounts: readonly AccountResult[];
  readonly findings: readonly Finding[];
}
