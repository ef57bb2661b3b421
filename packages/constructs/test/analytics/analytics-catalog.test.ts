/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: Athena projection placeholders are ${...} */
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AnalyticsCatalog, AnalyticsTable, QUERY_CATALOG } from '../../src/index.js';
import { getTestStack } from '../helpers.js';

function build(props: Partial<ConstructorParameters<typeof AnalyticsCatalog>[2]> = {}) {
  const stack = getTestStack();
  const bucket = s3.Bucket.fromBucketName(stack, 'Flows', 'flowlake-flowlogs-999999999999-eu-west-1');
  const bucketKey = kms.Key.fromKeyArn(stack, 'FlowsKey', 'arn:aws:kms:eu-west-1:999999999999:key/1234');
  const catalog = new AnalyticsCatalog(stack, 'Analytics', {
    bucket,
    bucketKey,
    regions: ['eu-west-1', 'us-east-1'],
    ...props,
  });
  return {
    stack,
    catalog,
    get template() {
      return Template.fromStack(stack);
    },
  };
}

function tableParams(template: Template, name: string): Record<string, unknown> {
  const tables = template.findResources('AWS::Glue::Table', {
    Properties: { TableInput: { Name: name } },
  });
  const [t] = Object.values(tables);
  return t.Properties.TableInput.Parameters;
}

describe('AnalyticsCatalog', () => {
  it('creates a Parquet table with partition projection and an injected account (no account list)', () => {
    const { template } = build();
    template.resourceCountIs('AWS::Glue::Crawler', 0);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'flowlake' } });
    const params = tableParams(template, 'flows');
    expect(params).toMatchObject({
      'projection.enabled': 'true',
      'projection.aws_account_id.type': 'injected',
      'projection.aws_region.type': 'enum',
      'projection.aws_region.values': 'eu-west-1,us-east-1',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      classification: 'parquet',
    });
    // Design note 1: new accounts need no table change, so the table carries no account list at all.
    expect(Object.keys(params).filter((k) => k.startsWith('projection.aws_account_id.'))).toEqual([
      'projection.aws_account_id.type',
    ]);
    expect(params['storage.location.template']).toBe(
      's3://flowlake-flowlogs-999999999999-eu-west-1/AWSLogs/aws-account-id=${aws_account_id}/aws-service=vpcflowlogs/' +
        'aws-region=${aws_region}/year=${year}/month=${month}/day=${day}/hour=${hour}/',
    );
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'flows',
        PartitionKeys: [
          { Name: 'aws_account_id', Type: 'string' },
          { Name: 'aws_region', Type: 'string' },
          { Name: 'year', Type: 'int' },
          { Name: 'month', Type: 'int' },
          { Name: 'day', Type: 'int' },
          { Name: 'hour', Type: 'int' },
        ].map((c) => Match.objectLike(c)),
        StorageDescriptor: {
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          Columns: Match.arrayWith([
            Match.objectLike({ Name: 'bytes', Type: 'bigint' }),
            Match.objectLike({ Name: 'log_status', Type: 'string' }),
            Match.objectLike({ Name: 'reject_reason', Type: 'string' }),
          ]),
        },
      },
    });
  });

  it('creates text and streaming JSON tables for their layouts', () => {
    const { template } = build({
      prefix: 'vpc/',
      tables: [
        AnalyticsTable.parquet(),
        AnalyticsTable.text({ fields: ['version', 'account-id', 'log-status'] }),
        AnalyticsTable.streamingJson({ prefix: 'streaming' }),
      ],
    });
    const text = tableParams(template, 'flows_text');
    expect(text['skip.header.line.count']).toBe('1');
    expect(text['storage.location.template']).toBe(
      's3://flowlake-flowlogs-999999999999-eu-west-1/vpc/AWSLogs/${aws_account_id}/vpcflowlogs/${aws_region}/${year}/${month}/${day}/',
    );
    expect(text['projection.hour.type']).toBeUndefined();
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'flows_text',
        StorageDescriptor: {
          Columns: [
            Match.objectLike({ Name: 'version', Type: 'int' }),
            Match.objectLike({ Name: 'account_id', Type: 'string' }),
            Match.objectLike({ Name: 'log_status', Type: 'string' }),
          ],
          SerdeInfo: {
            SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
            Parameters: { 'field.delim': ' ', 'serialization.null.format': '-' },
          },
        },
      },
    });
    const json = tableParams(template, 'flows_streaming');
    expect(json['storage.location.template']).toBe(
      's3://flowlake-flowlogs-999999999999-eu-west-1/streaming/AWSLogs/aws-account-id=${aws_account_id}/' +
        'vpcflowlogs-stream/aws-region=${aws_region}/year=${year}/month=${month}/day=${day}/hour=${hour}/',
    );
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'flows_streaming',
        StorageDescriptor: {
          SerdeInfo: {
            SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            Parameters: Match.objectLike({
              'mapping.log_status': 'log-status',
              'mapping.pkt_srcaddr': 'pkt-srcaddr',
            }),
          },
        },
      },
    });
  });

  it('enforces the workgroup configuration with the scan limit and KMS-encrypted results', () => {
    const { template } = build({
      bytesScannedCutoffPerQuery: 5 * 1024 ** 3,
      resultsExpiration: Duration.days(7),
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'flowlake',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 5 * 1024 ** 3,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
          OutputLocation: Match.anyValue(),
        },
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('saves every catalog query as a named query with account and date parameters', () => {
    const { template } = build();
    template.resourceCountIs('AWS::Athena::NamedQuery', QUERY_CATALOG.length);
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'flowlake-top-talkers',
      Database: 'flowlake',
      QueryString: Match.stringLikeRegexp(
        /FROM "flowlake"."flows"\nWHERE \(aws_account_id = \? AND year = \? AND month = \? AND day = \?\)/
          .source,
      ),
    });
  });

  it('rejects bad props with the value and the fix', () => {
    expect(() => build({ regions: [] })).toThrow(/at least one region/);
    expect(() => build({ regions: ['Ireland'] })).toThrow(/'Ireland' is not a region/);
    expect(() => build({ bytesScannedCutoffPerQuery: 1000 })).toThrow(/at least 10000000/);
    expect(() => build({ tables: [AnalyticsTable.parquet(), AnalyticsTable.parquet()] })).toThrow(
      /two tables/,
    );
    expect(() => AnalyticsTable.text({ fields: ['bogus'] })).not.toThrow();
    expect(() => build({ tables: [AnalyticsTable.text({ fields: ['bogus'] })] })).toThrow(
      /unknown flow-log field 'bogus'/,
    );
  });

  it('grants query access scoped to the workgroup, the database and the AWSLogs prefix', () => {
    const { stack, catalog } = build();
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    catalog.grantQuery(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['athena:StartQueryExecution']),
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':workgroup/flowlake$')])] },
          }),
          Match.objectLike({
            Action: 'kms:Decrypt',
            Resource: 'arn:aws:kms:eu-west-1:999999999999:key/1234',
          }),
        ]),
      },
    });
  });

  it('passes the AwsSolutions, HIPAA, NIST 800-53 R5 and PCI DSS cdk-nag packs', () => {
    const stack = getTestStack();
    new AnalyticsCatalog(stack, 'Analytics', {
      bucket: s3.Bucket.fromBucketName(stack, 'Flows', 'flowlake-flowlogs-999999999999-eu-west-1'),
      regions: ['eu-west-1'],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});

/** Unacknowledged findings of the four cdk-nag packs, as `<rule> <construct path>` lines. */
function nagFindings(stack: Stack): string[] {
  Template.fromStack(stack);
  const out: string[] = [];
  for (const pack of [
    new AwsSolutionsChecks(),
    new HIPAASecurityChecks(),
    new NIST80053R5Checks(),
    new PCIDSS321Checks(),
  ]) {
    for (const v of pack.validateScope(stack).violations) {
      for (const r of v.violatingResources) out.push(`${v.ruleName} ${r.constructPath}`);
    }
  }
  return out;
}
