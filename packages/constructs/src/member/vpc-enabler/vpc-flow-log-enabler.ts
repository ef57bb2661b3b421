import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag, iam5Resource } from '../../internal/nag.js';
import type { EnablerConfig } from './handler.js';
import { enablerInlineCode } from './inline-code.js';

/** Lambda runtime of the enabler: the newest explicit Node.js runtime in aws-cdk-lib 2.276. */
export const ENABLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Properties of {@link VpcFlowLogEnabler}. */
export interface VpcFlowLogEnablerProps {
  /** What each VPC's flow log must look like. */
  readonly config: EnablerConfig;
  /**
   * How often every VPC is reconciled besides the CreateVpc events.
   * @default Duration.hours(6)
   */
  readonly reconcileEvery?: Duration;
}

/**
 * Gives every VPC of the account/region, existing and future, a flow log: a custom resource reconciles at deploy,
 * an EventBridge rule on CloudTrail `CreateVpc` covers new VPCs, and a schedule catches anything missed.
 * Asset-free: the handler is inlined.
 */
export class VpcFlowLogEnabler extends Construct {
  /** The enabler function. */
  public readonly function: lambda.Function;
  /** The custom resource that reconciles at deploy time (primary child). */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: VpcFlowLogEnablerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'flowlake: create and remove VPC flow logs to S3',
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeVpcsAndFlowLogs',
          actions: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'CreateFlowLogs',
          actions: ['ec2:CreateFlowLogs'],
          resources: [
            stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: '*' }),
            stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'TagNewFlowLogs',
          actions: ['ec2:CreateTags'],
          resources: [stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' })],
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateFlowLogs' } },
        }),
        new iam.PolicyStatement({
          sid: 'DeleteOnlyManagedFlowLogs',
          actions: ['ec2:DeleteFlowLogs'],
          resources: [stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' })],
          conditions: { StringEquals: { [`aws:ResourceTag/${props.config.tagKey}`]: 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'LogDeliveryForS3FlowLogs',
          actions: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
          resources: ['*'],
        }),
      ],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'flowlake: VPC flow-log enabler',
      managedPolicies: [policy],
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logWrite = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: 'flowlake: VPC flow-log enabler writes its own log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.logGroupArn}:*`],
        }),
      ],
    });
    role.addManagedPolicy(logWrite);

    this.function = new lambda.Function(this, 'Function', {
      description: 'flowlake: creates a flow log for every VPC (idempotent)',
      runtime: ENABLER_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromInline(enablerInlineCode()),
      timeout: Duration.minutes(5),
      memorySize: 256,
      role,
      logGroup,
      environment: { CONFIG: JSON.stringify(props.config) },
    });
    this.function.node.addDependency(logWrite, policy);

    const target = new targets.LambdaFunction(this.function, {
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });
    new events.Rule(this, 'OnCreateVpc', {
      description: 'flowlake: flow log for every new VPC (needs a CloudTrail trail with management events)',
      eventPattern: {
        source: ['aws.ec2'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['CreateVpc', 'CreateDefaultVpc'] },
      },
      targets: [target],
    });
    new events.Rule(this, 'Reconcile', {
      description: 'flowlake: periodic reconciliation of VPC flow logs',
      schedule: events.Schedule.rate(props.reconcileEvery ?? Duration.hours(6)),
      targets: [target],
    });

    this.acknowledgeNag(policy, logWrite, logGroup);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::FlowlakeVpcFlowLogs',
      properties: { Config: JSON.stringify(props.config) },
    });
  }

  private acknowledgeNag(
    policy: iam.ManagedPolicy,
    logWrite: iam.ManagedPolicy,
    logGroup: logs.LogGroup,
  ): void {
    const stack = Stack.of(this);
    acknowledgeNag(
      policy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'ec2:DescribeVpcs, ec2:DescribeFlowLogs, logs:CreateLogDelivery and logs:DeleteLogDelivery do not support ' +
        'resource-level permissions.',
    );
    acknowledgeNag(
      policy,
      [
        iam5Resource(this, stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: '*' })),
        iam5Resource(this, stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' })),
      ],
      'Every VPC of this account and region gets a flow log, including VPCs created later (ids unknown at deploy); ' +
        'deletion is limited to flow logs tagged flowlake:managed.',
    );
    acknowledgeNag(
      logWrite,
      [iam5Resource(this, `${logGroup.logGroupArn}:*`)],
      "Log streams of the function's own log group only.",
    );
    acknowledgeNag(
      logGroup,
      ['CloudWatchLogGroupEncrypted'],
      'The log holds VPC ids and API error codes, no flow data; CloudWatch Logs encrypts it at rest. A KMS key per ' +
        'member account and region ($1/month each) would cost thousands a month at organization scale.',
    );
    acknowledgeNag(
      this.function,
      ['LambdaConcurrency'],
      'A few invocations a day (deploy, CreateVpc events, 6-hourly reconciliation); reserving concurrency would ' +
        "take it from every member account's pool.",
    );
    acknowledgeNag(
      this.function,
      ['LambdaDLQ'],
      'Async invocations come from EventBridge rules with 4 retries, and the scheduled reconciliation re-covers any ' +
        'VPC a failed invocation missed, so a dead-letter queue would add no recovery.',
    );
    acknowledgeNag(
      this.function,
      ['LambdaInsideVPC'],
      'The function calls only the EC2 API and must work in accounts with no VPC or no VPC endpoints; it handles no ' +
        'data from inside any VPC.',
    );
  }
}
