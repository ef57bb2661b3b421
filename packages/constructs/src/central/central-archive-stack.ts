import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CentralArchive, type CentralArchiveProps } from './central-archive.js';

/** Properties of {@link CentralArchiveStack}. */
export interface CentralArchiveStackProps extends StackProps, CentralArchiveProps {}

/**
 * The log-archive account's stack: a {@link CentralArchive} (construct id `Archive`) plus outputs. Other parts of
 * flowlake (streaming, analysis, security events) add their constructs to this stack and use `bucket` and `key`.
 * Deploy it before any member stack: member flow logs fail to create until the bucket policy exists.
 */
export class CentralArchiveStack extends Stack {
  /** The archive construct. */
  public readonly archive: CentralArchive;
  /** The flow-log bucket. */
  public readonly bucket: s3.Bucket;
  /** The key of the flow-log bucket. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: CentralArchiveStackProps = {}) {
    super(scope, id, props);
    this.archive = new CentralArchive(this, 'Archive', props);
    this.bucket = this.archive.bucket;
    this.key = this.archive.key;
    new CfnOutput(this, 'BucketArn', {
      value: this.bucket.bucketArn,
      description: 'Central flow-log bucket ARN',
    });
    new CfnOutput(this, 'KeyArn', {
      value: this.key.keyArn,
      description: 'KMS key ARN of the flow-log bucket',
    });
  }
}
