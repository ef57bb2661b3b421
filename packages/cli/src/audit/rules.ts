/** Severity of an audit finding; maps to SARIF `level`. */
export type Severity = 'error' | 'warning' | 'note';

/** One audit rule: a stable ID (never renumbered), a short name and what to do about it. */
export interface AuditRule {
  /** Stable rule ID, e.g. `FLA001`. */
  readonly id: string;
  /** kebab-case rule name. */
  readonly name: string;
  /** One-line summary. */
  readonly title: string;
  readonly severity: Severity;
  /** How to fix a finding of this rule. */
  readonly help: string;
}

/** The audit rules, by ID. IDs are API: CI pipelines and SARIF baselines key on them. */
export const RULES = {
  FLA001: {
    id: 'FLA001',
    name: 'vpc-without-flow-log',
    title: 'VPC has no flow log',
    severity: 'error',
    help: 'Deploy the flowlake member stack in this account and region (flowlake deploy), or create a VPC flow log to the central destination.',
  },
  FLA002: {
    id: 'FLA002',
    name: 'flow-log-not-central',
    title: 'VPC flow logs do not deliver to the central destination',
    severity: 'error',
    help: "Point a flow log of this VPC at the central destination from the config (the member stack does this); the VPC's other flow logs may stay.",
  },
  FLA003: {
    id: 'FLA003',
    name: 'delivery-failed',
    title: 'Flow log delivery is FAILED',
    severity: 'error',
    help: 'Read DeliverLogsErrorMessage: usually the central bucket policy, the KMS key policy or the delivery role does not allow this account (see docs/deploy.md).',
  },
  FLA004: {
    id: 'FLA004',
    name: 'format-drift',
    title: 'Flow log format differs from the config',
    severity: 'warning',
    help: 'Flow log formats cannot be changed in place: redeploy the member stack, which replaces the flow log with the configured format.',
  },
  FLA005: {
    id: 'FLA005',
    name: 'traffic-type-drift',
    title: 'Flow log traffic type differs from the config',
    severity: 'warning',
    help: 'Redeploy the member stack so the flow log records the configured traffic type (ALL, ACCEPT or REJECT).',
  },
  FLA006: {
    id: 'FLA006',
    name: 'stale-delivery',
    title: 'No recent objects in the central bucket',
    severity: 'warning',
    help: 'Check the flow log delivery status and the central bucket and KMS key policies; objects normally arrive every 5 to 10 minutes while there is traffic.',
  },
  FLA007: {
    id: 'FLA007',
    name: 'account-unreachable',
    title: 'Member account could not be audited (assume-role failed)',
    severity: 'error',
    help: "Deploy the audit role (config audit.roleName) in the account, trust the auditing principal, and pass the config's external ID.",
  },
  FLA008: {
    id: 'FLA008',
    name: 'destination-options-drift',
    title: 'Flow log S3 destination options differ from the config',
    severity: 'warning',
    help: 'File format, Hive-compatible prefixes and per-hour partitions cannot be changed in place: redeploy the member stack.',
  },
  FLA009: {
    id: 'FLA009',
    name: 'region-not-audited',
    title: 'Region could not be audited',
    severity: 'error',
    help: 'Allow ec2:DescribeVpcs and ec2:DescribeFlowLogs to the audit role in this region (check SCPs and whether the region is enabled).',
  },
  FLA010: {
    id: 'FLA010',
    name: 'freshness-unknown',
    title: 'Central bucket could not be listed',
    severity: 'error',
    help: 'Allow s3:ListBucket on the central bucket to the credentials running the audit (the log-archive read role).',
  },
} as const satisfies Record<string, AuditRule>;

export type RuleId = keyof typeof RULES;

/** All rules in ID order. */
export const RULE_LIST: readonly AuditRule[] = Object.values(RULES);
