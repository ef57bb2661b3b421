import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolveLogFormat } from '../internal/log-format.js';
import { acknowledgeNag, iam5Resource } from '../internal/nag.js';
import { MANAGED_TAG_KEY } from '../internal/names.js';
import { VpcSelection } from '../member/vpc-selection.js';
import { logGroupKey } from './log-group-key.js';

/** Name of the member log group flow logs write to in a Region (the telemetry rule uses the same name). */
export function memberLogGroupName(region: string): string {
  return `/flowlake/vpcflowlogs/${region}`;
}

/** How the member log group reaches the central destination. */
export type SubscriptionMode = 'log-group' | 'account-policy';

/** Properties of {@link MemberStreamingFlowLogs}. */
export interface MemberStreamingFlowLogsProps {
  /** ARN of the central CloudWatch Logs destination in this Region. */
  readonly destinationArn: string;
  /**
   * Resources that get flow logs. `VpcSelection.all()` creates no flow logs here: the organization telemetry rule
   * ({@link OrganizationFlowLogTelemetryRule}) creates them into this log group.
   * @default VpcSelection.all()
   */
  readonly selection?: VpcSelection;
  /** Flow log format string. @default - every VPC field of versions 2-8 */
  readonly logFormat?: string;
  /** Traffic to record. @default 'ALL' */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** Aggregation interval in seconds. @default 60 */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
  /** Days the member copy is kept (the central bucket is the archive). @default logs.RetentionDays.ONE_MONTH */
  readonly retention?: logs.RetentionDays;
  /**
   * `log-group`: a subscription filter on the flow-log group (one of its two filter slots).
   * `account-policy`: the account-level subscription filter policy (one per account and Region), which subscribes
   * every log group except `excludedLogGroups` and flowlake's own.
   * @default 'log-group'
   */
  readonly subscription?: SubscriptionMode;
  /** Extra log group names the account policy must not subscribe (at most 50 in total). @default - none */
  readonly excludedLogGroups?: readonly string[];
}

/**
 * Member side of the streaming paths in one account and Region: a KMS-encrypted log group with retention, flow logs
 * into it with their delivery role (least privilege, confused-deputy conditions), and the subscription to the
 * central destination (a subscription filter, or the account-level subscription filter policy).
 */
export class MemberStreamingFlowLogs extends Construct {
  /** The flow-log log group (construct id `LogGroup`). */
  public readonly logGroup: logs.LogGroup;
  /** Its key. */
  public readonly key: kms.Key;
  /** The flow logs' delivery role, when this construct creates flow logs. */
  public readonly flowLogRole?: iam.Role;
  /** The L1 flow logs. */
  public readonly flowLogs: ec2.CfnFlowLog[] = [];
  /** The subscription (filter or account policy). */
  public readonly subscription: logs.CfnSubscriptionFilter | logs.CfnAccountPolicy;
  /** The format string the flow logs use. */
  public readonly logFormat: string;

  constructor(scope: Construct, id: string, props: MemberStreamingFlowLogsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const format = resolveLogFormat(props.logFormat);
    this.logFormat = format.toString();
    const interval = props.maxAggregationIntervalSeconds ?? 60;
    if (interval !== 60 && interval !== 600)
      throw new Error(`maxAggregationIntervalSeconds must be 60 or 600, got ${interval}.`);
    const logGroupName = memberLogGroupName(stack.region);

    this.key = logGroupKey(this, 'Key', 'flowlake: encrypts the member flow-log log group', logGroupName);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: this.key,
      retention: props.retention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const selection = props.selection ?? VpcSelection.all();
    if (!selection.isAll) {
      const policy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        description: 'flowlake: VPC Flow Logs write to the member flow-log group only',
        statements: [
          new iam.PolicyStatement({
            sid: 'WriteFlowLogGroup',
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [this.logGroup.logGroupArn],
          }),
          new iam.PolicyStatement({
            sid: 'FindFlowLogGroup',
            actions: ['logs:DescribeLogGroups'],
            resources: [`arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:*`],
          }),
        ],
      });
      acknowledgeNag(
        policy,
        [
          iam5Resource(this, this.logGroup.logGroupArn),
          iam5Resource(this, `arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:*`),
        ],
        'The log group ARN ends in :* (its streams, named per network interface at run time); DescribeLogGroups has no resource-level scoping.',
      );
      this.flowLogRole = new iam.Role(this, 'FlowLogRole', {
        description: 'flowlake: VPC Flow Logs deliver to the member log group',
        assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: {
              'aws:SourceArn': `arn:${Aws.PARTITION}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*`,
            },
          },
        }),
        managedPolicies: [policy],
      });
      for (const r of selection.resources) {
        const fl = new ec2.CfnFlowLog(this, r.id, {
          resourceId: r.id,
          resourceType: r.kind,
          trafficType: props.trafficType ?? 'ALL',
          logDestinationType: 'cloud-watch-logs',
          logGroupName,
          deliverLogsPermissionArn: this.flowLogRole.roleArn,
          logFormat: this.logFormat,
          maxAggregationInterval: interval,
          tags: [{ key: MANAGED_TAG_KEY, value: 'true' }],
        });
        fl.node.addDependency(this.logGroup, policy);
        this.flowLogs.push(fl);
      }
    }

    if ((props.subscription ?? 'log-group') === 'log-group') {
      this.subscription = new logs.CfnSubscriptionFilter(this, 'Subscription', {
        filterName: 'flowlake-flowlogs',
        logGroupName,
        destinationArn: props.destinationArn,
        filterPattern: '',
      });
    } else {
      this.subscription = new logs.CfnAccountPolicy(
        this,
        'Subscription',
        accountSubscriptionPolicy(props.destinationArn, stack.region, props.excludedLogGroups),
      );
    }
    this.subscription.node.addDependency(this.logGroup);
  }
}

/** Firehose stream names of the two streaming paths (`cloudwatch-firehose`, `cloudwatch-kinesis`). */
export const STREAM_NAMES = ['flowlake-flowlogs', 'flowlake-flowlogs-kinesis'] as const;

/** Log groups the streaming path itself writes in a Region (never subscribed, so nothing loops). */
export function flowlakeOwnLogGroups(region: string): string[] {
  return STREAM_NAMES.flatMap((n) => [`/aws/lambda/${n}-transform-${region}`, `/aws/kinesisfirehose/${n}`]);
}

/**
 * The account-level subscription filter policy: every log group except flowlake's own and `excluded` to the
 * destination. Selection criteria only support `LogGroupName NOT IN [...]`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters-AccountLevel.html
 */
export function accountSubscriptionPolicy(
  destinationArn: string,
  region: string,
  excluded: readonly string[] = [],
): logs.CfnAccountPolicyProps {
  const names = [...new Set([...flowlakeOwnLogGroups(region), ...excluded])];
  if (names.length > 50)
    throw new Error(`excludedLogGroups: at most 50 names in total, got ${names.length}.`);
  return {
    policyName: 'flowlake-flowlogs',
    policyType: 'SUBSCRIPTION_FILTER_POLICY',
    scope: 'ALL',
    policyDocument: JSON.stringify({
      DestinationArn: destinationArn,
      FilterPattern: '',
      Distribution: 'Random',
    }),
    selectionCriteria: `LogGroupName NOT IN [${names.map((n) => JSON.stringify(n)).join(', ')}]`,
  };
}
