import { describe, expect, it } from 'vitest';
import {
  ALL_VPC_FIELDS_V2_V8,
  decodeCloudWatchPayload,
  FlowLogFormat,
  markFailed,
  REINGEST_FIELD,
  regionFromLogGroup,
  transformFirehoseEvent,
} from '../../src/index.js';
import {
  control,
  corruptGzip,
  DELIVERY_ARN,
  dataMessage,
  decodeData,
  encode,
  fhRecord,
  KINESIS_ARN,
  nonJson,
  OWNER,
  rng,
  wrongShape,
} from './fixtures.js';

const V2 = FlowLogFormat.DEFAULT;

describe('transformFirehoseEvent', () => {
  it('held-out check: control first, then data, corrupt gzip and non-JSON -> one correct result per recordId', () => {
    const r = rng(7);
    const a = dataMessage(V2, 3, r);
    const b = dataMessage(V2, 2, r);
    const event = {
      deliveryStreamArn: DELIVERY_ARN,
      region: 'eu-west-1',
      records: [
        fhRecord('r0-control', control()),
        fhRecord('r1-data', encode(a.msg)),
        fhRecord('r2-corrupt', corruptGzip()),
        fhRecord('r3-data', encode(b.msg)),
        fhRecord('r4-nonjson', nonJson()),
        fhRecord('r5-plain-text', Buffer.from('hello world')),
      ],
    };
    const out = transformFirehoseEvent(event);
    expect(out.response.records.map((x) => [x.recordId, x.result])).toEqual([
      ['r0-control', 'Dropped'],
      ['r1-data', 'Ok'],
      ['r2-corrupt', 'ProcessingFailed'],
      ['r3-data', 'Ok'],
      ['r4-nonjson', 'ProcessingFailed'],
      ['r5-plain-text', 'ProcessingFailed'],
    ]);
    const lines = decodeData(out.response.records[1].data).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(a.records);
    expect(out.response.records[0].data).toBeUndefined();
    expect(out.response.records[2].data).toBeUndefined();
    expect(out.reingest).toEqual([]);
    expect(out.stats).toMatchObject({
      recordsIn: 6,
      ok: 2,
      dropped: 1,
      controlMessages: 1,
      failed: 3,
      logEvents: 5,
    });
    expect(out.problems.map((p) => p.recordId)).toEqual(['r2-corrupt', 'r4-nonjson', 'r5-plain-text']);
    expect(out.problems[0].reason).toMatch(/corrupt gzip/);
  });

  it('writes hyphenated keys in format order, integers as numbers and - as null', () => {
    const line = '2 012345678901 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';
    const msg = { ...dataMessage(V2, 1, rng(1)).msg };
    const event = {
      records: [fhRecord('x', encode({ ...msg, logEvents: [{ id: '1', timestamp: 0, message: line }] }))],
    };
    const text = decodeData(transformFirehoseEvent(event).response.records[0].data);
    expect(text).toBe(
      '{"version":2,"account-id":"012345678901","interface-id":"eni-1235b8ca123456789","srcaddr":null,' +
        '"dstaddr":null,"srcport":null,"dstport":null,"protocol":null,"packets":null,"bytes":null,' +
        '"start":1431280876,"end":1431280934,"action":null,"log-status":"NODATA"}\n',
    );
  });

  it('lines mode returns the original lines, one per event, each ending in a newline', () => {
    const { msg } = dataMessage(V2, 4, rng(3));
    const out = transformFirehoseEvent({ records: [fhRecord('x', encode(msg))] }, { output: 'lines' });
    expect(decodeData(out.response.records[0].data)).toBe(
      msg.logEvents.map((e) => `${e.message}\n`).join(''),
    );
  });

  it('escapes strings that need it and fails a record whose line does not fit the format', () => {
    const fmt = FlowLogFormat.fromFields(['version', 'vpc-id', 'bytes']);
    const ok = {
      ...dataMessage(fmt, 1, rng(1)).msg,
      logEvents: [{ id: '1', timestamp: 0, message: '5 a"b\\c 10' }],
    };
    const bad1 = { ...ok, logEvents: [{ id: '1', timestamp: 0, message: '5 vpc-1' }] };
    const bad2 = { ...ok, logEvents: [{ id: '1', timestamp: 0, message: '5 vpc-1 12x' }] };
    const out = transformFirehoseEvent(
      { records: [fhRecord('ok', encode(ok)), fhRecord('b1', encode(bad1)), fhRecord('b2', encode(bad2))] },
      { format: fmt },
    );
    expect(JSON.parse(decodeData(out.response.records[0].data))).toEqual({
      version: 5,
      'vpc-id': 'a"b\\c',
      bytes: 10,
    });
    expect(out.response.records.map((x) => x.result)).toEqual(['Ok', 'ProcessingFailed', 'ProcessingFailed']);
    expect(out.problems[0].reason).toMatch(/expected 3 fields, found 2/);
    expect(out.problems[1].reason).toMatch(/'bytes' should be an integer or '-', got '12x'/);
  });

  it('partition keys: owner account, region from record, log group or default, time of the first event', () => {
    const r = rng(5);
    const plain = dataMessage(V2, 2, r).msg;
    const noRegionGroup = { ...plain, logGroup: 'vpc-flow-logs' };
    const v5 = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);
    const withRegionField = dataMessage(v5, 1, r).msg;
    const out = transformFirehoseEvent(
      {
        region: 'us-east-2',
        records: [
          fhRecord('a', encode(plain)),
          fhRecord('b', encode(noRegionGroup)),
          fhRecord('c', encode({ ...noRegionGroup, owner: 'not-an-account' })),
        ],
      },
      {},
    );
    const keys = out.response.records.map((x) => x.metadata?.partitionKeys);
    expect(keys[0]).toEqual({
      dataset: 'vpcflowlogs-stream',
      account: OWNER,
      region: 'eu-west-1',
      year: '2026',
      month: '11',
      day: '30',
      hour: '09',
    });
    expect(keys[1]?.region).toBe('us-east-2');
    expect(keys[2]?.account).toBe(
      JSON.parse(decodeData(out.response.records[2].data).split('\n')[0])['account-id'],
    );
    const v = transformFirehoseEvent(
      { records: [fhRecord('d', encode(withRegionField))] },
      { format: v5, defaultRegion: 'x' },
    );
    expect(v.response.records[0].metadata?.partitionKeys.region).toBe('eu-central-1');
    expect(regionFromLogGroup('/aws/vpc/us-gov-west-1/flows')).toBe('us-gov-west-1');
    expect(regionFromLogGroup('/flowlake/vpcflowlogs')).toBeUndefined();
  });

  it('drops DATA_MESSAGEs without events and fails empty or wrongly shaped records', () => {
    const { msg } = dataMessage(V2, 1, rng(1));
    const out = transformFirehoseEvent({
      records: [
        fhRecord('e', encode({ ...msg, logEvents: [] })),
        fhRecord('z', ''),
        fhRecord('w', wrongShape()),
      ],
    });
    expect(out.response.records.map((x) => x.result)).toEqual([
      'Dropped',
      'ProcessingFailed',
      'ProcessingFailed',
    ]);
    expect(out.problems[1].reason).toMatch(/owner should be a string/);
  });

  it('re-ingests the overflow past the response limit and splits an oversized record by log event', () => {
    const r = rng(11);
    const small = Array.from({ length: 6 }, () => dataMessage(V2, 20, r).msg);
    const big = dataMessage(V2, 400, r).msg;
    const records = [
      ...small.map((m, i) => fhRecord(`s${i}`, encode(m), `pk${i}`)),
      fhRecord('big', encode(big), 'pkbig'),
    ];
    const out = transformFirehoseEvent(
      { sourceKinesisStreamArn: KINESIS_ARN, deliveryStreamArn: DELIVERY_ARN, records },
      { maxResponseBytes: 20_000 },
    );
    const res = out.response.records;
    expect(res.map((x) => x.recordId)).toEqual(records.map((x) => x.recordId));
    expect(JSON.stringify(out.response).length).toBeLessThanOrEqual(20_000);
    expect(out.target).toEqual({ kind: 'kinesis', streamArn: KINESIS_ARN });
    const okCount = res.filter((x) => x.result === 'Ok').length;
    expect(okCount).toBeGreaterThan(0);
    expect(okCount).toBeLessThan(6);
    const back = new Set(out.reingest.map((e) => e.recordId));
    for (const x of res) expect(x.result === 'Dropped').toBe(back.has(x.recordId));
    const bigParts = out.reingest.filter((e) => e.recordId === 'big');
    expect(bigParts.length).toBeGreaterThan(1);
    expect(bigParts.every((e) => e.partitionKey === 'pkbig')).toBe(true);
    const events = bigParts.flatMap((e) => {
      const m = decodeCloudWatchPayload(e.data);
      expect((m as unknown as Record<string, number>)[REINGEST_FIELD]).toBe(1);
      return m.logEvents;
    });
    expect(events).toEqual(big.logEvents);
    expect(out.stats.reingested).toBe(res.filter((x) => x.result === 'Dropped').length);
  });

  it('fails instead of re-ingesting again past maxReingestAttempts, or without a target', () => {
    const r = rng(2);
    const tired = { ...dataMessage(V2, 300, r).msg, [REINGEST_FIELD]: 3 };
    const fresh = dataMessage(V2, 300, r).msg;
    const opts = { maxResponseBytes: 10_000 };
    const a = transformFirehoseEvent(
      { deliveryStreamArn: DELIVERY_ARN, records: [fhRecord('t', encode(tired))] },
      opts,
    );
    expect(a.response.records[0].result).toBe('ProcessingFailed');
    expect(a.problems[0].reason).toMatch(/already re-ingested 3 times/);
    const b = transformFirehoseEvent({ records: [fhRecord('f', encode(fresh))] }, opts);
    expect(b.response.records[0].result).toBe('ProcessingFailed');
    const c = transformFirehoseEvent(
      { deliveryStreamArn: DELIVERY_ARN, records: [fhRecord('f', encode(fresh))] },
      opts,
    );
    expect(c.target).toEqual({ kind: 'firehose', deliveryStreamName: 'flowlake-flowlogs' });
    expect(c.reingest.every((e) => e.partitionKey === undefined)).toBe(true);
    markFailed(c, ['f'], 'PutRecordBatch failed');
    expect(c.response.records[0].result).toBe('ProcessingFailed');
    expect(c.stats).toMatchObject({ reingested: 0, failed: 1 });
  });

  it('never throws on malformed events', () => {
    expect(transformFirehoseEvent({} as never).response.records).toEqual([]);
    const out = transformFirehoseEvent({ records: [{ recordId: 'n', data: 42 } as never, null as never] });
    expect(out.response.records.map((x) => x.result)).toEqual(['ProcessingFailed', 'ProcessingFailed']);
  });
});
