import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOrgConfig } from '../../../../examples/generate-org.js';
import { assertBuildable, planApp, renderPlanSummary } from '../../src/app/index.js';
import { type FlowlakeConfig, parseConfig } from '../../src/config/index.js';

function load(text: string): FlowlakeConfig {
  const r = parseConfig(text);
  if (!r.config) throw new Error(JSON.stringify(r.issues));
  return r.config;
}

const example = () => load(readFileSync('examples/flowlake.yaml', 'utf8'));

describe('planApp', () => {
  it('plans the central stack first, then one member stack per listed account and region', () => {
    const plan = planApp(example());
    expect(plan.bucketName).toBe('flowlake-flowlogs-111111111111-eu-west-1');
    expect(plan.stacks.map((s) => [s.wave, s.id, s.account, s.region, s.delivery ?? ''])).toEqual([
      [1, 'flowlake-central', '111111111111', 'eu-west-1', ''],
      [2, 'flowlake-member-222222222222-eu-west-1', '222222222222', 'eu-west-1', 'direct-s3'],
      [2, 'flowlake-member-222222222222-us-east-1', '222222222222', 'us-east-1', 'direct-s3'],
      [2, 'flowlake-member-333333333333-eu-west-1', '333333333333', 'eu-west-1', 'replication'],
      [2, 'flowlake-member-444444444444-eu-west-1', '444444444444', 'eu-west-1', 'direct-s3'],
    ]);
    expect(plan.stacks[0].creates.join('; ')).toMatch(/IA 30d, Glacier 90d, expire 400d/);
    expect(plan.stacks[1].creates[0]).toMatch(/every VPC, existing and future/);
    expect(plan.stacks[3].creates.join('; ')).toMatch(/2 flow logs .*local KMS bucket \(expire 7d\)/);
  });

  it('plans one StackSet rollout stack per OU group in the management account', () => {
    const plan = planApp(load(generateOrgConfig({ accounts: 300, rollout: 'stacksets' })));
    expect(plan.stacks.map((s) => [s.id, s.kind, s.account, s.wave])).toEqual([
      ['flowlake-central', 'central', '111111111111', 1],
      ['flowlake-rollout-payments', 'rollout', '100000000001', 2],
      ['flowlake-rollout-retail', 'rollout', '100000000001', 2],
      ['flowlake-rollout-data', 'rollout', '100000000001', 2],
    ]);
    expect(plan.stacks[1].stackSets).toEqual([
      {
        name: 'flowlake-members-payments',
        groupIndex: 0,
        delivery: 'direct-s3',
        ous: ['ou-k3x9-1a2b3c4d'],
        accounts: [],
        regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'],
      },
    ]);
  });

  it('listed accounts next to OUs get per-account stacks; DELEGATED_ADMIN deploys from its account', () => {
    const c = load(`organization: { id: o-a1b2c3d4e5 }
central: { account: '111111111111', region: eu-west-1 }
members:
  - { name: org, ous: [r-ab12], accounts: ['222222222222'], regions: [eu-west-1] }
rollout: { mode: stacksets, callAs: DELEGATED_ADMIN, delegatedAdminAccount: '999999999999' }
`);
    expect(planApp(c).stacks.map((s) => [s.id, s.account])).toEqual([
      ['flowlake-central', '111111111111'],
      ['flowlake-rollout-org', '999999999999'],
      ['flowlake-member-222222222222-eu-west-1', '222222222222'],
    ]);
  });

  it('the summary lists each stack with the deploy order', () => {
    const text = renderPlanSummary(planApp(example()), 'cdk.out');
    expect(text).toContain('wave 1: npx cdk deploy --app cdk.out flowlake-central');
    expect(text).toContain("wave 2: npx cdk deploy --app cdk.out 'flowlake-member-*' --concurrency 10");
    expect(text).toMatch(
      /flowlake-member-333333333333-eu-west-1\s+333333333333\s+eu-west-1\s+member\s+replication/,
    );
  });

  it('large apps are summarized by wave, kind, delivery and region', () => {
    const text = renderPlanSummary(
      planApp(load(generateOrgConfig({ accounts: 100, groupSize: 20 }))),
      'cdk.out',
    );
    expect(text).toContain('401 stacks');
    expect(text).toMatch(/2\s+80 stacks\s+80 accounts\s+us-east-1\s+member\s+direct-s3/);
    expect(text).toMatch(/2\s+20 stacks\s+20 accounts\s+eu-west-1\s+member\s+replication/);
  });
});

describe('assertBuildable', () => {
  it('rejects vpcs: all on a streaming path with the Lambda enrollment, naming the group and the fix', () => {
    const c = load(
      "central: { account: '111111111111', region: eu-west-1 }\nmembers: [{ name: logs, accounts: ['222222222222'], regions: [eu-west-1], delivery: cloudwatch-kinesis }]\n",
    );
    expect(() => assertBuildable(c, planApp(c))).toThrow(
      /members group 'logs' uses cloudwatch-kinesis with vpcs: all, but flowlake's enrollment Lambda writes only to S3/,
    );
  });

  it('rejects the replication path until central.keyArn is set', () => {
    const c = load(
      "central: { account: '111111111111', region: eu-west-1 }\nmembers: [{ name: shared, accounts: ['222222222222'], regions: [eu-west-1], delivery: replication }]\n",
    );
    expect(() => assertBuildable(c, planApp(c))).toThrow(/members group 'shared' uses the replication path/);
  });
});
