import { describe, expect, it } from 'vitest';
import {
  guardDutyBucketPolicyStatements,
  guardDutyDetectorArnPattern,
  guardDutyKeyPolicyStatement,
} from '../../src/secevents/guardduty-policies.js';
import { policyJson, simulate } from './simulate.js';

const ADMIN = '222222222222';
const OUTSIDE = '999999999999';
const BUCKET = 'arn:aws:s3:::central-archive';
const KEY = `arn:aws:kms:us-east-1:${ADMIN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ADMIN}:key/99999999-12ab-34cd-56ef-1234567890ab`;
const detector = (acct: string) =>
  `arn:aws:guardduty:us-east-1:${acct}:detector/12abc34d567e8fa901bc2d34e56789f0`;
const bucketPolicy = policyJson(
  guardDutyBucketPolicyStatements({ adminAccountId: ADMIN, bucketArn: BUCKET, kmsKeyArn: KEY }),
);
const KEY_OBJECT = `guardduty/AWSLogs/${ADMIN}/GuardDuty/us-east-1/2026/11/30/4f1d.jsonl.gz`;

const put = (key: string, ctx: Record<string, string> = {}) =>
  simulate({
    resourcePolicy: bucketPolicy,
    principal: 'guardduty.amazonaws.com',
    action: 's3:PutObject',
    resource: `${BUCKET}/${key}`,
    resourceAccount: ADMIN,
    context: {
      'aws:SourceAccount': ADMIN,
      'aws:SourceArn': detector(ADMIN),
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': KEY,
      ...ctx,
    },
  });

describe('guardDutyBucketPolicyStatements (iam-simulate)', () => {
  it('binds to detectors of the admin account', () => {
    expect(guardDutyDetectorArnPattern({ adminAccountId: ADMIN })).toBe(
      `arn:aws:guardduty:*:${ADMIN}:detector/*`,
    );
  });

  it('lets the admin detector write SSE-KMS findings with the archive key under its prefix', async () => {
    expect(await put(KEY_OBJECT)).toBe('Allowed');
  });

  it("denies another account's detector (confused deputy)", async () => {
    expect(await put(KEY_OBJECT, { 'aws:SourceAccount': OUTSIDE, 'aws:SourceArn': detector(OUTSIDE) })).toBe(
      'ImplicitlyDenied',
    );
    expect(await put(KEY_OBJECT, { 'aws:SourceArn': detector(OUTSIDE) })).toBe('ImplicitlyDenied');
    expect(await put(KEY_OBJECT, { 'aws:SourceAccount': OUTSIDE })).toBe('ImplicitlyDenied');
  });

  it('denies writes outside the findings prefix', async () => {
    expect(await put(`AWSLogs/${ADMIN}/GuardDuty/x.jsonl.gz`)).toBe('ImplicitlyDenied');
    expect(await put(`cloudtrail/AWSLogs/${ADMIN}/x`)).toBe('ImplicitlyDenied');
  });

  it('explicitly denies uploads without SSE-KMS or with another key', async () => {
    expect(await put(KEY_OBJECT, { 's3:x-amz-server-side-encryption': 'AES256' })).toBe('ExplicitlyDenied');
    expect(await put(KEY_OBJECT, { 's3:x-amz-server-side-encryption-aws-kms-key-id': OTHER_KEY })).toBe(
      'ExplicitlyDenied',
    );
  });

  it('scopes GetBucketLocation to the admin detector', async () => {
    const loc = (acct: string) =>
      simulate({
        resourcePolicy: bucketPolicy,
        principal: 'guardduty.amazonaws.com',
        action: 's3:GetBucketLocation',
        resource: BUCKET,
        resourceAccount: ADMIN,
        context: { 'aws:SourceAccount': acct, 'aws:SourceArn': detector(acct) },
      });
    expect(await loc(ADMIN)).toBe('Allowed');
    expect(await loc(OUTSIDE)).toBe('ImplicitlyDenied');
  });
});

describe('guardDutyKeyPolicyStatement (iam-simulate)', () => {
  const keyPolicy = policyJson([guardDutyKeyPolicyStatement({ adminAccountId: ADMIN })]);
  const generate = (acct: string, arn = detector(acct)) =>
    simulate({
      resourcePolicy: keyPolicy,
      principal: 'guardduty.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: KEY,
      resourceAccount: ADMIN,
      context: { 'aws:SourceAccount': acct, 'aws:SourceArn': arn },
    });

  it('lets only the admin detector generate data keys', async () => {
    expect(await generate(ADMIN)).toBe('Allowed');
    expect(await generate(OUTSIDE)).toBe('ImplicitlyDenied');
    expect(await generate(ADMIN, `arn:aws:cloudtrail:us-east-1:${ADMIN}:trail/x`)).toBe('ImplicitlyDenied');
  });

  it('binds an exact detector when given', () => {
    const doc = policyJson([
      guardDutyKeyPolicyStatement({ adminAccountId: ADMIN, region: 'us-east-1', detectorId: 'abc' }),
    ]) as unknown as { Statement: { Condition: { ArnLike: Record<string, string> } }[] };
    expect(doc.Statement[0].Condition.ArnLike['aws:SourceArn']).toBe(
      `arn:aws:guardduty:us-east-1:${ADMIN}:detector/abc`,
    );
  });
});
