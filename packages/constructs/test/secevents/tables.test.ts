import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { AnalyticsCatalog } from '../../src/analytics/analytics-catalog.js';
import { SecurityEventTables } from '../../src/secevents/tables.js';
import { nagFindings } from '../nag-helper.js';

interface TableInput {
  Parameters: Record<string, string>;
  PartitionKeys: { Name: string }[];
  StorageDescriptor: {
    Columns: { Name: string; Type: string }[];
    SerdeInfo: { SerializationLibrary: string };
  };
}

function stack() {
  return new Stack(new App(), 'Analytics', { env: { account: '999999999999', region: 'eu-west-1' } });
}

describe('SecurityEventTables', () => {
  const s = stack();
  const bucket = s3.Bucket.fromBucketName(s, 'Archive', 'central-archive');
  const catalog = new AnalyticsCatalog(s, 'Catalog', { bucket, regions: ['eu-west-1', 'us-east-1'] });
  new SecurityEventTables(s, 'SecurityTables', {
    databaseName: catalog.databaseName,
    database: catalog.database,
    bucket,
    regions: ['eu-west-1', 'us-east-1'],
    cloudTrail: { organizationId: 'o-a1b2c3d4e5' },
    guardDuty: { adminAccountId: '999999999999' },
    guardDutyStream: {},
  });
  const t = Template.fromStack(s);

  function tableInput(name: string): TableInput {
    const found = Object.values(
      t.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: name } } }),
    );
    expect(found).toHaveLength(1);
    return (found[0] as { Properties: { TableInput: TableInput } }).Properties.TableInput;
  }

  it('projects CloudTrail partitions over AWSLogs/<org>/<account>/CloudTrail/<region>/yyyy/MM/dd', () => {
    t.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'flowlake',
      TableInput: {
        Name: 'cloudtrail',
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.aws_account_id.type': 'injected',
          'projection.aws_region.type': 'enum',
          'projection.aws_region.values': 'eu-west-1,us-east-1',
          'projection.month.digits': '2',
          'storage.location.template':
            // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena projection placeholders
            's3://central-archive/cloudtrail/AWSLogs/o-a1b2c3d4e5/${aws_account_id}/CloudTrail/${aws_region}/${year}/${month}/${day}/',
        }),
        PartitionKeys: [
          Match.objectLike({ Name: 'aws_account_id' }),
          Match.objectLike({ Name: 'aws_region' }),
          Match.objectLike({ Name: 'year', Type: 'int' }),
          Match.objectLike({ Name: 'month', Type: 'int' }),
          Match.objectLike({ Name: 'day', Type: 'int' }),
        ],
        StorageDescriptor: Match.objectLike({
          InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
          Columns: Match.arrayWith([
            {
              Name: 'useridentity',
              Type: 'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string>',
            },
            { Name: 'eventtime', Type: 'string' },
            { Name: 'sourceipaddress', Type: 'string' },
            { Name: 'requestparameters', Type: 'string' },
          ]),
        }),
      },
    });
  });

  it('projects GuardDuty exports over AWSLogs/<admin>/GuardDuty/<region>/yyyy/MM/dd with nested finding types', () => {
    const tables = t.findResources('AWS::Glue::Table', {
      Properties: { TableInput: { Name: 'guardduty_findings' } },
    });
    const input = (Object.values(tables)[0] as { Properties: { TableInput: TableInput } }).Properties
      .TableInput;
    expect(input.Parameters['storage.location.template']).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena projection placeholders
      's3://central-archive/guardduty/AWSLogs/999999999999/GuardDuty/${aws_region}/${year}/${month}/${day}/',
    );
    expect(Object.keys(input.Parameters).some((k) => k.includes('aws_account_id'))).toBe(false);
    expect(input.PartitionKeys.map((k) => k.Name)).toEqual(['aws_region', 'year', 'month', 'day']);
    const resource = input.StorageDescriptor.Columns.find((c) => c.Name === 'resource')!;
    expect(resource.Type).toContain(
      'networkinterfaces:array<struct<networkinterfaceid:string,privateipaddress:string,publicip:string,subnetid:string,vpcid:string>>',
    );
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    const all = t.findResources('AWS::Glue::Table');
    for (const r of Object.values(all))
      expect((r as { DependsOn?: string[] }).DependsOn?.length).toBeGreaterThan(0);
  });

  it('projects streamed findings over aws-account-id=/guardduty-stream/aws-region=/year=/month=/day=/hour=', () => {
    const input = tableInput('guardduty_findings_stream');
    expect(input.Parameters['storage.location.template']).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena projection placeholders
      's3://central-archive/AWSLogs/aws-account-id=${aws_account_id}/guardduty-stream/aws-region=${aws_region}/year=${year}/month=${month}/day=${day}/hour=${hour}/',
    );
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.aws_account_id.type': 'injected',
      'projection.aws_region.values': 'eu-west-1,us-east-1',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    expect(input.PartitionKeys.map((k) => k.Name)).toEqual([
      'aws_account_id',
      'aws_region',
      'year',
      'month',
      'day',
      'hour',
    ]);
    expect(input.StorageDescriptor.Columns).toEqual(
      tableInput('guardduty_findings').StorageDescriptor.Columns,
    );
    expect(input.StorageDescriptor.Columns.map((c) => c.Name)).toContain('resource');
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
  });

  it('creates the streamed-findings table only with GuardDuty, under the streaming prefix', () => {
    const make = (props: Partial<ConstructorParameters<typeof SecurityEventTables>[2]>) => {
      const x = stack();
      const bucket = s3.Bucket.fromBucketName(x, 'B', 'central-archive');
      new SecurityEventTables(x, 'T', { databaseName: 'flowlake', bucket, regions: ['eu-west-1'], ...props });
      return Template.fromStack(x);
    };
    make({ guardDutyStream: {} }).resourceCountIs('AWS::Glue::Table', 0);
    make({ guardDuty: { adminAccountId: '999999999999' } }).resourceCountIs('AWS::Glue::Table', 1);
    make({
      guardDuty: { adminAccountId: '999999999999' },
      guardDutyStream: { prefix: '/streaming/', tableName: 'gd_stream' },
    }).hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'gd_stream',
        Parameters: Match.objectLike({
          'storage.location.template': Match.stringLikeRegexp(
            '^s3://central-archive/streaming/AWSLogs/aws-account-id=\\$\\{aws_account_id\\}/guardduty-stream/',
          ),
        }),
        StorageDescriptor: Match.objectLike({ Location: 's3://central-archive/streaming/AWSLogs/' }),
      }),
    });
  });

  it('adds no unacknowledged cdk-nag findings', () => {
    expect(nagFindings(s).filter((f) => f.includes('SecurityTables'))).toEqual([]);
  });

  it('validates regions, organization and admin account, naming the bad value', () => {
    const b = (x: Stack) => s3.Bucket.fromBucketName(x, 'B', 'central-archive');
    const base = { databaseName: 'flowlake', regions: ['eu-west-1'] };
    let x = stack();
    expect(() => new SecurityEventTables(x, 'T', { ...base, bucket: b(x), regions: ['europe'] })).toThrow(
      /'europe'/,
    );
    x = stack();
    expect(
      () => new SecurityEventTables(x, 'T', { ...base, bucket: b(x), cloudTrail: { organizationId: 'org' } }),
    ).toThrow(/invalid organizationId 'org'/);
    x = stack();
    expect(
      () => new SecurityEventTables(x, 'T', { ...base, bucket: b(x), guardDuty: { adminAccountId: '1' } }),
    ).toThrow(/invalid adminAccountId '1'/);
  });
});
