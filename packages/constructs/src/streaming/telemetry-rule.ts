import * as observabilityadmin from 'aws-cdk-lib/aws-observabilityadmin';
import { Construct } from 'constructs';
import { resolveLogFormat } from '../internal/log-format.js';
import { memberLogGroupName } from './member-streaming.js';

/** Properties of {@link OrganizationFlowLogTelemetryRule}. */
export interface OrganizationFlowLogTelemetryRuleProps {
  /** Regions whose VPCs get flow logs (one rule per Region, each writing to that Region's flowlake log group). */
  readonly regions: readonly string[];
  /** Organization, OU or account the rules apply to (`o-...`, `ou-...`). @default - the whole organization */
  readonly scope?: string;
  /** Flow log format string. @default - every VPC field of versions 2-8 */
  readonly logFormat?: string;
  /** Traffic to record. @default 'ALL' */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** Aggregation interval in seconds. @default 60 */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
  /** Days the log groups the rule creates keep data. @default 30 */
  readonly retentionInDays?: number;
}

/**
 * The AWS-native alternative to flowlake's enrollment Lambda for `all` VPCs on the streaming paths: Amazon
 * CloudWatch organization telemetry rules (`AWS::ObservabilityAdmin::OrganizationTelemetryRule`, deployed in the
 * management or delegated-admin account) give every VPC in scope a flow log to CloudWatch Logs, named like the
 * member log group that {@link MemberStreamingFlowLogs} creates and subscribes. See docs/streaming.md for the
 * trade-offs (format control, naming, cost).
 */
export class OrganizationFlowLogTelemetryRule extends Construct {
  /** One rule per Region (construct id = the Region). */
  public readonly rules: observabilityadmin.CfnOrganizationTelemetryRule[] = [];

  constructor(scope: Construct, id: string, props: OrganizationFlowLogTelemetryRuleProps) {
    super(scope, id);
    if (props.regions.length === 0) throw new Error('regions: give at least one Region.');
    const format = resolveLogFormat(props.logFormat);
    for (const region of props.regions) {
      this.rules.push(
        new observabilityadmin.CfnOrganizationTelemetryRule(this, region, {
          ruleName: `flowlake-vpc-flow-logs-${region}`,
          rule: {
            resourceType: 'AWS::EC2::VPC',
            telemetryType: 'Logs',
            ...(props.scope ? { scope: props.scope } : {}),
            regions: [region],
            destinationConfiguration: {
              destinationType: 'cloud-watch-logs',
              destinationPattern: memberLogGroupName(region),
              retentionInDays: props.retentionInDays ?? 30,
              vpcFlowLogParameters: {
                logFormat: format.toString(),
                trafficType: props.trafficType ?? 'ALL',
                maxAggregationInterval: props.maxAggregationIntervalSeconds ?? 60,
              },
            },
          },
        }),
      );
    }
  }
}
