import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Firehose writes SSE-KMS objects with the bucket's key: through S3 in this Region only, for this bucket's objects
 * only (the encryption context S3 sets).
 */
export function bucketKeyStatement(bucket: s3.IBucket, key: kms.IKey, region: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'EncryptWithBucketKey',
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, `${bucket.bucketArn}/*`] },
    },
  });
}
