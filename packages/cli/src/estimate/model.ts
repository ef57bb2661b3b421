import { type Pricing, tieredCost } from './pricing.js';

/** Hours in AWS's billing month (730), and the days they make. */
export const MONTH_HOURS = 730;
export const MONTH_DAYS = MONTH_HOURS / 24;

/**
 * Volume assumptions, from this repo's measurements (docs/reference and shared flow-log-format-and-performance.md
 * §5.3: v2 text 116.7 B/record, gzip 29.6 B, Parquet-gzip 22.7 B; CloudWatch Logs event ~40 B gzipped) or, where
 * marked, flowlake's defaults. Every estimate prints the ones it used.
 */
export const ASSUMPTIONS = {
  /** Stored gzip text / raw text (measured 0.254). */
  textGzipRatio: 0.25,
  /** Stored Parquet / raw text (measured 0.195). */
  parquetRatio: 0.2,
  /** Stored gzipped NDJSON (streaming path output) / raw text (estimate: JSON is larger but compresses better). */
  ndjsonGzipRatio: 0.3,
  /** CloudWatch Logs archived (compressed) storage / raw text. */
  cloudWatchStorageRatio: 0.25,
  /** Subscription payload (gzip JSON envelope) / raw text (measured ~0.33). */
  subscriptionPayloadRatio: 0.35,
  /** Average subscription record size, KB (Firehose rounds each record up to 5 KB; Kinesis bills 25 KB units). */
  subscriptionRecordKb: 30,
  /** Uncompressed NDJSON processed by dynamic partitioning / raw text. */
  ndjsonExpansion: 2,
  /** Firehose buffer interval, seconds (flowlake default 300): one object per partition per interval. */
  firehoseBufferSeconds: 300,
  /** Transform Lambda: MB of payload per invocation, seconds per invocation, memory GB. */
  lambdaMbPerInvocation: 1,
  lambdaSeconds: 0.5,
  lambdaMemoryGb: 0.5,
  /** Flow log files per flow log per day (one per 5 minutes while there is traffic), max size 75 MB each. */
  filesPerFlowLogDay: 288,
  maxFileMb: 75,
  /** Peak / average ingest, for provisioned Kinesis shards. */
  kinesisPeakFactor: 2,
  /** Raw text bytes per flow record (measured 116.7 for v2), to count OpenSearch documents. */
  flowRecordBytes: 117,
} as const;

/** The OpenSearch copy of the streaming paths (`streaming.opensearch`). */
export interface OpenSearchInput {
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeGb: number;
}

/** What to estimate. */
export interface EstimateInput {
  /** Raw flow-log volume of the whole organization, GB per day (as vended-log billing counts it). */
  readonly gbPerDay: number;
  readonly accounts: number;
  readonly regions: number;
  /** Flow logs (VPCs) per account and region. */
  readonly flowLogsPerAccountRegion: number;
  /** Days objects are kept in the central bucket (lifecycle expiry). */
  readonly retentionDays: number;
  /** Days before transition to S3 Standard-IA; false for none. */
  readonly iaDays: number | false;
  /** Days before transition to S3 Glacier Flexible Retrieval; false for none. */
  readonly glacierDays: number | false;
  /** Retention of the member log group on the CloudWatch Logs paths. */
  readonly cwlRetentionDays: number;
  /** Days the replication path keeps its member-side copy. */
  readonly localRetentionDays: number;
  /** TB scanned by Athena per month. */
  readonly queryTbMonth: number;
  readonly kinesisMode: 'on-demand' | 'provisioned';
  /** Price the OpenSearch copy on the streaming paths. @default none */
  readonly opensearch?: OpenSearchInput;
}

/** One cost line of a path. */
export interface CostLine {
  readonly item: string;
  readonly usd: number;
  /** How it was computed. */
  readonly detail: string;
}

/** Monthly cost of one delivery path. */
export interface PathEstimate {
  readonly path: string;
  readonly description: string;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function line(item: string, usd: number, detail: string): CostLine {
  return { item, usd, detail };
}

function tieredLine(item: string, gb: number, tiers: Pricing['vendedLogs']['toS3']): CostLine {
  const { usd, uses } = tieredCost(gb, tiers);
  return line(item, usd, uses.map((u) => `${fmt(u.gb)} GB x $${u.usdPerGb}`).join(' + ') || '0 GB');
}

/**
 * Steady-state central storage (after `retentionDays`): each day's data sits in Standard until the IA transition,
 * in Standard-IA until the Glacier transition, then in Glacier until expiry. Includes S3's 128 KB minimum billable
 * object size in Standard-IA and the 40 KB per-object Glacier overhead (32 KB Glacier + 8 KB Standard).
 */
export function storageLines(
  input: EstimateInput,
  p: Pricing,
  storedGbPerDay: number,
  objectsPerDay: number,
  label: string,
): CostLine[] {
  const E = input.retentionDays;
  const ia = input.iaDays === false ? Number.POSITIVE_INFINITY : input.iaDays;
  const gl = input.glacierDays === false ? Number.POSITIVE_INFINITY : input.glacierDays;
  const stdDays = Math.min(ia, gl, E);
  const iaDays = Math.max(0, Math.min(gl, E) - ia);
  const glDays = Math.max(0, E - gl);
  const avgKb = objectsPerDay > 0 ? (storedGbPerDay * 1024 * 1024) / objectsPerDay : 0;
  const kbToGb = 1 / (1024 * 1024);
  const lines: CostLine[] = [];
  const stdGb = storedGbPerDay * stdDays + objectsPerDay * glDays * p.s3.glacierOverheadKb.standard * kbToGb;
  lines.push(tieredLine(`${label} S3 Standard`, stdGb, p.s3.standard));
  if (iaDays > 0) {
    const billedKb = Math.max(avgKb, p.s3.iaMinimumObjectKb);
    const iaGb = objectsPerDay * iaDays * billedKb * kbToGb;
    lines.push(
      line(
        `${label} S3 Standard-IA`,
        iaGb * p.s3.standardIaUsdPerGbMonth,
        `${fmt(iaGb)} GB x $${p.s3.standardIaUsdPerGbMonth} (avg object ${fmt(avgKb, 0)} KB${avgKb < p.s3.iaMinimumObjectKb ? `, billed as ${p.s3.iaMinimumObjectKb} KB` : ''})`,
      ),
      line(
        `${label} transitions to IA`,
        ((objectsPerDay * MONTH_DAYS) / 1000) * p.s3.transitionToIaUsdPer1000,
        `${fmt(objectsPerDay * MONTH_DAYS, 0)} objects x $${p.s3.transitionToIaUsdPer1000}/1,000`,
      ),
    );
  }
  if (glDays > 0) {
    const glGb = storedGbPerDay * glDays + objectsPerDay * glDays * p.s3.glacierOverheadKb.glacier * kbToGb;
    lines.push(
      line(
        `${label} S3 Glacier Flexible`,
        glGb * p.s3.glacierFlexibleUsdPerGbMonth,
        `${fmt(glGb)} GB x $${p.s3.glacierFlexibleUsdPerGbMonth}`,
      ),
      line(
        `${label} transitions to Glacier`,
        ((objectsPerDay * MONTH_DAYS) / 1000) * p.s3.transitionToGlacierFlexibleUsdPer1000,
        `${fmt(objectsPerDay * MONTH_DAYS, 0)} objects x $${p.s3.transitionToGlacierFlexibleUsdPer1000}/1,000`,
      ),
    );
  }
  lines.push(
    line(
      `${label} PUT requests`,
      ((objectsPerDay * MONTH_DAYS) / 1000) * p.s3.putUsdPer1000,
      `${fmt(objectsPerDay * MONTH_DAYS, 0)} objects x $${p.s3.putUsdPer1000}/1,000`,
    ),
  );
  return lines;
}

function athenaLine(input: EstimateInput, p: Pricing): CostLine {
  return line(
    'Athena queries',
    input.queryTbMonth * p.athena.usdPerTbScanned,
    `${fmt(input.queryTbMonth)} TB x $${p.athena.usdPerTbScanned}`,
  );
}

/** Objects/day written by direct delivery: one file per flow log per 5 minutes, split at 75 MB. */
export function directObjectsPerDay(input: EstimateInput, storedGbPerDay: number): number {
  const flowLogs = input.accounts * input.regions * input.flowLogsPerAccountRegion;
  if (flowLogs === 0 || storedGbPerDay === 0) return 0;
  const mbPerFile = (storedGbPerDay * 1024) / (flowLogs * ASSUMPTIONS.filesPerFlowLogDay);
  return (
    flowLogs * ASSUMPTIONS.filesPerFlowLogDay * Math.max(1, Math.ceil(mbPerFile / ASSUMPTIONS.maxFileMb))
  );
}

function total(path: string, description: string, lines: CostLine[]): PathEstimate {
  return { path, description, lines, totalUsd: lines.reduce((s, l) => s + l.usd, 0) };
}

function directPath(input: EstimateInput, p: Pricing, parquet: boolean): PathEstimate {
  const gbMonth = input.gbPerDay * MONTH_DAYS;
  const stored = input.gbPerDay * (parquet ? ASSUMPTIONS.parquetRatio : ASSUMPTIONS.textGzipRatio);
  const lines = [tieredLine('Vended logs delivery to S3', gbMonth, p.vendedLogs.toS3)];
  if (parquet) {
    lines.push(
      line(
        'Parquet conversion',
        gbMonth * p.vendedLogs.parquetConversionUsdPerGb,
        `${fmt(gbMonth)} GB x $${p.vendedLogs.parquetConversionUsdPerGb}`,
      ),
    );
  }
  lines.push(
    ...storageLines(input, p, stored, directObjectsPerDay(input, stored), 'Central'),
    athenaLine(input, p),
  );
  return total(
    parquet ? 'direct-s3 parquet' : 'direct-s3 text',
    `flow logs write ${parquet ? 'Parquet' : 'gzip text'} straight to the central bucket`,
    lines,
  );
}

function replicationPath(input: EstimateInput, p: Pricing): PathEstimate {
  const direct = directPath(input, p, true);
  const stored = input.gbPerDay * ASSUMPTIONS.parquetRatio;
  const objects = directObjectsPerDay(input, stored);
  const localGb = stored * input.localRetentionDays;
  const lines = [
    ...direct.lines,
    tieredLine('Member-side copy S3 Standard', localGb, p.s3.standard),
    line(
      'Replication PUT requests',
      ((objects * MONTH_DAYS) / 1000) * p.s3.putUsdPer1000,
      `${fmt(objects * MONTH_DAYS, 0)} objects x $${p.s3.putUsdPer1000}/1,000 (same-region; cross-region adds transfer)`,
    ),
  ];
  return total('replication', 'Parquet to a member bucket, replicated to the central bucket', lines);
}

function streamingPath(input: EstimateInput, p: Pricing, kinesis: boolean): PathEstimate {
  const A = ASSUMPTIONS;
  const gbMonth = input.gbPerDay * MONTH_DAYS;
  const payloadGb = gbMonth * A.subscriptionPayloadRatio;
  const records = (payloadGb * 1024 * 1024) / A.subscriptionRecordKb;
  const roundedKb =
    Math.ceil(A.subscriptionRecordKb / p.firehose.recordRoundingKb) * p.firehose.recordRoundingKb;
  const firehoseGb = (records * roundedKb) / (1024 * 1024);
  const cwlStoredGb = input.gbPerDay * A.cloudWatchStorageRatio * input.cwlRetentionDays;
  const partitions = input.accounts * input.regions;
  const objectsPerDay = partitions * (86_400 / A.firehoseBufferSeconds);
  const invocations = (payloadGb * 1024) / A.lambdaMbPerInvocation;
  const lines: CostLine[] = [
    tieredLine('Vended logs delivery to CloudWatch Logs', gbMonth, p.vendedLogs.toCloudWatchLogs),
    line(
      'CloudWatch Logs storage',
      cwlStoredGb * p.cloudWatchLogs.storageUsdPerGbMonth,
      `${fmt(cwlStoredGb)} GB (${input.cwlRetentionDays} days) x $${p.cloudWatchLogs.storageUsdPerGbMonth}`,
    ),
  ];
  if (kinesis) lines.push(...kinesisLines(input, p, payloadGb, records));
  const fh = tieredLine('Firehose ingestion', firehoseGb, p.firehose.ingestion);
  lines.push(
    {
      ...fh,
      detail: `${fh.detail} (${fmt(records, 0)} records of ${A.subscriptionRecordKb} KB, billed in ${p.firehose.recordRoundingKb} KB steps)`,
    },
    line(
      'Firehose dynamic partitioning',
      gbMonth * A.ndjsonExpansion * p.firehose.dynamicPartitioningUsdPerGb +
        ((objectsPerDay * MONTH_DAYS) / 1000) * p.firehose.dynamicPartitioningUsdPer1000Objects,
      `${fmt(gbMonth * A.ndjsonExpansion)} GB x $${p.firehose.dynamicPartitioningUsdPerGb} + ${fmt(objectsPerDay * MONTH_DAYS, 0)} objects x $${p.firehose.dynamicPartitioningUsdPer1000Objects}/1,000`,
    ),
    line(
      'Transform Lambda',
      (invocations / 1e6) * p.lambda.usdPerMillionRequests +
        invocations * A.lambdaSeconds * A.lambdaMemoryGb * p.lambda.usdPerGbSecond,
      `${fmt(invocations, 0)} invocations of ${A.lambdaSeconds} s at ${A.lambdaMemoryGb * 1024} MB`,
    ),
    ...storageLines(input, p, input.gbPerDay * A.ndjsonGzipRatio, objectsPerDay, 'Central'),
    athenaLine(input, p),
  );
  if (input.opensearch) lines.push(...openSearchLines(input, input.opensearch, p));
  return total(
    kinesis ? 'cloudwatch-kinesis' : 'cloudwatch-firehose',
    `CloudWatch Logs -> destination -> ${kinesis ? 'Kinesis -> ' : ''}Firehose -> S3 (NDJSON)` +
      (input.opensearch ? ' and OpenSearch' : ''),
    lines,
  );
}

/**
 * The OpenSearch copy: one Firehose Direct PUT record per flow record (each billed as 5 KB), the data nodes and
 * their gp3 volumes. Dedicated master nodes, UltraWarm and data transfer are not included.
 */
export function openSearchLines(input: EstimateInput, os: OpenSearchInput, p: Pricing): CostLine[] {
  const hourly = p.opensearch.instanceUsdPerHour[os.instanceType];
  if (hourly === undefined) {
    throw new RangeError(
      `no price recorded for OpenSearch instance type '${os.instanceType}'; priced types: ${Object.keys(p.opensearch.instanceUsdPerHour).join(', ')}`,
    );
  }
  const docs = (input.gbPerDay * 1024 ** 3 * MONTH_DAYS) / ASSUMPTIONS.flowRecordBytes;
  const billedGb = (docs * p.firehose.recordRoundingKb) / (1024 * 1024);
  const ingest = tieredLine('OpenSearch fan-out Firehose ingestion', billedGb, p.firehose.ingestion);
  const storageGb = os.instanceCount * os.volumeGb;
  return [
    {
      ...ingest,
      detail: `${ingest.detail} (${fmt(docs, 0)} documents, one per flow record, each billed as ${p.firehose.recordRoundingKb} KB)`,
    },
    line(
      'OpenSearch data nodes',
      os.instanceCount * MONTH_HOURS * hourly,
      `${os.instanceCount} x ${os.instanceType} x ${MONTH_HOURS} h x $${hourly} (no dedicated masters)`,
    ),
    line(
      'OpenSearch storage (gp3)',
      storageGb * p.opensearch.gp3UsdPerGbMonth,
      `${fmt(storageGb, 0)} GB x $${p.opensearch.gp3UsdPerGbMonth}`,
    ),
  ];
}

function kinesisLines(input: EstimateInput, p: Pricing, payloadGb: number, records: number): CostLine[] {
  const k = p.kinesis;
  const streams = input.regions;
  if (input.kinesisMode === 'on-demand') {
    return [
      line(
        'Kinesis on-demand streams',
        streams * MONTH_HOURS * k.onDemandUsdPerStreamHour,
        `${streams} stream(s) x ${MONTH_HOURS} h x $${k.onDemandUsdPerStreamHour}`,
      ),
      line(
        'Kinesis on-demand data',
        payloadGb * (k.onDemandIngestUsdPerGb + k.onDemandRetrievalUsdPerGb),
        `${fmt(payloadGb)} GB x ($${k.onDemandIngestUsdPerGb} in + $${k.onDemandRetrievalUsdPerGb} out)`,
      ),
    ];
  }
  const avgMbPerSecondPerRegion = (payloadGb * 1024) / (MONTH_HOURS * 3600) / streams;
  const shards = Math.max(
    1,
    Math.ceil((avgMbPerSecondPerRegion * ASSUMPTIONS.kinesisPeakFactor) / k.shardIngestMbPerSecond),
  );
  const units = records * Math.ceil(ASSUMPTIONS.subscriptionRecordKb / k.putPayloadUnitKb);
  return [
    line(
      'Kinesis shard-hours',
      streams * shards * MONTH_HOURS * k.provisionedUsdPerShardHour,
      `${streams} stream(s) x ${shards} shard(s) x ${MONTH_HOURS} h x $${k.provisionedUsdPerShardHour}`,
    ),
    line(
      'Kinesis PUT payload units',
      (units / 1e6) * k.putPayloadUnitUsdPerMillion,
      `${fmt(units, 0)} units x $${k.putPayloadUnitUsdPerMillion}/million`,
    ),
  ];
}

/** Monthly cost of every delivery path, in a fixed order (for side-by-side output). */
export function estimate(input: EstimateInput, p: Pricing): PathEstimate[] {
  return [
    directPath(input, p, false),
    directPath(input, p, true),
    replicationPath(input, p),
    streamingPath(input, p, false),
    streamingPath(input, p, true),
  ];
}

/** The cheapest path. */
export function cheapest(paths: readonly PathEstimate[]): PathEstimate {
  return paths.reduce((a, b) => (b.totalUsd < a.totalUsd ? b : a));
}
