import type { FlowLog } from '@aws-sdk/client-ec2';
import { buildObjectKey, DEFAULT_FORMAT_STRING } from '@flowlake/flowlogs';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditClients } from '../../src/audit/clients.js';
import { listOrgAccounts } from '../../src/audit/org-accounts.js';
import { planFromFlags } from '../../src/audit/plan.js';
import { runAudit } from '../../src/audit/run.js';
import { exec, memoryIo } from '../../src/index.js';
import { type FakeAccount, type FakeObject, installFakeOrg } from './fake-org.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const BUCKET = 'acme-flowlogs-central';
const NOW = new Date('2026-11-30T10:30:00Z');
const acct = (i: number) => String(100000000000 + i);

function centralFlowLog(vpcId: string, over: Partial<FlowLog> = {}): FlowLog {
  return {
    FlowLogId: `fl-${vpcId.slice(4)}`,
    ResourceId: vpcId,
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::${BUCKET}`,
    LogFormat: DEFAULT_FORMAT_STRING,
    TrafficType: 'ALL',
    DeliverLogsStatus: 'SUCCESS',
    FlowLogStatus: 'ACTIVE',
    DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
    ...over,
  };
}

/**
 * GIVEN 50 active accounts (+1 suspended) x 2 regions x 3 VPCs, each VPC with a compliant central flow log and a
 * fresh object, except the planted problems listed in PLANTED.
 */
function buildOrg(now: Date): { accounts: FakeAccount[]; objects: FakeObject[] } {
  const accounts: FakeAccount[] = [];
  const objects: FakeObject[] = [];
  for (let i = 0; i < 51; i++) {
    const id = acct(i);
    const a: FakeAccount = { id, name: `member-${i}`, regions: {} };
    if (i === 50) a.state = 'SUSPENDED';
    for (const [r, region] of REGIONS.entries()) {
      const vpcs = [0, 1, 2].map((v) => `vpc-${i}${r}${v}aa`);
      a.regions[region] = { vpcs, flowLogs: vpcs.map((v) => centralFlowLog(v)) };
      const age = i === 13 ? 180 : 5; // planted: stale account
      if (i !== 21 || region !== 'eu-west-1') {
        const time = new Date(now.getTime() - age * 60_000);
        const key = buildObjectKey({
          accountId: id,
          region,
          time,
          flowLogId: 'fl-1',
          layout: { hive: true, perHour: true },
          fileFormat: 'parquet',
        });
        objects.push({ key, lastModified: time });
      }
    }
    accounts.push(a);
  }
  const region = (i: number, r: string) => accounts[i].regions[r];
  region(3, 'us-east-1').flowLogs.splice(1, 1); // FLA001
  region(5, 'eu-west-1').flowLogs[0].LogDestination = 'arn:aws:s3:::someone-elses-bucket'; // FLA002
  Object.assign(region(7, 'us-east-1').flowLogs[2], {
    DeliverLogsStatus: 'FAILED',
    DeliverLogsErrorMessage: 'Access error',
  }); // FLA003
  region(9, 'us-east-1').flowLogs[0].LogFormat = ['srcaddr', 'dstaddr'].map((f) => `\${${f}}`).join(' '); // FLA004
  region(11, 'eu-west-1').flowLogs[1].TrafficType = 'REJECT'; // FLA005
  accounts[15].assumeError = 'AccessDenied'; // FLA007
  region(17, 'eu-west-1').describeError = 'UnauthorizedOperation'; // FLA009
  region(19, 'us-east-1').flowLogs[0].DestinationOptions = {
    FileFormat: 'plain-text',
    HiveCompatiblePartitions: true,
    PerHourPartition: true,
  }; // FLA008
  // A subnet-level flow log does not cover its VPC: VPC 2 of account 25 keeps only one on a subnet.
  region(25, 'us-east-1').flowLogs[2] = centralFlowLog('subnet-0abc', { FlowLogId: 'fl-subnet' });
  return { accounts, objects };
}

const PLANTED = [
  ['FLA001', acct(3), 'us-east-1', 'vpc-301aa'],
  ['FLA001', acct(25), 'us-east-1', 'vpc-2502aa'],
  ['FLA002', acct(5), 'eu-west-1', 'vpc-510aa'],
  ['FLA003', acct(7), 'us-east-1', 'fl-702aa'],
  ['FLA004', acct(9), 'us-east-1', 'fl-900aa'],
  ['FLA005', acct(11), 'eu-west-1', 'fl-1111aa'],
  ['FLA006', acct(13), 'us-east-1', undefined],
  ['FLA006', acct(13), 'eu-west-1', undefined],
  ['FLA006', acct(21), 'eu-west-1', undefined],
  ['FLA007', acct(15), undefined, `arn:aws:iam::${acct(15)}:role/FlowlakeAudit`],
  ['FLA008', acct(19), 'us-east-1', 'fl-1900aa'],
  ['FLA009', acct(17), 'eu-west-1', undefined],
];

const flags = {
  regions: REGIONS.join(','),
  roleName: 'FlowlakeAudit',
  externalId: 'acme-ext',
  bucket: BUCKET,
  fileFormat: 'parquet' as const,
  logFormat: DEFAULT_FORMAT_STRING,
};

describe('audit over a fake organization of 50 accounts x 2 regions', () => {
  let restore: (() => void)[] = [];
  /** The planted organization with fresh objects as of now, installed for one test. */
  const fakeOrgNow = () => {
    const { accounts, objects } = buildOrg(new Date());
    const fake = installFakeOrg(accounts, objects);
    restore = fake.mocks.map((m) => () => m.restore());
    return fake;
  };
  afterEach(() => {
    for (const r of restore) r();
    restore = [];
  });

  it('finds exactly the planted problems and reports the unreachable account', async () => {
    const { accounts, objects } = buildOrg(NOW);
    const fake = installFakeOrg(accounts, objects);
    restore = fake.mocks.map((m) => () => m.restore());
    const clients = new AuditClients({ maxAttempts: 3 });

    const org = await listOrgAccounts(clients.organizations());
    expect(org).toHaveLength(50); // the suspended account is not audited
    const report = await runAudit(planFromFlags(flags, org), { clients, concurrency: 8, now: NOW });

    const got = report.findings.map((f) => [
      f.ruleId,
      f.accountId,
      f.region,
      f.ruleId === 'FLA006' || f.ruleId === 'FLA009' ? undefined : f.resource,
    ]);
    expect(got.sort()).toEqual([...PLANTED].sort());
    expect(report.findings.find((f) => f.ruleId === 'FLA003')?.message).toContain('Access error');
    expect(report.findings.find((f) => f.ruleId === 'FLA007')?.message).toContain('AccessDenied');
    expect(report.findings.find((f) => f.ruleId === 'FLA009')?.message).toContain('UnauthorizedOperation');
    // every assume-role carried the role ARN and external ID
    expect(fake.calls.assumeRole).toHaveLength(50);
    expect(fake.calls.assumeRole.every((c) => c.ExternalId === 'acme-ext')).toBe(true);
    // partial failures per account, never silent
    const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
    expect(byId.get(acct(15))?.status).toBe('unreachable');
    expect(byId.get(acct(17))?.status).toBe('partial');
    expect(byId.get(acct(17))?.vpcs).toBe(3);
    expect(byId.get(acct(0))).toMatchObject({
      status: 'ok',
      vpcs: 6,
      covered: 6,
      newestObjectAgeMinutes: 5,
      findings: 0,
    });
    expect(byId.get(acct(13))?.newestObjectAgeMinutes).toBe(180);
    expect(report.accounts.filter((a) => a.findings === 0)).toHaveLength(50 - 11);
  });

  it('runs through the CLI: exit 1 with findings, JSON on stdout, progress on stderr', async () => {
    fakeOrgNow();
    const io = memoryIo();
    const code = await exec(
      [
        'audit',
        '--role-name',
        'FlowlakeAudit',
        '--external-id',
        'acme-ext',
        '--regions',
        REGIONS.join(','),
        '--bucket',
        BUCKET,
        '--file-format',
        'parquet',
        '--log-format',
        DEFAULT_FORMAT_STRING,
        '--concurrency',
        '4',
        '-o',
        'json',
      ],
      io,
    );
    expect(code).toBe(1);
    const report = JSON.parse(io.stdout());
    expect(report.accounts).toHaveLength(50);
    expect(report.findings.length).toBe(PLANTED.length);
    expect(io.stderr()).toContain('[50/50]');
    expect(io.stderr()).toContain('1 account(s) unreachable');
  });

  it('exits 0 on a clean organization and lists only the given accounts', async () => {
    const fake = fakeOrgNow();
    const io = memoryIo();
    const code = await exec(
      [
        'audit',
        '--accounts',
        `${acct(0)},${acct(1)}`,
        '--role-name',
        'FlowlakeAudit',
        '--regions',
        REGIONS.join(','),
        '--bucket',
        BUCKET,
      ],
      io,
    );
    expect(io.stderr()).toContain('0 finding(s)');
    expect(code).toBe(0);
    expect(io.stdout()).toContain('No findings');
    expect(fake.calls.assumeRole.map((c) => c.RoleArn)).toEqual([
      `arn:aws:iam::${acct(0)}:role/FlowlakeAudit`,
      `arn:aws:iam::${acct(1)}:role/FlowlakeAudit`,
    ]);
  });
});
