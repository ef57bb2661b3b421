import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  controlMessage,
  DATASET_FIELD,
  encodeCloudWatchPayload,
  FLOWLOG_DATASET,
  GUARDDUTY_DATASET,
  MAX_BYTES_PER_CALL,
} from '@flowlake/flowlogs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, processEvent, type TransformConfig } from '../../src/handlers/firehose-transform.js';
import { fanOutTargetFromEnv } from '../../src/handlers/opensearch-fanout.js';
import { payload } from './payload.js';

const firehoseMock = mockClient(FirehoseClient);
const clients = {
  firehose: new FirehoseClient({ region: 'eu-west-1' }),
  kinesis: new KinesisClient({ region: 'eu-west-1' }),
  openSearch: new FirehoseClient({ region: 'eu-central-1' }),
};
const DELIVERY_ARN = 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/flowlake-flowlogs';
const OS_STREAM = 'flowlake-opensearch';
const noSleep = { sleep: async () => {}, random: () => 0.5 };

const finding = {
  schemaVersion: '2.0',
  accountId: '444455556666',
  region: 'eu-west-1',
  arn: 'arn:aws:guardduty:eu-west-1:444455556666:detector/12ab/finding/16af',
  type: 'Recon:EC2/PortProbeUnprotectedPort',
  updatedAt: '2026-11-30T09:45:12.345Z',
  severity: 2,
};

const event = {
  deliveryStreamArn: DELIVERY_ARN,
  records: [
    { recordId: 'c', data: encodeCloudWatchPayload(controlMessage()).toString('base64') },
    { recordId: 'a', data: payload(7, 1) },
    { recordId: 'g', data: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]).toString('base64') },
    { recordId: 'b', data: payload(4, 2) },
    { recordId: 'f', data: Buffer.from(JSON.stringify(finding)).toString('base64') },
  ],
};

const base: TransformConfig = configFromEnv({});
const config: TransformConfig = { ...base, openSearch: { deliveryStreamName: OS_STREAM } };

/** Accepts everything; records every call's stream name and record count. */
function acceptAll(): { stream?: string; n: number; bytes: number }[] {
  const calls: { stream?: string; n: number; bytes: number }[] = [];
  firehoseMock.on(PutRecordBatchCommand).callsFake((input) => {
    calls.push({
      stream: input.DeliveryStreamName,
      n: input.Records.length,
      bytes: input.Records.reduce((s: number, r: { Data: Uint8Array }) => s + r.Data.length, 0),
    });
    return { FailedPutCount: 0, RequestResponses: input.Records.map(() => ({ RecordId: 'x' })) };
  });
  return calls;
}

beforeEach(() => {
  firehoseMock.reset();
});
afterAll(() => {
  firehoseMock.restore();
});

describe('OpenSearch fan-out', () => {
  it('sends one document per flow record and finding of the Ok records to the OpenSearch stream', async () => {
    const calls = acceptAll();
    const { response, openSearch } = await processEvent(event, config, clients, noSleep);
    expect(calls).toEqual([{ stream: OS_STREAM, n: 12, bytes: expect.any(Number) }]);
    expect(openSearch).toMatchObject({ documents: 12, sent: 12, failed: 0, skipped: 0, calls: 1 });
    const sent = firehoseMock.commandCalls(PutRecordBatchCommand)[0].args[0].input.Records ?? [];
    const docs = sent.map((r) => JSON.parse(Buffer.from(r.Data as Uint8Array).toString()));
    expect(docs.slice(0, 11).every((d) => d[DATASET_FIELD] === FLOWLOG_DATASET)).toBe(true);
    expect(docs[0]).toMatchObject({
      srcaddr: '10.0.1.0',
      srcport: 40000,
      '@timestamp': '2025-11-30T10:00:00Z',
    });
    expect(docs[11]).toMatchObject({ [DATASET_FIELD]: GUARDDUTY_DATASET, type: finding.type });
    // Same response as without fan-out.
    const plain = await processEvent(event, base, clients, noSleep);
    expect(response).toEqual(plain.response);
    expect(plain.openSearch).toBeUndefined();
  });

  it('encodes JSON documents in lines mode', async () => {
    acceptAll();
    const { response, openSearch } = await processEvent(
      event,
      { ...config, output: 'lines' },
      clients,
      noSleep,
    );
    expect(Buffer.from(response.records[1].data ?? '', 'base64').toString()).toMatch(
      /^2 111122223333 eni-0abc /,
    );
    expect(openSearch).toMatchObject({ documents: 12, sent: 12 });
    const sent = firehoseMock.commandCalls(PutRecordBatchCommand)[0].args[0].input.Records ?? [];
    expect(JSON.parse(Buffer.from(sent[0].Data as Uint8Array).toString())).toMatchObject({ dstport: 443 });
  });

  it('batches into calls of at most 500 records and 4 MiB', async () => {
    const calls = acceptAll();
    const many = {
      deliveryStreamArn: DELIVERY_ARN,
      records: Array.from({ length: 12 }, (_, i) => ({ recordId: `r${i}`, data: payload(100, i) })),
    };
    const { openSearch } = await processEvent(many, config, clients, noSleep);
    expect(calls.map((c) => c.n)).toEqual([500, 500, 200]);
    expect(openSearch?.sent).toBe(1200);

    calls.length = 0;
    firehoseMock.reset();
    const sizes = acceptAll();
    const big = {
      deliveryStreamArn: DELIVERY_ARN,
      records: Array.from({ length: 10 }, (_, i) => ({ recordId: `b${i}`, data: payload(100, i, 5000) })),
    };
    const res = await processEvent(big, { ...config, maxResponseBytes: 100_000_000 }, clients, noSleep);
    expect(sizes.length).toBeGreaterThan(1);
    for (const c of sizes) expect(c.bytes).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(sizes.reduce((s, c) => s + c.n, 0)).toBe(1000);
    expect(res.openSearch?.sent).toBe(1000);
  });

  it('retries only the entries a partial failure names', async () => {
    const seen: number[] = [];
    firehoseMock.on(PutRecordBatchCommand).callsFake((input) => {
      seen.push(input.Records.length);
      const first = seen.length === 1;
      return {
        FailedPutCount: first ? 3 : 0,
        RequestResponses: input.Records.map((_: unknown, i: number) =>
          first && i % 4 === 0 ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: 'x' },
        ),
      };
    });
    const { openSearch } = await processEvent(event, config, clients, noSleep);
    expect(seen).toEqual([12, 3]);
    expect(openSearch).toMatchObject({
      sent: 12,
      failed: 0,
      calls: 2,
      errors: ['ServiceUnavailableException'],
    });
  });

  it('gives up after a bounded number of calls and leaves the S3 response unchanged', async () => {
    firehoseMock
      .on(PutRecordBatchCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { response, openSearch } = await processEvent(event, config, clients, noSleep);
    expect(firehoseMock.commandCalls(PutRecordBatchCommand).length).toBe(3);
    expect(openSearch).toMatchObject({ documents: 12, sent: 0, failed: 12, errors: ['ThrottlingException'] });
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual([
      ['c', 'Dropped'],
      ['a', 'Ok'],
      ['g', 'ProcessingFailed'],
      ['b', 'Ok'],
      ['f', 'Ok'],
    ]);
  });

  it('fans out only records that stay Ok: re-ingested overflow is sent when it comes back', async () => {
    const calls = acceptAll();
    const big = {
      deliveryStreamArn: DELIVERY_ARN,
      records: Array.from({ length: 20 }, (_, i) => ({ recordId: `r${i}`, data: payload(30, i) })),
    };
    const { response, openSearch } = await processEvent(
      big,
      { ...config, maxResponseBytes: 20_000 },
      clients,
      noSleep,
    );
    const ok = response.records.filter((r) => r.result === 'Ok').length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(20);
    expect(openSearch?.documents).toBe(ok * 30);
    const os = calls.filter((c) => c.stream === OS_STREAM);
    const reingest = calls.filter((c) => c.stream === 'flowlake-flowlogs');
    expect(os.reduce((s, c) => s + c.n, 0)).toBe(ok * 30);
    expect(reingest.reduce((s, c) => s + c.n, 0)).toBeGreaterThanOrEqual(20 - ok);
  });
});

describe('fanOutTargetFromEnv', () => {
  it('is off without the variable, reads name and Region, and rejects an ARN', () => {
    expect(fanOutTargetFromEnv({})).toBeUndefined();
    expect(
      fanOutTargetFromEnv({
        OPENSEARCH_DELIVERY_STREAM: OS_STREAM,
        OPENSEARCH_DELIVERY_STREAM_REGION: 'eu-west-1',
      }),
    ).toEqual({ deliveryStreamName: OS_STREAM, region: 'eu-west-1' });
    expect(() =>
      fanOutTargetFromEnv({
        OPENSEARCH_DELIVERY_STREAM: `arn:aws:firehose:eu-west-1:1:deliverystream/${OS_STREAM}`,
      }),
    ).toThrow(/OPENSEARCH_DELIVERY_STREAM is 'arn:aws:firehose.*set the name \(not the ARN\)/);
    expect(configFromEnv({ OPENSEARCH_DELIVERY_STREAM: OS_STREAM }).openSearch).toEqual({
      deliveryStreamName: OS_STREAM,
    });
  });
});
