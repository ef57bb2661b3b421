/**
 * OpenSearch fan-out of the Firehose transform Lambda: after the S3 response is final, one document per flow record
 * (and per GuardDuty finding) of its `Ok` records goes to the OpenSearch Direct PUT Firehose stream with
 * PutRecordBatch (at most 500 records and 4 MiB per call, failed entries retried within a bound). S3 is the archive
 * and OpenSearch a searchable copy: fan-out problems are reported (log + metrics), never thrown, and never change
 * the response.
 *
 * Environment: `OPENSEARCH_DELIVERY_STREAM` (name of the OpenSearch stream; fan-out is off without it),
 * `OPENSEARCH_DELIVERY_STREAM_REGION` (its Region, when it is not the Lambda's).
 */
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import {
  type FirehoseOutputRecord,
  type FlowLogFormat,
  type ReingestOptions,
  type ReingestSender,
  reingestAll,
  searchDocuments,
  type TransformOutput,
} from '@flowlake/flowlogs';

/** Where documents go. */
export interface FanOutTarget {
  /** Name of the Direct PUT Firehose stream whose destination is the OpenSearch domain. */
  readonly deliveryStreamName: string;
  /** Its Region. @default - the Lambda's Region */
  readonly region?: string;
}

/** The fan-out target named by the environment, or undefined when fan-out is off. */
export function fanOutTargetFromEnv(env: NodeJS.ProcessEnv = process.env): FanOutTarget | undefined {
  const name = env.OPENSEARCH_DELIVERY_STREAM;
  if (!name) return undefined;
  if (!/^[a-zA-Z0-9._-]{1,64}$/.test(name)) {
    throw new Error(
      `OPENSEARCH_DELIVERY_STREAM is '${name}'; set the name (not the ARN) of a Firehose stream (1-64 of a-z A-Z 0-9 . _ -).`,
    );
  }
  const region = env.OPENSEARCH_DELIVERY_STREAM_REGION;
  return region ? { deliveryStreamName: name, region } : { deliveryStreamName: name };
}

/** What one fan-out achieved. */
export interface FanOutReport {
  /** Documents built from the Ok records. */
  readonly documents: number;
  /** Documents the OpenSearch stream accepted. */
  readonly sent: number;
  /** Documents still rejected after the retries (or lost to an error). */
  readonly failed: number;
  /** Lines/findings that yield no document (too large, or not encodable). */
  readonly skipped: number;
  /** PutRecordBatch calls made. */
  readonly calls: number;
  /** Distinct error codes / messages seen. */
  readonly errors: string[];
  /** First few skip reasons, for the log. */
  readonly skipReasons: { recordId: string; reason: string }[];
}

/** Options of {@link fanOut}. */
export interface FanOutOptions {
  readonly format: FlowLogFormat;
  readonly output: TransformOutput;
  /** Retry bound and backoff. @default maxAttempts 3 */
  readonly retry?: ReingestOptions;
}

/**
 * Sends the documents of the response's Ok records to the OpenSearch stream. Never throws: every problem ends up in
 * the report.
 */
export async function fanOut(
  records: readonly FirehoseOutputRecord[],
  target: FanOutTarget,
  client: Pick<FirehoseClient, 'send'>,
  senderFor: (client: Pick<FirehoseClient, 'send'>, deliveryStreamName: string) => ReingestSender,
  options: FanOutOptions,
): Promise<FanOutReport> {
  let documents = 0;
  let skipped = 0;
  let skipReasons: { recordId: string; reason: string }[] = [];
  try {
    const set = searchDocuments(records, { format: options.format, output: options.output });
    documents = set.documents.length;
    skipped = set.skipped.length;
    skipReasons = set.skipped.slice(0, 10);
    if (documents === 0) return { documents, sent: 0, failed: 0, skipped, calls: 0, errors: [], skipReasons };
    const report = await reingestAll(set.documents, senderFor(client, target.deliveryStreamName), {
      maxAttempts: 3,
      ...options.retry,
    });
    return {
      documents,
      sent: report.accepted,
      failed: documents - report.accepted,
      skipped,
      calls: report.calls,
      errors: report.errors,
      skipReasons,
    };
  } catch (e) {
    return {
      documents,
      sent: 0,
      failed: documents,
      skipped,
      calls: 0,
      errors: [(e as Error).message || String(e)],
      skipReasons,
    };
  }
}
