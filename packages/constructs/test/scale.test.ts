import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import {
  BUCKET_POLICY_LIMIT_BYTES,
  CentralArchiveStack,
  type CentralArchiveStackProps,
  KEY_POLICY_LIMIT_BYTES,
} from '../src/central/index.js';
import { policySizeBytes } from '../src/internal/intrinsics.js';
import { FlowLogDelivery, MemberFlowLogsStack } from '../src/member/index.js';
import { OrgRolloutStack, TEMPLATE_BODY_LIMIT_BYTES } from '../src/rollout/index.js';
import { CENTRAL, ORG_ID, REGION } from './helpers.js';

/**
 * Scale: 1,000 member accounts x 4 regions. Policies are measured with worst-case stand-ins for every intrinsic
 * (63-character bucket names, longest partition and region), as minified JSON.
 */
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const accounts = (n: number) =>
  Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));
const TEMPLATE_LIMIT_BYTES = 1_000_000;
const RESOURCE_LIMIT = 500;

function centralStack(props: CentralArchiveStackProps): Stack {
  return new CentralArchiveStack(new App(), 'Central', {
    env: { account: CENTRAL, region: REGION },
    ...props,
  });
}

function sizes(stack: Stack): { bucket: number; key: number } {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const policies = Object.values(resources).filter(
    (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r).includes('AWSLogDeliveryWrite'),
  );
  const key = Object.values(resources).find((r) => r.Type === 'AWS::KMS::Key');
  return {
    bucket: policySizeBytes(policies[0].Properties.PolicyDocument),
    key: policySizeBytes(key?.Properties.KeyPolicy),
  };
}

function templateStats(stack: Stack): { bytes: number; resources: number } {
  const json = Template.fromStack(stack).toJSON();
  return {
    bytes: Buffer.byteLength(JSON.stringify(json)),
    resources: Object.keys(json.Resources ?? {}).length,
  };
}

describe('scale: 1,000 accounts x 4 regions', () => {
  const thousand = accounts(1000);

  test('with an organization id both policies stay under their limits and do not grow with the account count', () => {
    const big = sizes(
      centralStack({ organizationId: ORG_ID, memberAccounts: thousand, allowReplication: true }),
    );
    const small = sizes(
      centralStack({ organizationId: ORG_ID, memberAccounts: thousand.slice(0, 10), allowReplication: true }),
    );
    expect(big.bucket).toBeLessThan(BUCKET_POLICY_LIMIT_BYTES);
    expect(big.key).toBeLessThan(KEY_POLICY_LIMIT_BYTES);
    expect(big).toEqual(small);
    console.info(`org-scoped policies at 1,000 accounts: bucket ${big.bucket} B, key ${big.key} B`);
  });

  test('the explicit account list (aws:SourceOrgID switched off) fits 500 accounts and refuses 1,000 with the fix', () => {
    const fits = sizes(
      centralStack({ organizationId: ORG_ID, useSourceOrgId: false, memberAccounts: accounts(500) }),
    );
    expect(fits.bucket).toBeLessThan(BUCKET_POLICY_LIMIT_BYTES);
    expect(fits.key).toBeLessThan(KEY_POLICY_LIMIT_BYTES);
    expect(() =>
      Template.fromStack(
        centralStack({ organizationId: ORG_ID, useSourceOrgId: false, memberAccounts: thousand }),
      ),
    ).toThrow(
      /bucket policy is \d+ bytes, over the S3 limit of 20480: 1000 accounts are listed\. Set organizationId/,
    );
  });

  test('no template is over 1 MB or 500 resources (central, rollout, member stacks of both paths)', () => {
    const replication = FlowLogDelivery.replication({
      centralBucketArn: `arn:aws:s3:::flowlake-flowlogs-${CENTRAL}-${REGION}`,
      centralKeyArn: `arn:aws:kms:${REGION}:${CENTRAL}:key/11111111-2222-3333-4444-555555555555`,
      centralAccount: CENTRAL,
      replicationTimeControl: true,
    });
    const direct = FlowLogDelivery.directToS3({
      centralBucketArn: `arn:aws:s3:::flowlake-flowlogs-${CENTRAL}-${REGION}`,
    });
    const rollout = new OrgRolloutStack(new App(), 'Rollout', {
      env: { account: '123456789012', region: REGION },
      member: { delivery: replication },
      organizationalUnitIds: ['r-ab12'],
      regions: REGIONS,
    });
    // Per-account member stacks differ only in env, so one of each path stands for all 4,000 of them.
    const stacks: Stack[] = [
      centralStack({ organizationId: ORG_ID, memberAccounts: thousand, allowReplication: true }),
      rollout,
      new MemberFlowLogsStack(new App(), 'Replication', {
        env: { account: thousand[999], region: REGIONS[3] },
        delivery: replication,
      }),
      new MemberFlowLogsStack(new App(), 'Direct', {
        env: { account: thousand[999], region: REGIONS[3] },
        delivery: direct,
      }),
    ];
    for (const stack of stacks) {
      const stats = templateStats(stack);
      expect(stats.bytes, stack.stackName).toBeLessThan(TEMPLATE_LIMIT_BYTES);
      expect(stats.resources, stack.stackName).toBeLessThan(RESOURCE_LIMIT);
    }
    expect(Buffer.byteLength(rollout.templateBody)).toBeLessThan(TEMPLATE_BODY_LIMIT_BYTES);
  });
});
