import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import {
  DESTINATION_POLICY_LIMIT,
  destinationPolicy,
  StreamingDelivery,
  StreamingSource,
} from '../../src/streaming/index.js';
import { CENTRAL, MEMBER_A, MEMBER_B, ORG_ID, OUTSIDER, REGION } from '../helpers.js';
import { simulate } from '../secevents/simulate.js';

const DEST = `arn:aws:logs:${REGION}:${CENTRAL}:destination:flowlake-flowlogs`;
const FIREHOSE = `arn:aws:firehose:${REGION}:${CENTRAL}:deliverystream/flowlake-flowlogs`;
const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919));

function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.Ref === 'AWS::Partition') return 'aws';
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [id] = o['Fn::GetAtt'] as string[];
      return id.includes('Stream')
        ? `arn:aws:kinesis:${REGION}:${CENTRAL}:stream/flowlake-flowlogs`
        : `arn:aws:kms:${REGION}:${CENTRAL}:key/streaming`;
    }
    if (Array.isArray(o['Fn::Join'])) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(plain).join(sep);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

const subscribe = (policy: string, account: string, orgId: string) =>
  simulate({
    resourcePolicy: JSON.parse(policy),
    // The caller's own account must allow the call too (cross-account).
    identityPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'logs:PutSubscriptionFilter', Resource: '*' }],
    },
    principal: `arn:aws:iam::${account}:role/flowlake-deployer`,
    action: 'logs:PutSubscriptionFilter',
    resource: DEST,
    resourceAccount: CENTRAL,
    context: { 'aws:PrincipalOrgID': orgId, 'aws:PrincipalAccount': account },
  });

describe('destination access policy', () => {
  it('admits every member of the organization and no outsider', async () => {
    const policy = destinationPolicy(DEST, { organizationId: ORG_ID });
    expect(await subscribe(policy, MEMBER_A, ORG_ID)).toBe('Allowed');
    expect(await subscribe(policy, OUTSIDER, 'o-zzzzzzzzzz')).toBe('ImplicitlyDenied');
  });

  it('admits listed accounts only', async () => {
    const policy = destinationPolicy(DEST, { accounts: [MEMBER_A, MEMBER_A] });
    expect(await subscribe(policy, MEMBER_A, ORG_ID)).toBe('Allowed');
    expect(await subscribe(policy, MEMBER_B, ORG_ID)).toBe('ImplicitlyDenied');
  });

  it('stays within 5,120 bytes: constant for the organization, a clear error for 5,000 listed accounts', () => {
    expect(Buffer.byteLength(destinationPolicy(DEST, { organizationId: ORG_ID }))).toBeLessThan(400);
    const fits = destinationPolicy(DEST, { accounts: accounts(300) });
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(DESTINATION_POLICY_LIMIT);
    expect(() => destinationPolicy(DEST, { accounts: accounts(5000) })).toThrow(
      /listed accounts is \d+ bytes, over CloudWatch Logs' 5120-byte limit; set organizationId/,
    );
    expect(() => destinationPolicy(DEST, {})).toThrow(/set organizationId or list accounts/);
  });
});

function roles(
  senders: { organizationId?: string; accounts?: string[] },
  source = StreamingSource.directPut(),
) {
  const stack = new Stack(new App(), 'C', { env: { account: CENTRAL, region: REGION } });
  new StreamingDelivery(stack, 'Streaming', {
    bucket: s3.Bucket.fromBucketName(stack, 'B', 'central'),
    bucketKey: kms.Key.fromKeyArn(stack, 'K', `arn:aws:kms:${REGION}:${CENTRAL}:key/k`),
    senders,
    source,
  });
  const t = Template.fromStack(stack);
  const role = Object.values(t.findResources('AWS::IAM::Role')).find(
    (r) =>
      (r as { Properties: { RoleName?: string } }).Properties.RoleName ===
      'flowlake-flowlogs-cwl-destination',
  ) as { Properties: { AssumeRolePolicyDocument: unknown } };
  const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
    JSON.stringify(p).includes('PutIntoTarget'),
  ) as { Properties: { PolicyDocument: unknown } };
  return {
    trust: plain(role.Properties.AssumeRolePolicyDocument),
    permissions: plain(policy.Properties.PolicyDocument),
  };
}

describe('destination role', () => {
  const assume = (trust: unknown, sourceAccount: string) =>
    simulate({
      resourcePolicy: trust,
      principal: 'logs.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${CENTRAL}:role/flowlake-flowlogs-cwl-destination`,
      resourceAccount: CENTRAL,
      context: {
        'aws:SourceArn': `arn:aws:logs:${REGION}:${sourceAccount}:log-group:/flowlake/vpcflowlogs/${REGION}:*`,
      },
    });

  it('is assumable by CloudWatch Logs for listed senders only (confused deputy)', async () => {
    const { trust } = roles({ accounts: [MEMBER_A, MEMBER_B] });
    expect(await assume(trust, MEMBER_A)).toBe('Allowed');
    expect(await assume(trust, OUTSIDER)).toBe('ImplicitlyDenied');
  });

  it('refuses more listed senders than its trust policy can name', () => {
    expect(() => roles({ accounts: accounts(41) })).toThrow(
      /41 listed accounts exceed .* set organizationId/,
    );
  });

  it('can only put records into its own stream', async () => {
    const allowedBy = (identityPolicy: unknown) => (action: string, resource: string) =>
      simulate({
        resourcePolicy: undefined,
        identityPolicy,
        principal: `arn:aws:iam::${CENTRAL}:role/flowlake-flowlogs-cwl-destination`,
        action,
        resource,
        resourceAccount: CENTRAL,
        context: {},
      });
    const can = allowedBy(roles({ organizationId: ORG_ID }).permissions);
    expect(await can('firehose:PutRecordBatch', FIREHOSE)).toBe('Allowed');
    expect(await can('firehose:PutRecord', FIREHOSE)).toBe('Allowed');
    expect(await can('firehose:PutRecord', `${FIREHOSE}-other`)).toBe('ImplicitlyDenied');
    expect(await can('firehose:DeleteDeliveryStream', FIREHOSE)).toBe('ImplicitlyDenied');
    const k = roles({ organizationId: ORG_ID }, StreamingSource.kinesis()).permissions;
    const stream = `arn:aws:kinesis:${REGION}:${CENTRAL}:stream/flowlake-flowlogs`;
    const kin = allowedBy(k);
    expect(JSON.stringify(k)).toContain('kinesis:PutRecords');
    expect(await kin('kinesis:PutRecords', stream)).toBe('Allowed');
    expect(await kin('kinesis:PutRecords', `${stream}-other`)).toBe('ImplicitlyDenied');
    expect(await kin('kinesis:GetRecords', stream)).toBe('ImplicitlyDenied');
  });
});
