import { ALL_VPC_FIELDS_V2_V8 } from '@flowlake/flowlogs';
import {
  Aws,
  aws_athena as athena,
  Duration,
  aws_glue as glue,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { STREAM_SERVICE_SEGMENT } from '../streaming/streaming-delivery.js';
import { QUERY_CATALOG, renderNamedQuery } from './queries/index.js';
import {
  dataColumns,
  type FlowTableSource,
  locationTemplate,
  partitionColumns,
  projectionParameters,
  storageFormat,
} from './tables.js';

/** Options shared by every table kind. */
export interface AnalyticsTableOptions {
  /** Glue table name. @default `flows` (Parquet), `flows_text` (text), `flows_streaming` (streaming JSON) */
  readonly name?: string;
  /**
   * Record fields (hyphenated names). For text tables this must be the flow log's format, in order.
   * @default every VPC field of versions 2-8 (flowlake's default format)
   */
  readonly fields?: readonly string[];
}

/** Options of direct-delivery tables. */
export interface DirectTableOptions extends AnalyticsTableOptions {
  /** Hive-compatible S3 prefixes. @default true for Parquet, false for text */
  readonly hive?: boolean;
  /** Hourly partitions. @default true for Parquet, false for text */
  readonly perHour?: boolean;
}

/** Options of the streaming-path table. */
export interface StreamingTableOptions extends AnalyticsTableOptions {
  /** Folder before `AWSLogs/` where the streaming path writes. @default - the catalog's prefix */
  readonly prefix?: string;
}

/** One table of the catalog: which objects it reads. Create with the static factories. */
export class AnalyticsTable {
  /** Parquet files from direct delivery (`DestinationOptions.FileFormat = parquet`). Default: Hive + per hour. */
  static parquet(options: DirectTableOptions = {}): AnalyticsTable {
    return new AnalyticsTable(
      options.name ?? 'flows',
      'parquet',
      options.hive ?? true,
      options.perHour ?? true,
      options,
    );
  }

  /** Gzip text files from direct delivery (space-delimited, header line). Default: AWS's default layout. */
  static text(options: DirectTableOptions = {}): AnalyticsTable {
    return new AnalyticsTable(
      options.name ?? 'flows_text',
      'text',
      options.hive ?? false,
      options.perHour ?? false,
      options,
    );
  }

  /**
   * Newline-delimited JSON (gzip, hyphenated field names as keys) written by the streaming path under
   * `AWSLogs/aws-account-id=<acct>/vpcflowlogs-stream/aws-region=<region>/year=/month=/day=/hour=/`.
   */
  static streamingJson(options: StreamingTableOptions = {}): AnalyticsTable {
    return new AnalyticsTable(options.name ?? 'flows_streaming', 'json', true, true, options, options.prefix);
  }

  /** Record fields. */
  readonly fields: readonly string[];

  private constructor(
    /** Glue table name. */
    readonly name: string,
    /** File format read. */
    readonly format: FlowTableSource['format'],
    /** Hive-compatible prefixes. */
    readonly hive: boolean,
    /** Hourly partitions. */
    readonly perHour: boolean,
    options: AnalyticsTableOptions,
    /** Folder of the streaming path; undefined for direct delivery (uses the catalog's prefix). */
    readonly prefix?: string,
  ) {
    if (!/^[a-z][a-z0-9_]{0,254}$/.test(name)) {
      throw new Error(
        `table name '${name}': use lowercase letters, digits and underscores (Athena table names).`,
      );
    }
    this.fields = options.fields ?? ALL_VPC_FIELDS_V2_V8;
    if (this.fields.length === 0) throw new Error(`table '${name}': fields must name at least one field.`);
  }
}

/** Properties of {@link AnalyticsCatalog}. */
export interface AnalyticsCatalogProps {
  /** The central flow-log bucket the tables read. */
  readonly bucket: s3.IBucket;
  /** The customer managed key of the flow-log bucket; readers get kms:Decrypt on it. @default - none */
  readonly bucketKey?: kms.IKey;
  /** Folder before `AWSLogs/` in the bucket. @default '' */
  readonly prefix?: string;
  /** Regions that deliver flow logs: the `aws_region` enum projection. */
  readonly regions: readonly string[];
  /** Tables to create. @default [AnalyticsTable.parquet()] (Parquet, Hive-compatible, hourly partitions) */
  readonly tables?: readonly AnalyticsTable[];
  /** Glue database name. @default 'flowlake' */
  readonly databaseName?: string;
  /** Athena workgroup name. @default 'flowlake' */
  readonly workGroupName?: string;
  /**
   * Per-query limit of bytes scanned; Athena cancels a query that scans more. At least 10 MB.
   * @default 100 GiB
   * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /** How long query results are kept. @default Duration.days(30) */
  readonly resultsExpiration?: Duration;
  /** Save the query catalog as Athena named queries in the workgroup. @default true */
  readonly namedQueries?: boolean;
  /** First and last year the year projection covers. @default [2020, 2099] */
  readonly years?: readonly number[];
  /** Bucket that receives the results bucket's server access logs. @default - a new bucket */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** Removal policy of the results bucket, its key and the workgroup. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Smallest per-query scan limit Athena accepts. */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
const DEFAULT_CUTOFF = 100 * 1024 ** 3;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Athena over the central flow-log bucket with no crawlers and no partition maintenance: a Glue database with one
 * table per layout (partition projection; the account partition is `injected`, so new accounts are queryable
 * without any table change), an Athena workgroup with enforced settings, a per-query scan limit and KMS-encrypted
 * results in their own bucket, and the flowlake query catalog as named queries.
 *
 * The primary child (`Resource`) is the Glue database.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */
export class AnalyticsCatalog extends Construct {
  /** The Glue database. */
  public readonly database: glue.CfnDatabase;
  /** The Glue database name. */
  public readonly databaseName: string;
  /** Tables by name. */
  public readonly tables: ReadonlyMap<string, glue.CfnTable>;
  /** The Athena workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The workgroup name. */
  public readonly workGroupName: string;
  /** Query results bucket. */
  public readonly resultsBucket: s3.Bucket;
  /** The key that encrypts query results. */
  public readonly resultsKey: kms.Key;
  /** Named queries by catalog name. */
  public readonly namedQueries: ReadonlyMap<string, athena.CfnNamedQuery>;

  private readonly props: AnalyticsCatalogProps;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: AnalyticsCatalogProps) {
    super(scope, id);
    this.props = props;
    if (props.regions.length === 0)
      throw new Error('regions: give at least one region that delivers flow logs.');
    for (const r of props.regions) {
      if (!REGION_RE.test(r)) throw new Error(`regions: '${r}' is not a region name; use e.g. 'eu-west-1'.`);
    }
    const cutoff = props.bytesScannedCutoffPerQuery ?? DEFAULT_CUTOFF;
    if (!Number.isInteger(cutoff) || cutoff < MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(
        `bytesScannedCutoffPerQuery: ${cutoff} is below Athena's minimum; use at least ${MIN_BYTES_SCANNED_CUTOFF} (10 MB).`,
      );
    }
    const years = props.years ?? [2020, 2099];
    if (years.length !== 2 || !(years[0] <= years[1])) {
      throw new Error(`years: expected [first, last], got [${years.join(', ')}].`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const p = (props.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = p === '' ? '' : `${p}/`;
    this.databaseName = props.databaseName ?? 'flowlake';
    this.workGroupName = props.workGroupName ?? 'flowlake';

    this.database = new glue.CfnDatabase(this, 'Resource', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description: 'flowlake: centralized VPC Flow Logs (partition projection, no crawlers)',
      },
    });

    const tables = new Map<string, glue.CfnTable>();
    for (const t of props.tables ?? [AnalyticsTable.parquet()]) {
      if (tables.has(t.name)) throw new Error(`tables: two tables are named '${t.name}'; give one a name.`);
      tables.set(t.name, this.createTable(t, years as [number, number]));
    }
    this.tables = tables;

    this.resultsKey = new kms.Key(this, 'ResultsKey', {
      description: 'flowlake: encrypts Athena query results',
      enableKeyRotation: true,
      removalPolicy,
    });
    const accessLogs = props.serverAccessLogsBucket ?? this.createAccessLogsBucket(removalPolicy);
    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.resultsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: props.resultsExpiration ?? Duration.days(30),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });

    logAccessTo(this.resultsBucket, accessLogs, 'athena-results/');
    acknowledgeNoReplication(this.resultsBucket);

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'flowlake: queries over centralized VPC Flow Logs',
      state: 'ENABLED',
      recursiveDeleteOption: removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          expectedBucketOwner: Aws.ACCOUNT_ID,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.resultsKey.keyArn },
        },
      },
    });
    this.workGroup.applyRemovalPolicy(removalPolicy);

    const named = new Map<string, athena.CfnNamedQuery>();
    const primary = [...tables.keys()][0];
    if ((props.namedQueries ?? true) && primary !== undefined) {
      for (const q of QUERY_CATALOG) {
        const { sql, parameters } = renderNamedQuery(q, `"${this.databaseName}"."${primary}"`);
        const query = new athena.CfnNamedQuery(this, `Query-${q.name}`, {
          name: `flowlake-${q.name}`,
          database: this.databaseName,
          workGroup: this.workGroup.ref,
          description: `${q.title}. Parameters: ${parameters.join(', ')}.`.slice(0, 1024),
          queryString: `-- ${q.title}\n-- ${q.purpose}\n${sql}\n`,
        });
        query.addResourceDependency(this.database);
        named.set(q.name, query);
      }
    }
    this.namedQueries = named;
  }

  /** Location template and table input for one table. */
  private createTable(t: AnalyticsTable, years: [number, number]): glue.CfnTable {
    const prefix = t.prefix === undefined ? this.prefix : `${t.prefix.replace(/^\/+|\/+$/g, '')}/`;
    const source = {
      hive: t.hive,
      perHour: t.perHour,
      prefix,
      service: t.format === 'json' ? STREAM_SERVICE_SEGMENT : undefined,
    };
    const storage = storageFormat(t.format, t.fields);
    const bucket = this.props.bucket.bucketName;
    const table = new glue.CfnTable(this, `Table-${t.name}`, {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: t.name,
        description: `VPC flow logs, ${t.format}, ${t.hive ? 'Hive-compatible' : 'AWS default'} prefixes${t.perHour ? ', hourly partitions' : ''}`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          EXTERNAL: 'TRUE',
          classification: storage.classification,
          ...storage.tableParameters,
          ...projectionParameters(source, this.props.regions, years),
          'storage.location.template': `s3://${bucket}/${locationTemplate(source)}`,
        },
        partitionKeys: partitionColumns(t.perHour),
        storageDescriptor: {
          columns: dataColumns(t.fields),
          location: `s3://${bucket}/${prefix}AWSLogs/`,
          inputFormat: storage.inputFormat,
          outputFormat: storage.outputFormat,
          compressed: t.format !== 'parquet',
          serdeInfo: storage.serdeInfo,
        },
      },
    });
    table.addResourceDependency(this.database);
    return table;
  }

  private createAccessLogsBucket(removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy,
    });
    acknowledgeNoReplication(bucket);
    for (const id of [
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'PCI.DSS.321-S3DefaultEncryptionKMS',
    ]) {
      Validations.of(bucket).acknowledge({
        id,
        reason: 'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3, not SSE-KMS.',
      });
    }
    return bucket;
  }

  /**
   * Lets a principal run the catalog's queries: Athena in this workgroup only, read the Glue database and tables,
   * read flow-log objects under `AWSLogs/`, decrypt them, and read/write query results.
   */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const wgArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workGroupName,
    });
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetWorkGroup',
        'athena:ListNamedQueries',
        'athena:GetNamedQuery',
        'athena:BatchGetNamedQuery',
      ],
      resourceArns: [wgArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:GetPartition',
        'glue:GetPartitions',
      ],
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/*` }),
      ],
    });
    for (const p of new Set(this.tablePrefixes())) this.props.bucket.grantRead(grantee, `${p}AWSLogs/*`);
    this.props.bucketKey?.grantDecrypt(grantee);
    this.resultsBucket.grantReadWrite(grantee);
    return grant;
  }

  private *tablePrefixes(): Iterable<string> {
    yield this.prefix;
    for (const t of this.props.tables ?? []) {
      if (t.prefix !== undefined) yield `${t.prefix.replace(/^\/+|\/+$/g, '')}/`;
    }
  }
}

/**
 * Server access logs delivered through a bucket policy for `logging.s3.amazonaws.com` (scoped to the source bucket
 * and account) rather than the legacy ACL, so the target keeps ACLs disabled.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
function logAccessTo(source: s3.Bucket, target: s3.IBucket, logPrefix: string): void {
  const cfn = source.node.defaultChild as s3.CfnBucket;
  cfn.loggingConfiguration = { destinationBucketName: target.bucketName, logFilePrefix: logPrefix };
  target.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'S3ServerAccessLogs',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${logPrefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': source.bucketArn },
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      },
    }),
  );
}

/** Query results (and their access logs) are reproducible from the flow-log archive, so they are not replicated. */
function acknowledgeNoReplication(bucket: s3.Bucket): void {
  for (const id of [
    'HIPAA.Security-S3BucketReplicationEnabled',
    'NIST.800.53.R5-S3BucketReplicationEnabled',
    'PCI.DSS.321-S3BucketReplicationEnabled',
  ]) {
    Validations.of(bucket).acknowledge({
      id,
      reason:
        'Athena query results and their access logs can be recomputed from the replicated flow-log archive.',
    });
  }
}
