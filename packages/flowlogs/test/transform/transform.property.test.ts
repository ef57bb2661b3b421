import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CloudWatchLogsMessage,
  decodeCloudWatchPayload,
  FlowLogFormat,
  type FlowRecord,
  REINGEST_FIELD,
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
  guardDutyEvent,
  KINESIS_ARN,
  nonJson,
  plainJson,
  rng,
} from './fixtures.js';

type Kind =
  | 'valid'
  | 'oversized'
  | 'tired'
  | 'control'
  | 'corrupt'
  | 'nonjson'
  | 'empty'
  | 'badline'
  | 'badfirst'
  | 'finding'
  | 'notfinding';
interface Sample {
  kind: Kind;
  data: string;
  finding?: Record<string, unknown>;
  msg?: CloudWatchLogsMessage;
  records?: FlowRecord[];
}

const FORMAT = FlowLogFormat.DEFAULT;
const MAX_RESPONSE = 12_000;

// A pool of pre-encoded payloads of every kind (gzip once, reuse across 10,000 batches).
function pool(): Record<Kind, Sample[]> {
  const r = rng(42);
  const p: Record<Kind, Sample[]> = {
    valid: [],
    oversized: [],
    tired: [],
    control: [],
    corrupt: [],
    nonjson: [],
    empty: [],
    badline: [],
    badfirst: [],
    finding: [],
    notfinding: [],
  };
  for (let i = 0; i < 60; i++) {
    const { msg, records } = dataMessage(FORMAT, 1 + Math.floor(r() * 12), r);
    p.valid.push({ kind: 'valid', data: encode(msg).toString('base64'), msg, records });
  }
  for (let i = 0; i < 8; i++) {
    const { msg, records } = dataMessage(FORMAT, 100 + Math.floor(r() * 40), r);
    p.oversized.push({ kind: 'oversized', data: encode(msg).toString('base64'), msg, records });
    const t = { ...dataMessage(FORMAT, 100, r).msg, [REINGEST_FIELD]: 3 } as CloudWatchLogsMessage;
    p.tired.push({ kind: 'tired', data: encode(t).toString('base64'), msg: t });
  }
  for (let i = 0; i < 5; i++) {
    p.control.push({ kind: 'control', data: control().toString('base64') });
    p.corrupt.push({ kind: 'corrupt', data: corruptGzip().toString('base64') });
    p.nonjson.push({ kind: 'nonjson', data: nonJson().toString('base64') });
    p.empty.push({ kind: 'empty', data: '' });
    const { msg } = dataMessage(FORMAT, 3, r);
    const bad = {
      ...msg,
      logEvents: [...msg.logEvents, { id: 'x', timestamp: 0, message: 'only three fields' }],
    };
    p.badline.push({ kind: 'badline', data: encode(bad).toString('base64'), msg: bad });
    const badFirst = {
      ...msg,
      logEvents: [{ id: 'x', timestamp: 0, message: '2 123 eni-1' }, ...msg.logEvents],
    };
    p.badfirst.push({ kind: 'badfirst', data: encode(badFirst).toString('base64') });
  }
  // GuardDuty findings routed by EventBridge (plain JSON), and plain JSON that is not a placeable finding.
  for (let i = 0; i < 6; i++) {
    const ev = guardDutyEvent(i, i % 2 ? { account: undefined } : {}, i % 3 ? {} : { updatedAt: undefined });
    p.finding.push({ kind: 'finding', data: plainJson(ev), finding: ev });
    // What flowlake's rule actually puts: the finding alone (account, region, time from it).
    const bare = guardDutyEvent(10 + i).detail as Record<string, unknown>;
    p.finding.push({ kind: 'finding', data: plainJson(bare), finding: { detail: bare, bare: true } });
  }
  p.notfinding.push({
    kind: 'notfinding',
    data: plainJson(guardDutyEvent(0, { source: 'aws.securityhub' })),
  });
  p.notfinding.push({
    kind: 'notfinding',
    data: plainJson(guardDutyEvent(0, { 'detail-type': 'GuardDuty Runtime Protection Unhealthy' })),
  });
  p.notfinding.push({ kind: 'notfinding', data: plainJson(guardDutyEvent(0, { detail: 'x' })) });
  p.notfinding.push({
    kind: 'notfinding',
    data: plainJson(guardDutyEvent(0, { account: 'me' }, { accountId: undefined })),
  });
  p.notfinding.push({
    kind: 'notfinding',
    data: plainJson(guardDutyEvent(0, { time: 'soon' }, { updatedAt: 'later' })),
  });
  p.notfinding.push({ kind: 'notfinding', data: encode(guardDutyEvent(1) as never).toString('base64') });
  // Non-JSON variants that are not gzip at all.
  p.nonjson.push({ kind: 'nonjson', data: Buffer.from('plain text').toString('base64') });
  p.nonjson.push({ kind: 'nonjson', data: '%%%not base64%%%' });
  return p;
}

const POOL = pool();
const KINDS = Object.keys(POOL) as Kind[];

describe('transform contract (property)', () => {
  it('10,000 random batches: one result per recordId in order, kinds mapped, size bounded, nothing lost', () => {
    const sample = fc.tuple(fc.constantFrom(...KINDS), fc.nat()).map(([k, i]) => POOL[k][i % POOL[k].length]);
    fc.assert(
      fc.property(
        fc.array(sample, { minLength: 0, maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom<'json' | 'lines'>('json', 'lines'),
        fc.boolean(),
        (batch, kinesis, output, checkEveryLine) => {
          const records = batch.map((s, i) => fhRecord(`rec-${i}`, s.data, kinesis ? `pk-${i}` : undefined));
          const event = kinesis
            ? { sourceKinesisStreamArn: KINESIS_ARN, deliveryStreamArn: DELIVERY_ARN, records }
            : { deliveryStreamArn: DELIVERY_ARN, records };
          const out = transformFirehoseEvent(event, {
            format: FORMAT,
            output,
            checkEveryLine,
            maxResponseBytes: MAX_RESPONSE,
          });
          const res = out.response.records;
          expect(res.map((x) => x.recordId)).toEqual(records.map((x) => x.recordId));
          expect(Buffer.byteLength(JSON.stringify(out.response))).toBeLessThanOrEqual(MAX_RESPONSE);
          const reingested = new Map<string, CloudWatchLogsMessage[]>();
          const reingestedFindings = new Map<string, Record<string, unknown>[]>();
          for (const e of out.reingest) {
            if (e.data[0] === 0x7b) {
              const f = JSON.parse(e.data.toString('utf8')) as Record<string, unknown>;
              reingestedFindings.set(e.recordId, [...(reingestedFindings.get(e.recordId) ?? []), f]);
              continue;
            }
            const m = decodeCloudWatchPayload(e.data);
            reingested.set(e.recordId, [...(reingested.get(e.recordId) ?? []), m]);
            expect(e.partitionKey).toBe(kinesis ? `pk-${e.recordId.slice(4)}` : undefined);
          }
          batch.forEach((s, i) => {
            const r = res[i];
            switch (s.kind) {
              case 'control':
                expect(r.result).toBe('Dropped');
                expect(reingested.has(r.recordId)).toBe(false);
                break;
              case 'badline':
                // Lines mode without checkEveryLine passes later lines through unchanged (format checked on line 1).
                if (output === 'lines' && !checkEveryLine) {
                  expect(r.result).toBe('Ok');
                  expect(decodeData(r.data).split('\n').at(-2)).toBe('only three fields');
                } else expect(r.result).toBe('ProcessingFailed');
                break;
              case 'finding': {
                const ev = s.finding as Record<string, unknown>;
                const detail = ev.detail as Record<string, unknown>;
                if (r.result === 'Ok') {
                  expect(decodeData(r.data)).toBe(`${JSON.stringify(detail)}\n`);
                  const keys = r.metadata?.partitionKeys;
                  expect(keys?.dataset).toBe('guardduty-stream');
                  expect(keys?.account).toBe('444455556666');
                  expect(keys?.region).toBe('eu-west-1');
                  expect(keys?.hour).toBe(detail.updatedAt ? '09' : '10');
                } else {
                  expect(r.result).toBe('Dropped');
                  const original = ev.bare ? detail : ev;
                  expect(reingestedFindings.get(r.recordId)).toEqual([
                    JSON.parse(JSON.stringify({ ...original, [REINGEST_FIELD]: 1 })),
                  ]);
                }
                break;
              }
              case 'notfinding':
              case 'corrupt':
              case 'nonjson':
              case 'empty':
              case 'badfirst':
              case 'tired':
                expect(r.result).toBe('ProcessingFailed');
                break;
              default: {
                if (r.result === 'Ok') {
                  const text = decodeData(r.data);
                  expect(text.endsWith('\n')).toBe(true);
                  const lines = text.slice(0, -1).split('\n');
                  // Records are built in format order, so JSON.stringify gives the exact expected line.
                  const want =
                    output === 'json'
                      ? s.records?.map((x) => JSON.stringify(x))
                      : s.msg?.logEvents.map((e) => e.message);
                  expect(lines.join('\n')).toBe(want?.join('\n'));
                  expect(r.metadata?.partitionKeys.account).toBe(s.msg?.owner);
                  expect(r.metadata?.partitionKeys.dataset).toBe('vpcflowlogs-stream');
                } else {
                  // Overflow: Dropped here, every log event re-ingested once with the attempt counter raised.
                  expect(r.result).toBe('Dropped');
                  const parts = reingested.get(r.recordId) ?? [];
                  expect(JSON.stringify(parts.flatMap((m) => m.logEvents))).toBe(
                    JSON.stringify(s.msg?.logEvents),
                  );
                  for (const m of parts)
                    expect((m as unknown as Record<string, number>)[REINGEST_FIELD]).toBe(1);
                }
                if (s.kind === 'oversized') expect(r.result).toBe('Dropped');
              }
            }
            if (r.result !== 'Ok') expect(r.data).toBeUndefined();
            if (s.kind !== 'finding') expect(reingestedFindings.has(r.recordId)).toBe(false);
          });
          const s = out.stats;
          expect(s.ok + s.dropped + s.failed + s.reingested).toBe(records.length);
        },
      ),
      { numRuns: 10_000, seed: 20261130 },
    );
  });
});
