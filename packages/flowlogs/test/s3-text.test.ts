import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DecompressError,
  defaultFormatOf,
  FlowLogFormat,
  type FlowRecord,
  FormatError,
  type ParseError,
  readFlowLogText,
  splitLines,
} from '../src/index.js';

const HEADER = FlowLogFormat.DEFAULT.header();
const L1 =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const L2 = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';
const L3 =
  '2 123456789010 eni-1235b8ca123456789 2001:db8::1 2001:db8::2 34892 22 6 54 8855 1477913708 1477913820 REJECT OK';

async function readAll(source: Parameters<typeof readFlowLogText>[0], format?: FlowLogFormat) {
  const errors: ParseError[] = [];
  const reader = readFlowLogText(source, { format, onError: (e) => errors.push(e) });
  const records: FlowRecord[] = [];
  for await (const batch of reader) records.push(...batch);
  return { records, errors: errors.map((e) => `${e.line}: ${e.reason}`), reader };
}

function chunked(buf: Buffer, cuts: number[]): Readable {
  const parts: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, buf.length]) {
    parts.push(buf.subarray(at, c));
    at = c;
  }
  return Readable.from(parts);
}

describe('readFlowLogText', () => {
  const text = `${HEADER}\n${L1}\r\n${L2}\n\nbad line\n${L3}`; // CRLF, blank line, bad line, no final newline

  it('takes the format from the header and reports bad lines with their numbers', async () => {
    const { records, errors, reader } = await readAll(Buffer.from(text));
    expect(records.map((r) => r.action)).toEqual(['ACCEPT', null, 'REJECT']);
    expect(records[1]['log-status']).toBe('NODATA');
    expect(errors).toEqual([expect.stringMatching(/^5: expected 14 fields .* found 2$/)]);
    expect(reader.hasHeader).toBe(true);
    expect(reader.format?.equals(FlowLogFormat.DEFAULT)).toBe(true);
    expect(reader.stats).toMatchObject({ lines: 6, records: 3, errors: 1, bytesOut: text.length });
  });

  it('gives the same result for every split of the input into two and three chunks (plain and gzip)', async () => {
    const buf = Buffer.from(text);
    const expected = await readAll(buf);
    for (let i = 0; i <= buf.length; i++) {
      const got = await readAll(chunked(buf, [i]));
      expect({ r: got.records, e: got.errors }).toEqual({ r: expected.records, e: expected.errors });
    }
    for (let i = 1; i < buf.length; i += 13) {
      for (let j = i; j <= buf.length; j += 11) {
        const got = await readAll(chunked(buf, [i, j]));
        expect(got.records).toEqual(expected.records);
      }
    }
    const gz = gzipSync(buf);
    for (let i = 0; i <= gz.length; i += 3) {
      expect((await readAll(chunked(gz, [i]))).records).toEqual(expected.records);
    }
    const oneByte = Readable.from([...buf].map((b) => Buffer.from([b])));
    expect((await readAll(oneByte)).records).toEqual(expected.records);
  });

  it('reads multi-member gzip (concatenated gzip files)', async () => {
    const a = gzipSync(`${HEADER}\n${L1}\n${L2.slice(0, 20)}`);
    const b = gzipSync(`${L2.slice(20)}\n${L3}\n`);
    const { records, errors } = await readAll(Buffer.concat([a, b]));
    expect(records.map((r) => r['log-status'])).toEqual(['OK', 'NODATA', 'OK']);
    expect(errors).toEqual([]);
  });

  it('skips repeated headers of concatenated objects and explains a header of another format', async () => {
    const a = gzipSync(`${HEADER}\n${L1}\n`);
    const b = gzipSync(`${HEADER.replaceAll(' ', '  ')}\n${L2}\n`);
    const { records, errors, reader } = await readAll(Buffer.concat([a, b, a]));
    expect(records).toHaveLength(3);
    expect(errors).toEqual([]);
    expect(reader.stats).toMatchObject({ headers: 3, errors: 0, records: 3 });
    const other = await readAll(Buffer.from(`${HEADER}\n${L1}\nversion srcaddr\n5 10.0.0.1\n`));
    expect(other.errors).toEqual([
      '3: header line of another format in the middle of the input (version srcaddr); concatenated objects of different flow logs must be read separately',
      expect.stringMatching(/^4: expected 14 fields/),
    ]);
  });

  it('uses the format option when there is no header, and fails clearly without one', async () => {
    const noHeader = Buffer.from(`${L1}\n${L3}\n`);
    expect((await readAll(noHeader, FlowLogFormat.DEFAULT)).records).toHaveLength(2);
    await expect(readAll(noHeader)).rejects.toThrow(FormatError);
    await expect(readAll(noHeader)).rejects.toThrow(/no header line naming its fields; pass its format/);
  });

  it('names an unknown header field with near matches', async () => {
    await expect(readAll(Buffer.from('version acount-id\n2 1\n'))).rejects.toThrow(
      /unknown flow log field 'acount-id' in header line\. Did you mean 'account-id'/,
    );
  });

  it('prefers the header over the format option, skips a BOM, and reads empty and header-only objects', async () => {
    const v5 = FlowLogFormat.fromFields(['version', 'srcaddr', 'flow-direction']);
    const { records, reader } = await readAll(
      Buffer.from(`\ufeff${v5.header()}\n5 10.0.0.1 egress\n`),
      FlowLogFormat.DEFAULT,
    );
    expect(records).toEqual([{ version: 5, srcaddr: '10.0.0.1', 'flow-direction': 'egress' }]);
    expect(reader.format?.version).toBe(5);
    expect((await readAll(Buffer.alloc(0))).records).toEqual([]);
    expect((await readAll(gzipSync(`${HEADER}\n`))).records).toEqual([]);
  });

  it('fails clearly on truncated gzip', async () => {
    const gz = gzipSync(`${HEADER}\n${L1}\n`.repeat(50));
    await expect(readAll(gz.subarray(0, gz.length - 10))).rejects.toThrow(DecompressError);
    await expect(readAll(gz.subarray(0, gz.length - 10))).rejects.toThrow(/corrupt or truncated/);
  });

  it('streams: 256 MB of gzip text never sits in memory', async () => {
    const block = Buffer.from(`${L1}\n${L2}\n${L3}\n`.repeat(10000)); // ~3 MB
    const member = gzipSync(block);
    const copies = Math.ceil((256 * 2 ** 20) / block.length);
    async function* source() {
      yield gzipSync(`${HEADER}\n`);
      for (let i = 0; i < copies; i++) yield member;
    }
    globalThis.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    let n = 0;
    let sum = 0;
    const reader = readFlowLogText(source());
    for await (const batch of reader.batches()) {
      n += batch.count;
      for (const v of batch.column('bytes')) if (!Number.isNaN(v)) sum += v;
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }
    expect(n).toBe(copies * 30000);
    expect(sum).toBe(copies * 10000 * (4249 + 8855));
    expect(reader.stats.bytesOut).toBe(copies * block.length + HEADER.length + 1);
    expect(peak).toBeLessThan(96 * 2 ** 20);
  });
});

describe('splitLines', () => {
  it('cuts overlong lines instead of buffering them without bound', async () => {
    const long = Buffer.alloc(5000, 'x');
    async function* src() {
      yield long;
      yield long;
      yield Buffer.from('\nok\n');
    }
    const runs = [];
    for await (const r of splitLines(src(), 1024))
      runs.push(Buffer.from(r.buf.subarray(r.start, r.end)).toString());
    expect(runs.map((r) => r.length)).toEqual([1025, 3]);
  });
});

describe('defaultFormatOf', () => {
  const cases = (
    JSON.parse(readFileSync(new URL('./fixtures/record-examples.json', import.meta.url), 'utf8')) as {
      cases: { name: string; header: string; lines: string[] }[];
    }
  ).cases;

  it('recognises every Transit Gateway example record as the TGW default format, whose fields match the example header', () => {
    const tgw = cases.find((c) => c.name.startsWith('transit gateway flow log (version 6 default format)'));
    expect(tgw).toBeDefined();
    expect(FlowLogFormat.TGW_DEFAULT.names.join(' ')).toBe(tgw?.header);
    expect(FlowLogFormat.TGW_DEFAULT.version).toBe(6);
    for (const line of tgw?.lines ?? []) expect(defaultFormatOf(line)).toBe(FlowLogFormat.TGW_DEFAULT);
  });

  it('recognises version-2 default records and nothing else', () => {
    expect(
      defaultFormatOf('2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA'),
    ).toBe(FlowLogFormat.DEFAULT);
    expect(
      defaultFormatOf('3 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA'),
    ).toBeUndefined();
    expect(defaultFormatOf('6 TransitGateway 1 2 3')).toBeUndefined();
  });
});
