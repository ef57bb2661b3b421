import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import { CentralArchiveStack } from '../src/central/index.js';
import {
  FlowLogDelivery,
  type MemberFlowLogsProps,
  MemberFlowLogsStack,
  VpcSelection,
} from '../src/member/index.js';
import { OrgRolloutStack } from '../src/rollout/index.js';
import { CENTRAL, MEMBER_A, MEMBER_B, ORG_ID, REGION } from './helpers.js';
import { acknowledgements, nagFindings } from './nag-helper.js';

const BUCKET = `arn:aws:s3:::flowlake-flowlogs-${CENTRAL}-${REGION}`;
const KEY = `arn:aws:kms:${REGION}:${CENTRAL}:key/11111111-2222-3333-4444-555555555555`;
const DELIVERIES: Record<string, () => MemberFlowLogsProps['delivery']> = {
  'direct-s3': () => FlowLogDelivery.directToS3({ centralBucketArn: BUCKET }),
  'replication (key alias)': () =>
    FlowLogDelivery.replication({ centralBucketArn: BUCKET, centralAccount: CENTRAL, centralRegion: REGION }),
  replication: () =>
    FlowLogDelivery.replication({
      centralBucketArn: BUCKET,
      centralKeyArn: KEY,
      centralAccount: CENTRAL,
      replicationTimeControl: true,
    }),
};

/** Every stack of one delivery path: central, members (all VPCs and listed ids, with and without env), rollout. */
function stacksOf(path: string): Stack[] {
  const app = new App();
  const central = new CentralArchiveStack(app, 'Central', {
    env: { account: CENTRAL, region: REGION },
    organizationId: ORG_ID,
    memberAccounts: [MEMBER_A, MEMBER_B],
    allowReplication: path.startsWith('replication'),
    objectLock: { mode: 'GOVERNANCE', days: 30 },
  });
  const delivery = DELIVERIES[path];
  const all = new MemberFlowLogsStack(app, 'MemberAll', {
    env: { account: MEMBER_A, region: REGION },
    delivery: delivery(),
  });
  const listed = new MemberFlowLogsStack(app, 'MemberIds', {
    env: { account: MEMBER_B, region: REGION },
    delivery: delivery(),
    selection: VpcSelection.ids(['vpc-0123456789abcdef0', 'subnet-01234567']),
  });
  const agnostic = new MemberFlowLogsStack(app, 'MemberAgnostic', { delivery: delivery() });
  const rollout = new OrgRolloutStack(app, 'Rollout', {
    env: { account: '123456789012', region: REGION },
    member: { delivery: delivery() },
    organizationalUnitIds: ['r-ab12'],
    regions: [REGION],
  });
  return [central, all, listed, agnostic, rollout];
}

describe.each(Object.keys(DELIVERIES))(
  'cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS 3.2.1: %s path',
  (path) => {
    const stacks = stacksOf(path);
    test.each(stacks.map((s) => [s.stackName, s] as const))(
      '%s has zero unacknowledged findings',
      (_name, stack) => {
        expect(nagFindings(stack)).toEqual([]);
      },
    );
    test('every acknowledgement has a reason', () => {
      const acks = stacks.flatMap((s) => acknowledgements(s));
      expect(acks.length).toBeGreaterThan(0);
      for (const a of acks) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThanOrEqual(40);
    });
  },
);

test('the nag helper does report findings (a plain bucket fails S1, SSL and KMS rules)', () => {
  const stack = new Stack(new App(), 'Plain');
  new s3.Bucket(stack, 'Plain');
  const findings = nagFindings(stack);
  expect(findings).toEqual(
    expect.arrayContaining([
      'AwsSolutions-S1 Plain/Plain/Resource',
      'AwsSolutions-S10 Plain/Plain/Resource',
      'NIST.800.53.R5-S3DefaultEncryptionKMS Plain/Plain/Resource',
      'PCI.DSS.321-S3BucketSSLRequestsOnly Plain/Plain/Resource',
      'HIPAA.Security-S3BucketVersioningEnabled Plain/Plain/Resource',
    ]),
  );
});
