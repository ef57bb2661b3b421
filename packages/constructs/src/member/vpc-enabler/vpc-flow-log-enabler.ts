import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
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
        detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['CreateVpc'] },
      },
      targets: [target],
    });
    new events.Rule(this, 'Reconcile', {
      description: 'flowlake: periodic reconciliation of VPC flow logs',
      schedule: events.Schedule.rate(props.reconcileEvery ?? Duration.hours(6)),
      targets: [target],
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::FlowlakeVpcFlowLogs',
      properties: { Config: JSON.stringify(props.config) },
    });
  }
}
