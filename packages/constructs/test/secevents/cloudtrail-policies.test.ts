import { describe, expect, it } from 'vitest';
import {
  cloudTrailBucketPolicyStatements,
  cloudTrailKeyPolicyStatements,
  organizationTrailArn,
} from '../../src/secevents/cloudtrail-policies.js';
import { withoutSimulatorUnsupportedKeys } from '../template-policies.js';
import { policyJson, simulate } from './simulate.js';

const MGMT = '111111111111';
const ARCHIVE = '222222222222';
const OUTSIDE = '999999999999';
const ORG = 'o-abc123def4';
const BUCKET = 'arn:aws:s3:::central-archive';
const trail = {
  managementAccountId: MGMT,
  organizationId: ORG,
  trailName: 'org-trail',
  trailRegion: 'us-east-1',
};
const ourTrail = organizationTrailArn(trail);
const bucketPolicy = policyJson(cloudTrailBucketPolicyStatements({ ...trail, bucketArn: BUCKET }));

const put = (key: string, ctx: Record<string, string> = {}) =>
  simulate({
    resourcePolicy: bucketPolicy,
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: `${BUCKET}/${key}`,
    resourceAccount: ARCHIVE,
    context: {
      'aws:SourceArn': ourTrail,
      'aws:SourceAccount': MGMT,
      's3:x-amz-acl': 'bucket-owner-full-control',
      ...ctx,
    },
  });

describe('cloudTrailBucketPolicyStatements (iam-simulate)', () => {
  it('renders the three documented statements with the trail ARN', () => {
    expect(ourTrail).toBe('arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail');
    const doc = bucketPolicy as unknown as { Statement: { Sid: string; Resource: string }[] };
    expect(doc.Statement.map((s) => [s.Sid, s.Resource])).toEqual([
      ['AWSCloudTrailAclCheck', BUCKET],
      ['AWSCloudTrailWrite', `${BUCKET}/cloudtrail/AWSLogs/${MGMT}/*`],
      ['AWSCloudTrailOrganizationWrite', `${BUCKET}/cloudtrail/AWSLogs/${ORG}/*`],
    ]);
  });

  it('lets the organization trail write member and management logs under its prefix', async () => {
    expect(
      await put(`cloudtrail/AWSLogs/${ORG}/333333333333/CloudTrail/us-east-1/2026/11/30/x.json.gz`),
    ).toBe('Allowed');
    expect(await put(`cloudtrail/AWSLogs/${MGMT}/CloudTrail/eu-west-1/2026/11/30/x.json.gz`)).toBe('Allowed');
  });

  it("denies an outside account's trail, even with the same name", async () => {
    const foreign = organizationTrailArn({ ...trail, managementAccountId: OUTSIDE });
    expect(
      await put(`cloudtrail/AWSLogs/${ORG}/x`, { 'aws:SourceArn': foreign, 'aws:SourceAccount': OUTSIDE }),
    ).toBe('ImplicitlyDenied');
    expect(await put(`cloudtrail/AWSLogs/${OUTSIDE}/x`, { 'aws:SourceArn': foreign })).toBe(
      'ImplicitlyDenied',
    );
  });

  it('denies another trail of the management account', async () => {
    const other = organizationTrailArn({ ...trail, trailName: 'someone-elses' });
    expect(await put(`cloudtrail/AWSLogs/${ORG}/x`, { 'aws:SourceArn': other })).toBe('ImplicitlyDenied');
  });

  it('lets the trail write only its prefix', async () => {
    expect(await put(`AWSLogs/${ORG}/x`)).toBe('ImplicitlyDenied');
    expect(await put(`flowlogs/AWSLogs/${MGMT}/vpcflowlogs/x`)).toBe('ImplicitlyDenied');
    expect(await put(`cloudtrail/AWSLogs/${OUTSIDE}/x`)).toBe('ImplicitlyDenied');
    expect(await put(`cloudtrail/other/x`)).toBe('ImplicitlyDenied');
  });

  it('requires the bucket-owner-full-control ACL', async () => {
    expect(await put(`cloudtrail/AWSLogs/${ORG}/x`, { 's3:x-amz-acl': 'private' })).toBe('ImplicitlyDenied');
  });

  it('scopes the ACL check to the trail', async () => {
    const acl = (sourceArn: string) =>
      simulate({
        resourcePolicy: bucketPolicy,
        principal: 'cloudtrail.amazonaws.com',
        action: 's3:GetBucketAcl',
        resource: BUCKET,
        resourceAccount: ARCHIVE,
        context: { 'aws:SourceArn': sourceArn },
      });
    expect(await acl(ourTrail)).toBe('Allowed');
    expect(await acl(organizationTrailArn({ ...trail, managementAccountId: OUTSIDE }))).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('cloudTrailKeyPolicyStatements (iam-simulate)', () => {
  const KEY = `arn:aws:kms:us-east-1:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const CONTEXT = 'kms:EncryptionContext:aws:cloudtrail:arn';
  // iam-simulate 0.1.x ignores every `kms:EncryptionContext:*` key, so those conditions are asserted from what
  // withoutSimulatorUnsupportedKeys removed, and the rest of the policy is simulated.
  const { policy: keyPolicy, removed } = withoutSimulatorUnsupportedKeys(
    policyJson(cloudTrailKeyPolicyStatements({ ...trail, readerAccountIds: [MGMT, ARCHIVE] })),
  );
  it('binds encrypt and decrypt to CloudTrail encryption contexts of management-account trails', () => {
    expect(removed).toEqual([
      {
        sid: 'AllowCloudTrailEncryptLogs',
        operator: 'StringLike',
        key: CONTEXT,
        value: `arn:aws:cloudtrail:*:${MGMT}:trail/*`,
      },
      {
        sid: 'AllowReadersDecryptTrailLogs',
        operator: 'StringLike',
        key: CONTEXT,
        value: `arn:aws:cloudtrail:*:${MGMT}:trail/*`,
      },
    ]);
  });
  const ctx = (acct: string) => `arn:aws:cloudtrail:us-east-1:${acct}:trail/org-trail`;

  const encrypt = (sourceArn: string) =>
    simulate({
      resourcePolicy: keyPolicy,
      principal: 'cloudtrail.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: KEY,
      resourceAccount: MGMT,
      context: { 'aws:SourceArn': sourceArn },
    });

  it('lets only this trail encrypt', async () => {
    expect(await encrypt(ourTrail)).toBe('Allowed');
    expect(await encrypt(ctx(OUTSIDE))).toBe('ImplicitlyDenied');
    expect(await encrypt(organizationTrailArn({ ...trail, trailName: 'other' }))).toBe('ImplicitlyDenied');
  });

  const decrypt = (acct: string) =>
    simulate({
      resourcePolicy: keyPolicy,
      identityPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
      },
      principal: `arn:aws:iam::${acct}:role/Reader`,
      action: 'kms:Decrypt',
      resource: KEY,
      resourceAccount: MGMT,
      context: { 'kms:CallerAccount': acct },
    });

  it('lets only reader accounts decrypt', async () => {
    expect(await decrypt(ARCHIVE)).toBe('Allowed');
    expect(await decrypt(MGMT)).toBe('Allowed');
    expect(await decrypt(OUTSIDE)).toBe('ImplicitlyDenied');
  });
});
