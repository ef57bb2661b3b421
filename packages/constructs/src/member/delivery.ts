import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IDependable } from 'constructs';
import { logDeliveryStatements } from '../central/archive-policy.js';
import { acknowledgeNag, iam5Resource } from '../internal/nag.js';
import {
  ARCHIVE_KEY_ALIAS,
  accountPrefixes,
  checkAccountId,
  normalizePrefix,
  REPLICATION_ROLE_PREFIX,
} from '../internal/names.js';
import { secureBucketProps } from '../internal/secure-bucket.js';

/** What a delivery strategy gives the flow logs. */
export interface FlowLogDeliveryConfig {
  /** S3 ARN (with optional folder) to put in each flow log's `LogDestination`. */
  readonly logDestination: string;
  /** Resources that must exist before any flow log is created (e.g. the local bucket policy). */
  readonly dependables: readonly IDependable[];
}

/** Properties of {@link FlowLogDelivery.directToS3}. */
export interface DirectToS3Props {
  /** ARN of the central flow-log bucket (`arn:aws:s3:::name`). */
  readonly centralBucketArn: string;
  /** Folder before `AWSLogs/`; must match the central archive's `prefix`. @default - none */
  readonly prefix?: string;
}

/** Properties of {@link FlowLogDelivery.replication}. */
export interface ReplicationDeliveryProps {
  /** ARN of the central flow-log bucket. */
  readonly centralBucketArn: string;
  /**
   * ARN of the central bucket's KMS key (replicas are encrypted with it).
   * @default - the archive key's alias `alias/flowlake-flowlogs` in `centralRegion` (S3 accepts an alias ARN as
   * ReplicaKmsKeyID), so members can be deployed without first reading the key ARN from the central stack
   */
  readonly centralKeyArn?: string;
  /** Account id of the log-archive account (owner of the replicas). */
  readonly centralAccount: string;
  /** Region of the central bucket. Required when `centralKeyArn` is not given. @default - taken from `centralKeyArn` */
  readonly centralRegion?: string;
  /** Folder before `AWSLogs/`; must match the central archive's `prefix`. @default - none */
  readonly prefix?: string;
  /** Days the local copy is kept. @default 7 */
  readonly localExpirationDays?: number;
  /**
   * S3 Replication Time Control (15-minute SLA) with replication metrics.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
   */
  readonly replicationTimeControl?: boolean;
}

/** How flow logs reach the central archive. Choose with the static factories. */
export abstract class FlowLogDelivery {
  /** Flow logs write straight to the central bucket (cross-account log delivery). */
  static directToS3(props: DirectToS3Props): FlowLogDelivery {
    return new DirectToS3(props);
  }

  /**
   * Flow logs write to a local bucket with short expiry, replicated cross-account to the central bucket.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html
   */
  static replication(props: ReplicationDeliveryProps): FlowLogDelivery {
    return new ReplicationDelivery(props);
  }

  /** `direct-s3` or `replication`. */
  abstract readonly kind: 'direct-s3' | 'replication';

  /** Creates what the strategy needs under `scope` and returns the flow-log destination. */
  abstract bind(scope: Construct): FlowLogDeliveryConfig;
}

/** `arn/folder` (AWS appends `/AWSLogs/...`) or the bare bucket ARN. */
function destinationArn(bucketArn: string, prefix: string): string {
  return prefix === '' ? bucketArn : `${bucketArn}/${prefix.slice(0, -1)}`;
}

class DirectToS3 extends FlowLogDelivery {
  readonly kind = 'direct-s3';
  constructor(private readonly props: DirectToS3Props) {
    super();
  }
  bind(): FlowLogDeliveryConfig {
    return {
      logDestination: destinationArn(this.props.centralBucketArn, normalizePrefix(this.props.prefix)),
      dependables: [],
    };
  }
}

class ReplicationDelivery extends FlowLogDelivery {
  readonly kind = 'replication';
  constructor(private readonly props: ReplicationDeliveryProps) {
    super();
    checkAccountId(props.centralAccount, 'centralAccount');
    if (!props.centralKeyArn && !props.centralRegion) {
      throw new Error(
        'replication: give centralKeyArn (the central stack output KeyArn) or centralRegion (the central bucket ' +
          'region; replicas are then encrypted through the key alias alias/flowlake-flowlogs).',
      );
    }
    const days = props.localExpirationDays ?? 7;
    if (!Number.isInteger(days) || days < 1)
      throw new Error(`localExpirationDays must be a whole number >= 1, got ${days}.`);
  }
  bind(scope: Construct): FlowLogDeliveryConfig {
    const local = new LocalReplicatedBucket(scope, 'Replication', this.props);
    return {
      logDestination: destinationArn(local.bucket.bucketArn, local.prefix),
      dependables: [local.bucket.policy ?? local.bucket],
    };
  }
}

/**
 * The replication path's member-side resources: a KMS-encrypted, versioned local bucket with short expiry, its log
 * delivery policy, and the `flowlake-replication-<region>` role that replicates it to the central bucket.
 */
export class LocalReplicatedBucket extends Construct {
  /** The local flow-log bucket. */
  public readonly bucket: s3.Bucket;
  /** The local bucket's ARN, built from its fixed name. */
  public readonly bucketArn: string;
  /** Its key. */
  public readonly key: kms.Key;
  /** The replication role. */
  public readonly role: iam.Role;
  /** The replication role's managed policy. */
  public readonly policy: iam.ManagedPolicy;
  /** Folder before `AWSLogs/` (`''` or `folder/`). */
  public readonly prefix: string;

  constructor(scope: Construct, id: string, props: ReplicationDeliveryProps) {
    super(scope, id);
    this.prefix = normalizePrefix(props.prefix);
    const days = props.localExpirationDays ?? 7;
    this.key = new kms.Key(this, 'Key', {
      description: 'flowlake: encrypts the local flow-log bucket before replication',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // A fixed name lets the replication policy name the bucket without a reference (no dependency cycle).
    const bucketName = `flowlake-flowlogs-local-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName,
      ...secureBucketProps(this.key),
      lifecycleRules: [
        {
          id: 'short-local-retention',
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const self = { accounts: [Aws.ACCOUNT_ID], useSourceOrgId: false };
    for (const s of logDeliveryStatements(self, {
      bucketArn: this.bucket.bucketArn,
      prefix: this.prefix,
      requireBucketOwnerFullControl: true,
    })) {
      this.bucket.addToResourcePolicy(s);
    }
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowLogDeliveryToUseTheKey',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:*:${Aws.ACCOUNT_ID}:*` },
        },
      }),
    );
    this.policy = this.createPolicy(props);
    this.role = new iam.Role(this, 'Role', {
      roleName: `${REPLICATION_ROLE_PREFIX}${Aws.REGION}`,
      description: 'flowlake: replicates local VPC flow logs to the central archive',
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      managedPolicies: [this.policy],
    });
    this.configureReplication(props);
    acknowledgeNag(
      this.bucket,
      ['AwsSolutions-S1', 'S3BucketLoggingEnabled'],
      'Short-lived staging copy (days), written only by log delivery and read only by S3 replication; the central ' +
        'archive keeps server access logs. Per-member access-log buckets would add a bucket per account and region.',
    );
    acknowledgeNag(
      this.policy,
      [iam5Resource(this, `${this.bucketArn}/*`)],
      'S3 replication reads every object version of the local flow-log bucket; the wildcard is this bucket only.',
    );
    acknowledgeNag(
      this.policy,
      accountPrefixes(this.prefix, Aws.ACCOUNT_ID).map((p) =>
        iam5Resource(this, `${props.centralBucketArn}/${p}*`),
      ),
      "Replicas go under this account's own AWSLogs/<account>/ prefixes (both key layouts) in the central bucket.",
    );
    if (!props.centralKeyArn) {
      acknowledgeNag(
        this.policy,
        [iam5Resource(this, centralKeyResource(props))],
        'The central key is named by its alias, and IAM authorizes KMS against key ARNs: any key of the archive ' +
          'account, but only through S3 and only for objects of the central bucket (encryption context).',
      );
    }
  }

  private createPolicy(props: ReplicationDeliveryProps): iam.ManagedPolicy {
    const own = accountPrefixes(this.prefix, Aws.ACCOUNT_ID).map((p) => `${props.centralBucketArn}/${p}*`);
    return new iam.ManagedPolicy(this, 'Policy', {
      description: 'flowlake: least privilege for S3 replication of local flow logs',
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadSourceConfiguration',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadSourceObjects',
          actions: [
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
          ],
          resources: [`${this.bucketArn}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnPrefixInCentralBucket',
          actions: ['s3:ReplicateObject', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'],
          resources: own,
        }),
        new iam.PolicyStatement({
          sid: 'DecryptSourceObjects',
          actions: ['kms:Decrypt'],
          resources: [this.key.keyArn],
          conditions: {
            StringLike: {
              'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com`,
              'kms:EncryptionContext:aws:s3:arn': [this.bucketArn, `${this.bucketArn}/*`],
            },
          },
        }),
        new iam.PolicyStatement({
          sid: 'EncryptReplicasWithCentralKey',
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [centralKeyResource(props)],
          conditions: {
            StringLike: {
              'kms:ViaService': 's3.*.amazonaws.com',
              'kms:EncryptionContext:aws:s3:arn': [props.centralBucketArn, `${props.centralBucketArn}/*`],
            },
          },
        }),
      ],
    });
  }

  private configureReplication(props: ReplicationDeliveryProps): void {
    const rtc = props.replicationTimeControl ?? false;
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
    cfn.replicationConfiguration = {
      role: this.role.roleArn,
      rules: [
        {
          id: 'to-central-archive',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: `${this.prefix}AWSLogs/` },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: props.centralBucketArn,
            account: props.centralAccount,
            accessControlTranslation: { owner: 'Destination' },
            encryptionConfiguration: { replicaKmsKeyId: replicaKeyId(props) },
            replicationTime: rtc ? { status: 'Enabled', time: { minutes: 15 } } : undefined,
            metrics: rtc ? { status: 'Enabled', eventThreshold: { minutes: 15 } } : undefined,
          },
        },
      ],
    };
    cfn.node.addDependency(this.role, this.policy);
  }
}

/** The KMS key (or alias) ARN replicas are encrypted with. */
function replicaKeyId(props: ReplicationDeliveryProps): string {
  return (
    props.centralKeyArn ??
    `arn:${Aws.PARTITION}:kms:${props.centralRegion}:${props.centralAccount}:${ARCHIVE_KEY_ALIAS}`
  );
}

/**
 * The key resource the replication role may use. IAM authorizes KMS calls against the key ARN, never the alias, so
 * without a key ARN it is every key of the central account in its region, still limited by the policy's
 * `kms:ViaService` (S3) and encryption-context (central bucket) conditions.
 */
export function centralKeyResource(props: ReplicationDeliveryProps): string {
  return (
    props.centralKeyArn ?? `arn:${Aws.PARTITION}:kms:${props.centralRegion}:${props.centralAccount}:key/*`
  );
}
