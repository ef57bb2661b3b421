import { FLOWLOG_DATASET } from '@flowlake/flowlogs';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resolveLogFormat } from '../internal/log-format.js';
import { acknowledgeNag, iam5Resource } from '../internal/nag.js';
import { normalizePrefix } from '../internal/names.js';
import { bucketKeyStatement } from './bucket-key-statement.js';
import type { DestinationSenders } from './destination-policy.js';
import { CentralLogDestination } from './log-destination.js';
import { logGroupKey } from './log-group-key.js';
import { KinesisSource, StreamingSource } from './streaming-source.js';
import { FlowLogTransformFunction } from './transform-function.js';

/** Service segment of streaming objects: `AWSLogs/aws-account-id=A/vpcflowlogs-stream/aws-region=R/...`. */
export const STREAM_SERVICE_SEGMENT = FLOWLOG_DATASET;

/** Name of the role CloudWatch Logs destinations assume (one per streaming path, in the log-archive account). */
export function destinationRoleName(deliveryStreamName: string): string {
  return `${deliveryStreamName}-cwl-destination`;
}

/**
 * Firehose S3 prefix for streaming objects: the Hive layout of direct delivery (account, Region, year, month, day,
 * hour from the transform's partition keys) under the service segment the transform's `dataset` key names
 * (`vpcflowlogs-stream` for flow records, `guardduty-stream` for GuardDuty findings routed by EventBridge), so
 * tables can share the partition scheme while reading NDJSON/lines instead of AWS's text/Parquet.
 */
export function streamingDataPrefix(prefix?: string): string {
  const k = (name: string) => `!{partitionKeyFromLambda:${name}}`;
  return (
    `${normalizePrefix(prefix)}AWSLogs/aws-account-id=${k('account')}/${k('dataset')}/` +
    `aws-region=${k('region')}/year=${k('year')}/month=${k('month')}/day=${k('day')}/hour=${k('hour')}/`
  );
}

/** Firehose error prefix: records the transform failed, and delivery failures, by error type and hour. */
export function streamingErrorPrefix(prefix?: string): string {
  return (
    `${normalizePrefix(prefix)}flowlake-errors/${STREAM_SERVICE_SEGMENT}/!{firehose:error-output-type}/` +
    'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/'
  );
}

/** Properties of {@link StreamingDelivery}. */
export interface StreamingDeliveryProps {
  /** The central flow-log bucket. */
  readonly bucket: s3.IBucket;
  /** The bucket's KMS key (objects are written SSE-KMS with it). */
  readonly bucketKey: kms.IKey;
  /** Accounts whose log groups may subscribe to the destinations. */
  readonly senders: DestinationSenders;
  /** Direct PUT (`cloudwatch-firehose`) or a Kinesis data stream (`cloudwatch-kinesis`). @default StreamingSource.directPut() */
  readonly source?: StreamingSource;
  /**
   * Format string of the member flow logs (all members of this path use the same one).
   * @default - every VPC field of versions 2-8, as MemberFlowLogs
   */
  readonly logFormat?: string;
  /** NDJSON or the original lines. @default 'json' */
  readonly output?: 'json' | 'lines';
  /** Folder before `AWSLogs/` in the bucket; must match the central archive's. @default - none */
  readonly prefix?: string;
  /** Firehose S3 buffer size in MiB (at least 64 with dynamic partitioning). @default 128 */
  readonly bufferSizeMiB?: number;
  /** Firehose S3 buffer interval. @default Duration.seconds(300) */
  readonly bufferInterval?: Duration;
  /**
   * Firehose's buffer before invoking the transform, in MB (0.2-3). Payloads are gzip; NDJSON output is ~20x the
   * input, so a small buffer keeps responses under Lambda's 6 MB (the rest is re-ingested).
   * @default 0.2
   */
  readonly lambdaBufferSizeMB?: number;
  /** Days Firehose error logs and transform logs are kept. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** Name of the Firehose stream. @default 'flowlake-flowlogs' */
  readonly deliveryStreamName?: string;
  /**
   * Also require `aws:SourceOrgID` when CloudWatch Logs assumes the destination role (unverified whether CloudWatch
   * Logs sends it; verify live before enabling).
   * @default false
   */
  readonly roleTrustSourceOrgId?: boolean;
}

/**
 * The central streaming path in the log-archive account's home Region: an optional KMS-encrypted Kinesis data
 * stream, a Firehose stream with the flow-log transform Lambda and dynamic partitioning into the central bucket
 * (GZIP, `.gz` files, error prefix, error logging, SSE-KMS), the role CloudWatch Logs destinations assume, and the
 * home Region's destination. Add destinations in other Regions with {@link addDestination} in stacks there.
 *
 * Built on the L1 `CfnDeliveryStream`: the `aws-kinesisfirehose` L2 `S3Bucket` destination grants the Firehose role
 * `grantReadWrite` on the bucket (including object deletion), broader than delivery needs.
 */
export class StreamingDelivery extends Construct {
  /** The Firehose stream (construct id `Resource`). */
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  /** Its ARN. */
  public readonly deliveryStreamArn: string;
  /** The Kinesis data stream, for `StreamingSource.kinesis()`. */
  public readonly stream?: kinesis.Stream;
  /** The transform Lambda. */
  public readonly transform: FlowLogTransformFunction;
  /** Key for the stream, Firehose SSE and the path's log groups. */
  public readonly key: kms.Key;
  /** ARN every destination forwards to (stream or Firehose). */
  public readonly targetArn: string;
  /** The role CloudWatch Logs assumes to put records. */
  public readonly destinationRole: iam.Role;
  /** Its policy. */
  public readonly destinationPolicy: iam.ManagedPolicy;
  /** The Firehose stream's role and policy. */
  public readonly firehoseRole: iam.Role;
  public readonly firehosePolicy: iam.ManagedPolicy;
  /** Firehose error log group. */
  public readonly errorLogGroup: logs.LogGroup;
  /** The destination in this stack's Region. */
  public readonly destination: CentralLogDestination;
  /** Format of the flow-log lines. */
  public readonly logFormat: string;
  /** Name of the Firehose stream (also of the Kinesis stream, destinations and derived resources). */
  public readonly deliveryStreamName: string;

  private readonly senders: DestinationSenders;

  constructor(scope: Construct, id: string, props: StreamingDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const format = resolveLogFormat(props.logFormat);
    this.logFormat = format.toString();
    this.senders = props.senders;
    const output = props.output ?? 'json';
    const source = props.source ?? StreamingSource.directPut();
    const name = props.deliveryStreamName ?? 'flowlake-flowlogs';
    this.deliveryStreamName = name;
    const bufferMiB = props.bufferSizeMiB ?? 128;
    if (!(Number.isInteger(bufferMiB) && bufferMiB >= 64 && bufferMiB <= 128)) {
      throw new Error(
        `bufferSizeMiB must be 64-128 (dynamic partitioning needs at least 64), got ${bufferMiB}.`,
      );
    }
    const lambdaMB = props.lambdaBufferSizeMB ?? 0.2;
    if (!(lambdaMB >= 0.2 && lambdaMB <= 3))
      throw new Error(`lambdaBufferSizeMB must be 0.2-3, got ${lambdaMB}.`);
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    this.key = logGroupKey(
      this,
      'Key',
      'flowlake: streaming path (Kinesis stream, Firehose SSE, log groups)',
      '*',
    );

    this.transform = new FlowLogTransformFunction(this, 'Transform', {
      functionName: `${name}-transform-${stack.region}`,
      logFormat: this.logFormat,
      output,
      key: this.key,
      logRetention: retention,
    });

    const errorLogGroupName = `/aws/kinesisfirehose/${name}`;
    this.errorLogGroup = new logs.LogGroup(this, 'ErrorLogs', {
      logGroupName: errorLogGroupName,
      encryptionKey: this.key,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const errorStream = new logs.LogStream(this, 'ErrorLogStream', {
      logGroup: this.errorLogGroup,
      logStreamName: 'S3Delivery',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.deliveryStreamArn = `arn:${stack.partition}:firehose:${stack.region}:${stack.account}:deliverystream/${name}`;
    if (source instanceof KinesisSource) {
      this.stream = new kinesis.Stream(this, 'Stream', {
        streamName: name,
        encryption: kinesis.StreamEncryption.KMS,
        encryptionKey: this.key,
        ...source.streamProps(),
      });
      acknowledgeNag(
        this.stream,
        ['AwsSolutions-KDS3'],
        'A customer managed key is deliberate: the organization controls and audits its use.',
      );
    }
    this.targetArn = this.stream?.streamArn ?? this.deliveryStreamArn;

    const prefix = normalizePrefix(props.prefix);
    this.firehosePolicy = new iam.ManagedPolicy(this, 'FirehosePolicy', {
      description: 'flowlake: Firehose reads the source, invokes the transform and writes the central bucket',
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteCentralBucket',
          actions: [
            's3:AbortMultipartUpload',
            's3:GetBucketLocation',
            's3:GetObject',
            's3:ListBucket',
            's3:ListBucketMultipartUploads',
            's3:PutObject',
          ],
          resources: [
            props.bucket.bucketArn,
            `${props.bucket.bucketArn}/${prefix}AWSLogs/*`,
            `${props.bucket.bucketArn}/${prefix}flowlake-errors/*`,
          ],
        }),
        bucketKeyStatement(props.bucket, props.bucketKey, stack.region),
        new iam.PolicyStatement({
          sid: 'InvokeTransform',
          actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
          resources: [this.transform.function.functionArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteErrorLogs',
          actions: ['logs:PutLogEvents'],
          resources: [
            `arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:${errorLogGroupName}:log-stream:S3Delivery`,
          ],
        }),
        ...(this.stream
          ? [
              new iam.PolicyStatement({
                sid: 'ReadSourceStream',
                actions: [
                  'kinesis:DescribeStream',
                  'kinesis:DescribeStreamSummary',
                  'kinesis:GetShardIterator',
                  'kinesis:GetRecords',
                  'kinesis:ListShards',
                ],
                resources: [this.stream.streamArn],
              }),
              new iam.PolicyStatement({
                sid: 'DecryptSourceStream',
                actions: ['kms:Decrypt'],
                resources: [this.key.keyArn],
              }),
            ]
          : []),
      ],
    });
    this.firehoseRole = new iam.Role(this, 'FirehoseRole', {
      description: 'flowlake: Firehose stream of the streaming path',
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      managedPolicies: [this.firehosePolicy],
    });

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamName: name,
      deliveryStreamType: this.stream ? 'KinesisStreamAsSource' : 'DirectPut',
      kinesisStreamSourceConfiguration: this.stream
        ? { kinesisStreamArn: this.stream.streamArn, roleArn: this.firehoseRole.roleArn }
        : undefined,
      deliveryStreamEncryptionConfigurationInput: this.stream
        ? undefined
        : { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: this.key.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.firehoseRole.roleArn,
        prefix: streamingDataPrefix(props.prefix),
        errorOutputPrefix: streamingErrorPrefix(props.prefix),
        compressionFormat: 'GZIP',
        fileExtension: output === 'json' ? '.json.gz' : '.log.gz',
        bufferingHints: {
          sizeInMBs: bufferMiB,
          intervalInSeconds: (props.bufferInterval ?? Duration.seconds(300)).toSeconds(),
        },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.bucketKey.keyArn } },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: errorLogGroupName,
          logStreamName: 'S3Delivery',
        },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: this.transform.function.functionArn },
                { parameterName: 'BufferSizeInMBs', parameterValue: String(lambdaMB) },
                { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
              ],
            },
          ],
        },
      },
    });
    this.deliveryStream.node.addDependency(this.firehosePolicy, this.firehoseRole, errorStream);
    this.transform.grantReingest(
      this.stream
        ? { kind: 'kinesis', arn: this.stream.streamArn, key: this.key }
        : { kind: 'firehose', arn: this.deliveryStreamArn },
    );

    // The role CloudWatch Logs assumes (in every Region) to put subscription data into the target.
    this.destinationPolicy = new iam.ManagedPolicy(this, 'DestinationPolicy', {
      description: 'flowlake: CloudWatch Logs destinations put subscription data into the streaming target',
      statements: [
        new iam.PolicyStatement({
          sid: 'PutIntoTarget',
          actions: this.stream
            ? ['kinesis:PutRecord', 'kinesis:PutRecords']
            : ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          resources: [this.targetArn],
        }),
        ...(this.stream
          ? [
              new iam.PolicyStatement({
                sid: 'EncryptStreamRecords',
                actions: ['kms:GenerateDataKey'],
                resources: [this.key.keyArn],
              }),
            ]
          : []),
      ],
    });
    this.destinationRole = new iam.Role(this, 'DestinationRole', {
      roleName: destinationRoleName(this.deliveryStreamName),
      description: 'flowlake: assumed by CloudWatch Logs to deliver member flow logs',
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com', {
        conditions: trustConditions(props, stack.account),
      }),
      managedPolicies: [this.destinationPolicy],
    });
    this.destination = this.addDestination(this, 'Destination');
    this.destination.node.addDependency(this.deliveryStream, this.destinationPolicy, this.destinationRole);
    if (this.stream) this.destination.node.addDependency(this.stream);

    const objectsReason =
      'Firehose names objects at delivery time; writes are limited to the AWSLogs/ and flowlake-errors/ prefixes and exclude deletes.';
    acknowledgeNag(
      this.firehosePolicy,
      [
        iam5Resource(this, `${props.bucket.bucketArn}/${prefix}AWSLogs/*`),
        iam5Resource(this, `${props.bucket.bucketArn}/${prefix}flowlake-errors/*`),
      ],
      objectsReason,
    );
    if (this.stream) {
      acknowledgeNag(
        this.deliveryStream,
        ['AwsSolutions-KDF1'],
        'With a Kinesis source, Firehose SSE does not apply; the source stream is encrypted with the customer managed key.',
      );
    }
  }

  /**
   * Adds a CloudWatch Logs destination forwarding to this path's target. Call it with a scope in another Region's
   * stack for members there (log groups subscribe only to destinations in their own Region).
   */
  addDestination(scope: Construct, id: string, destinationName?: string): CentralLogDestination {
    const stack = Stack.of(this);
    return new CentralLogDestination(scope, id, {
      targetArn: this.targetArn,
      roleArn: `arn:${stack.partition}:iam::${stack.account}:role/${destinationRoleName(this.deliveryStreamName)}`,
      senders: this.senders,
      destinationName: destinationName ?? this.deliveryStreamName,
    });
  }
}

/** Confused-deputy conditions on the destination role's trust: senders' log ARNs, or the organization. */
function trustConditions(
  props: StreamingDeliveryProps,
  central: string,
): Record<string, Record<string, unknown>> {
  const accounts = props.senders.organizationId ? [] : [...new Set(props.senders.accounts ?? [])].sort();
  if (accounts.length > 40) {
    throw new Error(
      `${accounts.length} listed accounts exceed what the destination role's trust policy can name (40); ` +
        'set organizationId instead of listing accounts.',
    );
  }
  const sourceArns = props.senders.organizationId
    ? [`arn:${Aws.PARTITION}:logs:*:*:*`]
    : [...accounts, central].map((a) => `arn:${Aws.PARTITION}:logs:*:${a}:*`);
  const conditions: Record<string, Record<string, unknown>> = { StringLike: { 'aws:SourceArn': sourceArns } };
  if (props.roleTrustSourceOrgId && props.senders.organizationId) {
    conditions.StringEquals = { 'aws:SourceOrgID': props.senders.organizationId };
  }
  return conditions;
}
