import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CloudWatchDocument,
  type CloudWatchLogsMessage,
  controlMessage,
  decompress,
  encodeCloudWatchPayload,
  logEventId,
  looksLikeCloudWatchMessages,
  readCloudWatchMessages,
} from '../src/index.js';
import { chunked } from './chunks.js';

const REC =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

function message(n: number, text = REC): CloudWatchLogsMessage {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '012345678901',
    logGroup: '/vpc/flowlogs',
    logStream: `eni-${String(n).padStart(17, '0')}`,
    subscriptionFilters: ['flowlake'],
    logEvents: Array.from({ length: n % 3 }, (_, i) => ({
      id: logEventId(1418530010000 + i, i),
      timestamp: 1418530010000 + i,
      message: `${text} {"quoted}" \\`, // braces, quotes and a backslash inside strings
    })),
  };
}

async function read(
  source: Uint8Array | Uint8Array[],
  maxDocumentBytes?: number,
): Promise<CloudWatchDocument[]> {
  const out: CloudWatchDocument[] = [];
  for await (const d of readCloudWatchMessages(decompress(source), { maxDocumentBytes })) out.push(d);
  return out;
}

describe('readCloudWatchMessages', () => {
  it('reads a Firehose object of gzip members (no delimiter), whatever the chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 12 }),
        fc.constantFrom('gzip', 'json', 'ndjson'),
        async (ns, cuts, shape) => {
          const msgs = ns.map((n) => (n === 0 ? controlMessage(1) : message(n)));
          const bytes =
            shape === 'gzip'
              ? Buffer.concat(msgs.map(encodeCloudWatchPayload))
              : Buffer.from(msgs.map((m) => JSON.stringify(m)).join(shape === 'ndjson' ? '\n' : ''));
          const docs = await read(shape === 'gzip' ? bytes : chunked(bytes, cuts));
          expect(docs).toEqual(msgs.map((m, i) => ({ index: i + 1, message: m })));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reports a bad document, junk between documents and a truncated end, and keeps every good document', async () => {
    const good = JSON.stringify(message(1));
    const text = `  ${good}x{"not":"a message"}{oops}\n${good} junk ${good}{"messageType":"DATA_`;
    const docs = await read(chunked(Buffer.from(text), [7, 100, 3, 250]));
    expect(docs.filter((d) => d.message).map((d) => d.index)).toEqual([1, 4, 5]);
    expect(docs.filter((d) => d.error).map((d) => [d.index, d.error])).toEqual([
      [1, "unexpected 'x' after document 1; skipped up to the next '{'"],
      [2, expect.stringMatching(/^document 2: not a CloudWatch Logs subscription message: messageType/)],
      [3, expect.stringMatching(/^document 3 is not valid JSON/)],
      [4, "unexpected 'j' after document 4; skipped up to the next '{'"],
      [6, 'document 6 is truncated (the input ends inside it)'],
    ]);
  });

  it('skips a document over the size limit and reads the next one', async () => {
    const small = message(1);
    const big = message(2, 'x'.repeat(5000));
    const docs = await read(
      chunked(Buffer.from(JSON.stringify(big) + JSON.stringify(small)), [1000, 1000]),
      4000,
    );
    expect(docs[0].error).toMatch(/document 1 is larger than 4000 bytes/);
    expect(docs[1]).toEqual({ index: 2, message: small });
  });

  it('reads one base64 record data per line (as copied from Kinesis / Firehose records)', async () => {
    const lines = [message(1), message(2)].map((m) => encodeCloudWatchPayload(m).toString('base64'));
    const text = `${lines[0]}\r\n\nnot base64 at all!\n${lines[1]}`;
    const docs = await read(chunked(Buffer.from(text), [10, 30]));
    expect(docs.map((d) => d.index)).toEqual([1, 2, 3]);
    expect(docs[0].message).toEqual(message(1));
    expect(docs[1].error).toMatch(/^document 2: payload string is neither base64 nor JSON/);
    expect(docs[2].message).toEqual(message(2));
  });

  it('tells subscription messages from flow-log text', () => {
    expect(looksLikeCloudWatchMessages(Buffer.from(' \n{"messageType"'))).toBe(true);
    expect(looksLikeCloudWatchMessages(Buffer.from('H4sIAAAAAAAA'))).toBe(true);
    expect(looksLikeCloudWatchMessages(Buffer.from(REC))).toBe(false);
    expect(looksLikeCloudWatchMessages(Buffer.from('version account-id'))).toBe(false);
  });
});
