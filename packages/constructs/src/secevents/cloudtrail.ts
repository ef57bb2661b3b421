import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type CloudTrailBucketPolicyProps,
  cloudTrailBucketPolicyStatements,
  cloudTrailKeyPolicyStatements,
  DEFAULT_CLOUDTRAIL_PREFIX,
  logGroupKeyPolicyStatement,
  type OrganizationTrailIdentity,
} from './cloudtrail-policies.js';
import { addOwnedResourceStatements } from './sdk-call.js';

/** Default name of the organization trail. */
export const DEFAULT_TRAIL_NAME = 'flowlake-organization-trail';

/** Optional delivery of the trail's events to CloudWatch Logs (in the trail's account). */
export interface TrailCloudWatchLogsOptions {
  /**
   * Retention of the log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * Log group name.
   * @default `/flowlake/cloudtrail/<trailName>`
   */
  readonly logGroupName?: string;
}

/** Properties of {@link OrganizationTrail}. */
export interface OrganizationTrailProps {
  /** The central archive bucket (in the log-archive account; import it with `s3.Bucket.fromBucketAttributes`). */
  readonly bucket: s3.IBucket;
  /** AWS Organizations ID (`o-...`). */
  readonly organizationId: string;
  /**
   * Key prefix in the archive bucket (no leading/trailing slash).
   * @default 'cloudtrail'
   */
  readonly keyPrefix?: string;
  /**
   * Trail name; part of the `aws:SourceArn` the archive bucket policy checks, so it is fixed, not generated.
   * @default 'flowlake-organization-trail'
   */
  readonly trailName?: string;
  /**
   * Management account of the organization (owner of organization trails, also when a delegated admin creates them).
   * @default - the account of the stack
   */
  readonly managementAccountId?: string;
  /**
   * Customer managed key for the trail's log files. A key passed in must already carry
   * `cloudTrailKeyPolicyStatements(...)` in its policy (they are added automatically only to a key of this stack).
   * @default - a new CMK with rotation, scoped to this trail and the reader accounts
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Accounts that may decrypt the trail's log files (e.g. the log-archive and security accounts).
   * @default - the management account and the bucket's account (when known)
   */
  readonly readerAccountIds?: string[];
  /**
   * Also deliver events to a KMS-encrypted CloudWatch Logs group in the trail's account (CIS CloudTrail.5).
   * Organization trails deliver every member account's events there, which costs ingestion per GB.
   * @default - no CloudWatch Logs delivery
   */
  readonly cloudWatchLogs?: TrailCloudWatchLogsOptions;
  /**
   * Which management events to record.
   * @default cloudtrail.ReadWriteType.ALL
   */
  readonly managementEvents?: cloudtrail.ReadWriteType;
}

/**
 * An AWS Organizations trail: multi-Region, global service events, log file validation, SSE-KMS with a
 * customer managed key, delivered to the central archive bucket under its own prefix.
 *
 * Deployed in the management (or delegated-admin) account. The archive bucket's policy must contain
 * `cloudTrailBucketPolicyStatements(...)` before this is deployed (the bucket lives in another account).
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
 */
export class OrganizationTrail extends Construct {
  /** The trail (construct ID `Resource`). */
  readonly trail: cloudtrail.Trail;
  /** The key encrypting the log files. */
  readonly encryptionKey: kms.IKey;
  /** The CloudWatch Logs group, when enabled. */
  readonly logGroup?: logs.ILogGroup;
  /** Identity of the trail for the archive side's policies. */
  readonly identity: OrganizationTrailIdentity;
  /** Key prefix of the trail in the archive bucket. */
  readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailName = props.trailName ?? DEFAULT_TRAIL_NAME;
    this.keyPrefix = props.keyPrefix ?? DEFAULT_CLOUDTRAIL_PREFIX;
    this.identity = {
      managementAccountId: props.managementAccountId ?? stack.account,
      organizationId: props.organizationId,
      trailName,
      trailRegion: stack.region,
      partition: stack.partition,
    };
    const readers = props.readerAccountIds ?? [
      this.identity.managementAccountId,
      ...(props.bucket.env.account ? [props.bucket.env.account] : []),
    ];

    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new kms.Key(this, 'Key', {
        description: `flowlake: encrypts organization trail ${trailName} log files`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
        pendingWindow: Duration.days(30),
      });
      this.encryptionKey = key;
    }
    for (const s of cloudTrailKeyPolicyStatements({ ...this.identity, readerAccountIds: readers })) {
      this.encryptionKey.addToResourcePolicy(s, true);
    }

    let logGroup: logs.LogGroup | undefined;
    if (props.cloudWatchLogs) {
      const logGroupName = props.cloudWatchLogs.logGroupName ?? `/flowlake/cloudtrail/${trailName}`;
      this.encryptionKey.addToResourcePolicy(
        logGroupKeyPolicyStatement({
          region: stack.region,
          accountId: stack.account,
          logGroupName,
          partition: stack.partition,
        }),
        true,
      );
      logGroup = new logs.LogGroup(this, 'LogGroup', {
        logGroupName,
        encryptionKey: this.encryptionKey,
        retention: props.cloudWatchLogs.retention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.logGroup = logGroup;
    }

    this.trail = new cloudtrail.Trail(this, 'Resource', {
      trailName,
      bucket: props.bucket,
      s3KeyPrefix: this.keyPrefix,
      isOrganizationTrail: true,
      orgId: props.organizationId,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      encryptionKey: this.encryptionKey,
      managementEvents: props.managementEvents ?? cloudtrail.ReadWriteType.ALL,
      sendToCloudWatchLogs: logGroup !== undefined,
      cloudWatchLogGroup: logGroup,
    });
    // The key policy must allow CloudTrail before the trail is created (CreateTrail validates the key).
    if (this.encryptionKey instanceof kms.Key) this.trail.node.addDependency(this.encryptionKey);

    if (logGroup) {
      const role = this.trail.node.tryFindChild('LogsRole');
      if (role) {
        Validations.of(role).acknowledge(
          {
            id: 'NIST.800.53.R5-IAMNoInlinePolicy',
            reason:
              'Role created by the CloudTrail L2 for CloudWatch Logs delivery; its one inline statement allows only logs:CreateLogStream/PutLogEvents on this trail log group.',
          },
          {
            id: 'HIPAA.Security-IAMNoInlinePolicy',
            reason: 'Inline policy of the CloudTrail L2 logs role, scoped to this trail log group.',
          },
          {
            id: 'PCI.DSS.321-IAMNoInlinePolicy',
            reason: 'Inline policy of the CloudTrail L2 logs role, scoped to this trail log group.',
          },
        );
      }
    } else {
      const reason =
        'CloudWatch Logs delivery of an organization trail is opt-in (config cloudtrail.cloudWatchLogs): every member account event would be ingested at per-GB cost; events are analyzed from the archive bucket with Athena.';
      Validations.of(this.trail).acknowledge(
        { id: 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled', reason },
        { id: 'HIPAA.Security-CloudTrailCloudWatchLogsEnabled', reason },
        { id: 'PCI.DSS.321-CloudTrailCloudWatchLogsEnabled', reason },
      );
    }
  }
}

/** Properties of {@link OrganizationTrailStack}. */
export interface OrganizationTrailStackProps
  extends StackProps,
    Omit<OrganizationTrailProps, 'bucket' | 'encryptionKey'> {
  /** Name of the central archive bucket. */
  readonly archiveBucketName: string;
  /** Account ID of the log-archive account (owner of the bucket). */
  readonly archiveAccountId: string;
}

/**
 * Stack for the management (or delegated-admin) account holding the {@link OrganizationTrail} (construct ID
 * `OrganizationTrail`). Deploy after the archive stack whose bucket policy admits this trail.
 */
export class OrganizationTrailStack extends Stack {
  /** The organization trail. */
  readonly organizationTrail: OrganizationTrail;

  constructor(scope: Construct, id: string, props: OrganizationTrailStackProps) {
    super(scope, id, props);
    const bucket = s3.Bucket.fromBucketAttributes(this, 'ArchiveBucket', {
      bucketName: props.archiveBucketName,
      account: props.archiveAccountId,
    });
    this.organizationTrail = new OrganizationTrail(this, 'OrganizationTrail', { ...props, bucket });
  }
}

/**
 * Archive side: adds the documented organization-trail statements to the archive bucket's policy (the bucket must
 * belong to the calling stack). Call it in the log-archive account's stack, deployed before the trail.
 * @returns the statements added
 */
export function addOrganizationTrailAccess(
  bucket: s3.IBucket,
  props: Omit<CloudTrailBucketPolicyProps, 'bucketArn'>,
) {
  const statements = cloudTrailBucketPolicyStatements({ ...props, bucketArn: bucket.bucketArn });
  addOwnedResourceStatements('addOrganizationTrailAccess', bucket, 'bucket', statements);
  return statements;
}
