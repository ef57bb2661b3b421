import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { VpcSelection } from '../../src/member/vpc-selection.js';
import {
  accountSubscriptionPolicy,
  MemberStreamingFlowLogs,
  type MemberStreamingFlowLogsProps,
  OrganizationFlowLogTelemetryRule,
} from '../../src/streaming/index.js';
import { CENTRAL, MEMBER_A, REGION } from '../helpers.js';
import { nagFindings } from '../nag-helper.js';

const DEST = `arn:aws:logs:${REGION}:${CENTRAL}:destination:flowlake-flowlogs`;

function member(props: Partial<MemberStreamingFlowLogsProps> = {}) {
  const stack = new Stack(new App(), 'Member', { env: { account: MEMBER_A, region: REGION } });
  const m = new MemberStreamingFlowLogs(stack, 'Streaming', { destinationArn: DEST, ...props });
  return { stack, m, template: Template.fromStack(stack) };
}

describe('MemberStreamingFlowLogs', () => {
  const { stack, template } = member({
    selection: VpcSelection.ids(['vpc-0123456789abcdef0', 'subnet-01234567']),
  });

  it('creates a KMS-encrypted log group with retention and flow logs into it with their role', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/flowlake/vpcflowlogs/${REGION}`,
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 30,
    });
    template.resourceCountIs('AWS::EC2::FlowLog', 2);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceId: 'vpc-0123456789abcdef0',
      ResourceType: 'VPC',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: `/flowlake/vpcflowlogs/${REGION}`,
      DeliverLogsPermissionArn: Match.anyValue(),
      LogFormat: Match.stringLikeRegexp('^\\$\\{version\\} \\$\\{account-id\\}.*\\$\\{region\\}'),
      MaxAggregationInterval: 60,
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': MEMBER_A },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ],
      },
    });
  });

  it('subscribes the log group to the central destination', () => {
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: `/flowlake/vpcflowlogs/${REGION}`,
      DestinationArn: DEST,
      FilterPattern: '',
    });
  });

  it('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('for all VPCs prepares only the log group and subscription (the telemetry rule creates flow logs)', () => {
    const t = member().template;
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
    t.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
  });

  it('offers the account-level subscription filter policy excluding flowlake log groups', () => {
    const t = member({ subscription: 'account-policy', excludedLogGroups: ['/aws/lambda/other'] }).template;
    t.hasResourceProperties('AWS::Logs::AccountPolicy', {
      PolicyName: 'flowlake-flowlogs',
      PolicyType: 'SUBSCRIPTION_FILTER_POLICY',
      Scope: 'ALL',
      PolicyDocument: JSON.stringify({ DestinationArn: DEST, FilterPattern: '', Distribution: 'Random' }),
      SelectionCriteria:
        `LogGroupName NOT IN ["/aws/lambda/flowlake-flowlogs-transform-${REGION}", "/aws/kinesisfirehose/flowlake-flowlogs", ` +
        `"/aws/lambda/flowlake-flowlogs-kinesis-transform-${REGION}", "/aws/kinesisfirehose/flowlake-flowlogs-kinesis", "/aws/lambda/other"]`,
    });
    expect(() =>
      accountSubscriptionPolicy(
        DEST,
        REGION,
        Array.from({ length: 60 }, (_, i) => `/g${i}`),
      ),
    ).toThrow(/at most 50/);
  });
});

describe('OrganizationFlowLogTelemetryRule', () => {
  it('creates one VPC flow-log rule per Region into the member log group name', () => {
    const stack = new Stack(new App(), 'Mgmt', { env: { account: '123456789012', region: 'us-east-1' } });
    new OrganizationFlowLogTelemetryRule(stack, 'Rule', {
      regions: ['eu-west-1', 'us-east-1'],
      trafficType: 'REJECT',
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ObservabilityAdmin::OrganizationTelemetryRule', 2);
    t.hasResourceProperties('AWS::ObservabilityAdmin::OrganizationTelemetryRule', {
      RuleName: 'flowlake-vpc-flow-logs-eu-west-1',
      Rule: {
        ResourceType: 'AWS::EC2::VPC',
        TelemetryType: 'Logs',
        Regions: ['eu-west-1'],
        DestinationConfiguration: {
          DestinationType: 'cloud-watch-logs',
          DestinationPattern: '/flowlake/vpcflowlogs/eu-west-1',
          RetentionInDays: 30,
          VPCFlowLogParameters: Match.objectLike({ TrafficType: 'REJECT', MaxAggregationInterval: 60 }),
        },
      },
    });
  });
});
