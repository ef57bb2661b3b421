/**
 * The streaming delivery paths (`cloudwatch-firehose`, `cloudwatch-kinesis`) in the app: the central Firehose path
 * (and Kinesis stream) in the central stack, a CloudWatch Logs destination per member Region, the member log group
 * and subscription stacks, and optionally the organization telemetry rule for `vpcs: all`.
 */
import {
  type CentralArchiveStack,
  MemberStreamingFlowLogs,
  OpenSearchDelivery,
  OrganizationFlowLogTelemetryRule,
  STREAM_NAMES,
  StreamingDelivery,
  StreamingSource,
  VpcSelection,
} from '@flowlake/constructs';
import { type App, Duration, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { DeliveryPath, FlowlakeConfig, MemberGroupConfig } from '../config/index.js';
import { FlowlakeError } from '../errors.js';
import type { AppPlan, PlannedStack } from './plan.js';

/** The two streaming paths. */
export type StreamingPath = 'cloudwatch-firehose' | 'cloudwatch-kinesis';

/** True for a streaming path. */
export function isStreamingPath(p: DeliveryPath | undefined): p is StreamingPath {
  return p === 'cloudwatch-firehose' || p === 'cloudwatch-kinesis';
}

/** Firehose (and Kinesis, destination) name of a path. */
export function streamNameOf(path: StreamingPath): string {
  return path === 'cloudwatch-kinesis' ? STREAM_NAMES[1] : STREAM_NAMES[0];
}

/** ARN of the destination members of `path` subscribe to in `region`. */
export function destinationArnOf(c: FlowlakeConfig, path: StreamingPath, region: string): string {
  return `arn:aws:logs:${region}:${c.central.account}:destination:${streamNameOf(path)}`;
}

function streamingGroups(c: FlowlakeConfig): { group: MemberGroupConfig; path: StreamingPath }[] {
  return c.members.flatMap((group) => {
    const path = group.delivery ?? c.delivery;
    return isStreamingPath(path) ? [{ group, path }] : [];
  });
}

/** Regions other than the home Region where members of a streaming path live (one destination stack each). */
export function destinationRegions(c: FlowlakeConfig): string[] {
  const regions = new Set(streamingGroups(c).flatMap((g) => g.group.regions));
  regions.delete(c.central.region);
  return [...regions].sort();
}

/** Whether the config asks for the organization telemetry rule (streaming groups with `vpcs: all`). */
function telemetryRegions(c: FlowlakeConfig): string[] {
  if (c.streaming.enrollment !== 'telemetry-rule') return [];
  return [
    ...new Set(streamingGroups(c).flatMap((g) => (g.group.vpcs === 'all' ? g.group.regions : []))),
  ].sort();
}

/** The extra stacks of the streaming paths, for the plan (wave 1: before any member subscribes). */
export function planStreamingStacks(c: FlowlakeConfig): PlannedStack[] {
  const paths = [...new Set(streamingGroups(c).map((g) => g.path))];
  if (paths.length === 0) return [];
  const out: PlannedStack[] = destinationRegions(c).map((region) => ({
    id: `${c.name}-central-destinations-${region}`,
    kind: 'destinations',
    account: c.central.account,
    region,
    wave: 1,
    creates: paths.map((p) => `CloudWatch Logs destination ${streamNameOf(p)} -> ${c.central.region} (${p})`),
  }));
  const tr = telemetryRegions(c);
  if (tr.length > 0 && c.organization?.managementAccount) {
    out.push({
      id: `${c.name}-telemetry`,
      kind: 'telemetry',
      account: c.organization.managementAccount,
      region: c.central.region,
      wave: 1,
      creates: [
        `organization telemetry rules: VPC flow logs to /flowlake/vpcflowlogs/<region> in ${tr.join(', ')}`,
      ],
    });
  }
  return out;
}

/** What the central stack gains per streaming path, for the plan. */
export function centralStreamingCreates(c: FlowlakeConfig): string[] {
  const paths = [...new Set(streamingGroups(c).map((g) => g.path))];
  const out = paths.map((p) =>
    p === 'cloudwatch-kinesis'
      ? `Kinesis stream + Firehose ${streamNameOf(p)} + transform Lambda + destination (${p})`
      : `Firehose ${streamNameOf(p)} + transform Lambda + destination (${p})`,
  );
  const os = c.streaming.opensearch;
  if (os?.enabled && paths.length > 0) {
    out.push(
      `OpenSearch domain ${OPENSEARCH_DOMAIN} (${os.instanceCount} x ${os.instanceType}, VPC-only, FGAC) + Firehose ${OPENSEARCH_STREAM} (one document per flow record)`,
    );
  }
  return out;
}

/** Names of the OpenSearch domain and its Firehose stream. */
export const OPENSEARCH_DOMAIN = 'flowlake-flowlogs';
export const OPENSEARCH_STREAM = 'flowlake-opensearch';

/** The OpenSearch domain and stream in the central stack, fed by every streaming path's transform. */
function buildOpenSearch(
  c: FlowlakeConfig,
  central: CentralArchiveStack,
  deliveries: Iterable<StreamingDelivery>,
): OpenSearchDelivery | undefined {
  const os = c.streaming.opensearch;
  if (!os?.enabled) return undefined;
  const search = new OpenSearchDelivery(central, 'OpenSearch', {
    bucket: central.bucket,
    bucketKey: central.key,
    domainName: OPENSEARCH_DOMAIN,
    deliveryStreamName: OPENSEARCH_STREAM,
    instanceType: os.instanceType,
    instanceCount: os.instanceCount,
    volumeGb: os.volumeGb,
    dedicatedMasterCount: os.dedicatedMasterCount,
    indexName: os.indexName,
    indexRotation: os.indexRotation,
    ...(os.masterUserArn ? { masterUserArn: os.masterUserArn } : {}),
    ...(os.vpc ? { vpc: os.vpc } : {}),
  });
  for (const d of deliveries) search.connect(d.transform);
  return search;
}

/** Config checks of the streaming paths (before any construct is created). */
export function assertStreamingBuildable(c: FlowlakeConfig, plan: AppPlan): void {
  for (const s of plan.stacks) {
    if (s.kind === 'rollout' && isStreamingPath(s.delivery)) {
      throw new FlowlakeError(
        'DeliveryNotAvailable',
        `members group '${s.group}' uses ${s.delivery} with OU targets (StackSets), which the streaming paths do not support yet`,
        {
          hint: 'list the accounts of this group (per-account stacks), or use direct-s3/replication for OU groups',
        },
      );
    }
  }
  for (const { group, path } of streamingGroups(c)) {
    if (group.vpcs === 'all' && c.streaming.enrollment === 'lambda') {
      throw new FlowlakeError(
        'EnrollmentNotAvailable',
        `members group '${group.name ?? group.accounts.join(',')}' uses ${path} with vpcs: all, but flowlake's enrollment Lambda writes only to S3 in this version`,
        {
          hint: 'set streaming.enrollment: telemetry-rule (AWS organization telemetry rule), or list the VPC ids',
        },
      );
    }
  }
  if (telemetryRegions(c).length > 0 && !c.organization?.managementAccount) {
    throw new FlowlakeError(
      'ManagementAccountRequired',
      'streaming.enrollment: telemetry-rule needs organization.managementAccount (the rule is created there)',
      { hint: 'set organization.id and organization.managementAccount' },
    );
  }
}

/** The streaming deliveries in the central stack and the destination stacks of the other Regions. */
export function buildStreamingCentral(
  app: App,
  c: FlowlakeConfig,
  plan: AppPlan,
  central: CentralArchiveStack,
): Map<StreamingPath, StreamingDelivery> {
  const out = new Map<StreamingPath, StreamingDelivery>();
  const groups = streamingGroups(c);
  const senders = c.organization
    ? { organizationId: c.organization.id }
    : { accounts: [...new Set(groups.flatMap((g) => g.group.accounts))] };
  for (const path of [...new Set(groups.map((g) => g.path))].sort()) {
    const k = c.streaming.kinesis;
    out.set(
      path,
      new StreamingDelivery(
        central,
        path === 'cloudwatch-kinesis' ? 'StreamingKinesis' : 'StreamingFirehose',
        {
          bucket: central.bucket,
          bucketKey: central.key,
          senders,
          source:
            path === 'cloudwatch-kinesis'
              ? StreamingSource.kinesis({
                  retentionHours: k.retentionHours,
                  ...(k.mode === 'provisioned' ? { shardCount: k.shards } : {}),
                })
              : StreamingSource.directPut(),
          deliveryStreamName: streamNameOf(path),
          logFormat: c.flowLogs.format,
          output: c.streaming.output,
          bufferSizeMiB: c.streaming.firehose.bufferMb,
          bufferInterval: Duration.seconds(c.streaming.firehose.bufferSeconds),
        },
      ),
    );
  }
  buildOpenSearch(c, central, out.values());
  for (const s of plan.stacks) {
    if (s.kind === 'destinations') {
      const stack = new Stack(app, s.id, {
        env: { account: s.account, region: s.region },
        description: `flowlake: CloudWatch Logs destinations in ${s.region} for the streaming paths (deploy after the central stack)`,
      });
      stack.addStackDependency(central);
      for (const [path, delivery] of out) delivery.addDestination(stack, `Destination-${path}`);
    }
    if (s.kind === 'telemetry') {
      const stack = new Stack(app, s.id, {
        env: { account: s.account, region: s.region },
        description: 'flowlake: organization telemetry rules (VPC flow logs to CloudWatch Logs)',
      });
      new OrganizationFlowLogTelemetryRule(stack, 'FlowLogs', {
        regions: telemetryRegions(c),
        logFormat: c.flowLogs.format,
        trafficType: c.flowLogs.trafficType,
        maxAggregationIntervalSeconds: c.flowLogs.aggregationInterval,
        retentionInDays: c.streaming.logGroupRetentionDays,
      });
    }
  }
  return out;
}

/** The member stack of one account/Region on a streaming path. */
export function buildStreamingMember(
  app: App,
  c: FlowlakeConfig,
  s: PlannedStack,
  group: MemberGroupConfig,
): Stack {
  const path = s.delivery as StreamingPath;
  const stack = new Stack(app, s.id, {
    env: { account: s.account, region: s.region },
    description: `flowlake: VPC flow logs of ${s.account} ${s.region} (${path}; deploy after the central stacks)`,
  });
  new MemberStreamingFlowLogs(stack, 'Streaming', {
    destinationArn: destinationArnOf(c, path, s.region),
    selection: group.vpcs === 'all' ? VpcSelection.all() : VpcSelection.ids(group.vpcs),
    logFormat: c.flowLogs.format,
    trafficType: c.flowLogs.trafficType,
    maxAggregationIntervalSeconds: c.flowLogs.aggregationInterval,
    retention: c.streaming.logGroupRetentionDays as logs.RetentionDays,
  });
  return stack;
}
