import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { FlowLogDelivery, type MemberFlowLogsProps, VpcSelection } from '../../src/member/index.js';
import {
  OrgRolloutStack,
  type OrgRolloutStackProps,
  synthesizeMemberTemplate,
  TEMPLATE_BODY_LIMIT_BYTES,
} from '../../src/rollout/index.js';
import { CENTRAL } from '../helpers.js';

const BUCKET = 'arn:aws:s3:::flowlake-flowlogs-999999999999-eu-west-1';
const KEY = 'arn:aws:kms:eu-west-1:999999999999:key/11111111-2222-3333-4444-555555555555';
const MEMBER: MemberFlowLogsProps = {
  delivery: FlowLogDelivery.replication({
    centralBucketArn: BUCKET,
    centralKeyArn: KEY,
    centralAccount: CENTRAL,
  }),
};
const OU = 'ou-ab12-cdef3456';

function rollout(extra: Partial<OrgRolloutStackProps> = {}): OrgRolloutStack {
  return new OrgRolloutStack(new App(), 'Rollout', {
    env: { account: '123456789012', region: 'eu-west-1' },
    member: MEMBER,
    organizationalUnitIds: [OU],
    regions: ['eu-west-1', 'us-east-1'],
    ...extra,
  });
}

describe('OrgRolloutStack', () => {
  test('a service-managed StackSet with auto-deployment to the OUs and regions', () => {
    Template.fromStack(
      rollout({ callAs: 'DELEGATED_ADMIN', maxConcurrentPercentage: 50 }),
    ).hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'flowlake-member-flow-logs',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OperationPreferences: {
        MaxConcurrentPercentage: 50,
        FailureTolerancePercentage: 10,
        RegionConcurrencyType: 'PARALLEL',
      },
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['eu-west-1', 'us-east-1'] },
      ],
    });
  });

  test('the TemplateBody is the asset-free, environment-agnostic member template', () => {
    const stack = rollout();
    const body = Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet');
    const text = (Object.values(body)[0] as { Properties: { TemplateBody: string } }).Properties.TemplateBody;
    expect(text).toBe(stack.templateBody);
    const template = JSON.parse(text);
    expect(template.Parameters?.BootstrapVersion).toBeUndefined();
    expect(template.Rules).toBeUndefined();
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining(['Custom::FlowlakeVpcFlowLogs', 'AWS::S3::Bucket', 'AWS::IAM::Role']),
    );
    expect(types).not.toContain('AWS::CDK::Metadata');
    expect(text).not.toMatch(/\d{12}:role\/cdk-|S3Key|"Fn::ImportValue"/);
    expect(Buffer.byteLength(text)).toBeLessThan(TEMPLATE_BODY_LIMIT_BYTES);
  });

  test('a member template over 51,200 bytes is refused with the fix', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `vpc-${i.toString(16).padStart(17, '0')}`);
    expect(() => synthesizeMemberTemplate({ ...MEMBER, selection: VpcSelection.ids(ids) })).toThrow(
      /over the 51200-byte limit.*VpcSelection.all\(\).*TemplateURL/,
    );
  });

  test('bad targets are all named at once', () => {
    expect(() =>
      rollout({ organizationalUnitIds: ['ou-1'], regions: ['Europe'], failureTolerancePercentage: 150 }),
    ).toThrow(/'ou-1' is not an OU id.*'Europe' is not a region.*failureTolerancePercentage/);
    expect(() => rollout({ organizationalUnitIds: [], regions: [] })).toThrow(
      /organizationalUnitIds is empty.*regions is empty/,
    );
  });
});
