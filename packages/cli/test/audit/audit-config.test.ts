import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { DEFAULT_FORMAT_STRING } from '@flowlake/flowlogs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditClients } from '../../src/audit/clients.js';
import { planFromConfig } from '../../src/audit/config-plan.js';
import { runAudit } from '../../src/audit/run.js';
import { parseConfig } from '../../src/config/index.js';
import { installFakeOrg } from './fake-org.js';

const YAML = `
name: flowlake
organization: { id: o-a1b2c3d4e5, managementAccount: '100000000001' }
central: { account: '111111111111', region: eu-west-1 }
delivery: direct-s3
members:
  - name: prod
    accounts: ['222222222222']
    regions: [eu-west-1, us-east-1]
  - name: shared
    accounts: ['333333333333']
    regions: [eu-west-1]
    vpcs: [vpc-0aaaaaaaaaaaaaaa1]
    delivery: replication
  - name: stream
    ous: [ou-ab12-cdefgh34]
    regions: [eu-west-1]
    delivery: cloudwatch-firehose
flowLogs: { format: '${DEFAULT_FORMAT_STRING}', fileFormat: parquet }
audit: { roleName: FlowlakeAudit, externalId: acme-ext }
`;

describe('audit plan from flowlake.yaml', () => {
  const { config, issues } = parseConfig(YAML);
  const orgMock = mockClient(OrganizationsClient);
  orgMock
    .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-cdefgh34' })
    .resolves({ Accounts: [{ Id: '444444444444', Name: 'stream-a', State: 'ACTIVE' }] });
  orgMock
    .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-nested00' })
    .resolves({ Accounts: [{ Id: '555555555555', Name: 'stream-b', State: 'ACTIVE' }] });
  orgMock
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-cdefgh34' })
    .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-nested00' }] });
  orgMock
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-nested00' })
    .resolves({ OrganizationalUnits: [] });
  afterAll(() => orgMock.restore());

  it('maps groups to accounts, regions and per-path destinations; flags override', async () => {
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const clients = new AuditClients({ maxAttempts: 1 });
    const plan = await planFromConfig(config!, {}, () => clients.organizations());
    expect(plan.accounts.map((a) => [a.id, a.expect.path, a.regions])).toEqual([
      ['222222222222', 'direct-s3', ['eu-west-1', 'us-east-1']],
      ['333333333333', 'replication', ['eu-west-1']],
      ['444444444444', 'cloudwatch-firehose', ['eu-west-1']],
      ['555555555555', 'cloudwatch-firehose', ['eu-west-1']],
    ]);
    expect(plan).toMatchObject({ roleName: 'FlowlakeAudit', externalId: 'acme-ext', partition: 'aws' });
    expect(plan.central).toEqual({
      bucket: 'flowlake-flowlogs-111111111111-eu-west-1',
      prefix: '',
      region: 'eu-west-1',
      hive: true,
    });
    const dest = (i: number) => {
      const d = plan.accounts[i].expect.destination;
      return typeof d === 'function' ? d('eu-west-1', plan.accounts[i].id) : d;
    };
    expect(dest(0)).toEqual({
      type: 's3',
      bucketArn: 'arn:aws:s3:::flowlake-flowlogs-111111111111-eu-west-1',
      prefix: '',
    });
    expect(dest(1)).toEqual({
      type: 's3',
      bucketArn: 'arn:aws:s3:::flowlake-flowlogs-local-333333333333-eu-west-1',
      prefix: '',
    });
    expect(dest(2)).toEqual({ type: 'cloud-watch-logs', logGroupName: '/flowlake/vpcflowlogs/eu-west-1' });
    expect(plan.accounts[1].expect.vpcIds).toEqual(['vpc-0aaaaaaaaaaaaaaa1']);

    const over = await planFromConfig(
      config!,
      { regions: 'us-west-2', accounts: '222222222222', roleName: 'Other', trafficType: 'any' },
      () => clients.organizations(),
    );
    expect(over.accounts.map((a) => [a.id, a.regions, a.expect.trafficType])).toEqual([
      ['222222222222', ['us-west-2'], undefined],
    ]);
    expect(over.roleName).toBe('Other');
  });

  it('audits only the selected VPCs of a group with an explicit list', async () => {
    const clients = new AuditClients({ maxAttempts: 1 });
    const plan = await planFromConfig(config!, { accounts: '333333333333' }, () => clients.organizations());
    const fake = installFakeOrg(
      [
        {
          id: '333333333333',
          name: 'shared',
          regions: {
            'eu-west-1': { vpcs: ['vpc-0aaaaaaaaaaaaaaa1', 'vpc-0bbbbbbbbbbbbbbb2'], flowLogs: [] },
          },
        },
      ],
      [],
    );
    try {
      const report = await runAudit(
        { ...plan, central: undefined },
        { clients, concurrency: 1, now: new Date() },
      );
      expect(report.findings.map((f) => [f.ruleId, f.resource])).toEqual([
        ['FLA001', 'vpc-0aaaaaaaaaaaaaaa1'],
      ]);
      expect(report.accounts[0]).toMatchObject({ vpcs: 1, covered: 0, path: 'replication' });
    } finally {
      for (const m of fake.mocks) m.restore();
    }
  });
});
