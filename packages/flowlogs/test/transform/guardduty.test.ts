import { describe, expect, it } from 'vitest';
import { FlowLogFormat, REINGEST_FIELD, transformFirehoseEvent } from '../../src/index.js';
import {
  DELIVERY_ARN,
  dataMessage,
  decodeData,
  encode,
  fhRecord,
  guardDutyEvent,
  plainJson,
  rng,
} from './fixtures.js';

const keysOf = (out: ReturnType<typeof transformFirehoseEvent>, i: number) =>
  out.response.records[i].metadata?.partitionKeys;

describe('transformFirehoseEvent: GuardDuty findings routed by EventBridge', () => {
  it('writes the finding as one NDJSON line under dataset guardduty-stream, next to flow records', () => {
    const ev = guardDutyEvent(3);
    const flows = dataMessage(FlowLogFormat.DEFAULT, 2, rng(2)).msg;
    const out = transformFirehoseEvent({
      region: 'us-east-1',
      records: [fhRecord('f', plainJson(ev)), fhRecord('v', encode(flows))],
    });
    const [f, v] = out.response.records;
    expect(f.result).toBe('Ok');
    const text = decodeData(f.data);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(JSON.parse(text)).toEqual(ev.detail);
    expect(keysOf(out, 0)).toEqual({
      dataset: 'guardduty-stream',
      account: '444455556666',
      region: 'eu-west-1',
      year: '2026',
      month: '11',
      day: '30',
      hour: '09', // detail.updatedAt, not the event time (10:15)
    });
    expect(v.result).toBe('Ok');
    expect(keysOf(out, 1)?.dataset).toBe('vpcflowlogs-stream');
    expect(out.stats).toMatchObject({ ok: 2, findings: 1, failed: 0 });
  });

  it('accepts the bare finding that the flowlake rule puts ($.detail): account, region and hour from the finding', () => {
    const detail = guardDutyEvent(7, {}, { accountId: '777788889999', region: 'ap-south-1' }).detail;
    const out = transformFirehoseEvent({ region: 'us-east-1', records: [fhRecord('d', plainJson(detail))] });
    expect(out.response.records[0].result).toBe('Ok');
    expect(decodeData(out.response.records[0].data)).toBe(`${JSON.stringify(detail)}\n`);
    expect(keysOf(out, 0)).toEqual({
      dataset: 'guardduty-stream',
      account: '777788889999',
      region: 'ap-south-1',
      year: '2026',
      month: '11',
      day: '30',
      hour: '09',
    });
    // Plain JSON that only looks a bit like a finding is not one.
    const notArn = transformFirehoseEvent({
      records: [fhRecord('x', plainJson({ ...(detail as object), arn: 'arn:aws:s3:::bucket' }))],
    });
    expect(notArn.response.records[0].result).toBe('ProcessingFailed');
  });

  it('falls back to detail.accountId, event.time and detail.region; the default region last', () => {
    const out = transformFirehoseEvent({
      region: 'us-east-1',
      records: [
        fhRecord(
          'a',
          plainJson(guardDutyEvent(1, { account: undefined, region: 'not a region' }, { updatedAt: null })),
        ),
        fhRecord(
          'b',
          plainJson(guardDutyEvent(2, { region: undefined }, { region: undefined, accountId: '1' })),
        ),
      ],
    });
    expect(out.response.records.map((r) => r.result)).toEqual(['Ok', 'Ok']);
    expect(keysOf(out, 0)).toMatchObject({ account: '444455556666', region: 'eu-west-1', hour: '10' });
    expect(keysOf(out, 1)).toMatchObject({ account: '444455556666', region: 'us-east-1', hour: '09' });
  });

  it('fails other EventBridge events, findings without account or time, and gzip-wrapped events', () => {
    const cases: [string, unknown, RegExp][] = [
      [
        'hub',
        guardDutyEvent(0, { source: 'aws.securityhub' }),
        /not a GuardDuty Finding from aws\.guardduty/,
      ],
      [
        'type',
        guardDutyEvent(0, { 'detail-type': 'GuardDuty Malware Protection' }),
        /not a GuardDuty Finding/,
      ],
      ['nodetail', guardDutyEvent(0, { detail: [1] }), /no detail object/],
      ['noacct', guardDutyEvent(0, { account: 'x' }, { accountId: 12 }), /no 12-digit account/],
      ['notime', guardDutyEvent(0, { time: undefined }, { updatedAt: 'yesterday' }), /no valid time/],
    ];
    const out = transformFirehoseEvent({
      records: [
        ...cases.map(([id, ev]) => fhRecord(id, plainJson(ev))),
        fhRecord('gz', encode(guardDutyEvent(0) as never).toString('base64')),
        fhRecord('arr', plainJson([guardDutyEvent(0)])),
      ],
    });
    expect(out.response.records.every((r) => r.result === 'ProcessingFailed' && r.data === undefined)).toBe(
      true,
    );
    expect(out.response.records.map((r) => r.recordId)).toEqual([...cases.map((c) => c[0]), 'gz', 'arr']);
    cases.forEach(([, , why], i) => {
      expect(out.problems[i].reason).toMatch(why);
    });
  });

  it('re-ingests a finding past the response limit with the attempt counter, and fails it when tired', () => {
    const ev = guardDutyEvent(5);
    const tired = guardDutyEvent(6, { [REINGEST_FIELD]: 3 });
    const out = transformFirehoseEvent(
      {
        deliveryStreamArn: DELIVERY_ARN,
        records: [
          fhRecord('a', plainJson(guardDutyEvent(4))),
          fhRecord('b', plainJson(ev)),
          fhRecord('c', plainJson(tired)),
        ],
      },
      { maxResponseBytes: 2_500 },
    );
    expect(out.response.records.map((r) => r.result)).toEqual(['Ok', 'Dropped', 'ProcessingFailed']);
    expect(out.reingest).toHaveLength(1);
    expect(out.reingest[0].recordId).toBe('b');
    expect(JSON.parse(out.reingest[0].data.toString('utf8'))).toEqual({ ...ev, [REINGEST_FIELD]: 1 });
    const again = transformFirehoseEvent({
      records: [fhRecord('b2', out.reingest[0].data.toString('base64'))],
    });
    expect(again.response.records[0].result).toBe('Ok');
    expect(JSON.parse(decodeData(again.response.records[0].data))).toEqual(ev.detail);
    // A bare finding is re-ingested with the counter, which never reaches the output line.
    const bare = transformFirehoseEvent(
      {
        deliveryStreamArn: DELIVERY_ARN,
        records: [fhRecord('a', plainJson(ev.detail)), fhRecord('b', plainJson(ev.detail))],
      },
      { maxResponseBytes: 1_800 },
    );
    expect(bare.response.records.map((r) => r.result)).toEqual(['Ok', 'Dropped']);
    const back = JSON.parse(bare.reingest[0].data.toString('utf8'));
    expect(back).toEqual({ ...(ev.detail as object), [REINGEST_FIELD]: 1 });
    const bare2 = transformFirehoseEvent({
      records: [fhRecord('b', bare.reingest[0].data.toString('base64'))],
    });
    expect(decodeData(bare2.response.records[0].data)).toBe(`${JSON.stringify(ev.detail)}\n`);
  });
});
