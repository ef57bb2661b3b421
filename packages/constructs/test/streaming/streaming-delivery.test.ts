import { FLOWLOG_DATASET, GUARDDUTY_DATASET } from '@flowlake/flowlogs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { StreamingDelivery, StreamingSource, streamingDataPrefix } from '../../src/streaming/index.js';
import { CENTRAL, ORG_ID, REGION } from '../helpers.js';
import { nagFindings } from '../nag-helper.js';

/** A resolved `Fn::Join` with the partition filled in. */
function joined(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if (o.Ref === 'AWS::Partition') return 'aws';
  const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
  return parts.map(joined).join(sep);
}

function build(source: StreamingSource, extra: Record<string, unknown> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Central', { env: { account: CENTRAL, region: REGION } });
  const bucketKey = kms.Key.fromKeyArn(
    stack,
    'BucketKey',
    `arn:aws:kms:${REGION}:${CENTRAL}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  );
  const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', `flowlake-flowlogs-${CENTRAL}-${REGION}`);
  const delivery = new StreamingDelivery(stack, 'Streaming', {
    bucket,
    bucketKey,
    senders: { organizationId: ORG_ID },
    source,
    ...extra,
  });
  const other = new Stack(app, 'CentralUsEast1', { env: { account: CENTRAL, region: 'us-east-1' } });
  const remote = delivery.addDestination(other, 'Destination');
  return { stack, delivery, other, remote, template: Template.fromStack(stack) };
}

describe('StreamingDelivery (cloudwatch-firehose)', () => {
  const { stack, template, other, remote } = build(StreamingSource.directPut());

  it('delivers to the central bucket with dynamic partitioning, GZIP .gz files, error prefix, logging and KMS', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'flowlake-flowlogs',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix:
          'AWSLogs/aws-account-id=!{partitionKeyFromLambda:account}/!{partitionKeyFromLambda:dataset}/' +
          'aws-region=!{partitionKeyFromLambda:region}/year=!{partitionKeyFromLambda:year}/' +
          'month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/hour=!{partitionKeyFromLambda:hour}/',
        ErrorOutputPrefix: Match.stringLikeRegexp(
          '^flowlake-errors/vpcflowlogs-stream/!\\{firehose:error-output-type\\}/',
        ),
        CompressionFormat: 'GZIP',
        FileExtension: '.json.gz',
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 },
        EncryptionConfiguration: {
          KMSEncryptionConfig: { AWSKMSKeyARN: Match.stringLikeRegexp('^arn:aws:kms:') },
        },
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: '/aws/kinesisfirehose/flowlake-flowlogs',
          LogStreamName: 'S3Delivery',
        },
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Lambda',
              Parameters: Match.arrayWith([
                { ParameterName: 'BufferSizeInMBs', ParameterValue: '0.2' },
                { ParameterName: 'NumberOfRetries', ParameterValue: '3' },
              ]),
            },
          ],
        },
      }),
    });
    expect(streamingDataPrefix('archive')).toBe(
      'archive/AWSLogs/aws-account-id=!{partitionKeyFromLambda:account}/!{partitionKeyFromLambda:dataset}/aws-region=!{partitionKeyFromLambda:region}/' +
        'year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/hour=!{partitionKeyFromLambda:hour}/',
    );
  });

  it('fills the prefix from the transform keys: flow logs keep their location, findings go to guardduty-stream', () => {
    const fill = (dataset: string) =>
      streamingDataPrefix().replace(/!\{partitionKeyFromLambda:(\w+)\}/g, (_m, k: string) =>
        k === 'dataset'
          ? dataset
          : ({
              account: '111122223333',
              region: 'eu-west-1',
              year: '2026',
              month: '11',
              day: '30',
              hour: '09',
            }[k] ?? `?${k}`),
      );
    expect(fill(FLOWLOG_DATASET)).toBe(
      'AWSLogs/aws-account-id=111122223333/vpcflowlogs-stream/aws-region=eu-west-1/year=2026/month=11/day=30/hour=09/',
    );
    expect(fill(GUARDDUTY_DATASET)).toBe(
      'AWSLogs/aws-account-id=111122223333/guardduty-stream/aws-region=eu-west-1/year=2026/month=11/day=30/hour=09/',
    );
  });

  it('runs the transform on the newest Node runtime with the flow-log format and a KMS-encrypted log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          FLOWLAKE_OUTPUT: 'json',
          FLOWLAKE_FORMAT: Match.stringLikeRegexp('^\\$\\{version\\} \\$\\{account-id\\}'),
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.anyValue(),
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 365,
    });
  });

  it('gives the destination role only firehose:PutRecord(Batch) on its stream, trusted by CloudWatch Logs', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'flowlake-flowlogs-cwl-destination',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'logs.amazonaws.com' },
            Condition: { StringLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('CloudWatch Logs destinations'),
      PolicyDocument: {
        Statement: [
          {
            Sid: 'PutIntoTarget',
            Effect: 'Allow',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: Match.anyValue(),
          },
        ],
      },
    });
    // The Firehose role may not delete objects.
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).not.toMatch(/s3:Delete|s3:\*|firehose:\*|kinesis:\*/);
  });

  it('creates org-scoped destinations in this and other Regions, after the target exists', () => {
    const d = template.findResources('AWS::Logs::Destination');
    const [res] = Object.values(d) as { Properties: Record<string, string>; DependsOn: string[] }[];
    expect(res.Properties.DestinationName).toBe('flowlake-flowlogs');
    expect(JSON.parse(joined(res.Properties.DestinationPolicy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowMembersToSubscribe',
          Effect: 'Allow',
          Action: 'logs:PutSubscriptionFilter',
          Resource: `arn:aws:logs:${REGION}:${CENTRAL}:destination:flowlake-flowlogs`,
          Principal: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
        },
      ],
    });
    expect(res.DependsOn.some((x) => x.startsWith('Streaming') && x.includes('DestinationPolicy'))).toBe(
      true,
    );
    expect(joined(other.resolve(remote.destinationArn))).toBe(
      `arn:aws:logs:us-east-1:${CENTRAL}:destination:flowlake-flowlogs`,
    );
    const [od] = Object.values(Template.fromStack(other).findResources('AWS::Logs::Destination')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(joined(od.Properties.TargetArn)).toBe(
      `arn:aws:firehose:${REGION}:${CENTRAL}:deliverystream/flowlake-flowlogs`,
    );
    expect(joined(od.Properties.RoleArn)).toBe(
      `arn:aws:iam::${CENTRAL}:role/flowlake-flowlogs-cwl-destination`,
    );
  });

  it('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('StreamingDelivery (cloudwatch-kinesis)', () => {
  const { stack, template } = build(StreamingSource.kinesis({ shardCount: 2, retentionHours: 48 }), {
    output: 'lines',
  });

  it('puts a KMS-encrypted stream in front of Firehose', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 2,
      RetentionPeriodHours: 48,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: Match.objectLike({ KinesisStreamARN: Match.anyValue() }),
      ExtendedS3DestinationConfiguration: Match.objectLike({ FileExtension: '.log.gz' }),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'PutIntoTarget', Action: ['kinesis:PutRecord', 'kinesis:PutRecords'] }),
        ]),
      },
    });
  });

  it('uses on-demand capacity without a shard count and validates retention', () => {
    const od = build(StreamingSource.kinesis()).template;
    od.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24,
    });
    expect(() => StreamingSource.kinesis({ retentionHours: 10 })).toThrow(
      /retentionHours must be a whole number from 24 to 8760, got 10/,
    );
  });

  it('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
