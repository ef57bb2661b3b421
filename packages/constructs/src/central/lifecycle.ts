import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** Retention of flow-log objects in the central archive. */
export interface ArchiveRetention {
  /**
   * Days after creation before objects move to S3 Standard-IA (AWS requires at least 30).
   * @default - objects stay in S3 Standard
   */
  readonly infrequentAccessDays?: number;
  /**
   * Days after creation before objects move to S3 Glacier Flexible Retrieval.
   * @default - no Glacier transition
   */
  readonly glacierDays?: number;
  /**
   * Days after creation before objects expire (a delete marker is added; the version stays until noncurrent expiry).
   * @default - objects never expire
   */
  readonly expirationDays?: number;
  /**
   * Days a noncurrent object version is kept before it is removed for good.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
}

/** Lifecycle rules for the archive bucket; throws one error listing every inconsistency. */
export function archiveLifecycleRules(retention: ArchiveRetention = {}): s3.LifecycleRule[] {
  const { infrequentAccessDays: ia, glacierDays: glacier, expirationDays: exp } = retention;
  const noncurrent = retention.noncurrentVersionExpirationDays ?? 30;
  const errors: string[] = [];
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      errors.push(`${name} must be a whole number >= 1, got ${v}`);
  };
  positive('infrequentAccessDays', ia);
  positive('glacierDays', glacier);
  positive('expirationDays', exp);
  positive('noncurrentVersionExpirationDays', noncurrent);
  if (ia !== undefined && ia < 30)
    errors.push(`infrequentAccessDays must be >= 30 (S3 minimum for Standard-IA), got ${ia}`);
  if (ia !== undefined && glacier !== undefined && glacier < ia + 30) {
    errors.push(
      `glacierDays (${glacier}) must be at least infrequentAccessDays + 30 (${ia + 30}), S3 bills IA for 30 days`,
    );
  }
  const lastTransition = Math.max(ia ?? 0, glacier ?? 0);
  if (exp !== undefined && exp <= lastTransition) {
    errors.push(`expirationDays (${exp}) must be greater than every transition day (${lastTransition})`);
  }
  if (errors.length > 0) throw new Error(`Invalid archive retention: ${errors.join('; ')}.`);

  const transitions: s3.Transition[] = [];
  if (ia !== undefined) {
    transitions.push({ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(ia) });
  }
  if (glacier !== undefined) {
    transitions.push({ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(glacier) });
  }
  return [
    {
      id: 'flow-logs-retention',
      enabled: true,
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      transitions: transitions.length > 0 ? transitions : undefined,
      expiration: exp !== undefined ? Duration.days(exp) : undefined,
      noncurrentVersionExpiration: Duration.days(noncurrent),
    },
    { id: 'expired-delete-markers', enabled: true, expiredObjectDeleteMarker: true },
  ];
}
