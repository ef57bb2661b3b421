import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import {
  addGuardDutyPublishingAccess,
  GuardDutyAdminStack,
  GuardDutyDelegationStack,
  GuardDutyDetector,
} from '../../src/secevents/guardduty.js';
import { nagFindings } from '../nag-helper.js';

const MGMT = '111111111111';
const ARCHIVE = '222222222222';
const KEY_ARN = `arn:aws:kms:us-east-1:${ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const FIREHOSE = `arn:aws:firehose:us-east-1:${ARCHIVE}:deliverystream/flowlake-stream`;

function adminStack(extra: Partial<ConstructorParameters<typeof GuardDutyAdminStack>[2]> = {}) {
  return new GuardDutyAdminStack(new App(), 'GuardDutyAdmin', {
    env: { account: ARCHIVE, region: 'us-east-1' },
    archiveBucketName: 'central-archive',
    archiveAccountId: ARCHIVE,
    publishingKeyArn: KEY_ARN,
    ...extra,
  });
}

const sdkCalls = (t: Template) =>
  Object.values(t.findResources('Custom::AWS')).map((r) => {
    const create = new Stack().resolve((r as { Properties: { Create: unknown } }).Properties.Create);
    if (typeof create === 'string') return create;
    const [sep, parts] = (create as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(sep);
  });

describe('GuardDutyDelegationStack (management account)', () => {
  const stack = new GuardDutyDelegationStack(new App(), 'Delegation', {
    env: { account: MGMT, region: 'us-east-1' },
    adminAccountId: ARCHIVE,
  });
  const t = Template.fromStack(stack);

  it('designates the admin account with EnableOrganizationAdminAccount and least privilege', () => {
    const calls = sdkCalls(t);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('"action":"enableOrganizationAdminAccount"');
    expect(calls[0]).toContain(`"AdminAccountId":"${ARCHIVE}"`);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'organizations:EnableAWSServiceAccess',
              'organizations:RegisterDelegatedAdministrator',
              'organizations:DeregisterDelegatedAdministrator',
            ],
            Condition: {
              StringEquals: {
                'organizations:ServicePrincipal': [
                  'guardduty.amazonaws.com',
                  'malware-protection.guardduty.amazonaws.com',
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  it('passes the four cdk-nag packs without unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('rejects a malformed admin account id', () => {
    expect(() => new GuardDutyDelegationStack(new App(), 'Bad', { adminAccountId: '12345' })).toThrow(
      /invalid adminAccountId '12345'.*12 digits/,
    );
  });
});

describe('GuardDutyAdminStack (delegated administrator)', () => {
  const stack = adminStack();
  const t = Template.fromStack(stack);

  it('looks up the detector, auto-enables ALL members and publishes to the archive prefix with KMS', () => {
    const calls = sdkCalls(t);
    expect(calls.some((c) => c.includes('"action":"listDetectors"'))).toBe(true);
    const org = calls.find((c) => c.includes('updateOrganizationConfiguration'));
    expect(org).toContain('"AutoEnableOrganizationMembers":"ALL"');
    t.hasResourceProperties('AWS::GuardDuty::PublishingDestination', {
      DestinationType: 'S3',
      DestinationProperties: {
        DestinationArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::central-archive/guardduty/']],
        },
        KmsKeyArn: KEY_ARN,
      },
      DetectorId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DetectorLookup'), 'DetectorIds.0'] },
    });
  });

  it('routes GuardDuty findings to a KMS-encrypted log group through EventBridge', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'flowlake-guardduty-findings',
      EventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
      Targets: [Match.objectLike({ Arn: Match.objectLike({}) })],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/flowlake/guardduty/findings',
      RetentionInDays: 365,
      KmsKeyId: Match.anyValue(),
    });
    t.hasResourceProperties('AWS::Logs::ResourcePolicy', {
      PolicyName: 'flowlake-guardduty-findings-events',
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.resourceCountIs('AWS::IAM::Role', 1); // only the custom-resource provider role: no Firehose target
  });

  it('passes the four cdk-nag packs without unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('adds a least-privilege Firehose target when streaming is on', () => {
    const s = adminStack({ firehoseStreamArn: FIREHOSE, detector: GuardDutyDetector.create() });
    const tt = Template.fromStack(s);
    tt.resourceCountIs('AWS::GuardDuty::Detector', 1);
    tt.hasResourceProperties('AWS::Events::Rule', {
      Targets: Match.arrayWith([
        Match.objectLike({ Arn: FIREHOSE, InputPath: '$.detail', RoleArn: Match.anyValue() }),
      ]),
    });
    tt.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Effect: 'Allow', Resource: FIREHOSE },
        ],
      },
    });
    tt.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': ARCHIVE },
              ArnEquals: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ],
      },
    });
    expect(nagFindings(s)).toEqual([]);
  });

  it('refuses a Firehose stream of another account, explaining why', () => {
    expect(() => adminStack({ firehoseStreamArn: FIREHOSE.replace(ARCHIVE, '333333333333') })).toThrow(
      /account 333333333333.*only in its own account \(222222222222\)/,
    );
  });

  it('auto-enables requested protection plans and validates their names', () => {
    const calls = sdkCalls(Template.fromStack(adminStack({ features: ['S3_DATA_EVENTS'] })));
    expect(calls.find((c) => c.includes('updateOrganizationConfiguration'))).toContain(
      '"Features":[{"Name":"S3_DATA_EVENTS","AutoEnable":"ALL"}]',
    );
    expect(() => adminStack({ features: ['s3 data'] })).toThrow(/invalid feature 's3 data'/);
  });
});

describe('addGuardDutyPublishingAccess (archive side)', () => {
  it('adds the bucket and key statements to an owned bucket and key', () => {
    const stack = new Stack(new App(), 'Archive', { env: { account: ARCHIVE, region: 'us-east-1' } });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const sids = addGuardDutyPublishingAccess(bucket, key, { adminAccountId: ARCHIVE }).map((s) => s.sid);
    expect(sids).toEqual([
      'AllowGuardDutyGetBucketLocation',
      'AllowGuardDutyPutObject',
      'DenyGuardDutyUnencryptedUploads',
      'DenyGuardDutyIncorrectEncryptionKey',
      'AllowGuardDutyEncryptFindings',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowGuardDutyEncryptFindings',
            Condition: {
              StringEquals: { 'aws:SourceAccount': ARCHIVE },
              ArnLike: { 'aws:SourceArn': `arn:aws:guardduty:*:${ARCHIVE}:detector/*` },
            },
          }),
        ]),
      },
    });
  });

  it('refuses an imported key', () => {
    const stack = new Stack(new App(), 'Archive');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
    expect(() => addGuardDutyPublishingAccess(bucket, key, { adminAccountId: ARCHIVE })).toThrow(
      /Archive\/Imported/,
    );
  });
});
