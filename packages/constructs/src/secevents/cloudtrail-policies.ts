import * as iam from 'aws-cdk-lib/aws-iam';

/** Identity of an organization trail, as seen by the bucket and key that receive its logs. */
export interface OrganizationTrailIdentity {
  /** Account that owns the trail: the organization's management account (also for trails a delegated admin creates). */
  readonly managementAccountId: string;
  /** AWS Organizations ID (`o-...`); CloudTrail writes member accounts' logs under `AWSLogs/<org-id>/`. */
  readonly organizationId: string;
  /** Trail name (not ARN). */
  readonly trailName: string;
  /** Home Region of the trail (the Region its stack is deployed to). */
  readonly trailRegion: string;
  /**
   * AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
}

/** Where an organization trail delivers in the archive bucket. */
export interface CloudTrailBucketPolicyProps extends OrganizationTrailIdentity {
  /** ARN of the archive bucket (`arn:aws:s3:::name`). */
  readonly bucketArn: string;
  /**
   * Key prefix of the trail (without leading or trailing slash); CloudTrail appends `AWSLogs/...`.
   * @default 'cloudtrail'
   */
  readonly keyPrefix?: string;
}

/** Default key prefix of CloudTrail objects in the archive bucket. */
export const DEFAULT_CLOUDTRAIL_PREFIX = 'cloudtrail';

/** `arn:<partition>:cloudtrail:<region>:<mgmt>:trail/<name>`: the aws:SourceArn CloudTrail sends. */
export function organizationTrailArn(t: OrganizationTrailIdentity): string {
  return `arn:${t.partition ?? 'aws'}:cloudtrail:${t.trailRegion}:${t.managementAccountId}:trail/${t.trailName}`;
}

function prefixed(prefix: string | undefined, rest: string): string {
  const p = (prefix ?? DEFAULT_CLOUDTRAIL_PREFIX).replace(/^\/+|\/+$/g, '');
  return p === '' ? rest : `${p}/${rest}`;
}

/**
 * Bucket policy statements an organization trail needs on the archive bucket, exactly as AWS documents them
 * ("Amazon S3 bucket policy for CloudTrail" → organization trails): `AWSCloudTrailAclCheck` (s3:GetBucketAcl),
 * `AWSCloudTrailWrite` on `<prefix>/AWSLogs/<mgmt>/*` and `AWSCloudTrailOrganizationWrite` on
 * `<prefix>/AWSLogs/<org-id>/*`, each bound to the trail by `aws:SourceArn` (confused-deputy protection), the
 * writes also to `s3:x-amz-acl = bucket-owner-full-control`.
 *
 * Pure: the archive (central) stack adds these to its bucket; the trail stack (management account) cannot.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function cloudTrailBucketPolicyStatements(props: CloudTrailBucketPolicyProps): iam.PolicyStatement[] {
  const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  const sourceArn = organizationTrailArn(props);
  const write = (sid: string, owner: string) =>
    new iam.PolicyStatement({
      sid,
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [`${props.bucketArn}/${prefixed(props.keyPrefix, `AWSLogs/${owner}/*`)}`],
      conditions: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': sourceArn },
      },
    });
  return [
    new iam.PolicyStatement({
      sid: 'AWSCloudTrailAclCheck',
      principals: [principal],
      actions: ['s3:GetBucketAcl'],
      resources: [props.bucketArn],
      conditions: { StringEquals: { 'aws:SourceArn': sourceArn } },
    }),
    write('AWSCloudTrailWrite', props.managementAccountId),
    write('AWSCloudTrailOrganizationWrite', props.organizationId),
  ];
}

/** Who may use the trail's KMS key. */
export interface CloudTrailKeyPolicyProps extends OrganizationTrailIdentity {
  /**
   * Accounts whose principals (with IAM permission in their account) may decrypt the trail's log files,
   * typically the log-archive and security accounts. Decrypt is bound to CloudTrail's encryption context.
   * @default - only the management account
   */
  readonly readerAccountIds?: string[];
}

/**
 * KMS key policy statements for an organization trail's CMK, as AWS documents them ("Configure AWS KMS key
 * policies for CloudTrail"): CloudTrail may `kms:GenerateDataKey*` only for this trail (`aws:SourceArn`) and only
 * with an encryption context naming a trail of the management account; `kms:DescribeKey` only for this trail;
 * reader accounts may `kms:Decrypt`/`kms:ReEncryptFrom` only CloudTrail-encrypted data of that account's trails.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function cloudTrailKeyPolicyStatements(props: CloudTrailKeyPolicyProps): iam.PolicyStatement[] {
  const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  const partition = props.partition ?? 'aws';
  const contextArn = `arn:${partition}:cloudtrail:*:${props.managementAccountId}:trail/*`;
  const sourceArn = organizationTrailArn(props);
  const readers = [...new Set(props.readerAccountIds ?? [props.managementAccountId])];
  return [
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailEncryptLogs',
      principals: [principal],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': sourceArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': contextArn },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailDescribeKey',
      principals: [principal],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': sourceArn } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowReadersDecryptTrailLogs',
      principals: readers.map((a) => new iam.AccountPrincipal(a)),
      actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:CallerAccount': readers },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': contextArn },
      },
    }),
  ];
}

/**
 * KMS statement letting CloudWatch Logs use the key for one log group (trail → CloudWatch Logs delivery).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logGroupKeyPolicyStatement(props: {
  readonly region: string;
  readonly accountId: string;
  readonly logGroupName: string;
  readonly partition?: string;
}): iam.PolicyStatement {
  const partition = props.partition ?? 'aws';
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsEncryptLogGroup',
    principals: [new iam.ServicePrincipal(`logs.${props.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:${props.logGroupName}`,
      },
    },
  });
}
