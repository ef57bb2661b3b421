import {
  AnalyticsCatalog,
  AnalyticsTable,
  type CentralArchiveStack,
  SecurityEventTables,
} from '@flowlake/constructs';
import { FlowLogFormat } from '@flowlake/flowlogs';
import type { FlowlakeConfig } from '../config/index.js';

/**
 * Adds the Athena/Glue catalog to the central stack from the config's `analytics` section: one table for the
 * direct-delivery layout the members write (`flowLogs.fileFormat`, `hivePartitions`, `perHourPartitions`, the
 * configured format's fields), one for the streaming path's NDJSON when a group streams, every region of the
 * member groups in the region projection, and the workgroup's per-query scan limit.
 */
export function addAnalytics(central: CentralArchiveStack, c: FlowlakeConfig): AnalyticsCatalog | undefined {
  if (!c.analytics.enabled) return undefined;
  const f = c.flowLogs;
  const fields = FlowLogFormat.parse(f.format).names;
  const direct = { hive: f.hivePartitions, perHour: f.perHourPartitions, fields };
  const deliveries = new Set(c.members.map((m) => m.delivery ?? c.delivery));
  const streaming = [...deliveries].some((d) => d.startsWith('cloudwatch-'));
  const tables = [f.fileFormat === 'text' ? AnalyticsTable.text(direct) : AnalyticsTable.parquet(direct)];
  if (streaming) tables.push(AnalyticsTable.streamingJson({ fields }));
  const regions = [...new Set(c.members.flatMap((m) => m.regions))].sort();
  const catalog = new AnalyticsCatalog(central, 'Analytics', {
    bucket: central.bucket,
    bucketKey: central.key,
    regions,
    tables,
    databaseName: c.analytics.database,
    workGroupName: c.analytics.workgroup,
    bytesScannedCutoffPerQuery: c.analytics.athenaBytesScannedCutoff,
    serverAccessLogsBucket: central.archive.accessLogsBucket,
  });
  addSecurityEventTables(central, catalog, c, regions, streaming);
  return catalog;
}

/**
 * The CloudTrail and GuardDuty tables beside the flow-log tables, in the same database, when `cloudtrail` /
 * `guardduty` are on (plus the streamed-findings table when a group streams: findings then also flow through the
 * streaming Firehose).
 */
function addSecurityEventTables(
  central: CentralArchiveStack,
  catalog: AnalyticsCatalog,
  c: FlowlakeConfig,
  memberRegions: readonly string[],
  streaming: boolean,
): void {
  const organizationId = c.cloudtrail.enabled ? c.organization?.id : undefined;
  if (!organizationId && !c.guardduty.enabled) return;
  new SecurityEventTables(central, 'SecurityEventTables', {
    databaseName: catalog.databaseName,
    database: catalog.database,
    bucket: central.bucket,
    regions: [...new Set([...memberRegions, c.central.region])].sort(),
    cloudTrail: organizationId ? { organizationId, prefix: c.cloudtrail.prefix } : undefined,
    guardDuty: c.guardduty.enabled
      ? { adminAccountId: c.guardduty.delegatedAdminAccount ?? c.central.account }
      : undefined,
    guardDutyStream: c.guardduty.enabled && streaming ? {} : undefined,
  });
}
