import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { resolveLogFormat } from '../internal/log-format.js';
import { MANAGED_TAG_KEY } from '../internal/names.js';
import type { FlowLogDelivery, FlowLogDeliveryConfig } from './delivery.js';
import type { EnablerConfig } from './vpc-enabler/handler.js';
import { VpcFlowLogEnabler } from './vpc-enabler/vpc-flow-log-enabler.js';
import { VpcSelection } from './vpc-selection.js';

/** Properties of {@link MemberFlowLogs}. */
export interface MemberFlowLogsProps {
  /** How flow logs reach the central archive (`FlowLogDelivery.directToS3(...)` or `.replication(...)`). */
  readonly delivery: FlowLogDelivery;
  /** Which VPCs, subnets or network interfaces get flow logs. @default VpcSelection.all() */
  readonly selection?: VpcSelection;
  /**
   * Flow-log field list (`${version} ${account-id} ...`).
   * @default - every VPC field of versions 2-8 (no Transit Gateway fields)
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
   */
  readonly logFormat?: string;
  /** Traffic to record. @default 'ALL' */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** Maximum aggregation interval in seconds (60 or 600). @default 60 */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
  /** S3 file format. @default 'parquet' */
  readonly fileFormat?: 'parquet' | 'plain-text';
  /** Hive-compatible S3 prefixes (`aws-account-id=.../`). @default true */
  readonly hivePartitions?: boolean;
  /** Hourly instead of daily partitions. @default true */
  readonly perHourPartition?: boolean;
  /** Tags for every flow log and resource created. @default - none */
  readonly tags?: { [key: string]: string };
}

/**
 * Flow logs of one member account/region, delivered to the central archive. Selected ids get one `AWS::EC2::FlowLog`
 * each (construct id = the resource id); `VpcSelection.all()` uses a {@link VpcFlowLogEnabler} (id `Resource`).
 */
export class MemberFlowLogs extends Construct {
  /** The flow-log destination (S3 ARN, with optional folder). */
  public readonly logDestination: string;
  /** The L1 flow logs of explicitly selected resources. */
  public readonly flowLogs: ec2.CfnFlowLog[] = [];
  /** The enabler, when every VPC is selected. */
  public readonly enabler?: VpcFlowLogEnabler;
  /** The format string every flow log uses. */
  public readonly logFormat: string;

  constructor(scope: Construct, id: string, props: MemberFlowLogsProps) {
    super(scope, id);
    const format = resolveLogFormat(props.logFormat);
    const tgw = format.fields.filter((f) => f.scope === 'transit-gateway').map((f) => f.name);
    if (tgw.length > 0) {
      throw new Error(
        `logFormat: ${tgw.join(', ')} are Transit Gateway fields; VPC flow logs cannot record them.`,
      );
    }
    this.logFormat = format.names.map((n) => `\${${n}}`).join(' ');
    const interval = props.maxAggregationIntervalSeconds ?? 60;
    if (interval !== 60 && interval !== 600) {
      throw new Error(`maxAggregationIntervalSeconds must be 60 or 600, got ${interval}.`);
    }
    const delivery: FlowLogDeliveryConfig = props.delivery.bind(this);
    this.logDestination = delivery.logDestination;
    const options = {
      FileFormat: props.fileFormat ?? 'parquet',
      HiveCompatiblePartitions: props.hivePartitions ?? true,
      PerHourPartition: props.perHourPartition ?? true,
    };
    const tags = props.tags ?? {};
    const selection = props.selection ?? VpcSelection.all();

    if (selection.isAll) {
      const config: EnablerConfig = {
        destination: this.logDestination,
        logFormat: this.logFormat,
        trafficType: props.trafficType ?? 'ALL',
        interval,
        fileFormat: options.FileFormat,
        hive: options.HiveCompatiblePartitions,
        perHour: options.PerHourPartition,
        tagKey: MANAGED_TAG_KEY,
        tags: { ...tags },
      };
      this.enabler = new VpcFlowLogEnabler(this, 'Resource', { config });
      this.enabler.node.addDependency(...delivery.dependables);
    } else {
      for (const r of selection.resources) {
        const fl = new ec2.CfnFlowLog(this, r.id, {
          resourceId: r.id,
          resourceType: r.kind,
          trafficType: props.trafficType ?? 'ALL',
          logDestinationType: 's3',
          logDestination: this.logDestination,
          logFormat: this.logFormat,
          maxAggregationInterval: interval,
          destinationOptions: options,
          tags: Object.entries({ ...tags, [MANAGED_TAG_KEY]: 'true' }).map(([key, value]) => ({
            key,
            value,
          })),
        });
        fl.node.addDependency(...delivery.dependables);
        this.flowLogs.push(fl);
      }
    }
    for (const [k, v] of Object.entries(tags)) Tags.of(this).add(k, v);
  }
}
