import type { FlowLog, Vpc } from '@aws-sdk/client-ec2';
import { RULES, type RuleId } from './rules.js';
import type { ExpectedDestination, Finding, FlowLogExpectation } from './types.js';

/** Result of checking one account and region. */
export interface RegionCheck {
  readonly findings: Finding[];
  readonly vpcs: number;
  readonly covered: number;
  /** Hive setting of each central S3 flow log seen, to know which prefixes to list for freshness. */
  readonly hiveLayouts: Set<boolean>;
}

const trimSlashes = (s: string): string => s.replace(/^\/+|\/+$/g, '');

/** Whether a flow log delivers to the expected central destination. */
export function deliversTo(fl: FlowLog, dest: ExpectedDestination): boolean {
  if (fl.LogDestinationType !== dest.type) return false;
  if (dest.type === 's3') {
    // LogDestination is `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/prefix/`.
    const want = dest.prefix ? `${dest.bucketArn}/${trimSlashes(dest.prefix)}` : dest.bucketArn;
    return trimSlashes(fl.LogDestination ?? '') === want;
  }
  if (dest.type === 'kinesis-data-firehose') return fl.LogDestination === dest.arn;
  return fl.LogGroupName === dest.logGroupName;
}

/** Format strings compared field by field (AWS normalizes whitespace). */
export function sameFormat(a: string, b: string): boolean {
  return a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}

function describeDestination(fl: FlowLog): string {
  return `${fl.FlowLogId} -> ${fl.LogDestinationType ?? '?'} ${fl.LogDestination ?? fl.LogGroupName ?? ''}`.trim();
}

/** Checks every VPC of one account and region against the expectation; pure, so each rule is tested directly. */
export function checkRegion(
  accountId: string,
  region: string,
  vpcs: readonly Vpc[],
  flowLogs: readonly FlowLog[],
  expect: FlowLogExpectation,
): RegionCheck {
  const findings: Finding[] = [];
  const add = (ruleId: RuleId, resource: string, message: string) =>
    findings.push({ ruleId, severity: RULES[ruleId].severity, accountId, region, resource, message });
  const byResource = new Map<string, FlowLog[]>();
  for (const fl of flowLogs) {
    if (!fl.ResourceId) continue;
    const list = byResource.get(fl.ResourceId) ?? [];
    list.push(fl);
    byResource.set(fl.ResourceId, list);
  }
  const hiveLayouts = new Set<boolean>();
  const destination =
    typeof expect.destination === 'function' ? expect.destination(region, accountId) : expect.destination;
  const selected = expect.vpcIds ? new Set(expect.vpcIds) : undefined;
  const inScope = selected ? vpcs.filter((v) => v.VpcId && selected.has(v.VpcId)) : vpcs;
  let covered = 0;
  for (const vpc of inScope) {
    const vpcId = vpc.VpcId ?? '?';
    const own = byResource.get(vpcId) ?? [];
    if (own.length === 0) {
      add('FLA001', vpcId, `VPC ${vpcId} has no flow log.`);
      continue;
    }
    const central = own.filter((fl) => deliversTo(fl, destination));
    if (central.length === 0) {
      add(
        'FLA002',
        vpcId,
        `VPC ${vpcId} has ${own.length} flow log(s), none to the central destination: ${own.map(describeDestination).join('; ')}.`,
      );
      continue;
    }
    covered++;
    for (const fl of central) checkFlowLog(fl, vpcId, expect, add, hiveLayouts);
  }
  return { findings, vpcs: inScope.length, covered, hiveLayouts };
}

function checkFlowLog(
  fl: FlowLog,
  vpcId: string,
  expect: FlowLogExpectation,
  add: (ruleId: RuleId, resource: string, message: string) => void,
  hiveLayouts: Set<boolean>,
): void {
  const id = fl.FlowLogId ?? '?';
  if (fl.DeliverLogsStatus === 'FAILED') {
    add(
      'FLA003',
      id,
      `Flow log ${id} of ${vpcId} has delivery status FAILED: ${fl.DeliverLogsErrorMessage ?? '(no DeliverLogsErrorMessage)'}.`,
    );
  }
  if (
    expect.logFormat !== undefined &&
    fl.LogFormat !== undefined &&
    !sameFormat(fl.LogFormat, expect.logFormat)
  ) {
    add(
      'FLA004',
      id,
      `Flow log ${id} of ${vpcId} has format '${fl.LogFormat}', config has '${expect.logFormat}'.`,
    );
  }
  if (expect.trafficType !== undefined && fl.TrafficType !== expect.trafficType) {
    add(
      'FLA005',
      id,
      `Flow log ${id} of ${vpcId} records traffic type ${fl.TrafficType ?? '(none)'}, config has ${expect.trafficType}.`,
    );
  }
  if (fl.LogDestinationType === 's3') {
    const opts = fl.DestinationOptions;
    const fileFormat = opts?.FileFormat ?? 'plain-text';
    const hive = opts?.HiveCompatiblePartitions ?? false;
    const perHour = opts?.PerHourPartition ?? false;
    hiveLayouts.add(hive);
    const drift: string[] = [];
    if (expect.fileFormat !== undefined && fileFormat !== expect.fileFormat)
      drift.push(`file format ${fileFormat} (config ${expect.fileFormat})`);
    if (expect.hive !== undefined && hive !== expect.hive)
      drift.push(`Hive-compatible prefixes ${hive} (config ${expect.hive})`);
    if (expect.perHour !== undefined && perHour !== expect.perHour)
      drift.push(`per-hour partitions ${perHour} (config ${expect.perHour})`);
    if (drift.length > 0) add('FLA008', id, `Flow log ${id} of ${vpcId} has ${drift.join(', ')}.`);
  }
}
