import { AnalyticsCatalog, AnalyticsTable, type CentralArchiveStack } from '@flowlake/constructs';
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
  const tables = [f.fileFormat === 'text' ? AnalyticsTable.text(direct) : AnalyticsTable.parquet(direct)];
  if ([...deliveries].some((d) => d.startsWith('cloudwatch-')))
    tables.push(AnalyticsTable.streamingJson({ fields }));
  return new AnalyticsCatalog(central, 'Analytics', {
    bucket: central.bucket,
    bucketKey: central.key,
    regions: [...new Set(c.members.flatMap((m) => m.regions))].sort(),
    tables,
    databaseName: c.analytics.database,
    workGroupName: c.analytics.workgroup,
    bytesScannedCutoffPerQuery: c.analytics.athenaBytesScannedCutoff,
    serverAccessLogsBucket: central.archive.accessLogsBucket,
  });
}
