import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exec, memoryIo } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlake-streaming-'));

const CONFIG = `
name: flowlake
organization: { id: o-a1b2c3d4e5, managementAccount: '100000000001' }
central:
  account: '111111111111'
  region: eu-west-1
  archiveAdminRoleArns: ['arn:aws:iam::111111111111:role/LogArchiveAdmin']
delivery: cloudwatch-firehose
members:
  - name: fh
    accounts: ['222222222222']
    regions: [eu-west-1, us-east-1]
    vpcs: [vpc-0a1b2c3d4e5f67890]
  - name: kin
    accounts: ['333333333333']
    regions: [eu-west-1]
    vpcs: [vpc-0123456789abcdef0]
    delivery: cloudwatch-kinesis
streaming:
  output: lines
  kinesis: { mode: provisioned, shards: 2, retentionHours: 48 }
`;

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
const template = (out: string, id: string): Template =>
  JSON.parse(readFileSync(join(out, `${id}.template.json`), 'utf8'));
const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

async function synth(yaml: string, name: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const out = join(dir, name);
  const io = memoryIo();
  const code = await exec(['synth', '--config', file, '--out', out], io);
  return { code, out, io };
}

describe('flowlake synth: streaming paths', () => {
  it('builds both paths: central Firehose/Kinesis, destinations per Region, member log groups and subscriptions', async () => {
    const { code, out, io } = await synth(CONFIG, 'both');
    expect(io.stderr()).not.toMatch(/error/i);
    expect(code).toBe(0);
    const central = template(out, 'flowlake-central');
    const streams = ofType(central, 'AWS::KinesisFirehose::DeliveryStream').map((r) => r.Properties!);
    expect(streams.map((s) => [s.DeliveryStreamName, s.DeliveryStreamType]).sort()).toEqual([
      ['flowlake-flowlogs', 'DirectPut'],
      ['flowlake-flowlogs-kinesis', 'KinesisStreamAsSource'],
    ]);
    expect(ofType(central, 'AWS::Kinesis::Stream')[0].Properties).toMatchObject({
      ShardCount: 2,
      RetentionPeriodHours: 48,
    });
    expect(
      ofType(central, 'AWS::Logs::Destination')
        .map((d) => d.Properties!.DestinationName)
        .sort(),
    ).toEqual(['flowlake-flowlogs', 'flowlake-flowlogs-kinesis']);
    // us-east-1 members subscribe to a destination in us-east-1 (only the Firehose path has members there).
    const remote = template(out, 'flowlake-central-destinations-us-east-1');
    expect(
      ofType(remote, 'AWS::Logs::Destination')
        .map((d) => d.Properties!.DestinationName)
        .sort(),
    ).toEqual(['flowlake-flowlogs', 'flowlake-flowlogs-kinesis']);
    const fh = template(out, 'flowlake-member-222222222222-us-east-1');
    expect(ofType(fh, 'AWS::Logs::SubscriptionFilter')[0].Properties).toMatchObject({
      DestinationArn: 'arn:aws:logs:us-east-1:111111111111:destination:flowlake-flowlogs',
    });
    expect(ofType(fh, 'AWS::EC2::FlowLog')[0].Properties).toMatchObject({
      ResourceId: 'vpc-0a1b2c3d4e5f67890',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: '/flowlake/vpcflowlogs/us-east-1',
    });
    const kin = template(out, 'flowlake-member-333333333333-eu-west-1');
    expect(ofType(kin, 'AWS::Logs::SubscriptionFilter')[0].Properties).toMatchObject({
      DestinationArn: 'arn:aws:logs:eu-west-1:111111111111:destination:flowlake-flowlogs-kinesis',
    });
    expect(
      ofType(central, 'AWS::Lambda::Function').map(
        (f) => (f.Properties!.Environment as { Variables: Record<string, string> }).Variables.FLOWLAKE_OUTPUT,
      ),
    ).toEqual(['lines', 'lines']);
    expect(io.stdout()).toMatch(/flowlake-central-destinations-us-east-1/);
  });

  it('with the telemetry rule, members of vpcs: all get the log group and subscription only', async () => {
    const yaml = CONFIG.replaceAll(/vpcs: \[vpc-[0-9a-f]+\]/g, 'vpcs: all').replace(
      'output: lines',
      'output: lines\n  enrollment: telemetry-rule',
    );
    const { code, out, io } = await synth(yaml, 'telemetry');
    expect(io.stderr()).not.toMatch(/error/i);
    expect(code).toBe(0);
    const kin = template(out, 'flowlake-member-333333333333-eu-west-1');
    expect(ofType(kin, 'AWS::EC2::FlowLog')).toHaveLength(0);
    expect(ofType(kin, 'AWS::Logs::SubscriptionFilter')).toHaveLength(1);
    const rules = ofType(
      template(out, 'flowlake-telemetry'),
      'AWS::ObservabilityAdmin::OrganizationTelemetryRule',
    );
    expect(rules.map((r) => r.Properties!.RuleName).sort()).toEqual([
      'flowlake-vpc-flow-logs-eu-west-1',
      'flowlake-vpc-flow-logs-us-east-1',
    ]);
  });

  it('refuses vpcs: all on a streaming path with the Lambda enrollment, naming the fix', async () => {
    const { code, io } = await synth(CONFIG.replace('vpcs: [vpc-0123456789abcdef0]', 'vpcs: all'), 'lambda');
    expect(code).toBe(2);
    expect(io.stderr()).toMatch(/EnrollmentNotAvailable/);
    expect(io.stderr()).toMatch(/streaming.enrollment: telemetry-rule/);
  });

  it('adds the OpenSearch domain and stream to the central stack and the fan-out to both transforms', async () => {
    const { code, out, io } = await synth(
      CONFIG.replace(
        'output: lines',
        "output: lines\n  opensearch: { enabled: true, masterUserArn: 'arn:aws:iam::111111111111:role/SearchAdmin' }",
      ),
      'os',
    );
    expect(io.stderr()).not.toMatch(/error/i);
    expect(code).toBe(0);
    const central = template(out, 'flowlake-central');
    const [domain] = ofType(central, 'AWS::OpenSearchService::Domain').map((r) => r.Properties!);
    expect(domain).toMatchObject({
      DomainName: 'flowlake-flowlogs',
      NodeToNodeEncryptionOptions: { Enabled: true },
      EncryptionAtRestOptions: { Enabled: true },
      AdvancedSecurityOptions: {
        Enabled: true,
        MasterUserOptions: { MasterUserARN: 'arn:aws:iam::111111111111:role/SearchAdmin' },
      },
    });
    const os = ofType(central, 'AWS::KinesisFirehose::DeliveryStream')
      .map((r) => r.Properties!)
      .find((p) => p.DeliveryStreamName === 'flowlake-opensearch');
    expect(os?.AmazonopensearchserviceDestinationConfiguration).toMatchObject({
      IndexName: 'flowlogs',
      S3BackupMode: 'FailedDocumentsOnly',
    });
    const envs = ofType(central, 'AWS::Lambda::Function').map(
      (r) => (r.Properties!.Environment as { Variables: Record<string, string> }).Variables,
    );
    expect(envs.filter((v) => v.OPENSEARCH_DELIVERY_STREAM === 'flowlake-opensearch')).toHaveLength(2);
  });
});
