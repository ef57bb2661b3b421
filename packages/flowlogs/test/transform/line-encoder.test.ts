import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  compileJsonBytesWriter,
  compileJsonEncoder,
  compileJsonLineWriter,
  FlowLogParser,
  isLineProblem,
  isParseError,
} from '../../src/index.js';
import { PRINTABLE_FORMAT, printableLine } from './printable-lines.js';

const FORMAT = PRINTABLE_FORMAT;
const token = fc.oneof(
  fc.constantFrom(
    '-',
    '0',
    '7',
    '007',
    '12345678901234567890',
    '9007199254740991',
    'eni-0a1b',
    'ACCEPT',
    'a"b',
    'x\\y',
    'é',
    '1e5',
  ),
  fc.stringMatching(/^[0-9]{1,6}$/),
  fc.stringMatching(/^[a-z0-9.-]{1,12}$/),
);
const sep = fc.constantFrom(' ', ' ', ' ', '  ', '\t');
const line = fc
  .tuple(fc.array(fc.tuple(token, sep), { minLength: 4, maxLength: 8 }), fc.constantFrom('', '\r', ' '))
  .map(([parts, tail]) => parts.map(([t, s], i) => (i === 0 ? t : s + t)).join('') + tail);

describe('JSON line encoders', () => {
  it('fast byte writer, general encoder and FlowLogParser agree on every line', () => {
    const general = compileJsonEncoder(FORMAT);
    const fast = compileJsonLineWriter(FORMAT);
    const parser = new FlowLogParser(FORMAT);
    const w = new ByteWriter(16);
    fc.assert(
      fc.property(line, (l) => {
        const g = general(l);
        const p = parser.parseLine(l, 1);
        if (isParseError(p)) {
          expect(isLineProblem(g)).toBe(true);
        } else {
          expect(isLineProblem(g)).toBe(false);
          expect(JSON.parse(g as string)).toEqual(p);
          expect(g).toBe(JSON.stringify(p));
        }
        w.reset();
        if (fast(l, w)) {
          expect(w.buf.toString('utf8', 0, w.pos)).toBe(`${g}\n`);
        } else {
          expect(w.pos).toBe(0);
        }
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('byte-source writer: same bytes as the string writer on printable ASCII lines without quotes or backslashes', () => {
    const fast = compileJsonLineWriter(FORMAT);
    const bytes = compileJsonBytesWriter(FORMAT);
    const general = compileJsonEncoder(FORMAT);
    const a = new ByteWriter(16);
    const b = new ByteWriter(16);
    let written = 0;
    fc.assert(
      fc.property(printableLine, fc.nat(8), (l, pad) => {
        // The line sits inside a larger buffer, like a message inside a payload.
        const src = Buffer.from(`${'x'.repeat(pad)}${l}"}`, 'latin1');
        a.reset();
        b.reset();
        const okString = fast(l, a);
        const okBytes = bytes(src, pad, pad + l.length, b);
        expect(okBytes).toBe(okString);
        if (okBytes) {
          written++;
          expect(b.buf.toString('latin1', 0, b.pos)).toBe(a.buf.toString('latin1', 0, a.pos));
          expect(b.buf.toString('latin1', 0, b.pos)).toBe(`${general(l) as string}\n`);
        } else expect(b.pos).toBe(0);
      }),
      { numRuns: 3000, seed: 11 },
    );
    expect(written).toBeGreaterThan(150);
  });
});
