import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { addOrganizationTrailAccess, OrganizationTrailStack } from '../../src/secevents/cloudtrail.js';
import { nagFindings } from '../nag-helper.js';

const MGMT = '111111111111';
const ARCHIVE = '222222222222';
const ORG = 'o-abc123def4';

function trailStack(extra: Partial<ConstructorParameters<typeof OrganizationTrailStack>[2]> = {}) {
  return new OrganizationTrailStack(new App(), 'Trail', {
    env: { account: MGMT, region: 'us-east-1' },
    archiveBucketName: 'central-archive',
    archiveAccountId: ARCHIVE,
    organizationId: ORG,
    ...extra,
  });
}

describe('OrganizationTrailStack', () => {
  const stack = trailStack();
  const t = Template.fromStack(stack);

  it('creates a multi-Region organization trail with validation and KMS into the archive prefix', () => {
    t.resourceCountIs('AWS::CloudTrail::Trail', 1);
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'flowlake-organization-trail',
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      S3BucketName: 'central-archive',
      S3KeyPrefix: 'cloudtrail',
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrganizationTrailKey'), 'Arn'] },
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
    });
    t.resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  it('creates a rotating CMK whose policy is scoped to the trail and reader accounts', () => {
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudTrailEncryptLogs',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Condition: {
              StringEquals: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      `:cloudtrail:us-east-1:${MGMT}:trail/flowlake-organization-trail`,
                    ],
                  ],
                },
              },
              StringLike: {
                'kms:EncryptionContext:aws:cloudtrail:arn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:*:${MGMT}:trail/*`]],
                },
              },
            },
          }),
          Match.objectLike({
            Sid: 'AllowReadersDecryptTrailLogs',
            Condition: Match.objectLike({ StringEquals: { 'kms:CallerAccount': [MGMT, ARCHIVE] } }),
          }),
        ]),
      },
    });
    const trail = Object.values(t.findResources('AWS::CloudTrail::Trail'))[0] as { DependsOn?: string[] };
    expect(trail.DependsOn?.some((d) => d.startsWith('OrganizationTrailKey'))).toBe(true);
  });

  it('never writes the policy of the imported archive bucket', () => {
    t.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  it('passes the four cdk-nag packs without unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('optionally delivers to a KMS-encrypted CloudWatch Logs group with one-year retention', () => {
    const s = trailStack({ cloudWatchLogs: {}, trailName: 'org' });
    const tt = Template.fromStack(s);
    tt.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/flowlake/cloudtrail/org',
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrganizationTrailKey'), 'Arn'] },
    });
    tt.hasResourceProperties('AWS::CloudTrail::Trail', {
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      CloudWatchLogsRoleArn: Match.anyValue(),
    });
    tt.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsEncryptLogGroup',
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          }),
        ]),
      },
    });
    expect(nagFindings(s)).toEqual([]);
  });
});

describe('addOrganizationTrailAccess', () => {
  const identity = {
    managementAccountId: MGMT,
    organizationId: ORG,
    trailName: 'flowlake-organization-trail',
    trailRegion: 'us-east-1',
  };

  it('adds the documented statements to an owned archive bucket', () => {
    const stack = new Stack(new App(), 'Archive', { env: { account: ARCHIVE, region: 'us-east-1' } });
    const bucket = new s3.Bucket(stack, 'Bucket');
    expect(addOrganizationTrailAccess(bucket, identity).map((s) => s.sid)).toEqual([
      'AWSCloudTrailAclCheck',
      'AWSCloudTrailWrite',
      'AWSCloudTrailOrganizationWrite',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AWSCloudTrailOrganizationWrite',
            Condition: {
              StringEquals: {
                's3:x-amz-acl': 'bucket-owner-full-control',
                'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/flowlake-organization-trail`,
              },
            },
          }),
        ]),
      },
    });
  });

  it('refuses an imported bucket, naming it', () => {
    const stack = new Stack(new App(), 'Other');
    const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'central-archive');
    expect(() => addOrganizationTrailAccess(bucket, identity)).toThrow(/Other\/Imported.*imported/);
  });
});
