/**
 * Firehose transform Lambda for the streaming paths (`cloudwatch-firehose`, `cloudwatch-kinesis`): decodes the
 * CloudWatch Logs payloads and writes flow records as NDJSON or lines with dynamic-partitioning keys (logic in
 * `@flowlake/flowlogs` transformFirehoseEvent), re-ingests the overflow past Lambda's 6 MB response limit into the
 * Firehose stream (PutRecordBatch) or the source Kinesis stream (PutRecords), and returns records whose
 * re-ingestion finally failed as `ProcessingFailed` so Firehose keeps them in the error prefix.
 *
 * Environment: `FLOWLAKE_FORMAT` (flow log format string; default: AWS default format), `FLOWLAKE_OUTPUT`
 * (`json` | `lines`; default `json`), `FLOWLAKE_REGION` (region partition key when the records and log group name do
 * not tell it; default the Lambda's Region), `FLOWLAKE_MAX_REINGEST` (re-ingestions per payload; default 3),
 * `OPENSEARCH_DELIVERY_STREAM` and `OPENSEARCH_DELIVERY_STREAM_REGION` (optional OpenSearch fan-out: one document
 * per flow record into that Direct PUT stream; see `opensearch-fanout.ts`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  type FirehoseTransformEvent,
  type FirehoseTransformResponse,
  FlowLogFormat,
  markFailed,
  type ReingestEntry,
  type ReingestOptions,
  type ReingestReport,
  type ReingestSender,
  type ReingestTarget,
  reingestAll,
  type TransformOptions,
  type TransformOutcome,
  type TransformOutput,
  transformFirehoseEvent,
} from '@flowlake/flowlogs';
import type { Context } from 'aws-lambda';
import { type FanOutReport, type FanOutTarget, fanOut, fanOutTargetFromEnv } from './opensearch-fanout.js';

/** Handler configuration read from the environment. */
export interface TransformConfig extends TransformOptions {
  readonly format: FlowLogFormat;
  readonly output: TransformOutput;
  /** OpenSearch fan-out target. @default - no fan-out */
  readonly openSearch?: FanOutTarget;
}

/** Reads the handler's configuration; throws naming the bad variable (a deployment error, not bad data). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): TransformConfig {
  const output = (env.FLOWLAKE_OUTPUT ?? 'json') as TransformOutput;
  if (output !== 'json' && output !== 'lines') {
    throw new Error(`FLOWLAKE_OUTPUT is '${output}'; set it to 'json' or 'lines'.`);
  }
  const format = env.FLOWLAKE_FORMAT ? FlowLogFormat.parse(env.FLOWLAKE_FORMAT) : FlowLogFormat.DEFAULT;
  const max = env.FLOWLAKE_MAX_REINGEST ? Number(env.FLOWLAKE_MAX_REINGEST) : undefined;
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) {
    throw new Error(`FLOWLAKE_MAX_REINGEST is '${env.FLOWLAKE_MAX_REINGEST}'; set a whole number >= 0.`);
  }
  const region = env.FLOWLAKE_REGION || env.AWS_REGION;
  const openSearch = fanOutTargetFromEnv(env);
  return {
    format,
    output,
    ...(openSearch ? { openSearch } : {}),
    ...(region ? { defaultRegion: region } : {}),
    ...(max !== undefined ? { maxReingestAttempts: max } : {}),
  };
}

/** Clients the handler calls. */
export interface TransformClients {
  readonly firehose: Pick<FirehoseClient, 'send'>;
  readonly kinesis: Pick<KinesisClient, 'send'>;
  /** Client in the OpenSearch stream's Region. @default - `firehose` */
  readonly openSearch?: Pick<FirehoseClient, 'send'>;
}

/** One PutRecordBatch call into a Firehose stream. */
export function firehoseSender(
  client: Pick<FirehoseClient, 'send'>,
  deliveryStreamName: string,
): ReingestSender {
  return async (entries) => {
    const res = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: deliveryStreamName,
        Records: entries.map((e) => ({ Data: e.data })),
      }),
    );
    return failures(res.RequestResponses ?? [], entries.length);
  };
}

/** One PutRecordBatch / PutRecords call for the target. */
export function senderFor(target: ReingestTarget, clients: TransformClients): ReingestSender {
  if (target.kind === 'firehose') return firehoseSender(clients.firehose, target.deliveryStreamName);
  return async (entries) => {
    const res = await clients.kinesis.send(
      new PutRecordsCommand({
        StreamARN: target.streamArn,
        Records: entries.map((e) => ({ Data: e.data, PartitionKey: partitionKeyOf(e) })),
      }),
    );
    return failures(res.Records ?? [], entries.length);
  };
}

function partitionKeyOf(e: ReingestEntry): string {
  return e.partitionKey && e.partitionKey.length > 0
    ? e.partitionKey
    : e.recordId.slice(0, 256) || 'flowlake';
}

/** Failed positions of a batch response; a response shorter than the request counts the missing entries failed. */
function failures(results: readonly { ErrorCode?: string }[], sent: number) {
  const failedIndexes: number[] = [];
  const errorCodes: string[] = [];
  for (let i = 0; i < sent; i++) {
    const code = results[i] === undefined ? 'MissingResult' : results[i].ErrorCode;
    if (code) {
      failedIndexes.push(i);
      errorCodes.push(code);
    }
  }
  return { failedIndexes, errorCodes };
}

/** Result of one invocation. */
export interface ProcessResult {
  readonly response: FirehoseTransformResponse;
  readonly outcome: TransformOutcome;
  readonly report?: ReingestReport;
  /** The OpenSearch fan-out, when configured. */
  readonly openSearch?: FanOutReport;
}

/**
 * Transforms the event, re-ingests the overflow and marks records whose re-ingestion failed; then, with
 * `config.openSearch`, fans the final Ok records out to the OpenSearch stream (which never changes the response).
 */
export async function processEvent(
  event: FirehoseTransformEvent,
  config: TransformConfig,
  clients: TransformClients,
  reingestOptions: ReingestOptions = {},
): Promise<ProcessResult> {
  const outcome = transformFirehoseEvent(event, config);
  let report: ReingestReport | undefined;
  if (outcome.reingest.length > 0 && outcome.target) {
    report = await reingestAll(outcome.reingest, senderFor(outcome.target, clients), reingestOptions);
    markFailed(
      outcome,
      report.failedRecordIds,
      `re-ingestion failed after ${reingestOptions.maxAttempts ?? 5} attempts (${report.errors.join(', ') || 'unknown error'})`,
    );
  }
  const openSearch = config.openSearch
    ? await fanOut(
        outcome.response.records,
        config.openSearch,
        clients.openSearch ?? clients.firehose,
        firehoseSender,
        {
          format: config.format,
          output: config.output,
          retry: reingestOptions,
        },
      )
    : undefined;
  return {
    response: outcome.response,
    outcome,
    ...(report ? { report } : {}),
    ...(openSearch ? { openSearch } : {}),
  };
}

const logger = new Logger({ serviceName: 'flowlake-transform' });
const metrics = new Metrics({ namespace: 'flowlake', serviceName: 'flowlake-transform' });
let config: TransformConfig | undefined;
const clients: TransformClients = { firehose: new FirehoseClient({}), kinesis: new KinesisClient({}) };

/** The clients for a configuration: a Firehose client in the OpenSearch stream's Region when it differs. */
function clientsFor(c: TransformConfig): TransformClients {
  const region = c.openSearch?.region;
  if (!region || region === process.env.AWS_REGION) return clients;
  return { ...clients, openSearch: new FirehoseClient({ region }) };
}
let configured: TransformClients | undefined;

/** Records the invocation's counts as metrics and logs failures. */
function observe(result: ProcessResult): void {
  const s = result.outcome.stats;
  metrics.addMetric('RecordsIn', MetricUnit.Count, s.recordsIn);
  metrics.addMetric('RecordsOut', MetricUnit.Count, s.ok);
  metrics.addMetric('RecordsDropped', MetricUnit.Count, s.dropped);
  metrics.addMetric('RecordsFailed', MetricUnit.Count, s.failed);
  metrics.addMetric('RecordsReingested', MetricUnit.Count, s.reingested);
  metrics.addMetric('LogEvents', MetricUnit.Count, s.logEvents);
  metrics.addMetric('GuardDutyFindings', MetricUnit.Count, s.findings);
  metrics.addMetric('BytesOut', MetricUnit.Bytes, s.bytesOut);
  for (const p of result.outcome.problems.slice(0, 20)) logger.warn('record failed', { ...p });
  const os = result.openSearch;
  if (os) {
    metrics.addMetric('OpenSearchDocumentsSent', MetricUnit.Count, os.sent);
    metrics.addMetric('OpenSearchDocumentsFailed', MetricUnit.Count, os.failed);
    metrics.addMetric('OpenSearchDocumentsSkipped', MetricUnit.Count, os.skipped);
    if (os.failed > 0 || os.skipped > 0) logger.warn('OpenSearch fan-out incomplete', { ...os });
  }
  if (result.report)
    logger.info('re-ingested overflow', {
      ...result.report,
      failedRecordIds: [...result.report.failedRecordIds],
    });
  logger.info('transformed', { ...s });
}

/** The Lambda entry point. Never throws for bad record data. */
export async function handler(
  event: FirehoseTransformEvent,
  context: Context,
): Promise<FirehoseTransformResponse> {
  logger.addContext(context);
  config ??= configFromEnv();
  configured ??= clientsFor(config);
  try {
    const result = await processEvent(event, config, configured);
    observe(result);
    return result.response;
  } finally {
    metrics.publishStoredMetrics();
  }
}
