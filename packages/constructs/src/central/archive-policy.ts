import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { accountPrefixes, LOG_DELIVERY_PRINCIPAL, REPLICATION_ROLE_PREFIX } from '../internal/names.js';

/**
 * Who may send flow logs (and replicas) to the archive. Pure data; the statements below are built from it.
 */
export interface ArchiveSenders {
  /** AWS Organizations id (`o-...`); scopes senders with org-wide condition keys (constant policy size). */
  readonly organizationId?: string;
  /** Explicitly listed member account ids (required without an organization, or with `useSourceOrgId: false`). */
  readonly accounts: readonly string[];
  /** Use `aws:SourceOrgID` for log delivery (unverified that delivery sends it); else the explicit account list. */
  readonly useSourceOrgId: boolean;
}

/** Options of the archive bucket policy statements. */
export interface ArchivePolicyOptions {
  /** ARN of the flow-log bucket. */
  readonly bucketArn: string;
  /** Optional folder before `AWSLogs/` (`''` or `folder/`). */
  readonly prefix: string;
  /** Require `s3:x-amz-acl = bucket-owner-full-control` on log delivery writes. */
  readonly requireBucketOwnerFullControl: boolean;
  /** Principal ARN patterns that may delete objects or change the bucket's policy and protection settings. */
  readonly adminPrincipalArns: readonly string[];
  /** Grant member replication roles write access (replication delivery path). */
  readonly allowReplication: boolean;
}

/** IAM policy variable of the log-delivery sender's account; binds each sender to its own prefix. */
export const SOURCE_ACCOUNT_VAR = '$' + '{aws:SourceAccount}';
/** IAM policy variable of the calling principal's account; binds each replication role to its own prefix. */
export const PRINCIPAL_ACCOUNT_VAR = '$' + '{aws:PrincipalAccount}';

/** Actions nobody but the archive admins may call. */
export const PROTECTED_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:DeleteBucket',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPublicAccessBlock',
];

/** `StringEquals` conditions that identify a log-delivery sender (org id or explicit accounts). */
export function deliverySourceCondition(senders: ArchiveSenders): Record<string, string | string[]> {
  if (senders.organizationId && senders.useSourceOrgId) return { 'aws:SourceOrgID': senders.organizationId };
  return { 'aws:SourceAccount': [...senders.accounts] };
}

/** `StringEquals` conditions that identify a member principal (org id or explicit accounts). */
export function memberPrincipalCondition(senders: ArchiveSenders): Record<string, string | string[]> {
  if (senders.organizationId) return { 'aws:PrincipalOrgID': senders.organizationId };
  return { 'aws:PrincipalAccount': [...senders.accounts] };
}

/** ARN pattern of the member replication roles. */
export function replicationRoleArnPattern(): string {
  return `arn:${Aws.PARTITION}:iam::*:role/${REPLICATION_ROLE_PREFIX}*`;
}

/**
 * Bucket policy statements of the central archive (besides the TLS deny that `enforceSSL` adds).
 * Every sender is bound to `AWSLogs/<its account>/` by a policy variable in the resource ARN, so the policy has
 * the same size for 10 or 5,000 accounts when an organization id is used.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
 */
export function archiveBucketStatements(
  senders: ArchiveSenders,
  opts: ArchivePolicyOptions,
): iam.PolicyStatement[] {
  const statements = logDeliveryStatements(senders, opts);
  if (opts.allowReplication) statements.push(...replicationStatements(senders, opts));
  statements.push(
    new iam.PolicyStatement({
      sid: 'DenyDeleteAndPolicyChangesExceptArchiveAdmins',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: PROTECTED_ACTIONS,
      resources: [opts.bucketArn, `${opts.bucketArn}/*`],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [...opts.adminPrincipalArns] } },
    }),
  );
  return statements;
}

/** Options of {@link logDeliveryStatements}. */
export interface LogDeliveryStatementOptions {
  /** ARN of the destination bucket. */
  readonly bucketArn: string;
  /** Optional folder before `AWSLogs/` (`''` or `folder/`). */
  readonly prefix: string;
  /** Require `s3:x-amz-acl = bucket-owner-full-control` on writes. */
  readonly requireBucketOwnerFullControl: boolean;
}

/**
 * AWS's two log-delivery statements (`AWSLogDeliveryWrite`, `AWSLogDeliveryAclCheck`), with the sender bound to its
 * own `AWSLogs/<account>/` prefix (both layouts) by the `aws:SourceAccount` policy variable.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
 */
export function logDeliveryStatements(
  senders: ArchiveSenders,
  opts: LogDeliveryStatementOptions,
): iam.PolicyStatement[] {
  const delivery = new iam.ServicePrincipal(LOG_DELIVERY_PRINCIPAL);
  const source = deliverySourceCondition(senders);
  // IAM substitutes policy variables in string condition operators (not documented for ARN operators), so the
  // ARN is matched with StringLike; it binds the source ARN to the sender's own account.
  const sourceArn = { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:*:${SOURCE_ACCOUNT_VAR}:*` };
  return [
    new iam.PolicyStatement({
      sid: 'AWSLogDeliveryWrite',
      principals: [delivery],
      actions: ['s3:PutObject'],
      resources: accountPrefixes(opts.prefix, SOURCE_ACCOUNT_VAR).map((p) => `${opts.bucketArn}/${p}*`),
      conditions: {
        StringEquals: opts.requireBucketOwnerFullControl
          ? { ...source, 's3:x-amz-acl': 'bucket-owner-full-control' }
          : source,
        StringLike: sourceArn,
      },
    }),
    new iam.PolicyStatement({
      sid: 'AWSLogDeliveryAclCheck',
      principals: [delivery],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [opts.bucketArn],
      conditions: { StringEquals: source, StringLike: sourceArn },
    }),
  ];
}

/**
 * Statements that let each member's `flowlake-replication-<region>` role replicate into its own prefix only.
 * Deletes are not replicated (no `s3:ReplicateDelete`), and members may only read the versioning state.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
function replicationStatements(senders: ArchiveSenders, opts: ArchivePolicyOptions): iam.PolicyStatement[] {
  const conditions = {
    StringEquals: memberPrincipalCondition(senders),
    ArnLike: { 'aws:PrincipalArn': replicationRoleArnPattern() },
  };
  return [
    new iam.PolicyStatement({
      sid: 'FlowlakeReplicationWrite',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:ReplicateObject', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'],
      resources: accountPrefixes(opts.prefix, PRINCIPAL_ACCOUNT_VAR).map((p) => `${opts.bucketArn}/${p}*`),
      conditions,
    }),
    new iam.PolicyStatement({
      sid: 'FlowlakeReplicationVersioningCheck',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetBucketVersioning'],
      resources: [opts.bucketArn],
      conditions,
    }),
  ];
}

/** Options of the archive KMS key policy statements. */
export interface ArchiveKeyPolicyOptions {
  /** ARN of the flow-log bucket (the SSE-KMS encryption context with S3 Bucket Keys). */
  readonly bucketArn: string;
  /** Grant member replication roles encrypt access (replication delivery path). */
  readonly allowReplication: boolean;
}

/**
 * Key policy statements (besides the account-root administration statement CDK adds).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-SSE-KMS-S3
 */
export function archiveKeyStatements(
  senders: ArchiveSenders,
  opts: ArchiveKeyPolicyOptions,
): iam.PolicyStatement[] {
  const s3Context = { 'kms:EncryptionContext:aws:s3:arn': [opts.bucketArn, `${opts.bucketArn}/*`] };
  const statements = [
    new iam.PolicyStatement({
      sid: 'AllowLogDeliveryToUseTheKey',
      principals: [new iam.ServicePrincipal(LOG_DELIVERY_PRINCIPAL)],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: deliverySourceCondition(senders),
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:*:*:*` },
        StringLike: s3Context,
      },
    }),
  ];
  if (opts.allowReplication) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'AllowMemberReplicationRolesToEncrypt',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: memberPrincipalCondition(senders),
          ArnLike: { 'aws:PrincipalArn': replicationRoleArnPattern() },
          StringLike: { ...s3Context, 'kms:ViaService': 's3.*.amazonaws.com' },
        },
      }),
    );
  }
  return statements;
}
