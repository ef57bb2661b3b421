import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';
import { type DestinationSenders, destinationPolicy } from './destination-policy.js';

/** Properties of {@link CentralLogDestination}. */
export interface CentralLogDestinationProps {
  /** ARN of the Kinesis data stream or Firehose stream the destination forwards to (any Region). */
  readonly targetArn: string;
  /** ARN of the role CloudWatch Logs assumes to put records into the target. */
  readonly roleArn: string;
  /** Accounts allowed to subscribe: `{ organizationId }` (constant policy size) or `{ accounts }`. */
  readonly senders: DestinationSenders;
  /** Destination name, unique in the account and Region. @default 'flowlake-flowlogs' */
  readonly destinationName?: string;
  /**
   * Resources that must exist first: CloudWatch Logs sends a test message when the destination is created, so the
   * role's permissions and the target must already be in place.
   * @default - none
   */
  readonly dependsOn?: readonly IDependable[];
}

/**
 * A CloudWatch Logs destination in the log-archive account (one per Region: log groups can only subscribe to a
 * destination in their own Region; its target may be elsewhere). Its access policy admits the organization or the
 * listed accounts and is checked against the 5,120-byte limit at synth time.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CrossAccountSubscriptions.html
 */
export class CentralLogDestination extends Construct {
  /** The L1 destination (construct id `Resource`). */
  public readonly destination: logs.CfnDestination;
  /** ARN that member subscription filters name. */
  public readonly destinationArn: string;
  /** The destination's name. */
  public readonly destinationName: string;

  constructor(scope: Construct, id: string, props: CentralLogDestinationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.destinationName = props.destinationName ?? 'flowlake-flowlogs';
    this.destinationArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:destination:${this.destinationName}`;
    this.destination = new logs.CfnDestination(this, 'Resource', {
      destinationName: this.destinationName,
      targetArn: props.targetArn,
      roleArn: props.roleArn,
      destinationPolicy: destinationPolicy(this.destinationArn, props.senders),
    });
    if (props.dependsOn?.length) this.destination.node.addDependency(...props.dependsOn);
  }
}
