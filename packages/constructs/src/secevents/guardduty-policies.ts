import * as iam from 'aws-cdk-lib/aws-iam';

/** Default key prefix of GuardDuty findings in the archive bucket. */
export const DEFAULT_GUARDDUTY_PREFIX = 'guardduty';

/** The GuardDuty administrator detector that publishes findings, as seen by the archive bucket and key. */
export interface GuardDutyPublisher {
  /** Delegated GuardDuty administrator account (its detector exports the whole organization's findings). */
  readonly adminAccountId: string;
  /**
   * Detector ID, when known; otherwise any detector of the admin account in any Region (`detector/*`).
   * @default - any detector of the admin account
   */
  readonly detectorId?: string;
  /**
   * Region of the detector, when only one Region publishes.
   * @default - any Region (`*`)
   */
  readonly region?: string;
  /**
   * AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
}

/** Where the findings land and which key must encrypt them. */
export interface GuardDutyBucketPolicyProps extends GuardDutyPublisher {
  /** ARN of the archive bucket. */
  readonly bucketArn: string;
  /**
   * Key prefix for findings (no leading/trailing slash); GuardDuty appends `AWSLogs/<admin>/GuardDuty/<region>/...`.
   * @default 'guardduty'
   */
  readonly keyPrefix?: string;
  /** ARN of the KMS key GuardDuty must use; uploads with another key or without SSE-KMS are denied. */
  readonly kmsKeyArn: string;
}

/** `arn:<partition>:guardduty:<region|*>:<admin>:detector/<id|*>`: the aws:SourceArn GuardDuty sends. */
export function guardDutyDetectorArnPattern(p: GuardDutyPublisher): string {
  return `arn:${p.partition ?? 'aws'}:guardduty:${p.region ?? '*'}:${p.adminAccountId}:detector/${p.detectorId ?? '*'}`;
}

/** The key prefix GuardDuty writes under, normalized (no leading/trailing slash). */
export function guardDutyPrefix(keyPrefix: string | undefined): string {
  return (keyPrefix ?? DEFAULT_GUARDDUTY_PREFIX).replace(/^\/+|\/+$/g, '');
}

function sourceConditions(p: GuardDutyPublisher): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': p.adminAccountId },
    ArnLike: { 'aws:SourceArn': guardDutyDetectorArnPattern(p) },
  };
}

/**
 * Bucket policy statements for a GuardDuty findings publishing destination, as AWS documents them
 * ("Exporting generated GuardDuty findings to Amazon S3 buckets"): GetBucketLocation and PutObject for
 * guardduty.amazonaws.com bound to the admin detector by `aws:SourceAccount`/`aws:SourceArn`, PutObject only
 * under the findings prefix, and the two optional denies (no SSE-KMS, or another key).
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty-export-findings.html
 */
export function guardDutyBucketPolicyStatements(props: GuardDutyBucketPolicyProps): iam.PolicyStatement[] {
  const principal = new iam.ServicePrincipal('guardduty.amazonaws.com');
  const prefix = guardDutyPrefix(props.keyPrefix);
  const objects = `${props.bucketArn}/${prefix === '' ? '' : `${prefix}/`}*`;
  return [
    new iam.PolicyStatement({
      sid: 'AllowGuardDutyGetBucketLocation',
      principals: [principal],
      actions: ['s3:GetBucketLocation'],
      resources: [props.bucketArn],
      conditions: sourceConditions(props),
    }),
    new iam.PolicyStatement({
      sid: 'AllowGuardDutyPutObject',
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: sourceConditions(props),
    }),
    new iam.PolicyStatement({
      sid: 'DenyGuardDutyUnencryptedUploads',
      effect: iam.Effect.DENY,
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyGuardDutyIncorrectEncryptionKey',
      effect: iam.Effect.DENY,
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': props.kmsKeyArn } },
    }),
  ];
}

/**
 * KMS key policy statement letting GuardDuty encrypt exported findings, bound to the admin detector.
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty-export-findings.html
 */
export function guardDutyKeyPolicyStatement(p: GuardDutyPublisher): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowGuardDutyEncryptFindings',
    principals: [new iam.ServicePrincipal('guardduty.amazonaws.com')],
    actions: ['kms:GenerateDataKey'],
    resources: ['*'],
    conditions: sourceConditions(p),
  });
}
