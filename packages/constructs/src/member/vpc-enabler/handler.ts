/**
 * Lambda handler that gives every VPC of the account/region a flow log to the configured S3 destination.
 * Invoked by a CloudFormation custom resource (existing VPCs), an EventBridge rule on CloudTrail `CreateVpc` (new
 * VPCs) and a schedule (reconciliation). Idempotent: it looks up existing flow logs first.
 *
 * The member stack must stay asset-free (it is a StackSet template), so this file is bundled with esbuild at synth
 * time and inlined (`Code.fromInline`, at most 4,096 characters). That is why it uses no Powertools: its logs and
 * metrics are the same JSON / CloudWatch Embedded Metric Format lines, written directly.
 */
import {
  CreateFlowLogsCommand,
  DeleteFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type FlowLog,
} from '@aws-sdk/client-ec2';

/** What every flow log must look like; read from the function's environment. */
export interface EnablerConfig {
  readonly destination: string;
  readonly logFormat: string;
  readonly trafficType: string;
  readonly interval: number;
  readonly fileFormat: string;
  readonly hive: boolean;
  readonly perHour: boolean;
  readonly tagKey: string;
  readonly tags: Record<string, string>;
}

/** Reads the configuration from the `CONFIG` environment variable (JSON, set by the construct). */
export function configFromEnv(env: Record<string, string | undefined>): EnablerConfig {
  return JSON.parse(env.CONFIG ?? '{}');
}

/** True when an existing flow log already delivers what the configuration asks for. */
export function matches(fl: FlowLog, cfg: EnablerConfig): boolean {
  return (
    fl.LogDestination === cfg.destination &&
    fl.LogFormat === cfg.logFormat &&
    fl.TrafficType === cfg.trafficType &&
    fl.MaxAggregationInterval === cfg.interval
  );
}

/** Every VPC id of the account/region. */
export async function listVpcIds(ec2: EC2Client): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const r = await ec2.send(new DescribeVpcsCommand({ NextToken }));
    for (const v of r.Vpcs ?? []) if (v.VpcId) ids.push(v.VpcId);
    NextToken = r.NextToken;
  } while (NextToken);
  return ids;
}

/** Flow logs whose resource is one of `vpcIds` (all flow logs when `vpcIds` is undefined). */
export async function listFlowLogs(ec2: EC2Client, vpcIds?: string[]): Promise<FlowLog[]> {
  const out: FlowLog[] = [];
  let NextToken: string | undefined;
  const Filter = vpcIds ? [{ Name: 'resource-id', Values: vpcIds }] : undefined;
  do {
    const r = await ec2.send(new DescribeFlowLogsCommand({ Filter, NextToken }));
    out.push(...(r.FlowLogs ?? []));
    NextToken = r.NextToken;
  } while (NextToken);
  return out;
}

/** Splits a list into chunks of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Result of one reconciliation. */
export interface EnsureResult {
  readonly created: string[];
  readonly removed: string[];
  readonly failed: string[];
}

/**
 * Gives each VPC of `vpcIds` a matching flow log, then removes flowlake-managed flow logs of those VPCs that no
 * longer match the configuration (after the replacement exists, so no gap in coverage).
 */
export async function ensureFlowLogs(
  ec2: EC2Client,
  vpcIds: string[],
  cfg: EnablerConfig,
): Promise<EnsureResult> {
  const created: string[] = [];
  const failed: string[] = [];
  const removed: string[] = [];
  for (const batch of chunks(vpcIds, 25)) {
    const existing = await listFlowLogs(ec2, batch);
    const missing = batch.filter((id) => !existing.some((fl) => fl.ResourceId === id && matches(fl, cfg)));
    if (missing.length > 0) {
      const r = await ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: 'VPC',
          ResourceIds: missing,
          TrafficType: cfg.trafficType as 'ALL',
          LogDestinationType: 's3',
          LogDestination: cfg.destination,
          LogFormat: cfg.logFormat,
          MaxAggregationInterval: cfg.interval,
          DestinationOptions: {
            FileFormat: cfg.fileFormat as 'parquet',
            HiveCompatiblePartitions: cfg.hive,
            PerHourPartition: cfg.perHour,
          },
          TagSpecifications: [
            {
              ResourceType: 'vpc-flow-log',
              Tags: Object.entries({ ...cfg.tags, [cfg.tagKey]: 'true' }).map(([Key, Value]) => ({
                Key,
                Value,
              })),
            },
          ],
        }),
      );
      const bad = new Set((r.Unsuccessful ?? []).map((u) => u.ResourceId ?? ''));
      for (const id of missing) (bad.has(id) ? failed : created).push(id);
      for (const u of r.Unsuccessful ?? [])
        log('ERROR', 'CreateFlowLogs failed', { vpc: u.ResourceId, error: u.Error });
    }
    const stale = existing.filter(
      (fl) =>
        !matches(fl, cfg) &&
        !failed.includes(fl.ResourceId ?? '') &&
        (fl.Tags ?? []).some((t) => t.Key === cfg.tagKey),
    );
    removed.push(...(await deleteFlowLogs(ec2, stale)));
  }
  return { created, removed, failed };
}

/** Deletes the given flow logs (at most 1,000, the API limit); returns the ids AWS deleted. */
export async function deleteFlowLogs(ec2: EC2Client, flowLogs: FlowLog[]): Promise<string[]> {
  const ids = flowLogs.map((fl) => fl.FlowLogId ?? '');
  if (ids.length === 0) return [];
  const r = await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: ids }));
  const bad = (r.Unsuccessful ?? []).map((u) => u.ResourceId);
  return ids.filter((id) => !bad.includes(id));
}

/** The VPC id of a CloudTrail `CreateVpc`/`CreateDefaultVpc` event delivered by EventBridge, if the call succeeded. */
export function vpcIdFromEvent(event: unknown): string | undefined {
  const detail = (
    event as { detail?: { eventName?: string; responseElements?: { vpc?: { vpcId?: string } } } }
  ).detail;
  return /^Create(Default)?Vpc$/.test(detail?.eventName ?? '')
    ? detail?.responseElements?.vpc?.vpcId
    : undefined;
}

/** Writes one structured JSON log line. */
export function log(level: string, message: string, data: object = {}): void {
  console.log(JSON.stringify({ level, message, ...data }));
}

/**
 * Logs a result as one CloudWatch Embedded Metric Format line: metrics `created`, `removed`, `failed` (Count) in
 * namespace `flowlake`, plus the VPC ids.
 */
export function report(message: string, r: EnsureResult): void {
  const Metrics = ['created', 'removed', 'failed'].map((Name) => ({ Name, Unit: 'Count' }));
  log('INFO', message, {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: 'flowlake', Dimensions: [[]], Metrics }],
    },
    created: r.created.length,
    removed: r.removed.length,
    failed: r.failed.length,
    vpcs: r,
  });
}

/** A CloudFormation custom resource request (the fields used here). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

/** Sends the custom resource result to CloudFormation. */
export async function respond(e: CustomResourceEvent, ok: boolean, reason: string): Promise<void> {
  const body = JSON.stringify({
    Status: ok ? 'SUCCESS' : 'FAILED',
    Reason: reason.slice(0, 3000),
    PhysicalResourceId: e.PhysicalResourceId ?? 'flowlake-vpc-flow-logs',
    StackId: e.StackId,
    RequestId: e.RequestId,
    LogicalResourceId: e.LogicalResourceId,
  });
  await fetch(e.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
}

/**
 * Handles one invocation. Custom resource: Create/Update reconcile every VPC (failures fail the deployment),
 * Delete removes the flowlake-managed flow logs and never blocks stack deletion. CreateVpc events reconcile that
 * VPC; any other event (the schedule) reconciles every VPC.
 */
export async function handle(ec2: EC2Client, event: unknown, cfg: EnablerConfig): Promise<EnsureResult> {
  const cr = event as CustomResourceEvent;
  const empty: EnsureResult = { created: [], removed: [], failed: [] };
  if (!cr.RequestType) {
    const vpc = vpcIdFromEvent(event);
    const r = await ensureFlowLogs(ec2, vpc ? [vpc] : await listVpcIds(ec2), cfg);
    report('reconciled', r);
    if (r.failed.length > 0) throw new Error(`flow log creation failed for ${r.failed.join(', ')}`);
    return r;
  }
  try {
    let r = empty;
    if (cr.RequestType === 'Delete') {
      const managed = (await listFlowLogs(ec2)).filter((fl) =>
        (fl.Tags ?? []).some((t) => t.Key === cfg.tagKey),
      );
      r = { ...empty, removed: await deleteFlowLogs(ec2, managed) };
    } else {
      r = await ensureFlowLogs(ec2, await listVpcIds(ec2), cfg);
    }
    report(cr.RequestType, r);
    const ok = r.failed.length === 0 || cr.RequestType === 'Delete';
    await respond(
      cr,
      ok,
      ok ? 'OK' : `flow log creation failed for ${r.failed.join(', ')}; see the function log`,
    );
    return r;
  } catch (err) {
    log('ERROR', 'failed', { error: String(err) });
    await respond(cr, cr.RequestType === 'Delete', String(err));
    return empty;
  }
}

const client = new EC2Client({});

/** Lambda entry point. */
export const handler = (event: unknown): Promise<EnsureResult> =>
  handle(client, event, configFromEnv(process.env));
