// biome-ignore-all lint/suspicious/noTemplateCurlyInString: flow-log format strings are written ${field}
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_VPC_FIELDS_V2_V8,
  batchJsonLines,
  FIELDS,
  type FlowBatch,
  FlowLogFormat,
  FlowLogParser,
  type FlowRecord,
  formatRecord,
} from '../src/index.js';

/** What `flowlake parse` printed before: one JSON.stringify per record object. */
function reference(batch: FlowBatch): string {
  let text = '';
  for (let r = 0; r < batch.count; r++) text += `${JSON.stringify(batch.record(r))}\n`;
  return text;
}

function batchOf(format: FlowLogFormat, lines: string[], kernel: 'js' | 'wasm'): FlowBatch {
  const parser = new FlowLogParser(format, { kernel });
  const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  return parser.parseLines(buf, 0, buf.length, 1);
}

describe('batchJsonLines', () => {
  // any token without blanks: ASCII, quotes, backslashes, DEL, non-ASCII and astral characters
  const token = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 12 })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: blanks and control bytes separate or break fields
    .map((s) => s.replace(/[\s\u0000-\u001f\u0085\u2028\u2029\u00a0\ufeff]/gu, 'x'))
    .filter((s) => s !== '-' && !s.startsWith('#') && s.length > 0 && Buffer.from(s).toString() === s);
  const formats = [
    FlowLogFormat.DEFAULT,
    FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8),
    FlowLogFormat.fromFields(
      FIELDS.filter((f) => f.version <= 5 && f.scope !== 'transit-gateway').map((f) => f.name),
    ),
  ];

  it('gives the bytes of JSON.stringify(record) per row, for every value the parser accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.constantFrom<'js' | 'wasm'>('js', 'wasm'),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.option(token, { nil: null }), fc.option(fc.maxSafeNat(), { nil: null })), {
          minLength: 1,
          maxLength: 60,
        }),
        (format, kernel, seeds, values) => {
          const lines = seeds.map((seed, row) => {
            const record: FlowRecord = {};
            format.fields.forEach((f, i) => {
              const [s, v] = values[(seed + i * 7 + row) % values.length];
              record[f.name] =
                f.type === 'string' ? s : v === null ? null : f.type === 'int32' ? v % 2 ** 31 : v;
            });
            return formatRecord(record, format);
          });
          const batch = batchOf(format, lines, kernel);
          expect(batch.errors).toEqual([]);
          expect(batch.count).toBe(lines.length);
          const got = batchJsonLines(batch).toString('utf8');
          expect(got).toBe(reference(batch));
          for (const line of got.split('\n').slice(0, -1)) JSON.parse(line);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grows its buffer for rows far above the estimate (long strings, escaped and plain)', () => {
    const f = FlowLogFormat.parse('${version} ${srcaddr} ${dstaddr}');
    const lines = [`2 ${'"\\'.repeat(2000)} ${'a'.repeat(9000)}`, '2 x y', `2 ${'é'.repeat(3000)} -`];
    for (const kernel of ['js', 'wasm'] as const) {
      const batch = batchOf(f, lines, kernel);
      expect(batch.count).toBe(3);
      expect(batchJsonLines(batch).toString('utf8')).toBe(reference(batch));
    }
  });

  it('writes the limits exactly: 0, 2^53 - 1, null, quotes, backslashes, UTF-8', () => {
    const f = FlowLogFormat.parse('${version} ${bytes} ${srcaddr} ${instance-id}');
    const batch = batchOf(
      f,
      ['0 9007199254740991 a"b c\\d', '5 - é𝄞 -', '10 1000000000000000 ACCEPT \x7f'],
      'js',
    );
    expect(batchJsonLines(batch).toString('utf8')).toBe(
      '{"version":0,"bytes":9007199254740991,"srcaddr":"a\\"b","instance-id":"c\\\\d"}\n' +
        '{"version":5,"bytes":null,"srcaddr":"é𝄞","instance-id":null}\n' +
        '{"version":10,"bytes":1000000000000000,"srcaddr":"ACCEPT","instance-id":"\x7f"}\n',
    );
  });
});
