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
  });
  const t = Template.fromStack(s);

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
