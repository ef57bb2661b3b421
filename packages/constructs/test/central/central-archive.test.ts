import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import {
  CentralArchive,
  CentralArchiveStack,
  type CentralArchiveStackProps,
  PRINCIPAL_ACCOUNT_VAR,
  SOURCE_ACCOUNT_VAR,
} from '../../src/central/index.js';
import { CENTRAL, MEMBER_A, MEMBER_B, ORG_ID, REGION } from '../helpers.js';

function synth(props: CentralArchiveStackProps): Template {
  const stack = new CentralArchiveStack(new App(), 'Central', {
    env: { account: CENTRAL, region: REGION },
    ...props,
  });
  return Template.fromStack(stack);
}

function bucketPolicyStatements(t: Template): Array<Record<string, unknown>> {
  const policies = t.findResources('AWS::S3::BucketPolicy');
  const archive = Object.values(policies).find((p) => JSON.stringify(p).includes('AWSLogDeliveryWrite')) as {
    Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } };
  };
  return archive.Properties.PolicyDocument.Statement;
}

function statement(t: Template, sid: string): Record<string, unknown> {
  const s = bucketPolicyStatements(t).find((x) => x.Sid === sid);
  if (!s) throw new Error(`no statement ${sid}`);
  return s;
}

describe('CentralArchive bucket', () => {
  test('GIVEN an org WHEN synthesized THEN the bucket is SSE-KMS with a rotating CMK, bucket key, versioned, private', () => {
    const t = synth({ organizationId: ORG_ID });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.anyValue(),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.objectLike({}) },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'flow-log-bucket/' },
    });
  });

  test('the key has the fixed alias members use before they know its ARN', () => {
    synth({ organizationId: ORG_ID }).hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/flowlake-flowlogs',
      TargetKeyId: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
    });
  });

  test('the KMS key is named by ARN in default encryption (a key id makes delivery fail)', () => {
    const t = synth({ organizationId: ORG_ID });
    const buckets = Object.values(t.findResources('AWS::S3::Bucket')) as Array<{
      Properties: Record<string, unknown>;
    }>;
    const archive = buckets.find(
      (b) => b.Properties.BucketEncryption && JSON.stringify(b).includes('aws:kms'),
    );
    expect(JSON.stringify(archive?.Properties.BucketEncryption)).toMatch(/"Fn::GetAtt":\["\w+","Arn"\]/);
  });

  test('server access logs go to a separate SSE-S3 bucket through a scoped bucket policy', () => {
    const t = synth({ organizationId: ORG_ID });
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3ServerAccessLogsPolicy',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() }, ArnLike: Match.anyValue() },
          }),
        ]),
      },
    });
  });

  test('lifecycle comes from retention props', () => {
    const t = synth({
      organizationId: ORG_ID,
      retention: {
        infrequentAccessDays: 30,
        glacierDays: 90,
        expirationDays: 400,
        noncurrentVersionExpirationDays: 7,
      },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            ExpirationInDays: 400,
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 90 },
            ],
          }),
        ]),
      },
    });
  });

  test('inconsistent retention is rejected with every problem named', () => {
    expect(() =>
      synth({ organizationId: ORG_ID, retention: { infrequentAccessDays: 10, expirationDays: 5 } }),
    ).toThrow(/infrequentAccessDays must be >= 30.*expirationDays \(5\) must be greater/);
  });

  test('Object Lock is off by default and configurable', () => {
    const buckets = synth({ organizationId: ORG_ID }).findResources('AWS::S3::Bucket');
    expect(JSON.stringify(buckets)).not.toContain('ObjectLock');
    synth({ organizationId: ORG_ID, objectLock: { mode: 'COMPLIANCE', days: 365 } }).hasResourceProperties(
      'AWS::S3::Bucket',
      {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
        },
      },
    );
  });
});

describe('CentralArchive bucket policy', () => {
  test('with an org, delivery writes are bound by policy variable to AWSLogs/<source account>/ in both layouts', () => {
    const t = synth({ organizationId: ORG_ID });
    const write = statement(t, 'AWSLogDeliveryWrite');
    expect(write.Principal).toEqual({ Service: 'delivery.logs.amazonaws.com' });
    expect(JSON.stringify(write.Resource)).toContain(`/AWSLogs/${SOURCE_ACCOUNT_VAR}/*`);
    expect(JSON.stringify(write.Resource)).toContain(`/AWSLogs/aws-account-id=${SOURCE_ACCOUNT_VAR}/*`);
    expect(write.Condition).toMatchObject({
      StringEquals: { 'aws:SourceOrgID': ORG_ID, 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
    expect(JSON.stringify(write.Condition)).toContain(`:logs:*:${SOURCE_ACCOUNT_VAR}:*`);
    const acl = statement(t, 'AWSLogDeliveryAclCheck');
    expect(acl.Action).toEqual(['s3:GetBucketAcl', 's3:ListBucket']);
    expect(acl.Condition).toMatchObject({ StringEquals: { 'aws:SourceOrgID': ORG_ID } });
  });

  test('without aws:SourceOrgID the explicit account list is used', () => {
    const t = synth({ organizationId: ORG_ID, useSourceOrgId: false, memberAccounts: [MEMBER_B, MEMBER_A] });
    expect(statement(t, 'AWSLogDeliveryWrite').Condition).toMatchObject({
      StringEquals: { 'aws:SourceAccount': [MEMBER_A, MEMBER_B] },
    });
  });

  test('the bucket-owner-full-control condition is a switch', () => {
    const t = synth({ organizationId: ORG_ID, requireBucketOwnerFullControl: false });
    expect(JSON.stringify(statement(t, 'AWSLogDeliveryWrite'))).not.toContain('s3:x-amz-acl');
  });

  test('deletes and policy changes are denied to everyone but the admins', () => {
    const admin = `arn:aws:iam::${CENTRAL}:role/ArchiveAdmin`;
    const deny = statement(
      synth({ organizationId: ORG_ID, adminPrincipalArns: [admin] }),
      'DenyDeleteAndPolicyChangesExceptArchiveAdmins',
    );
    expect(deny.Effect).toBe('Deny');
    expect(deny.Action).toEqual(expect.arrayContaining(['s3:DeleteObjectVersion', 's3:PutBucketPolicy']));
    expect(deny.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [admin] } });
  });

  test('replication statements only when allowed, bound by aws:PrincipalAccount, no ReplicateDelete', () => {
    expect(bucketPolicyStatements(synth({ organizationId: ORG_ID })).map((s) => s.Sid)).not.toContain(
      'FlowlakeReplicationWrite',
    );
    const write = statement(
      synth({ organizationId: ORG_ID, allowReplication: true }),
      'FlowlakeReplicationWrite',
    );
    expect(write.Action).toEqual([
      's3:ReplicateObject',
      's3:ReplicateTags',
      's3:ObjectOwnerOverrideToBucketOwner',
    ]);
    expect(JSON.stringify(write.Resource)).toContain(`/AWSLogs/${PRINCIPAL_ACCOUNT_VAR}/*`);
    expect(write.Condition).toMatchObject({ StringEquals: { 'aws:PrincipalOrgID': ORG_ID } });
  });

  test('TLS-only: non-TLS and TLS < 1.2 are denied', () => {
    const statements = bucketPolicyStatements(synth({ organizationId: ORG_ID }));
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]),
    );
  });
});

describe('CentralArchive key policy', () => {
  test('log delivery may only generate data keys and decrypt, for the org and this bucket', () => {
    synth({ organizationId: ORG_ID }).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowLogDeliveryToUseTheKey',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Condition: Match.objectLike({
              StringEquals: { 'aws:SourceOrgID': ORG_ID },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': Match.anyValue() },
            }),
          }),
        ]),
      },
    });
  });

  test('member replication roles may encrypt through S3 only', () => {
    synth({ organizationId: ORG_ID, allowReplication: true }).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowMemberReplicationRolesToEncrypt',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Condition: Match.objectLike({
              StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
              StringLike: Match.objectLike({ 'kms:ViaService': 's3.*.amazonaws.com' }),
            }),
          }),
        ]),
      },
    });
  });
});

describe('CentralArchive validation', () => {
  test('no senders is an error naming the fix', () => {
    expect(() => new CentralArchive(new Stack(), 'A')).toThrow(/list memberAccounts/);
  });
  test('a malformed account id is named', () => {
    expect(() => new CentralArchive(new Stack(), 'A', { memberAccounts: ['12345'] })).toThrow(
      /'12345' is not an AWS account id/,
    );
  });
  test('a malformed organization id is named', () => {
    expect(() => new CentralArchive(new Stack(), 'A', { organizationId: 'org-1' })).toThrow(
      /'org-1' is not an AWS Organizations id/,
    );
  });
  test('an empty admin list is rejected', () => {
    expect(
      () => new CentralArchive(new Stack(), 'A', { organizationId: ORG_ID, adminPrincipalArns: [] }),
    ).toThrow(/adminPrincipalArns/);
  });
  test('the primary child is the bucket (construct id Resource)', () => {
    const archive = new CentralArchive(new Stack(), 'A', { organizationId: ORG_ID });
    expect(archive.node.defaultChild).toBe(archive.bucket);
  });
});
