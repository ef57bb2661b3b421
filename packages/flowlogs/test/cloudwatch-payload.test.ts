import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CloudWatchLogsMessage,
  CONTROL_MESSAGE_TEXT,
  controlMessage,
  decodeCloudWatchPayload,
  decodeCloudWatchPayloads,
  encodeCloudWatchPayload,
  isControlMessage,
  logEventId,
  PayloadError,
} from '../src/index.js';

const data: CloudWatchLogsMessage = {
  messageType: 'DATA_MESSAGE',
  owner: '012345678901',
  logGroup: '/vpc/flowlogs',
  logStream: 'eni-1235b8ca123456789',
  subscriptionFilters: ['flowlake'],
  logEvents: [
    {
      id: logEventId(1418530010000, 0),
      timestamp: 1418530010000,
      message:
        '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
    },
  ],
};

describe('encode/decode', () => {
  it('round-trips gzip bytes and base64 text', () => {
    const gz = encodeCloudWatchPayload(data);
    expect(gz[0]).toBe(0x1f);
    expect(decodeCloudWatchPayload(gz)).toEqual(data);
    expect(decodeCloudWatchPayload(gz.toString('base64'))).toEqual(data);
    expect(decodeCloudWatchPayload(new Uint8Array(gz))).toEqual(data);
  });

  it('accepts plain JSON (after Firehose decompression)', () => {
    expect(decodeCloudWatchPayload(JSON.stringify(data))).toEqual(data);
    expect(decodeCloudWatchPayload(Buffer.from(JSON.stringify(data)))).toEqual(data);
  });

  it('decodes the control message CloudWatch Logs sends', () => {
    const wire = gzipSync(
      '{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1700000000000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}',
    );
    const m = decodeCloudWatchPayload(wire.toString('base64'));
    expect(isControlMessage(m)).toBe(true);
    expect(m).toEqual(controlMessage(1700000000000));
    expect(m.logEvents[0].message).toBe(CONTROL_MESSAGE_TEXT);
    expect(isControlMessage(data)).toBe(false);
  });

  it('makes 56-digit event ids', () => {
    expect(logEventId(1418530010000, 7)).toMatch(/^\d{56}$/);
    expect(logEventId(1418530010000, 7)).not.toBe(logEventId(1418530010000, 8));
  });
});

describe('errors', () => {
  const gz = encodeCloudWatchPayload(data);
  const cases: [string, Buffer | string, RegExp][] = [
    ['truncated gzip', gz.subarray(0, gz.length - 10), /corrupt gzip/],
    ['gzip of non-JSON', gzipSync('hello'), /not valid JSON/],
    ['neither gzip nor JSON', Buffer.from('hello world'), /neither gzip .* nor JSON/],
    ['not base64', 'this is not base64!', /neither base64 nor JSON/],
    ['wrong messageType', JSON.stringify({ ...data, messageType: 'OTHER' }), /messageType should be/],
    ['array document', gzipSync('[1,2]'), /the document should be a JSON object, got an array/],
    [
      'bad event timestamp',
      JSON.stringify({ ...data, logEvents: [{ id: '1', timestamp: 'x', message: 'm' }] }),
      /logEvents\[0\]\.timestamp should be a number/,
    ],
    ['missing owner', JSON.stringify({ ...data, owner: undefined }), /owner should be a string/],
    [
      'bad filter',
      JSON.stringify({ ...data, subscriptionFilters: [3] }),
      /subscriptionFilters\[0\] should be a string/,
    ],
  ];
  it.each(cases)('%s -> PayloadError', (_name, input, message) => {
    expect(() => decodeCloudWatchPayload(input)).toThrow(PayloadError);
    expect(() => decodeCloudWatchPayload(input)).toThrow(message);
  });

  it('caps the decompressed size', () => {
    const bomb = gzipSync(Buffer.alloc(2_000_000, 0x20));
    expect(() => decodeCloudWatchPayload(bomb, { maxBytes: 1_000_000 })).toThrow(/exceeds 1000000 bytes/);
  });
});

describe('decodeCloudWatchPayloads', () => {
  it('reads concatenated gzip members (Firehose without decompression)', () => {
    const ctl = controlMessage(1);
    const joined = Buffer.concat([
      encodeCloudWatchPayload(data),
      encodeCloudWatchPayload(ctl),
      encodeCloudWatchPayload(data),
    ]);
    expect(decodeCloudWatchPayloads(joined)).toEqual([data, ctl, data]);
  });

  it('rejects a corrupt later member instead of dropping it silently', () => {
    const one = encodeCloudWatchPayload(data);
    expect(() => decodeCloudWatchPayloads(Buffer.concat([one, one.subarray(0, 12)]))).toThrow(/corrupt gzip/);
    expect(() => decodeCloudWatchPayloads(Buffer.concat([one, Buffer.from('junk')]))).toThrow(PayloadError);
  });

  it('reads newline-separated JSON and braces inside strings', () => {
    const tricky = { ...data, logGroup: 'a}{"b\\' };
    const text = `${JSON.stringify(tricky)}\n${JSON.stringify(data)}\n`;
    expect(decodeCloudWatchPayloads(Buffer.from(text))).toEqual([tricky, data]);
  });

  it('names the bad document', () => {
    const text = `${JSON.stringify(data)}${JSON.stringify({ ...data, logEvents: 3 })}`;
    expect(() => decodeCloudWatchPayloads(text)).toThrow(/document 2: .*logEvents should be an array/);
    expect(() => decodeCloudWatchPayloads(`${JSON.stringify(data)}{"a":`)).toThrow(/truncated/);
  });

  it('round-trips arbitrary messages (property)', () => {
    const eventArb = fc.record({
      id: fc.stringMatching(/^\d{56}$/),
      timestamp: fc.integer({ min: 0, max: 4102444800000 }),
      message: fc.string({ unit: 'grapheme', maxLength: 300 }),
    });
    const msgArb = fc.record({
      messageType: fc.constantFrom('DATA_MESSAGE' as const, 'CONTROL_MESSAGE' as const),
      owner: fc.stringMatching(/^\d{12}$/),
      logGroup: fc.string({ maxLength: 50 }),
      logStream: fc.string({ maxLength: 50 }),
      subscriptionFilters: fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }),
      logEvents: fc.array(eventArb, { maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.array(msgArb, { minLength: 1, maxLength: 4 }), (msgs) => {
        const one = encodeCloudWatchPayload(msgs[0]);
        expect(decodeCloudWatchPayload(one.toString('base64'))).toEqual(msgs[0]);
        expect(decodeCloudWatchPayloads(Buffer.concat(msgs.map(encodeCloudWatchPayload)))).toEqual(msgs);
      }),
      { numRuns: 100 },
    );
  });
});
