import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportTimestampLength,
  readFlowLogText,
  startsWithExportTimestamp,
  stripExportTimestamps,
} from '../src/index.js';
import { chunked } from './chunks.js';

const REC =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

async function collect(chunks: Uint8Array[]): Promise<string> {
  async function* src() {
    yield* chunks;
  }
  const out: Uint8Array[] = [];
  for await (const c of stripExportTimestamps(src())) out.push(Buffer.from(c));
  return Buffer.concat(out).toString();
}

const len = (s: string) => exportTimestampLength(Buffer.from(s), 0, s.length);

describe('CloudWatch Logs export timestamps', () => {
  it('recognises ISO 8601 UTC timestamps with and without fractions, followed by a space or tab', () => {
    expect(len(`2024-01-01T00:00:12.000Z ${REC}`)).toBe(25);
    expect(len(`2024-01-01T00:00:12Z ${REC}`)).toBe(21);
    expect(len(`2024-01-01T00:00:12.123456789Z\t${REC}`)).toBe(31);
    for (const s of [
      REC,
      `2024-01-01 00:00:12.000Z ${REC}`, // no T
      `2024-01-01T00:00:12.000+01:00 ${REC}`, // not UTC
      `2024-01-01T00:00:12.000Z${REC}`, // no separator
      `2024-01-01T00:00:12.Z ${REC}`, // empty fraction
      '2024-01-01T00:00:12.000Z',
      '',
    ])
      expect(len(s), s).toBe(0);
    expect(startsWithExportTimestamp(Buffer.from(`\n2024-01-01T00:00:12.000Z ${REC}\n`))).toBe(true);
    expect(
      startsWithExportTimestamp(Buffer.from(`version account-id\n2024-01-01T00:00:12.000Z ${REC}\n`)),
    ).toBe(false);
  });

  it('strips the timestamp of every line that has one, whatever the chunk boundaries, keeping every other byte', async () => {
    const line = fc.oneof(
      fc.constant(REC),
      fc.constant(''),
      fc.constant('# comment'),
      fc.string({ maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')),
    );
    const stamped = fc.tuple(fc.boolean(), line, fc.constantFrom('\n', '\r\n'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(stamped, { maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 10 }),
        async (lines, lastNewline, cuts) => {
          let input = '';
          let expected = '';
          lines.forEach(([ts, text, eol], i) => {
            const end = i === lines.length - 1 && !lastNewline ? '' : eol;
            input += `${ts ? '2025-12-31T23:59:59.999Z ' : ''}${text}${end}`;
            expected += `${text}${end}`;
          });
          const chunks = chunked(Buffer.from(input), cuts);
          expect(await collect(chunks)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('feeds the reader: exported records parse under the default format with their line numbers', async () => {
    const text = `2024-01-01T00:00:12.000Z ${REC}\n2024-01-01T00:00:13.000Z 2 x\n2024-01-01T00:00:14.000Z ${REC}\n`;
    async function* src() {
      yield Buffer.from(text);
    }
    const reader = readFlowLogText(stripExportTimestamps(src()), { assumeDefault: true });
    const records = [];
    for await (const batch of reader) records.push(...batch);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ version: 2, bytes: 4249, 'log-status': 'OK' });
    expect(reader.errors.map((e) => e.line)).toEqual([2]);
  });
});
