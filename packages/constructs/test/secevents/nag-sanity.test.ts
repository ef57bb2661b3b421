import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { expect, it } from 'vitest';
import { nagFindings } from '../nag-helper.js';

it('nagFindings reports findings of all four packs on a naive trail', () => {
  const stack = new Stack(new App(), 'Naive', { env: { account: '111111111111', region: 'us-east-1' } });
  new kms.Key(stack, 'Key');
  new cloudtrail.Trail(stack, 'Trail', {
    bucket: s3.Bucket.fromBucketName(stack, 'B', 'naive-bucket'),
    enableFileValidation: false,
  });
  const f = nagFindings(stack);
  expect(f.some((x) => x.startsWith('AwsSolutions-KMS5'))).toBe(true);
  expect(f.some((x) => x.startsWith('NIST.800.53.R5-CloudTrailLogFileValidationEnabled'))).toBe(true);
  expect(f.some((x) => x.startsWith('HIPAA.Security-CloudTrailEncryptionEnabled'))).toBe(true);
  expect(f.some((x) => x.startsWith('PCI.DSS.321-CloudTrailCloudWatchLogsEnabled'))).toBe(true);
});
