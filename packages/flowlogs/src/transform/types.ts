/**
 * Amazon Data Firehose data-transformation types (the Lambda request and response), declared here so the pure
 * transform logic has no dependency on `@types/aws-lambda`. Structurally compatible with its `FirehoseTransformation*`.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
 */

/** Present on records when the Firehose stream reads from a Kinesis data stream. */
export interface KinesisRecordMetadata {
  readonly shardId?: string;
  /** Partition key the producer (CloudWatch Logs) used; re-ingested records reuse it. */
  readonly partitionKey?: string;
  readonly approximateArrivalTimestamp?: number;
  readonly sequenceNumber?: string;
  readonly subsequenceNumber?: number;
}

/**
 * One input record: `data` is the base64 of what the producer put (a gzip CloudWatch Logs payload, or an EventBridge
 * GuardDuty finding event as plain JSON).
 */
export interface FirehoseInputRecord {
  readonly recordId: string;
  readonly data: string;
  readonly approximateArrivalTimestamp?: number;
  readonly kinesisRecordMetadata?: KinesisRecordMetadata;
}

/** The event Firehose passes to the transform Lambda. */
export interface FirehoseTransformEvent {
  readonly invocationId?: string;
  /** ARN of the Firehose stream (Direct PUT re-ingestion target). */
  readonly deliveryStreamArn?: string;
  /** ARN of the source Kinesis data stream, when the Firehose stream reads from one. */
  readonly sourceKinesisStreamArn?: string;
  readonly region?: string;
  readonly records: readonly FirehoseInputRecord[];
}

/** Per-record outcome Firehose understands. */
export type FirehoseResult = 'Ok' | 'Dropped' | 'ProcessingFailed';

/** Dynamic-partitioning keys of one output record (`!{partitionKeyFromLambda:<name>}` in the S3 prefix). */
export interface PartitionKeys {
  /** What the record holds: `vpcflowlogs-stream` (flow records) or `guardduty-stream` (GuardDuty findings). */
  readonly dataset: string;
  readonly account: string;
  readonly region: string;
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
}

/** One output record. `data` (base64) is present only for `Ok`. */
export interface FirehoseOutputRecord {
  readonly recordId: string;
  result: FirehoseResult;
  data?: string;
  metadata?: { readonly partitionKeys: PartitionKeys };
}

/** The Lambda's response: exactly one output record per input recordId, in input order. */
export interface FirehoseTransformResponse {
  readonly records: FirehoseOutputRecord[];
}
