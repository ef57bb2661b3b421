import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleHandler } from '../internal/bundle.js';
import { acknowledgeNag, iam5Resource } from '../internal/nag.js';

let bundleDir: string | undefined;

/**
 * Bundles `handlers/firehose-transform.ts` (with `@flowlake/flowlogs` and Powertools; the AWS SDK v3 comes with
 * the Lambda runtime) into a content-addressed directory once per process, for `Code.fromAsset`. esbuild runs
 * locally at synth time: no Docker.
 */
export function transformBundleDir(): string {
  if (bundleDir) return bundleDir;
  const code = bundleHandler({
    file: fileURLToPath(new URL('../handlers/firehose-transform.ts', import.meta.url)),
  });
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'flowlake-assets', `firehose-transform-${hash}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), code);
  bundleDir = dir;
  return dir;
}

/** Properties of {@link FlowLogTransformFunction}. */
export interface FlowLogTransformFunctionProps {
  /** Function name (its log group is `/aws/lambda/<name>`). @default 'flowlake-flowlogs-transform-<region>' */
  readonly functionName?: string;
  /** Flow log format string of the records in the payloads. */
  readonly logFormat: string;
  /** `json` (newline-delimited JSON) or `lines` (the original lines). @default 'json' */
  readonly output?: 'json' | 'lines';
  /** KMS key for the function's log group. */
  readonly key: kms.IKey;
  /** Days the function's logs are kept. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** Memory in MB. @default 1024 */
  readonly memorySize?: number;
  /** Re-ingestions per payload before it goes to the error prefix. @default 3 */
  readonly maxReingestAttempts?: number;
}

/**
 * The Firehose transform Lambda (Node.js 24, bundled with esbuild): see `handlers/firehose-transform.ts`. Its role
 * may only write its own logs; {@link grantReingest} adds the re-ingestion target.
 */
export class FlowLogTransformFunction extends Construct {
  /** The function (construct id `Resource`). */
  public readonly function: lambda.Function;
  /** The execution role. */
  public readonly role: iam.Role;
  /** The role's managed policy. */
  public readonly policy: iam.ManagedPolicy;
  /** The function's KMS-encrypted log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FlowLogTransformFunctionProps) {
    super(scope, id);
    const functionName = props.functionName ?? `flowlake-flowlogs-transform-${Aws.REGION}`;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      encryptionKey: props.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'flowlake: the Firehose transform writes its own logs and re-ingests overflow',
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${this.logGroup.logGroupArn}:*`],
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      description: 'flowlake: Firehose transform Lambda',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [this.policy],
    });
    this.function = new lambda.Function(this, 'Resource', {
      functionName,
      description: 'flowlake: CloudWatch Logs flow-log payloads -> NDJSON/lines with partition keys',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(transformBundleDir()),
      memorySize: props.memorySize ?? 1024,
      timeout: Duration.minutes(5),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        FLOWLAKE_FORMAT: props.logFormat,
        FLOWLAKE_OUTPUT: props.output ?? 'json',
        FLOWLAKE_MAX_REINGEST: String(props.maxReingestAttempts ?? 3),
        POWERTOOLS_METRICS_NAMESPACE: 'flowlake',
        POWERTOOLS_SERVICE_NAME: 'flowlake-transform',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.function.node.addDependency(this.policy);
    acknowledgeNag(
      this,
      [iam5Resource(this, `${this.logGroup.logGroupArn}:*`)],
      'Lambda creates its log streams at run time; the statement is limited to its own log group.',
    );
    acknowledgeNag(
      this,
      ['LambdaInsideVPC'],
      'The transform only calls the public Firehose/Kinesis APIs and needs no VPC resources; a VPC would add NAT or endpoints with no benefit.',
    );
    acknowledgeNag(
      this,
      ['LambdaConcurrency'],
      'Firehose bounds invocations per stream/shard; reserved concurrency would fail to deploy in accounts with a low concurrency quota.',
    );
    acknowledgeNag(
      this,
      ['LambdaDLQ'],
      'Firehose invokes the transform synchronously and sends failed records to the error prefix; a DLQ would never receive anything.',
    );
  }

  /**
   * Turns on the OpenSearch fan-out: the function puts one document per flow record into this Direct PUT stream
   * (PutRecordBatch on that stream only). See `handlers/opensearch-fanout.ts`.
   */
  enableOpenSearchFanOut(target: {
    deliveryStreamName: string;
    deliveryStreamArn: string;
    region: string;
  }): void {
    this.function.addEnvironment('OPENSEARCH_DELIVERY_STREAM', target.deliveryStreamName);
    this.function.addEnvironment('OPENSEARCH_DELIVERY_STREAM_REGION', target.region);
    this.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'FanOutToOpenSearch',
        actions: ['firehose:PutRecordBatch'],
        resources: [target.deliveryStreamArn],
      }),
    );
  }

  /** Lets the function put re-ingested payloads into the Firehose stream or the source Kinesis stream. */
  grantReingest(target: { kind: 'firehose' | 'kinesis'; arn: string; key?: kms.IKey }): void {
    this.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ReingestOverflow',
        actions: target.kind === 'firehose' ? ['firehose:PutRecordBatch'] : ['kinesis:PutRecords'],
        resources: [target.arn],
      }),
    );
    if (target.key) {
      this.policy.addStatements(
        new iam.PolicyStatement({
          sid: 'EncryptReingestedRecords',
          actions: ['kms:GenerateDataKey'],
          resources: [target.key.keyArn],
        }),
      );
    }
  }
}
