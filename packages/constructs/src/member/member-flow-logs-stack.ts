import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MemberFlowLogs, type MemberFlowLogsProps } from './member-flow-logs.js';

/** Properties of {@link MemberFlowLogsStack}. */
export interface MemberFlowLogsStackProps extends StackProps, MemberFlowLogsProps {}

/**
 * One member account/region: {@link MemberFlowLogs} (construct id `FlowLogs`). Asset-free, so the same template
 * works as a per-account stack and as a StackSet template (see `OrgRolloutStack`). Deploy after the central stack.
 */
export class MemberFlowLogsStack extends Stack {
  /** The flow logs construct. */
  public readonly flowLogs: MemberFlowLogs;

  constructor(scope: Construct, id: string, props: MemberFlowLogsStackProps) {
    super(scope, id, props);
    this.flowLogs = new MemberFlowLogs(this, 'FlowLogs', props);
  }
}
