import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Secure defaults shared by every flowlake bucket: Block Public Access, TLS 1.2+ only, versioning, ACLs disabled,
 * and SSE-KMS with an S3 Bucket Key when a key is given (SSE-S3 otherwise, as S3 access-log targets require).
 */
export function secureBucketProps(key?: kms.IKey): s3.BucketProps {
  return {
    ...(key
      ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true }
      : { encryption: s3.BucketEncryption.S3_MANAGED }),
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  };
}
