import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag, iam5Resource } from '../internal/nag.js';
import { normalizePrefix } from '../internal/names.js';
import { bucketKeyStatement } from './bucket-key-statement.js';
import { logGroupKey } from './log-group-key.js';
import { OpenSearchNetwork, type OpenSearchVpcAttributes } from './opensearch-network.js';
import type { FlowLogTransformFunction } from './transform-function.js';

/** How often Firehose starts a new index (`<index>-<date>`). */
export type IndexRotation = 'NoRotation' | 'OneHour' | 'OneDay' | 'OneWeek' | 'OneMonth';

/** S3 folder (under the central prefix) of documents OpenSearch rejected. */
export const OPENSEARCH_FAILED_FOLDER = 'flowlake-errors/opensearch/';

/** Properties of {@link OpenSearchDelivery}. */
export interface OpenSearchDeliveryProps {
  /** The central bucket (failed documents are backed up there). */
  readonly bucket: s3.IBucket;
  /** The bucket's KMS key. */
  readonly bucketKey: kms.IKey;
  /** Folder before `flowlake-errors/` in the bucket; must match the central archive's. @default - none */
  readonly prefix?: string;
  /** Data node instance type. @default 'r6g.large.search' */
  readonly instanceType?: string;
  /** Data nodes; 2 or more turns on zone awareness over 2 AZs (then an even number). @default 2 */
  readonly instanceCount?: number;
  /** EBS gp3 volume per data node in GiB. @default 100 */
  readonly volumeGb?: number;
  /** Dedicated master nodes: 0, 3 or 5. @default 0 */
  readonly dedicatedMasterCount?: 0 | 3 | 5;
  /** Dedicated master instance type. @default - the data node instance type */
  readonly masterInstanceType?: string;
  /** Existing VPC, subnets and security groups. @default - a new isolated VPC with 2 AZs and no NAT */
  readonly vpc?: OpenSearchVpcAttributes;
  /**
   * IAM principal ARN of the fine-grained access control master user (it maps the Firehose role after deploy).
   * @default - a new IAM role `AdminRole` that principals of this account may assume (when their own IAM policies
   *   allow `sts:AssumeRole` on it), so the domain is administrable with signed requests only
   */
  readonly masterUserArn?: string;
  /** Index name (Firehose appends the rotation date). @default 'flowlogs' */
  readonly indexName?: string;
  /** Index rotation. @default 'OneDay' */
  readonly indexRotation?: IndexRotation;
  /** Engine version. @default opensearch.EngineVersion.OPENSEARCH_3_7 */
  readonly engineVersion?: opensearch.EngineVersion;
  /** Domain name (3-28 of a-z 0-9 -). @default 'flowlake-flowlogs' */
  readonly domainName?: string;
  /** Name of the Direct PUT Firehose stream. @default 'flowlake-opensearch' */
  readonly deliveryStreamName?: string;
  /** Firehose buffer before indexing. @default Duration.seconds(60) and 5 MiB */
  readonly bufferInterval?: Duration;
  readonly bufferSizeMiB?: number;
  /** How long Firehose retries OpenSearch before backing the documents up to S3. @default Duration.seconds(300) */
  readonly retryDuration?: Duration;
  /** Days the domain, Firehose and VPC flow logs are kept. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the domain when it leaves the stack. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A private OpenSearch Service domain and the Direct PUT Firehose stream that indexes one document per flow record
 * into it (the transform Lambdas fan the documents out: {@link connect}). The domain: in a VPC (existing subnets or
 * a new isolated VPC), fine-grained access control, encryption at rest with a customer managed key, node-to-node
 * encryption, HTTPS only (TLS 1.2 with PFS), zone awareness with 2+ nodes, slow and application logs to a
 * KMS-encrypted log group, and an access policy naming only the Firehose role and the master principal. The
 * stream: KMS SSE, VPC delivery, index rotation, retries, error logging, and `FailedDocumentsOnly` backup to
 * `flowlake-errors/opensearch/` in the central bucket.
 *
 * After deploy, map the Firehose role to a backend role with write access to the index pattern (docs/streaming.md).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc
 */
export class OpenSearchDelivery extends Construct {
  /** The domain. */
  public readonly domain: opensearch.Domain;
  /** The Firehose stream (construct id `Resource`). */
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  public readonly deliveryStreamName: string;
  public readonly deliveryStreamArn: string;
  /** The Firehose role (map it in OpenSearch after deploy). */
  public readonly firehoseRole: iam.Role;
  public readonly firehosePolicy: iam.ManagedPolicy;
  /** Key of the domain, the stream and the log groups. */
  public readonly key: kms.Key;
  public readonly network: OpenSearchNetwork;
  /** The generated master role (without `masterUserArn`). */
  public readonly adminRole?: iam.Role;
  /** ARN of the fine-grained access control master (`masterUserArn` or the generated admin role). */
  public readonly masterUserArn: string;
  public readonly indexName: string;

  constructor(scope: Construct, id: string, props: OpenSearchDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = props.deliveryStreamName ?? 'flowlake-opensearch';
    this.deliveryStreamName = name;
    this.indexName = props.indexName ?? 'flowlogs';
    const instanceCount = props.instanceCount ?? 2;
    const masters = props.dedicatedMasterCount ?? 0;
    const zoneAware = instanceCount >= 2;
    if (zoneAware && instanceCount % 2 !== 0) {
      throw new Error(
        `instanceCount ${instanceCount} cannot spread evenly over 2 Availability Zones; use an even number (or 1).`,
      );
    }
    const domainName = props.domainName ?? 'flowlake-flowlogs';
    if (!/^[a-z][a-z0-9-]{2,27}$/.test(domainName)) {
      throw new Error(`domainName '${domainName}' must be 3-28 of a-z 0-9 -, starting with a letter.`);
    }
    if (props.masterUserArn) {
      this.masterUserArn = props.masterUserArn;
    } else {
      // An IAM master (never an internal user: its basic-auth requests are unsigned, and the access policy admits
      // IAM principals only). The role holds no permissions; the domain's access policy names it.
      this.adminRole = new iam.Role(this, 'AdminRole', {
        assumedBy: new iam.AccountRootPrincipal(),
        description:
          'Fine-grained access control master of the flowlake OpenSearch domain: assume it to map the Firehose role (docs/streaming.md)',
        maxSessionDuration: Duration.hours(1),
      });
      this.masterUserArn = this.adminRole.roleArn;
    }
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const partition = Aws.PARTITION;

    this.key = logGroupKey(
      this,
      'Key',
      'flowlake: OpenSearch domain, its Firehose stream and log groups',
      '*',
    );
    this.network = new OpenSearchNetwork(this, 'Network', {
      key: this.key,
      logRetention: retention,
      ...(props.vpc ? { vpc: props.vpc } : {}),
    });
    const subnets = zoneAware ? this.network.subnets.slice(0, 2) : this.network.subnets.slice(0, 1);
    if (zoneAware && subnets.length < 2) {
      throw new Error('instanceCount >= 2 uses zone awareness over 2 AZs: list 2 subnets in different AZs.');
    }

    // The Firehose role has a fixed name so the domain's access policy can name it without a reference cycle.
    const roleName = `${name}-firehose-${stack.region}`;
    const roleArn = `arn:${partition}:iam::${stack.account}:role/${roleName}`;
    this.firehoseRole = new iam.Role(this, 'FirehoseRole', {
      roleName,
      description: 'flowlake: Firehose stream indexing flow records into the OpenSearch domain',
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });

    const domainLogs = new logs.LogGroup(this, 'DomainLogs', {
      logGroupName: `/aws/opensearch/${name}`,
      encryptionKey: this.key,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logPolicy = new logs.CfnResourcePolicy(this, 'DomainLogsPolicy', {
      policyName: `${name}-domain-logs`,
      policyDocument: JSON.stringify(
        stack.resolve(
          new iam.PolicyDocument({
            statements: [
              new iam.PolicyStatement({
                sid: 'OpenSearchWritesDomainLogs',
                principals: [new iam.ServicePrincipal('es.amazonaws.com')],
                actions: ['logs:PutLogEvents', 'logs:CreateLogStream'],
                resources: [`${domainLogs.logGroupArn}:*`],
                conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
              }),
            ],
          }).toJSON(),
        ),
      ),
    });

    this.domain = new opensearch.Domain(this, 'Domain', {
      domainName,
      version: props.engineVersion ?? opensearch.EngineVersion.OPENSEARCH_3_7,
      capacity: {
        dataNodes: instanceCount,
        dataNodeInstanceType: props.instanceType ?? 'r6g.large.search',
        ...(masters > 0
          ? {
              masterNodes: masters,
              masterNodeInstanceType: props.masterInstanceType ?? props.instanceType ?? 'r6g.large.search',
            }
          : {}),
      },
      ebs: { volumeSize: props.volumeGb ?? 100, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      zoneAwareness: zoneAware ? { enabled: true, availabilityZoneCount: 2 } : { enabled: false },
      vpc: this.network.vpc,
      vpcSubnets: [{ subnets }],
      securityGroups: this.network.domainSecurityGroups,
      encryptionAtRest: { enabled: true, kmsKey: this.key },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
      fineGrainedAccessControl: { masterUserArn: this.masterUserArn },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: domainLogs,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: domainLogs,
        appLogEnabled: true,
        appLogGroup: domainLogs,
      },
      suppressLogsResourcePolicy: true,
      enableAutoSoftwareUpdate: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.domain.node.addDependency(logPolicy, this.firehoseRole);
    const cfnDomain = this.domain.node.defaultChild as opensearch.CfnDomain;
    // The access policy on the L1 (the L2's accessPolicies would add a custom-resource Lambda): the Firehose role
    // and the master principal only; fine-grained access control authorizes each request inside the domain.
    const principals = [roleArn, this.masterUserArn];
    cfnDomain.accessPolicies = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FirehoseAndMaster',
          Effect: 'Allow',
          Principal: { AWS: principals },
          Action: 'es:ESHttp*',
          Resource: `arn:${partition}:es:${stack.region}:${stack.account}:domain/${domainName}/*`,
        },
      ],
    };

    const firehoseLogs = new logs.LogGroup(this, 'FirehoseLogs', {
      logGroupName: `/aws/kinesisfirehose/${name}`,
      encryptionKey: this.key,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const streams = ['DestinationDelivery', 'BackupDelivery'].map(
      (s) => new logs.LogStream(this, `${s}LogStream`, { logGroup: firehoseLogs, logStreamName: s }),
    );

    const prefix = normalizePrefix(props.prefix);
    const failed = `${props.bucket.bucketArn}/${prefix}${OPENSEARCH_FAILED_FOLDER}*`;
    const domainArn = this.domain.domainArn;
    const index = this.indexName;
    this.firehosePolicy = new iam.ManagedPolicy(this, 'FirehosePolicy', {
      description:
        'flowlake: Firehose indexes into the OpenSearch domain and backs failed documents up to S3',
      roles: [this.firehoseRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeDomain',
          actions: ['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig'],
          resources: [domainArn],
        }),
        new iam.PolicyStatement({
          sid: 'IndexDocuments',
          actions: ['es:ESHttpPost', 'es:ESHttpPut'],
          resources: [domainArn, `${domainArn}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'ReadClusterState',
          actions: ['es:ESHttpGet'],
          resources: [
            '_all/_settings',
            '_cluster/stats',
            `${index}*/_mapping/*`,
            '_nodes',
            '_nodes/stats',
            '_nodes/*/stats',
            '_stats',
            `${index}*/_stats`,
            '',
          ].map((p) => `${domainArn}/${p}`),
        }),
        new iam.PolicyStatement({
          sid: 'BackUpFailedDocuments',
          actions: [
            's3:AbortMultipartUpload',
            's3:GetBucketLocation',
            's3:GetObject',
            's3:ListBucket',
            's3:ListBucketMultipartUploads',
            's3:PutObject',
          ],
          resources: [props.bucket.bucketArn, failed],
        }),
        bucketKeyStatement(props.bucket, props.bucketKey, stack.region),
        new iam.PolicyStatement({
          sid: 'WriteErrorLogs',
          actions: ['logs:PutLogEvents'],
          resources: streams.map(
            (s) =>
              `arn:${partition}:logs:${stack.region}:${stack.account}:log-group:/aws/kinesisfirehose/${name}:log-stream:${s.logStreamName}`,
          ),
        }),
        new iam.PolicyStatement({
          sid: 'VpcDeliveryEnis',
          actions: [
            'ec2:DescribeVpcs',
            'ec2:DescribeVpcAttribute',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeNetworkInterfaces',
            'ec2:CreateNetworkInterface',
            'ec2:CreateNetworkInterfacePermission',
            'ec2:DeleteNetworkInterface',
          ],
          resources: ['*'],
        }),
      ],
    });

    this.deliveryStreamArn = `arn:${stack.partition}:firehose:${stack.region}:${stack.account}:deliverystream/${name}`;
    const interval = (props.bufferInterval ?? Duration.seconds(60)).toSeconds();
    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamName: name,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: {
        keyType: 'CUSTOMER_MANAGED_CMK',
        keyArn: this.key.keyArn,
      },
      amazonopensearchserviceDestinationConfiguration: {
        domainArn,
        indexName: index,
        indexRotationPeriod: props.indexRotation ?? 'OneDay',
        roleArn: this.firehoseRole.roleArn,
        bufferingHints: { intervalInSeconds: interval, sizeInMBs: props.bufferSizeMiB ?? 5 },
        retryOptions: { durationInSeconds: (props.retryDuration ?? Duration.seconds(300)).toSeconds() },
        documentIdOptions: { defaultDocumentIdFormat: 'FIREHOSE_DEFAULT' },
        s3BackupMode: 'FailedDocumentsOnly',
        s3Configuration: {
          bucketArn: props.bucket.bucketArn,
          roleArn: this.firehoseRole.roleArn,
          prefix: `${prefix}${OPENSEARCH_FAILED_FOLDER}year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`,
          errorOutputPrefix: `${prefix}${OPENSEARCH_FAILED_FOLDER}!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`,
          compressionFormat: 'GZIP',
          bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
          encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.bucketKey.keyArn } },
          cloudWatchLoggingOptions: {
            enabled: true,
            logGroupName: firehoseLogs.logGroupName,
            logStreamName: 'BackupDelivery',
          },
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: firehoseLogs.logGroupName,
          logStreamName: 'DestinationDelivery',
        },
        vpcConfiguration: {
          roleArn: this.firehoseRole.roleArn,
          subnetIds: subnets.map((s) => s.subnetId),
          securityGroupIds: this.network.deliverySecurityGroups.map((g) => g.securityGroupId),
        },
      },
    });
    this.deliveryStream.node.addDependency(this.firehosePolicy, this.domain, ...streams);

    acknowledgeNag(
      this.firehosePolicy,
      [
        iam5Resource(this, `${domainArn}/*`),
        iam5Resource(this, `${domainArn}/${index}*/_mapping/*`),
        iam5Resource(this, `${domainArn}/_nodes/*/stats`),
        iam5Resource(this, `${domainArn}/${index}*/_stats`),
        iam5Resource(this, failed),
        'AwsSolutions-IAM5[Resource::*]',
      ],
      'Firehose indexes into daily indexes it names at delivery time and writes failed documents under one prefix; ' +
        'the ENI actions are the ones AWS documents for VPC delivery and take no resource scoping at creation.',
    );
    acknowledgeNag(
      this.domain,
      ['AwsSolutions-OS3'],
      'The domain is reachable only inside its VPC; access is by IAM principal (the Firehose role and the master) and fine-grained access control, not by IP allowlist.',
    );
    if (masters === 0) {
      acknowledgeNag(
        this.domain,
        ['AwsSolutions-OS4'],
        'Dedicated master nodes are a sizing choice (streaming.opensearch.dedicatedMasterCount: 3 or 5); small log-search domains run without them.',
      );
    }
    if (!zoneAware) {
      acknowledgeNag(
        this.domain,
        ['AwsSolutions-OS7'],
        'A single data node was configured (streaming.opensearch.instanceCount: 1); zone awareness needs 2 or more. S3 keeps the archive.',
      );
    }
  }

  /**
   * Lets a transform Lambda fan documents out to this stream: sets `OPENSEARCH_DELIVERY_STREAM` (and its Region)
   * and allows PutRecordBatch on this stream only.
   */
  connect(transform: FlowLogTransformFunction): void {
    transform.enableOpenSearchFanOut({
      deliveryStreamName: this.deliveryStreamName,
      deliveryStreamArn: this.deliveryStreamArn,
      region: Stack.of(this).region,
    });
  }
}
