import { ALL_VPC_FIELDS_V2_V8 } from '@flowlake/flowlogs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import {
  FlowLogDelivery,
  MemberFlowLogsStack,
  type MemberFlowLogsStackProps,
  VpcSelection,
} from '../../src/member/index.js';
import { CENTRAL, MEMBER_A, REGION } from '../helpers.js';

const CENTRAL_BUCKET = 'arn:aws:s3:::flowlake-flowlogs-999999999999-eu-west-1';
const CENTRAL_KEY = 'arn:aws:kms:eu-west-1:999999999999:key/11111111-2222-3333-4444-555555555555';

/** A format string from field names. */
const fmt = (...names: string[]) => names.map((n) => `\${${n}}`).join(' ');

function synth(props: Partial<MemberFlowLogsStackProps>): Template {
  const stack = new MemberFlowLogsStack(new App(), 'Member', {
    env: { account: MEMBER_A, region: REGION },
    delivery: FlowLogDelivery.directToS3({ centralBucketArn: CENTRAL_BUCKET }),
    ...props,
  });
  return Template.fromStack(stack);
}

const replication = (extra = {}) =>
  FlowLogDelivery.replication({
    centralBucketArn: CENTRAL_BUCKET,
    centralKeyArn: CENTRAL_KEY,
    centralAccount: CENTRAL,
    ...extra,
  });

describe('MemberFlowLogs, direct-s3, listed ids', () => {
  test('one flow log per id with the configured format, traffic type, interval and destination options', () => {
    const t = synth({
      selection: VpcSelection.ids(['vpc-0123456789abcdef0', 'subnet-01234567', 'eni-0123456789abcdef0']),
      trafficType: 'REJECT',
      maxAggregationIntervalSeconds: 600,
      fileFormat: 'plain-text',
      hivePartitions: false,
      perHourPartition: false,
      tags: { team: 'net' },
    });
    t.resourceCountIs('AWS::EC2::FlowLog', 3);
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceId: 'subnet-01234567',
      ResourceType: 'Subnet',
      TrafficType: 'REJECT',
      LogDestinationType: 's3',
      LogDestination: CENTRAL_BUCKET,
      MaxAggregationInterval: 600,
      DestinationOptions: {
        FileFormat: 'plain-text',
        HiveCompatiblePartitions: false,
        PerHourPartition: false,
      },
      Tags: Match.arrayWith([{ Key: 'flowlake:managed', Value: 'true' }]),
    });
    t.hasResourceProperties('AWS::EC2::FlowLog', { Tags: Match.arrayWith([{ Key: 'team', Value: 'net' }]) });
    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'NetworkInterface' });
    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC' });
  });

  test('defaults: all v2-v8 VPC fields, ALL traffic, 60 s, parquet, hive and hourly partitions', () => {
    const t = synth({ selection: VpcSelection.ids(['vpc-0123456789abcdef0']) });
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      LogFormat: ALL_VPC_FIELDS_V2_V8.map((f) => `\${${f}}`).join(' '),
      TrafficType: 'ALL',
      MaxAggregationInterval: 60,
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
    });
  });

  test('a prefix becomes a folder in the destination ARN', () => {
    synth({
      selection: VpcSelection.ids(['vpc-0123456789abcdef0']),
      delivery: FlowLogDelivery.directToS3({ centralBucketArn: CENTRAL_BUCKET, prefix: '/org/' }),
    }).hasResourceProperties('AWS::EC2::FlowLog', { LogDestination: `${CENTRAL_BUCKET}/org` });
  });

  test('the member stack never owns or changes the central bucket', () => {
    const t = synth({ selection: VpcSelection.ids(['vpc-0123456789abcdef0']) });
    t.resourceCountIs('AWS::S3::Bucket', 0);
    t.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  test('bad input is rejected with the value and the fix', () => {
    expect(() => VpcSelection.ids(['vpc-1', 'sg-0123456789abcdef0'])).toThrow(
      /'vpc-1', 'sg-0123456789abcdef0' is not/,
    );
    expect(() => VpcSelection.ids([])).toThrow(/VpcSelection.all/);
    expect(() => synth({ logFormat: fmt('version', 'bogus') })).toThrow(/bogus/);
    expect(() => synth({ logFormat: fmt('version', 'resource-type') })).toThrow(/Transit Gateway fields/);
    expect(() => synth({ maxAggregationIntervalSeconds: 30 as 60 })).toThrow(/60 or 600/);
  });
});

describe('MemberFlowLogs, all VPCs', () => {
  test('an inline Lambda (newest Node runtime) reconciles at deploy, on CreateVpc and on a schedule', () => {
    const t = synth({});
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { ZipFile: Match.stringLikeRegexp('CreateFlowLogsCommand') },
      Environment: { Variables: { CONFIG: Match.stringLikeRegexp(`"destination":"${CENTRAL_BUCKET}"`) } },
    });
    t.hasResourceProperties('Custom::FlowlakeVpcFlowLogs', {
      ServiceToken: Match.anyValue(),
      Config: Match.anyValue(),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ec2'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['CreateVpc', 'CreateDefaultVpc'] },
      },
    });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
  });

  test('the template has no assets (usable as a StackSet TemplateBody)', () => {
    const json = JSON.stringify(synth({ delivery: replication() }).toJSON());
    expect(json).not.toMatch(/S3Key|AssetParameters|cdk-hnb659fds-assets/);
  });

  test('the enabler role deletes only flowlake-managed flow logs, through managed (not inline) policies', () => {
    const t = synth({});
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ec2:DeleteFlowLogs',
            Condition: { StringEquals: { 'aws:ResourceTag/flowlake:managed': 'true' } },
          }),
        ]),
      },
    });
  });
});

describe('MemberFlowLogs, replication', () => {
  test('flow logs go to a local KMS-encrypted, versioned bucket with short expiry', () => {
    const t = synth({ delivery: replication(), selection: VpcSelection.ids(['vpc-0123456789abcdef0']) });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
    });
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('replication rule: owner override, KMS objects, central key, no delete markers', () => {
    synth({ delivery: replication() }).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          {
            Id: 'to-central-archive',
            Status: 'Enabled',
            Priority: 1,
            Filter: { Prefix: 'AWSLogs/' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
            Destination: {
              Bucket: CENTRAL_BUCKET,
              Account: CENTRAL,
              AccessControlTranslation: { Owner: 'Destination' },
              EncryptionConfiguration: { ReplicaKmsKeyID: CENTRAL_KEY },
            },
          },
        ],
      },
    });
  });

  test('Replication Time Control and metrics are optional', () => {
    synth({ delivery: replication({ replicationTimeControl: true }) }).hasResourceProperties(
      'AWS::S3::Bucket',
      {
        ReplicationConfiguration: {
          Rules: [
            Match.objectLike({
              Destination: Match.objectLike({
                ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
                Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
              }),
            }),
          ],
        },
      },
    );
  });

  test('the replication role is flowlake-replication-<region> and writes only its own prefix', () => {
    const t = synth({ delivery: replication() });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', ['flowlake-replication-', { Ref: 'AWS::Region' }]] },
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 's3.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'WriteOwnPrefixInCentralBucket',
            Resource: [
              { 'Fn::Join': ['', [`${CENTRAL_BUCKET}/AWSLogs/`, { Ref: 'AWS::AccountId' }, '/*']] },
              {
                'Fn::Join': [
                  '',
                  [`${CENTRAL_BUCKET}/AWSLogs/aws-account-id=`, { Ref: 'AWS::AccountId' }, '/*'],
                ],
              },
            ],
          }),
        ]),
      },
    });
  });

  test('without the key ARN, replicas are encrypted through the archive key alias', () => {
    const t = synth({
      delivery: FlowLogDelivery.replication({
        centralBucketArn: CENTRAL_BUCKET,
        centralAccount: CENTRAL,
        centralRegion: REGION,
      }),
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Rules: [
          Match.objectLike({
            Destination: Match.objectLike({
              EncryptionConfiguration: {
                ReplicaKmsKeyID: {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, `:kms:${REGION}:${CENTRAL}:alias/flowlake-flowlogs`],
                  ],
                },
              },
            }),
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'EncryptReplicasWithCentralKey',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${REGION}:${CENTRAL}:key/*`]],
            },
            Condition: { StringLike: Match.objectLike({ 'kms:ViaService': 's3.*.amazonaws.com' }) },
          }),
        ]),
      },
    });
  });

  test('bad replication settings are rejected', () => {
    expect(() =>
      FlowLogDelivery.replication({ centralBucketArn: CENTRAL_BUCKET, centralAccount: CENTRAL }),
    ).toThrow(/give centralKeyArn .* or centralRegion/);
    expect(() => replication({ centralAccount: 'central' })).toThrow(/'central' is not an AWS account id/);
    expect(() => replication({ localExpirationDays: 0 })).toThrow(/localExpirationDays/);
  });
});
