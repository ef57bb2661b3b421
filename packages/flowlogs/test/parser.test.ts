import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIELDS,
  FlowLogFormat,
  FlowLogParser,
  type FlowRecord,
  formatRecord,
  isParseError,
  ParseError,
} from '../src/index.js';

const V2 = new FlowLogParser(FlowLogFormat.DEFAULT);
const SSH =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

function ok(r: FlowRecord | ParseError): FlowRecord {
  if (isParseError(r)) throw new Error(`unexpected parse error: ${r.reason}`);
  return r;
}

describe('FlowLogParser.parseLine', () => {
  it('types a default-format record: integers as numbers, everything else as strings', () => {
    expect(ok(V2.parseLine(SSH, 1))).toEqual({
      version: 2,
      'account-id': '123456789010',
      'interface-id': 'eni-1235b8ca123456789',
      srcaddr: '172.31.16.139',
      dstaddr: '172.31.16.21',
      srcport: 20641,
      dstport: 22,
      protocol: 6,
      packets: 20,
      bytes: 4249,
      start: 1418530010,
      end: 1418530070,
      action: 'ACCEPT',
      'log-status': 'OK',
    });
  });

  it('keeps keys in format order', () => {
    expect(Object.keys(ok(V2.parseLine(SSH, 1)))).toEqual(FlowLogFormat.DEFAULT.names);
  });

  it('keeps leading zeros of account-id (a string field)', () => {
    const r = ok(V2.parseLine(SSH.replace('123456789010', '012345678901'), 1));
    expect(r['account-id']).toBe('012345678901');
  });

  it("turns '-' into null for integer and string fields (NODATA / SKIPDATA)", () => {
    for (const status of ['NODATA', 'SKIPDATA']) {
      const r = ok(
        V2.parseLine(
          `2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - ${status}`,
          7,
        ),
      );
      expect(r.srcaddr).toBeNull();
      expect(r.srcport).toBeNull();
      expect(r.bytes).toBeNull();
      expect(r.action).toBeNull();
      expect(r.start).toBe(1431280876);
      expect(r['log-status']).toBe(status);
    }
  });

  it('reads int64 values past 2^31 and 2^32 exactly', () => {
    const r = ok(
      V2.parseLine(SSH.replace(' 4249 ', ' 9007199254740991 ').replace(' 20 ', ' 4294967297 '), 1),
    );
    expect(r.bytes).toBe(9007199254740991);
    expect(r.packets).toBe(4294967297);
  });

  it('tolerates runs of spaces, tabs, leading/trailing blanks, CRLF and a trailing # comment', () => {
    const expected = ok(V2.parseLine(SSH, 1));
    for (const variant of [
      SSH.replaceAll(' ', '   '),
      SSH.replaceAll(' ', '\t'),
      `  ${SSH}  `,
      `${SSH}\r`,
      `${SSH}\r\n`,
      `${SSH} #Traffic from the source instance`,
    ]) {
      expect(ok(V2.parseLine(variant, 1))).toEqual(expected);
    }
  });

  it('reports a wrong field count with the line number, counts and format', () => {
    const few = V2.parseLine(SSH.replace(' OK', ''), 42);
    expect(few).toBeInstanceOf(ParseError);
    expect(few).toMatchObject({ line: 42, text: SSH.replace(' OK', '') });
    expect((few as ParseError).reason).toMatch(/expected 14 fields .*found 13/);
    const many = V2.parseLine(`${SSH} extra`, 43);
    expect((many as ParseError).reason).toMatch(/expected 14 fields .*found 15/);
  });

  it('reports a non-numeric integer field by name and value', () => {
    const e = V2.parseLine(SSH.replace(' 4249 ', ' 42x9 '), 5);
    expect(isParseError(e)).toBe(true);
    expect((e as ParseError).reason).toBe("field 'bytes' is '42x9'; expected an integer or '-'");
    expect((V2.parseLine(SSH.replace(' 22 ', ' -22 '), 5) as ParseError).reason).toMatch(
      /'dstport' is '-22'/,
    );
  });

  it('rejects integers that cannot be exact in a double', () => {
    const e = V2.parseLine(SSH.replace(' 4249 ', ' 9007199254740993 '), 1) as ParseError;
    expect(e.reason).toMatch(/'bytes' value 9007199254740993 is larger than 2\^53-1/);
  });

  it('treats a header line or binary data as errors, not exceptions', () => {
    expect((V2.parseLine(FlowLogFormat.DEFAULT.header(), 1) as ParseError).reason).toMatch(
      /'version' is 'version'/,
    );
    expect((V2.parseLine('\x1f\x8b\x08\x00 abc', 1) as ParseError).reason).toMatch(/control character 0x1f/);
    expect((V2.parseLine('', 9) as ParseError).reason).toMatch(/blank line/);
  });
});

describe('FlowLogParser.parseBuffer', () => {
  it('leaves zeros, not stale memory, in the rows of a batch beyond its count', () => {
    for (const kernel of ['js', 'wasm'] as const) {
      const p = new FlowLogParser(FlowLogFormat.DEFAULT, { kernel });
      // a first batch fills recycled memory with non-zero values; the next one has spare rows
      for (let i = 0; i < 3; i++) [...p.parseBuffer(Buffer.from(`${SSH}\n`.repeat(4000)))];
      const [b] = [...p.parseBuffer(Buffer.from(`${SSH}\n\n# note\n${SSH}\n`))];
      expect(b.count).toBe(2);
      expect(b.capacity).toBeGreaterThan(2);
      expect([...b.lines.subarray(b.count)].every((x) => x === 0)).toBe(true);
      for (const col of [b.ints, b.strStart, b.strEnd])
        expect(col.filter((x) => x !== 0).length).toBeLessThan(40);
    }
  });

  const text = [
    FlowLogFormat.DEFAULT.header(),
    SSH,
    '',
    'garbage',
    SSH.replace('ACCEPT', 'REJECT'),
    '# a comment',
    SSH.replace(' 6 ', ' x '),
    SSH,
  ].join('\n');

  it('yields records and errors with input line numbers, stopping batches at maxRows', () => {
    const buf = Buffer.from(text);
    const start = buf.indexOf(10) + 1; // skip the header
    const batches = [...V2.parseBuffer(buf, { start, firstLine: 2, maxRows: 2 })];
    const rows = batches.flatMap((b) => b.records().map((r, i) => [b.lines[i], r.action]));
    expect(rows).toEqual([
      [2, 'ACCEPT'],
      [5, 'REJECT'],
      [8, 'ACCEPT'],
    ]);
    const errors = batches.flatMap((b) => b.errors.map((e) => [e.line, e.reason]));
    expect(errors).toEqual([
      [4, expect.stringMatching(/expected 14 fields.*found 1$/)],
      [7, "field 'protocol' is 'x'; expected an integer or '-'"],
    ]);
    expect(batches.every((b) => b.count <= 2)).toBe(true);
  });

  it('exposes integer columns (NaN for -) and lazily decoded strings', () => {
    const buf = Buffer.from(
      `${SSH}\n2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - NODATA\n`,
    );
    const [batch, ...rest] = [...V2.parseBuffer(buf)];
    expect(rest).toEqual([]);
    expect(batch.count).toBe(2);
    expect([...batch.column('bytes')]).toEqual([4249, Number.NaN]);
    expect(batch.get(1, 'srcaddr')).toBeNull();
    expect(batch.get(0, 'srcaddr')).toBe('172.31.16.139');
    expect(batch.get(0, 'no-such-field')).toBeUndefined();
    expect(() => batch.column('srcaddr')).toThrow(/not an integer field/);
  });

  it('parses an unterminated last line (as its own batch)', () => {
    const batches = [...V2.parseBuffer(Buffer.from(`${SSH}\n${SSH.replace('ACCEPT', 'REJECT')}`))];
    expect(batches.flatMap((b) => b.records().map((r) => r.action))).toEqual(['ACCEPT', 'REJECT']);
    expect(batches.flatMap((b) => [...b.lines.subarray(0, b.count)])).toEqual([1, 2]);
  });

  it('decodes values that resemble the shared constants exactly', () => {
    for (const action of ['ACCEPX', 'REJECX', 'ACCEPT', 'REJECT', 'OX', 'OK', 'A', 'ACCEPTED']) {
      expect(ok(V2.parseLine(SSH.replace('ACCEPT', action), 1)).action).toBe(action);
    }
  });

  it('decodes UTF-8 in string fields', () => {
    const p = new FlowLogParser(FlowLogFormat.fromFields(['version', 'instance-tag']));
    expect(ok(p.parseLine('11 caf\u00e9-\u6771\u4eac', 1))['instance-tag']).toBe('caf\u00e9-\u6771\u4eac');
  });
});

describe('round trip (property): record -> formatRecord -> parseLine', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9.:_\-/]{1,24}$/).filter((s) => s !== '-');
  const formatArb = fc
    .shuffledSubarray(
      FIELDS.map((f) => f.name),
      { minLength: 1 },
    )
    .map((names) => FlowLogFormat.fromFields(names));

  it('returns the same record for every field and random formats', () => {
    fc.assert(
      fc.property(
        formatArb.chain((format) =>
          fc.tuple(
            fc.constant(format),
            fc.tuple(
              ...format.fields.map((f) =>
                f.type === 'string'
                  ? fc.option(token, { nil: null })
                  : fc.option(f.type === 'int64' ? fc.maxSafeNat() : fc.nat(2 ** 31 - 1), { nil: null }),
              ),
            ),
          ),
        ),
        ([format, values]) => {
          const record: FlowRecord = Object.fromEntries(format.names.map((n, i) => [n, values[i]]));
          const line = formatRecord(record, format);
          expect(new FlowLogParser(format).parseLine(line, 1)).toEqual(record);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseBuffer against a simple string-splitting oracle (property)', () => {
  // The oracle: the documented line rules, written the slow obvious way.
  function oracle(format: FlowLogFormat, lines: string[]) {
    const records: FlowRecord[] = [];
    const errors: number[] = [];
    lines.forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const n = format.names.length;
      let tokens = line.trim().split(/[ \t]+/);
      if (tokens.length > n && tokens[n].startsWith('#')) tokens = tokens.slice(0, n); // comment after the fields
      const ints = format.fields.map((f) => f.type !== 'string');
      const bad =
        tokens.length !== format.names.length ||
        tokens.some(
          (t, k) => ints[k] && t !== '-' && (!/^\d+$/.test(t) || Number(t) > Number.MAX_SAFE_INTEGER),
        );
      if (bad) {
        errors.push(i + 1);
        return;
      }
      records.push(
        Object.fromEntries(
          format.names.map((n, k) => [n, tokens[k] === '-' ? null : ints[k] ? Number(tokens[k]) : tokens[k]]),
        ),
      );
    });
    return { records, errors };
  }

  const sep = fc.constantFrom(' ', ' ', ' ', '  ', '\t', ' \t ');
  const intTok = fc.oneof(
    fc.nat().map(String),
    fc.constant('-'),
    fc.constantFrom('12a', 'x', '-1', '1.5', '99999999999999999'),
  );
  const strTok = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9.:_\-/]{1,12}$/),
    fc.constant('-'),
    fc.constantFrom('ACCEPT', 'OK', 'ACCEPX', 'é'),
  );

  it('agrees on records, errors and line numbers for messy input', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          ['version', 'account-id', 'srcaddr', 'srcport', 'bytes', 'action', 'log-status'],
          { minLength: 1 },
        ),
        fc.array(
          fc.record({
            extra: fc.integer({ min: -1, max: 1 }),
            seps: fc.array(sep, { minLength: 12, maxLength: 12 }),
            ints: fc.array(intTok, { minLength: 9, maxLength: 9 }),
            strs: fc.array(strTok, { minLength: 9, maxLength: 9 }),
            lead: fc.constantFrom('', ' ', '\t'),
            tail: fc.constantFrom('', ' ', '\r', ' #note', '  \r'),
            kind: fc.constantFrom('record', 'record', 'record', 'blank', 'comment'),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 8 }),
        (names, specs, maxRows) => {
          const format = FlowLogFormat.fromFields(names);
          const lines = specs.map((s) => {
            if (s.kind === 'blank') return s.lead;
            if (s.kind === 'comment') return `${s.lead}# comment`;
            const n = Math.max(1, format.names.length + s.extra);
            const toks = Array.from({ length: n }, (_, k) =>
              format.fields[k] && format.fields[k].type !== 'string' ? s.ints[k % 9] : s.strs[k % 9],
            );
            return s.lead + toks.map((t, k) => (k === 0 ? t : s.seps[k % 12] + t)).join('') + s.tail;
          });
          const expected = oracle(format, lines);
          const parser = new FlowLogParser(format);
          const batches = [...parser.parseBuffer(Buffer.from(lines.join('\n')), { maxRows })];
          expect(batches.flatMap((b) => b.records())).toEqual(expected.records);
          expect(batches.flatMap((b) => b.errors.map((e) => e.line))).toEqual(expected.errors);
          lines.forEach((l, i) => {
            const r = parser.parseLine(l, i + 1);
            if (expected.errors.includes(i + 1)) expect(isParseError(r)).toBe(true);
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
