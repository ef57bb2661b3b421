import { createRequire } from 'node:module';
import {
  CreateFlowLogsCommand,
  DeleteFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type FlowLog,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  configFromEnv,
  type EnablerConfig,
  ensureFlowLogs,
  handle,
  listVpcIds,
  vpcIdFromEvent,
} from '../../src/member/vpc-enabler/handler.js';
import { enablerInlineCode, INLINE_CODE_LIMIT } from '../../src/member/vpc-enabler/inline-code.js';

const CFG: EnablerConfig = {
  destination: 'arn:aws:s3:::central',
  logFormat: ['version', 'srcaddr'].map((n) => `\${${n}}`).join(' '),
  trafficType: 'ALL',
  interval: 60,
  fileFormat: 'parquet',
  hive: true,
  perHour: true,
  tagKey: 'flowlake:managed',
  tags: { team: 'net' },
};

const matching = (vpc: string, id = `fl-${vpc}`): FlowLog => ({
  FlowLogId: id,
  ResourceId: vpc,
  LogDestination: CFG.destination,
  LogFormat: CFG.logFormat,
  TrafficType: 'ALL',
  MaxAggregationInterval: 60,
});

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'eu-west-1' });
const fetchMock = vi.fn(async () => new Response(''));

beforeEach(() => {
  ec2Mock.reset();
  fetchMock.mockClear();
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('ensureFlowLogs', () => {
  test('creates flow logs only for VPCs without a matching one, with destination options and tags', async () => {
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [matching('vpc-1')] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({ FlowLogIds: ['fl-new'] });
    const r = await ensureFlowLogs(ec2, ['vpc-1', 'vpc-2'], CFG);
    expect(r).toEqual({ created: ['vpc-2'], removed: [], failed: [] });
    const create = ec2Mock.commandCalls(CreateFlowLogsCommand)[0].args[0].input;
    expect(create).toMatchObject({
      ResourceType: 'VPC',
      ResourceIds: ['vpc-2'],
      LogDestinationType: 's3',
      LogDestination: CFG.destination,
      LogFormat: CFG.logFormat,
      MaxAggregationInterval: 60,
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
      TagSpecifications: [
        {
          ResourceType: 'vpc-flow-log',
          Tags: [
            { Key: 'team', Value: 'net' },
            { Key: 'flowlake:managed', Value: 'true' },
          ],
        },
      ],
    });
    expect(ec2Mock.commandCalls(DescribeFlowLogsCommand)[0].args[0].input.Filter).toEqual([
      { Name: 'resource-id', Values: ['vpc-1', 'vpc-2'] },
    ]);
  });

  test('is idempotent: a second run with every VPC covered creates nothing', async () => {
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [matching('vpc-1'), matching('vpc-2')] });
    expect(await ensureFlowLogs(ec2, ['vpc-1', 'vpc-2'], CFG)).toEqual({
      created: [],
      removed: [],
      failed: [],
    });
    expect(ec2Mock.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
  });

  test('replaces a managed flow log whose settings changed, and leaves unmanaged ones alone', async () => {
    const oldManaged = {
      ...matching('vpc-1', 'fl-old'),
      TrafficType: 'REJECT' as const,
      Tags: [{ Key: 'flowlake:managed', Value: 'true' }],
    };
    const foreign = { ...matching('vpc-1', 'fl-user'), LogDestination: 'arn:aws:s3:::other' };
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [oldManaged, foreign] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({});
    ec2Mock.on(DeleteFlowLogsCommand).resolves({});
    expect(await ensureFlowLogs(ec2, ['vpc-1'], CFG)).toEqual({
      created: ['vpc-1'],
      removed: ['fl-old'],
      failed: [],
    });
    expect(ec2Mock.commandCalls(DeleteFlowLogsCommand)[0].args[0].input.FlowLogIds).toEqual(['fl-old']);
  });

  test('reports VPCs AWS refused and keeps their old flow log', async () => {
    const oldManaged = {
      ...matching('vpc-1', 'fl-old'),
      TrafficType: 'REJECT' as const,
      Tags: [{ Key: 'flowlake:managed', Value: 'true' }],
    };
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [oldManaged] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({
      Unsuccessful: [{ ResourceId: 'vpc-1', Error: { Code: 'AccessDenied', Message: 'LogDestination' } }],
    });
    expect(await ensureFlowLogs(ec2, ['vpc-1', 'vpc-2'], CFG)).toEqual({
      created: ['vpc-2'],
      removed: [],
      failed: ['vpc-1'],
    });
    expect(ec2Mock.commandCalls(DeleteFlowLogsCommand)).toHaveLength(0);
  });

  test('batches CreateFlowLogs by 25 VPCs', async () => {
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({});
    const ids = Array.from({ length: 60 }, (_, i) => `vpc-${i}`);
    expect((await ensureFlowLogs(ec2, ids, CFG)).created).toHaveLength(60);
    expect(
      ec2Mock.commandCalls(CreateFlowLogsCommand).map((c) => c.args[0].input.ResourceIds?.length),
    ).toEqual([25, 25, 10]);
  });
});

describe('events', () => {
  test('listVpcIds follows pagination', async () => {
    ec2Mock
      .on(DescribeVpcsCommand)
      .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-1' }], NextToken: 't' })
      .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-2' }] });
    expect(await listVpcIds(ec2)).toEqual(['vpc-1', 'vpc-2']);
  });

  test('vpcIdFromEvent reads CloudTrail CreateVpc events only', () => {
    const ev = { detail: { eventName: 'CreateVpc', responseElements: { vpc: { vpcId: 'vpc-9' } } } };
    expect(vpcIdFromEvent(ev)).toBe('vpc-9');
    expect(vpcIdFromEvent({ detail: { ...ev.detail, eventName: 'CreateDefaultVpc' } })).toBe('vpc-9');
    expect(vpcIdFromEvent({ detail: { eventName: 'DeleteVpc' } })).toBeUndefined();
    expect(vpcIdFromEvent({ detail: { eventName: 'CreateVpc', errorCode: 'x' } })).toBeUndefined();
  });

  test('a CreateVpc event reconciles that VPC only', async () => {
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({});
    const ev = { detail: { eventName: 'CreateVpc', responseElements: { vpc: { vpcId: 'vpc-9' } } } };
    expect((await handle(ec2, ev, CFG)).created).toEqual(['vpc-9']);
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)).toHaveLength(0);
  });

  test('a failed event invocation throws so EventBridge retries', async () => {
    ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({ Unsuccessful: [{ ResourceId: 'vpc-1' }] });
    await expect(handle(ec2, { 'detail-type': 'Scheduled Event' }, CFG)).rejects.toThrow(/vpc-1/);
  });
});

describe('custom resource', () => {
  const cr = (RequestType: string) => ({
    RequestType,
    ResponseURL: 'https://cfn.example/response',
    StackId: 'stack',
    RequestId: 'req',
    LogicalResourceId: 'Enabler',
  });
  const sent = () =>
    JSON.parse(String((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].body));

  test('Create reconciles every VPC and answers SUCCESS', async () => {
    ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({});
    await handle(ec2, cr('Create'), CFG);
    expect(fetchMock).toHaveBeenCalledWith(
      'https://cfn.example/response',
      expect.objectContaining({ method: 'PUT' }),
    );
    expect(sent()).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'flowlake-vpc-flow-logs',
      RequestId: 'req',
    });
  });

  test('Create answers FAILED naming the VPC when AWS refuses a flow log', async () => {
    ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    ec2Mock.on(CreateFlowLogsCommand).resolves({ Unsuccessful: [{ ResourceId: 'vpc-1' }] });
    await handle(ec2, cr('Update'), CFG);
    expect(sent()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('vpc-1') });
  });

  test('an API error answers FAILED instead of hanging the stack', async () => {
    ec2Mock.on(DescribeVpcsCommand).rejects(new Error('throttled'));
    await handle(ec2, cr('Create'), CFG);
    expect(sent()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('throttled') });
  });

  test('Delete removes only managed flow logs and never blocks deletion', async () => {
    ec2Mock.on(DescribeFlowLogsCommand).resolves({
      FlowLogs: [
        { ...matching('vpc-1', 'fl-m'), Tags: [{ Key: 'flowlake:managed', Value: 'true' }] },
        matching('vpc-2', 'fl-u'),
      ],
    });
    ec2Mock.on(DeleteFlowLogsCommand).resolves({});
    expect((await handle(ec2, cr('Delete'), CFG)).removed).toEqual(['fl-m']);
    expect(sent().Status).toBe('SUCCESS');
    fetchMock.mockClear();
    ec2Mock.on(DescribeFlowLogsCommand).rejects(new Error('boom'));
    await handle(ec2, cr('Delete'), CFG);
    expect(sent().Status).toBe('SUCCESS');
  });
});

describe('inline code', () => {
  test(`bundles under ${INLINE_CODE_LIMIT} characters`, () => {
    const code = enablerInlineCode();
    expect(code.length).toBeLessThanOrEqual(INLINE_CODE_LIMIT);
    expect(code).not.toMatch(/powertools|require\("(?!@aws-sdk\/client-ec2)/);
  });

  test('the exact inlined code runs: exports.handler reconciles through the runtime SDK', async () => {
    const require = createRequire(import.meta.url);
    const sdk = require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2');
    const cjsMock = mockClient(sdk.EC2Client);
    cjsMock.on(sdk.DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    cjsMock.on(sdk.DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    cjsMock.on(sdk.CreateFlowLogsCommand).resolves({});
    const mod = { exports: {} as { handler: (e: unknown) => Promise<unknown> } };
    vi.stubEnv('CONFIG', JSON.stringify(CFG));
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    new Function('module', 'exports', 'require', enablerInlineCode())(mod, mod.exports, require);
    await expect(mod.exports.handler({ 'detail-type': 'Scheduled Event' })).resolves.toMatchObject({
      created: ['vpc-1'],
    });
    expect(cjsMock.commandCalls(sdk.CreateFlowLogsCommand)[0].args[0].input.LogDestination).toBe(
      CFG.destination,
    );
    cjsMock.restore();
    vi.unstubAllEnvs();
  });

  test('configFromEnv reads the CONFIG JSON the construct writes', () => {
    expect(configFromEnv({ CONFIG: JSON.stringify(CFG) })).toEqual(CFG);
  });
});
