import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { controlMessage, decodeCloudWatchPayload, encodeCloudWatchPayload } from '@flowlake/flowlogs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { configFromEnv, processEvent, type TransformConfig } from '../../src/handlers/firehose-transform.js';
import { payload } from './payload.js';

const firehoseMock = mockClient(FirehoseClient);
const kinesisMock = mockClient(KinesisClient);
const clients = {
  firehose: new FirehoseClient({ region: 'eu-west-1' }),
  kinesis: new KinesisClient({ region: 'eu-west-1' }),
};
const DELIVERY_ARN = 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/flowlake-flowlogs';
const KINESIS_ARN = 'arn:aws:kinesis:eu-west-1:999999999999:stream/flowlake-flowlogs';
const noSleep = { sleep: async () => {}, random: () => 0.5 };

/** 40 data records of 30 events: far over a 20 KB response limit, so most of them are re-ingested. */
function bigEvent(kinesis: boolean) {
  return {
    ...(kinesis ? { sourceKinesisStreamArn: KINESIS_ARN } : {}),
    deliveryStreamArn: DELIVERY_ARN,
    records: [
      { recordId: 'control', data: encodeCloudWatchPayload(controlMessage()).toString('base64') },
      ...Array.from({ length: 40 }, (_, i) => ({
        recordId: `r${i}`,
        data: payload(30, i),
        ...(kinesis ? { kinesisRecordMetadata: { partitionKey: `pk-${i}`, shardId: 'shardId-0' } } : {}),
      })),
    ],
  };
}

const config: TransformConfig = { ...configFromEnv({}), maxResponseBytes: 20_000 };

beforeEach(() => {
  firehoseMock.reset();
  kinesisMock.reset();
});
afterAll(() => {
  firehoseMock.restore();
  kinesisMock.restore();
});

describe('processEvent re-ingestion', () => {
  it('re-ingests the overflow with PutRecordBatch into the Firehose stream (Direct PUT)', async () => {
    firehoseMock.on(PutRecordBatchCommand).callsFake((input) => ({
      FailedPutCount: 0,
      RequestResponses: input.Records.map(() => ({ RecordId: 'x' })),
    }));
    const { response, outcome, report } = await processEvent(bigEvent(false), config, clients, noSleep);
    const results = response.records.map((r) => r.result);
    expect(results[0]).toBe('Dropped');
    expect(results.filter((r) => r === 'Ok').length).toBeGreaterThan(0);
    expect(results).not.toContain('ProcessingFailed');
    const calls = firehoseMock.commandCalls(PutRecordBatchCommand);
    expect(calls.length).toBe(1);
    expect(calls[0].args[0].input.DeliveryStreamName).toBe('flowlake-flowlogs');
    const sent = calls[0].args[0].input.Records ?? [];
    expect(sent.length).toBe(outcome.reingest.length);
    expect(new Set(outcome.reingest.map((e) => e.recordId)).size).toBe(outcome.stats.reingested);
    expect(report?.accepted).toBe(sent.length);
    // Re-ingested payloads are real subscription payloads with the attempt counter raised.
    const m = decodeCloudWatchPayload(Buffer.from(sent[0].Data as Uint8Array)) as unknown as Record<
      string,
      unknown
    >;
    expect(m.flowlakeReingest).toBe(1);
    expect(kinesisMock.commandCalls(PutRecordsCommand).length).toBe(0);
  });

  it('retries only the failed entries of a partial failure', async () => {
    let call = 0;
    const seen: number[] = [];
    firehoseMock.on(PutRecordBatchCommand).callsFake((input) => {
      call++;
      seen.push(input.Records.length);
      return {
        FailedPutCount: call === 1 ? 2 : 0,
        RequestResponses: input.Records.map((_: unknown, i: number) =>
          call === 1 && i < 2
            ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' }
            : { RecordId: 'x' },
        ),
      };
    });
    const { response, report } = await processEvent(bigEvent(false), config, clients, noSleep);
    expect(seen.length).toBe(2);
    expect(seen[1]).toBe(2);
    expect(report?.errors).toEqual(['ServiceUnavailableException']);
    expect(response.records.map((r) => r.result)).not.toContain('ProcessingFailed');
  });

  it('stops after the retry bound under throttling and returns those records as ProcessingFailed', async () => {
    const err = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    firehoseMock.on(PutRecordBatchCommand).rejects(err);
    const sleeps: number[] = [];
    const { response, outcome, report } = await processEvent(bigEvent(false), config, clients, {
      maxAttempts: 4,
      baseDelayMs: 100,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.999,
    });
    expect(firehoseMock.commandCalls(PutRecordBatchCommand).length).toBe(4);
    expect(sleeps).toEqual([199, 399, 799]);
    expect(report?.errors).toEqual(['ThrottlingException']);
    const failed = response.records.filter((r) => r.result === 'ProcessingFailed').length;
    expect(failed).toBeGreaterThan(0);
    expect(outcome.stats.reingested).toBe(0);
    expect(response.records.filter((r) => r.result === 'Dropped').length).toBe(1); // only the control message
    expect(outcome.problems.at(-1)?.reason).toMatch(/re-ingestion failed.*ThrottlingException/);
  });

  it('re-ingests into the source Kinesis stream with PutRecords and the original partition keys', async () => {
    kinesisMock.on(PutRecordsCommand).callsFake((input) => ({
      FailedRecordCount: 0,
      Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })),
    }));
    const { response } = await processEvent(bigEvent(true), config, clients, noSleep);
    const calls = kinesisMock.commandCalls(PutRecordsCommand);
    expect(calls.length).toBe(1);
    expect(calls[0].args[0].input.StreamARN).toBe(KINESIS_ARN);
    const keys = (calls[0].args[0].input.Records ?? []).map((r) => r.PartitionKey);
    const dropped = response.records.filter((r) => r.result === 'Dropped' && r.recordId !== 'control');
    expect([...new Set(keys)]).toEqual(dropped.map((r) => `pk-${r.recordId.slice(1)}`));
    expect(firehoseMock.commandCalls(PutRecordBatchCommand).length).toBe(0);
  });

  it('splits re-ingestion into calls of at most 500 records', async () => {
    firehoseMock.on(PutRecordBatchCommand).callsFake((input) => ({
      FailedPutCount: 0,
      RequestResponses: input.Records.map(() => ({ RecordId: 'x' })),
    }));
    const event = {
      deliveryStreamArn: DELIVERY_ARN,
      records: Array.from({ length: 1200 }, (_, i) => ({ recordId: `r${i}`, data: payload(2, i) })),
    };
    const { outcome } = await processEvent(event, { ...config, maxResponseBytes: 10_000 }, clients, noSleep);
    const sizes = firehoseMock
      .commandCalls(PutRecordBatchCommand)
      .map((c) => c.args[0].input.Records?.length);
    expect(sizes.every((n) => (n ?? 0) <= 500)).toBe(true);
    expect(sizes.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(outcome.stats.reingested);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });
});

describe('handler', () => {
  it('answers one result per recordId and never throws for bad data', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('FLOWLAKE_OUTPUT', 'lines');
    const { handler } = await import('../../src/handlers/firehose-transform.js');
    const event = {
      deliveryStreamArn: DELIVERY_ARN,
      records: [
        { recordId: 'c', data: encodeCloudWatchPayload(controlMessage()).toString('base64') },
        { recordId: 'd', data: payload(3, 1) },
        { recordId: 'g', data: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]).toString('base64') },
        { recordId: 'j', data: Buffer.from('{not json').toString('base64') },
      ],
    };
    const res = await handler(event, { functionName: 'f', awsRequestId: 'id' } as Context);
    expect(res.records.map((r) => [r.recordId, r.result])).toEqual([
      ['c', 'Dropped'],
      ['d', 'Ok'],
      ['g', 'ProcessingFailed'],
      ['j', 'ProcessingFailed'],
    ]);
    expect(
      Buffer.from(res.records[1].data ?? '', 'base64')
        .toString()
        .split('\n'),
    ).toHaveLength(4);
    vi.unstubAllEnvs();
  });

  it('rejects a bad configuration naming the variable', () => {
    expect(() => configFromEnv({ FLOWLAKE_OUTPUT: 'csv' })).toThrow(/FLOWLAKE_OUTPUT is 'csv'/);
    expect(() =>
      configFromEnv({ FLOWLAKE_FORMAT: ['version', 'nope'].map((n) => `\${${n}}`).join(' ') }),
    ).toThrow(/unknown flow log field 'nope'/);
    expect(() => configFromEnv({ FLOWLAKE_MAX_REINGEST: '-1' })).toThrow(/FLOWLAKE_MAX_REINGEST/);
    expect(configFromEnv({ FLOWLAKE_REGION: 'eu-west-3', FLOWLAKE_OUTPUT: 'lines' })).toMatchObject({
      output: 'lines',
      defaultRegion: 'eu-west-3',
    });
  });
});
