import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, test } from 'vitest';
import { CentralArchiveStack, type CentralArchiveStackProps } from '../src/central/index.js';
import { FlowLogDelivery, MemberFlowLogsStack } from '../src/member/index.js';
import { CENTRAL, MEMBER_A, MEMBER_B, ORG_ID, OUTSIDER, REGION } from './helpers.js';
import {
  type PolicyJson,
  type SimRequest,
  simulate,
  TemplatePolicies,
  withoutSimulatorUnsupportedKeys,
} from './template-policies.js';

/**
 * Policy test matrix: every policy below is taken from a synthesized template (central archive stack and member
 * replication stack), not copied by hand, and evaluated with @cloud-copilot/iam-simulate.
 */
const BUCKET_NAME = `flowlake-flowlogs-${CENTRAL}-${REGION}`;
const BUCKET = `arn:aws:s3:::${BUCKET_NAME}`;
const OTHER_ORG = 'o-zzzzzzzzzz';
const ADMIN = `arn:aws:iam::${CENTRAL}:role/ArchiveAdmin`;
const DELIVERY = 'delivery.logs.amazonaws.com';
const replicationRole = (acct: string) => `arn:aws:iam::${acct}:role/flowlake-replication-${REGION}`;
const key = (acct: string, layout: 'plain' | 'hive') =>
  layout === 'plain'
    ? `AWSLogs/${acct}/vpcflowlogs/${REGION}/2026/11/30/10/${acct}_vpcflowlogs_${REGION}_fl-1_20261130T1000Z_ab.log.gz`
    : `AWSLogs/aws-account-id=${acct}/vpcflowlogs/aws-region=${REGION}/year=2026/month=11/day=30/hour=10/x.parquet`;
const S3_ALL: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
};

function central(props: CentralArchiveStackProps): TemplatePolicies {
  const stack = new CentralArchiveStack(new App(), 'Central', {
    env: { account: CENTRAL, region: REGION },
    ...props,
  });
  return new TemplatePolicies(stack, CENTRAL, REGION);
}

/** Context that log delivery sends for a sender account (as documented; SourceOrgID unverified). */
function deliveryContext(
  sender: string,
  org: string,
  extra: Record<string, string> = {},
): Record<string, string | string[]> {
  return {
    'aws:SourceAccount': sender,
    'aws:SourceArn': `arn:aws:logs:${REGION}:${sender}:*`,
    'aws:SourceOrgID': org,
    'aws:SecureTransport': 'true',
    's3:TlsVersion': '1.3',
    's3:x-amz-acl': 'bucket-owner-full-control',
    ...extra,
  };
}

let orgPolicy: PolicyJson;
let listPolicy: PolicyJson;
let noAclPolicy: PolicyJson;
let keyArn: string;
let keyPolicy: PolicyJson;
let memberRolePolicy: PolicyJson;
let aliasRolePolicy: PolicyJson;
let memberContextConditions: ReturnType<typeof withoutSimulatorUnsupportedKeys>['removed'];
let keyContextConditions: ReturnType<typeof withoutSimulatorUnsupportedKeys>['removed'];

beforeAll(() => {
  const org = central({ organizationId: ORG_ID, allowReplication: true, adminPrincipalArns: [ADMIN] });
  orgPolicy = org.bucketPolicy('flowlake-flowlogs-');
  const key = org.keyPolicy();
  keyArn = key.arn;
  // iam-simulate cannot evaluate kms:EncryptionContext:aws:s3:arn; the removed conditions are asserted below.
  const stripped = withoutSimulatorUnsupportedKeys(key.policy);
  keyPolicy = stripped.policy;
  keyContextConditions = stripped.removed;
  listPolicy = central({
    organizationId: ORG_ID,
    useSourceOrgId: false,
    memberAccounts: [MEMBER_A, MEMBER_B],
  }).bucketPolicy('flowlake-flowlogs-');
  noAclPolicy = central({ organizationId: ORG_ID, requireBucketOwnerFullControl: false }).bucketPolicy(
    'flowlake-flowlogs-',
  );
  const member = new MemberFlowLogsStack(new App(), 'Member', {
    env: { account: MEMBER_A, region: REGION },
    delivery: FlowLogDelivery.replication({
      centralBucketArn: BUCKET,
      centralKeyArn: keyArn,
      centralAccount: CENTRAL,
    }),
  });
  const memberPolicies = new TemplatePolicies(member, MEMBER_A, REGION);
  const roleStripped = withoutSimulatorUnsupportedKeys(
    memberPolicies.managedPolicyWithSid('WriteOwnPrefixInCentralBucket'),
  );
  memberRolePolicy = roleStripped.policy;
  const aliasMember = new MemberFlowLogsStack(new App(), 'AliasMember', {
    env: { account: MEMBER_A, region: REGION },
    delivery: FlowLogDelivery.replication({
      centralBucketArn: BUCKET,
      centralAccount: CENTRAL,
      centralRegion: REGION,
    }),
  });
  aliasRolePolicy = withoutSimulatorUnsupportedKeys(
    new TemplatePolicies(aliasMember, MEMBER_A, REGION).managedPolicyWithSid('EncryptReplicasWithCentralKey'),
  ).policy;
  memberContextConditions = roleStripped.removed;
  expect(memberPolicies.roleName()).toBe(`flowlake-replication-${REGION}`);
});

type Case = [
  name: string,
  req: () => SimRequest,
  expected: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied',
];

const put =
  (policy: () => PolicyJson, objectKey: string, ctx: Record<string, string | string[]>): (() => SimRequest) =>
  () => ({
    principal: DELIVERY,
    action: 's3:PutObject',
    resource: `${BUCKET}/${objectKey}`,
    resourceAccount: CENTRAL,
    resourcePolicy: policy(),
    context: ctx,
  });
const noAcl = (ctx: Record<string, string | string[]>) => {
  const { 's3:x-amz-acl': _, ...rest } = ctx;
  return rest;
};

const deliveryCases: Case[] = [
  [
    'member writes its own prefix (AWSLogs/<acct>/)',
    put(() => orgPolicy, key(MEMBER_A, 'plain'), deliveryContext(MEMBER_A, ORG_ID)),
    'Allowed',
  ],
  [
    'member writes its own prefix (hive layout)',
    put(() => orgPolicy, key(MEMBER_A, 'hive'), deliveryContext(MEMBER_A, ORG_ID)),
    'Allowed',
  ],
  [
    "member cannot write another member's prefix",
    put(() => orgPolicy, key(MEMBER_B, 'plain'), deliveryContext(MEMBER_A, ORG_ID)),
    'ImplicitlyDenied',
  ],
  [
    "member cannot write another member's hive prefix",
    put(() => orgPolicy, key(MEMBER_B, 'hive'), deliveryContext(MEMBER_A, ORG_ID)),
    'ImplicitlyDenied',
  ],
  [
    'an account outside the organization is denied',
    put(() => orgPolicy, key(OUTSIDER, 'plain'), deliveryContext(OUTSIDER, OTHER_ORG)),
    'ImplicitlyDenied',
  ],
  [
    'a forged SourceArn of another account is denied (confused deputy)',
    put(() => orgPolicy, key(MEMBER_A, 'plain'), {
      ...deliveryContext(MEMBER_A, ORG_ID),
      'aws:SourceArn': `arn:aws:logs:${REGION}:${OUTSIDER}:*`,
    }),
    'ImplicitlyDenied',
  ],
  [
    'non-TLS is denied',
    put(
      () => orgPolicy,
      key(MEMBER_A, 'plain'),
      deliveryContext(MEMBER_A, ORG_ID, { 'aws:SecureTransport': 'false' }),
    ),
    'ExplicitlyDenied',
  ],
  [
    'TLS 1.0 is denied',
    put(
      () => orgPolicy,
      key(MEMBER_A, 'plain'),
      deliveryContext(MEMBER_A, ORG_ID, { 's3:TlsVersion': '1.0' }),
    ),
    'ExplicitlyDenied',
  ],
  [
    'a write without the bucket-owner-full-control ACL is denied',
    put(() => orgPolicy, key(MEMBER_A, 'plain'), noAcl(deliveryContext(MEMBER_A, ORG_ID))),
    'ImplicitlyDenied',
  ],
  [
    'with the ACL switch off, a write without the ACL header is allowed',
    put(() => noAclPolicy, key(MEMBER_A, 'plain'), noAcl(deliveryContext(MEMBER_A, ORG_ID))),
    'Allowed',
  ],
  [
    'account list: a listed member writes its own prefix',
    put(() => listPolicy, key(MEMBER_B, 'hive'), deliveryContext(MEMBER_B, ORG_ID)),
    'Allowed',
  ],
  [
    'account list: an unlisted account (even in the org) is denied',
    put(() => listPolicy, key(OUTSIDER, 'plain'), deliveryContext(OUTSIDER, ORG_ID)),
    'ImplicitlyDenied',
  ],
  [
    "account list: a listed member cannot write another's prefix",
    put(() => listPolicy, key(MEMBER_A, 'plain'), deliveryContext(MEMBER_B, ORG_ID)),
    'ImplicitlyDenied',
  ],
  [
    'log delivery ACL check is allowed for org members',
    () => ({
      principal: DELIVERY,
      action: 's3:GetBucketAcl',
      resource: BUCKET,
      resourceAccount: CENTRAL,
      resourcePolicy: orgPolicy,
      context: deliveryContext(MEMBER_A, ORG_ID),
    }),
    'Allowed',
  ],
  [
    'log delivery ACL check is denied for outsiders',
    () => ({
      principal: DELIVERY,
      action: 's3:ListBucket',
      resource: BUCKET,
      resourceAccount: CENTRAL,
      resourcePolicy: orgPolicy,
      context: deliveryContext(OUTSIDER, OTHER_ORG),
    }),
    'ImplicitlyDenied',
  ],
];

const replicate =
  (role: string, action: string, objectKey: string, org = ORG_ID): (() => SimRequest) =>
  () => ({
    principal: role,
    action,
    resource: objectKey === '' ? BUCKET : `${BUCKET}/${objectKey}`,
    resourceAccount: CENTRAL,
    resourcePolicy: orgPolicy,
    identityPolicy: memberRolePolicy,
    context: {
      'aws:PrincipalOrgID': org,
      'aws:PrincipalAccount': role.split(':')[4],
      'aws:PrincipalArn': role,
      'aws:SecureTransport': 'true',
    },
  });

const replicationCases: Case[] = [
  [
    'replication role replicates into its own prefix',
    replicate(replicationRole(MEMBER_A), 's3:ReplicateObject', key(MEMBER_A, 'plain')),
    'Allowed',
  ],
  [
    'replication role replicates into its own hive prefix',
    replicate(replicationRole(MEMBER_A), 's3:ReplicateObject', key(MEMBER_A, 'hive')),
    'Allowed',
  ],
  [
    'replication role may override the owner in its own prefix',
    replicate(replicationRole(MEMBER_A), 's3:ObjectOwnerOverrideToBucketOwner', key(MEMBER_A, 'plain')),
    'Allowed',
  ],
  [
    "replication role cannot replicate into another member's prefix",
    replicate(replicationRole(MEMBER_A), 's3:ReplicateObject', key(MEMBER_B, 'plain')),
    'ImplicitlyDenied',
  ],
  [
    'replication role cannot replicate deletes',
    replicate(replicationRole(MEMBER_A), 's3:ReplicateDelete', key(MEMBER_A, 'plain')),
    'ImplicitlyDenied',
  ],
  [
    'a same-named role outside the organization is denied',
    replicate(replicationRole(OUTSIDER), 's3:ReplicateObject', key(OUTSIDER, 'plain'), OTHER_ORG),
    'ImplicitlyDenied',
  ],
  [
    'another role of a member account is denied',
    replicate(
      `arn:aws:iam::${MEMBER_A}:role/flowlake-replication-${REGION}`.replace('flowlake-replication', 'admin'),
      's3:ReplicateObject',
      key(MEMBER_A, 'plain'),
    ),
    'ImplicitlyDenied',
  ],
  [
    'replication role cannot suspend versioning',
    replicate(replicationRole(MEMBER_A), 's3:PutBucketVersioning', ''),
    'ExplicitlyDenied',
  ],
];

const central_ =
  (principal: string, action: string, resource: string): (() => SimRequest) =>
  () => ({
    principal,
    action,
    resource,
    resourceAccount: CENTRAL,
    resourcePolicy: orgPolicy,
    identityPolicy: S3_ALL,
    context: {
      'aws:PrincipalArn': principal,
      'aws:PrincipalAccount': CENTRAL,
      'aws:SecureTransport': 'true',
    },
  });
const OPERATOR = `arn:aws:iam::${CENTRAL}:role/Operator`;

const adminCases: Case[] = [
  [
    'an archive admin may delete an object version',
    central_(ADMIN, 's3:DeleteObjectVersion', `${BUCKET}/${key(MEMBER_A, 'plain')}`),
    'Allowed',
  ],
  ['an archive admin may change the bucket policy', central_(ADMIN, 's3:PutBucketPolicy', BUCKET), 'Allowed'],
  [
    'a central-account role with s3:* cannot delete objects',
    central_(OPERATOR, 's3:DeleteObject', `${BUCKET}/${key(MEMBER_A, 'plain')}`),
    'ExplicitlyDenied',
  ],
  [
    'a central-account role with s3:* cannot change the policy',
    central_(OPERATOR, 's3:PutBucketPolicy', BUCKET),
    'ExplicitlyDenied',
  ],
  [
    'a central-account role with s3:* cannot change lifecycle',
    central_(OPERATOR, 's3:PutLifecycleConfiguration', BUCKET),
    'ExplicitlyDenied',
  ],
  [
    'a central-account role with s3:* can still read',
    central_(OPERATOR, 's3:GetObject', `${BUCKET}/${key(MEMBER_A, 'plain')}`),
    'Allowed',
  ],
];

const kms =
  (
    action: string,
    ctx: Record<string, string | string[]>,
    principal = DELIVERY,
    identity?: () => PolicyJson,
  ) =>
  (): SimRequest => ({
    principal,
    action,
    resource: keyArn,
    resourceAccount: CENTRAL,
    resourcePolicy: keyPolicy,
    identityPolicy: identity?.(),
    context: ctx,
  });
const s3Ctx = (bucketArn = BUCKET) => ({ 'kms:EncryptionContext:aws:s3:arn': bucketArn });
const roleCtx = (acct: string, via = `s3.${REGION}.amazonaws.com`) => ({
  'aws:PrincipalOrgID': ORG_ID,
  'aws:PrincipalAccount': acct,
  'aws:PrincipalArn': replicationRole(acct),
  'kms:ViaService': via,
  ...s3Ctx(),
});

const kmsCases: Case[] = [
  [
    'a member role named to the key by alias may encrypt replicas through S3',
    kms('kms:Encrypt', roleCtx(MEMBER_A), replicationRole(MEMBER_A), () => aliasRolePolicy),
    'Allowed',
  ],
  [
    'a member role named to the key by alias cannot decrypt archive objects',
    kms('kms:Decrypt', roleCtx(MEMBER_A), replicationRole(MEMBER_A), () => aliasRolePolicy),
    'ImplicitlyDenied',
  ],
  [
    'log delivery may generate data keys for the archive bucket',
    kms('kms:GenerateDataKey', { ...deliveryContext(MEMBER_A, ORG_ID), ...s3Ctx() }),
    'Allowed',
  ],
  [
    'log delivery may decrypt for multipart uploads to the archive bucket',
    kms('kms:Decrypt', { ...deliveryContext(MEMBER_A, ORG_ID), ...s3Ctx() }),
    'Allowed',
  ],
  [
    'log delivery that sends no aws:SourceOrgID is denied (why useSourceOrgId is a switch)',
    kms(
      'kms:GenerateDataKey',
      (({ 'aws:SourceOrgID': _, ...c }) => ({ ...c, ...s3Ctx() }))(deliveryContext(MEMBER_A, ORG_ID)),
    ),
    'ImplicitlyDenied',
  ],
  [
    'log delivery for an outside organization is denied',
    kms('kms:GenerateDataKey', { ...deliveryContext(OUTSIDER, OTHER_ORG), ...s3Ctx() }),
    'ImplicitlyDenied',
  ],
  [
    'log delivery cannot re-encrypt or manage the key',
    kms('kms:ReEncryptFrom', { ...deliveryContext(MEMBER_A, ORG_ID), ...s3Ctx() }),
    'ImplicitlyDenied',
  ],
  [
    'a member replication role may encrypt replicas through S3',
    kms('kms:Encrypt', roleCtx(MEMBER_A), replicationRole(MEMBER_A), () => memberRolePolicy),
    'Allowed',
  ],
  [
    'a member replication role cannot decrypt archive objects',
    kms('kms:Decrypt', roleCtx(MEMBER_A), replicationRole(MEMBER_A), () => memberRolePolicy),
    'ImplicitlyDenied',
  ],
  [
    'a member replication role cannot use the key outside S3',
    kms(
      'kms:GenerateDataKey',
      roleCtx(MEMBER_A, 'ec2.eu-west-1.amazonaws.com'),
      replicationRole(MEMBER_A),
      () => memberRolePolicy,
    ),
    'ImplicitlyDenied',
  ],
];

describe.each([
  ['log delivery to the archive bucket', deliveryCases],
  ['cross-account replication', replicationCases],
  ['archive admins', adminCases],
  ['archive KMS key', kmsCases],
] as const)('policy matrix: %s', (_group, cases) => {
  test.each(cases)('%s', async (_name, req, expected) => {
    expect(await simulate(req())).toBe(expected);
  });
});

test('KMS uses are bound to the archive bucket by encryption context (checked here: iam-simulate ignores the key)', () => {
  const bucketContext = {
    operator: 'StringLike',
    key: 'kms:EncryptionContext:aws:s3:arn',
    value: [BUCKET, `${BUCKET}/*`],
  };
  expect(keyContextConditions).toEqual([
    { sid: 'AllowLogDeliveryToUseTheKey', ...bucketContext },
    { sid: 'AllowMemberReplicationRolesToEncrypt', ...bucketContext },
  ]);
  expect(memberContextConditions.map((c) => c.sid)).toEqual([
    'DecryptSourceObjects',
    'EncryptReplicasWithCentralKey',
  ]);
  expect(memberContextConditions[1].value).toEqual([BUCKET, `${BUCKET}/*`]);
});

test('the matrix has at least 20 cases', () => {
  expect(
    deliveryCases.length + replicationCases.length + adminCases.length + kmsCases.length,
  ).toBeGreaterThanOrEqual(20);
});
