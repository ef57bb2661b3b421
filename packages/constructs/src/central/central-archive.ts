import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { policySizeBytes } from '../internal/intrinsics.js';
import { acknowledgeNag } from '../internal/nag.js';
import {
  ARCHIVE_KEY_ALIAS,
  checkAccountId,
  checkOrganizationId,
  normalizePrefix,
} from '../internal/names.js';
import { secureBucketProps } from '../internal/secure-bucket.js';
import { type ArchiveSenders, archiveBucketStatements, archiveKeyStatements } from './archive-policy.js';
import { type ArchiveRetention, archiveLifecycleRules } from './lifecycle.js';

/** S3 limit for a bucket policy, in bytes. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html */
export const BUCKET_POLICY_LIMIT_BYTES = 20 * 1024;
/** KMS limit for a key policy, in bytes. @see https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html */
export const KEY_POLICY_LIMIT_BYTES = 32 * 1024;

/** S3 Object Lock default retention of the archive. */
export interface ArchiveObjectLock {
  /** `GOVERNANCE` (admins with s3:BypassGovernanceRetention may delete) or `COMPLIANCE` (nobody may). */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Default retention in days for every new object version. */
  readonly days: number;
}

/** Properties of {@link CentralArchive}. */
export interface CentralArchiveProps {
  /**
   * AWS Organizations id (`o-...`). With it the bucket and key policies stay the same size for any account count.
   * @default - only `memberAccounts` may send
   */
  readonly organizationId?: string;
  /**
   * Member account ids allowed to send. Required without `organizationId` or when `useSourceOrgId` is false.
   * @default []
   */
  readonly memberAccounts?: readonly string[];
  /**
   * Scope log delivery by `aws:SourceOrgID` instead of an explicit `aws:SourceAccount` list. AWS documents the key
   * for service principals in general but not on the flow-log page: unverified for log delivery (design-notes 5).
   * @default true when `organizationId` is set
   */
  readonly useSourceOrgId?: boolean;
  /**
   * Require `s3:x-amz-acl = bucket-owner-full-control` on log-delivery writes, as AWS documents for flow logs. Whether
   * delivery sends that header to a bucket with ACLs disabled is unverified (design-notes 5); turn off if it does not.
   * @default true
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
   */
  readonly requireBucketOwnerFullControl?: boolean;
  /**
   * Principal ARN patterns (ArnLike) of the archive admins: the only principals that may delete objects or versions,
   * change the bucket policy, versioning, lifecycle, encryption or Object Lock settings. Include the role that deploys
   * this stack, or later deployments cannot update the bucket.
   * @default - the CDK bootstrap CloudFormation execution roles of this account (`cdk-*-cfn-exec-role-*`)
   */
  readonly adminPrincipalArns?: readonly string[];
  /**
   * Let member `flowlake-replication-<region>` roles replicate into their own prefix (replication path).
   * @default false
   */
  readonly allowReplication?: boolean;
  /** Transitions and expiry of flow-log objects. @default - no transitions or expiry; noncurrent versions 30 days */
  readonly retention?: ArchiveRetention;
  /**
   * Object Lock default retention (can only be enabled when the bucket is created).
   * @default - no Object Lock
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
   */
  readonly objectLock?: ArchiveObjectLock;
  /** Folder before `AWSLogs/` that members write under. @default - none (`AWSLogs/` at the bucket root) */
  readonly prefix?: string;
  /**
   * Name of the flow-log bucket. A fixed name lets the key policy and member stacks name the bucket without a
   * reference (no dependency cycle, no cross-stack export).
   * @default `flowlake-flowlogs-<account>-<region>`
   */
  readonly bucketName?: string;
  /** Days to keep server access logs. @default 365 */
  readonly accessLogsExpirationDays?: number;
  /** What happens to the buckets and key when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The log-archive side: a KMS-encrypted, versioned, TLS-only flow-log bucket with server access logs, lifecycle and
 * a bucket/key policy that lets each member account (log delivery or its replication role) write only under
 * `AWSLogs/<its account>/` in both key layouts.
 *
 * The primary child (`Resource`) is the flow-log bucket.
 */
export class CentralArchive extends Construct {
  /** The flow-log bucket. */
  public readonly bucket: s3.Bucket;
  /** The customer managed key that encrypts the flow-log bucket. */
  public readonly key: kms.Key;
  /** The key's alias (`alias/flowlake-flowlogs`), which member replication uses when it is not given the key ARN. */
  public readonly keyAlias: kms.Alias;
  /** The bucket that receives the flow-log bucket's server access logs (SSE-S3, as S3 requires). */
  public readonly accessLogsBucket: s3.Bucket;
  /** The normalized folder before `AWSLogs/` (`''` or `folder/`). */
  public readonly prefix: string;
  /** Who may send, as used in the policies. */
  public readonly senders: ArchiveSenders;

  constructor(scope: Construct, id: string, props: CentralArchiveProps = {}) {
    super(scope, id);
    this.senders = resolveSenders(props);
    this.prefix = normalizePrefix(props.prefix);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const allowReplication = props.allowReplication ?? false;
    const admins = props.adminPrincipalArns ?? [
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-*-cfn-exec-role-*`,
    ];
    if (admins.length === 0) {
      throw new Error(
        'adminPrincipalArns: give at least one admin role ARN, or nobody could ever update the bucket policy.',
      );
    }

    this.key = new kms.Key(this, 'Key', {
      description: 'flowlake: encrypts the central VPC flow-log archive',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.keyAlias = new kms.Alias(this, 'KeyAlias', {
      aliasName: ARCHIVE_KEY_ALIAS,
      targetKey: this.key,
      removalPolicy,
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...secureBucketProps(),
      lifecycleRules: [
        {
          id: 'access-logs-retention',
          expiration: Duration.days(props.accessLogsExpirationDays ?? 365),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy,
    });

    const bucketName = props.bucketName ?? `flowlake-flowlogs-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName,
      ...secureBucketProps(this.key),
      lifecycleRules: archiveLifecycleRules(props.retention),
      objectLockEnabled: props.objectLock !== undefined ? true : undefined,
      objectLockDefaultRetention: objectLockRetention(props.objectLock),
      removalPolicy,
    });

    this.enableServerAccessLogs(bucketArn, 'flow-log-bucket/');

    for (const s of archiveBucketStatements(this.senders, {
      bucketArn: this.bucket.bucketArn,
      prefix: this.prefix,
      requireBucketOwnerFullControl: props.requireBucketOwnerFullControl ?? true,
      adminPrincipalArns: admins,
      allowReplication,
    })) {
      this.bucket.addToResourcePolicy(s);
    }
    for (const s of archiveKeyStatements(this.senders, { bucketArn, allowReplication })) {
      this.key.addToResourcePolicy(s);
    }

    this.node.addValidation({ validate: () => this.validatePolicySizes() });
    acknowledgeNag(
      this.bucket,
      ['S3BucketReplicationEnabled'],
      'The archive is the replication destination of the member buckets; a second copy in another region is an ' +
        'organization decision (add a replication rule on this bucket, with Object Lock if required).',
    );
    acknowledgeNag(
      this.accessLogsBucket,
      ['S3BucketReplicationEnabled'],
      'Server access logs of the archive are an audit trail kept in the same account; replicating them is optional.',
    );
    acknowledgeNag(
      this.accessLogsBucket,
      ['S3DefaultEncryptionKMS'],
      'S3 server access logging delivers only to target buckets with SSE-S3 (AES256) default encryption, not SSE-KMS.',
    );
  }

  /**
   * Server access logs through a bucket policy for `logging.s3.amazonaws.com` (scoped to this bucket and account),
   * not the legacy log-delivery ACL, so the target bucket can keep ACLs disabled.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  private enableServerAccessLogs(bucketArn: string, logPrefix: string): void {
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: logPrefix,
    };
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsPolicy',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects(`${logPrefix}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    cfnBucket.node.addDependency(this.accessLogsBucket.policy ?? this.accessLogsBucket);
  }

  private validatePolicySizes(): string[] {
    const stack = Stack.of(this);
    const errors: string[] = [];
    const bucketPolicy = this.bucket.policy?.document;
    const bucketBytes = bucketPolicy ? policySizeBytes(stack.resolve(bucketPolicy.toJSON())) : 0;
    if (bucketBytes > BUCKET_POLICY_LIMIT_BYTES) {
      errors.push(
        `The archive bucket policy is ${bucketBytes} bytes, over the S3 limit of ${BUCKET_POLICY_LIMIT_BYTES}: ` +
          `${this.senders.accounts.length} accounts are listed. Set organizationId (with useSourceOrgId) so the policy ` +
          'uses org-wide condition keys and stays constant in size.',
      );
    }
    const keyBytes = policySizeBytes(stack.resolve((this.key.node.defaultChild as kms.CfnKey).keyPolicy));
    if (keyBytes > KEY_POLICY_LIMIT_BYTES) {
      errors.push(
        `The archive key policy is ${keyBytes} bytes, over the KMS limit of ${KEY_POLICY_LIMIT_BYTES}: set organizationId.`,
      );
    }
    return errors;
  }
}

function objectLockRetention(lock: ArchiveObjectLock | undefined): s3.ObjectLockRetention | undefined {
  if (!lock) return undefined;
  if (!Number.isInteger(lock.days) || lock.days < 1) {
    throw new Error(`objectLock.days must be a whole number >= 1, got ${lock.days}.`);
  }
  return lock.mode === 'COMPLIANCE'
    ? s3.ObjectLockRetention.compliance(Duration.days(lock.days))
    : s3.ObjectLockRetention.governance(Duration.days(lock.days));
}

function resolveSenders(props: CentralArchiveProps): ArchiveSenders {
  const accounts = [...new Set(props.memberAccounts ?? [])].sort();
  for (const a of accounts) checkAccountId(a, 'memberAccounts');
  if (props.organizationId) checkOrganizationId(props.organizationId);
  const useSourceOrgId = props.useSourceOrgId ?? props.organizationId !== undefined;
  if (useSourceOrgId && !props.organizationId) {
    throw new Error(
      'useSourceOrgId is true but organizationId is not set; set organizationId or list memberAccounts.',
    );
  }
  if (!useSourceOrgId && accounts.length === 0) {
    throw new Error(
      'No senders: list memberAccounts (log delivery is scoped by aws:SourceAccount when useSourceOrgId is false), ' +
        'or set organizationId with useSourceOrgId.',
    );
  }
  return { organizationId: props.organizationId, accounts, useSourceOrgId };
}
