import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter, compileJsonBytesWriter, compileJsonEncoder, isLineProblem } from '../../src/index.js';
import { loadJsonKernel } from '../../src/transform/json-kernel.js';
import { PRINTABLE_FORMAT, printableLine } from './printable-lines.js';

describe('JSON-mode WebAssembly kernel', () => {
  const kernel = loadJsonKernel();

  it('loads where WebAssembly SIMD runs (Node 20+)', () => {
    expect(kernel).toBeDefined();
    expect(kernel?.use(PRINTABLE_FORMAT)).toBe(true);
  });

  it('writes the same bytes as the byte writer, asking for the lines it does not handle', () => {
    const k = loadJsonKernel();
    if (!k) throw new Error('no kernel');
    const bytes = compileJsonBytesWriter(PRINTABLE_FORMAT);
    const general = compileJsonEncoder(PRINTABLE_FORMAT);
    const w = new ByteWriter(16);
    let asked = 0;
    fc.assert(
      fc.property(fc.array(printableLine, { minLength: 1, maxLength: 12 }), fc.nat(20), (msgs, pad) => {
        // The messages sit inside a payload-like buffer, each followed by JSON text.
        let text = 'x'.repeat(pad);
        const starts = new Int32Array(msgs.length);
        const ends = new Int32Array(msgs.length);
        msgs.forEach((m, i) => {
          text += '{"message":"';
          starts[i] = text.length;
          text += m;
          ends[i] = text.length;
          text += '"} ';
        });
        const src = Buffer.from(text, 'latin1');
        // Reference: the byte writer, the general encoder for the rest (undefined when that rejects a line).
        w.reset();
        let expected: string | undefined = '';
        for (let i = 0; i < msgs.length && expected !== undefined; i++) {
          if (bytes(src, starts[i], ends[i], w)) continue;
          const r = general(msgs[i]);
          if (isLineProblem(r)) expected = undefined;
          else w.writeString(`${r}\n`);
        }
        if (expected !== undefined) expected = w.buf.toString('latin1', 0, w.pos);
        k.use(PRINTABLE_FORMAT);
        const n = k.write(src, starts, ends, msgs.length, (i) => {
          asked++;
          const r = general(msgs[i]);
          return isLineProblem(r) ? undefined : `${r}\n`;
        });
        if (expected === undefined) expect(n).toBe(-1);
        else {
          expect(n).toBe(expected.length);
          expect(Buffer.from(k.base64(), 'base64').toString('latin1')).toBe(expected);
          expect(k.base64()).toBe(Buffer.from(expected, 'latin1').toString('base64'));
        }
      }),
      { numRuns: 2000, seed: 5 },
    );
    expect(asked).toBeGreaterThan(100);
  });

  it('base64 matches Buffer for every length and content', () => {
    const k = loadJsonKernel();
    if (!k) throw new Error('no kernel');
    k.use(PRINTABLE_FORMAT);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (data) => {
        // A message of one token carries arbitrary bytes only through the general-encoder callback.
        const text = Buffer.from(data).toString('latin1');
        const src = Buffer.from('"a"', 'latin1');
        const n = k.write(src, Int32Array.of(1), Int32Array.of(2), 1, () => text);
        expect(n).toBe(data.length);
        expect(k.base64()).toBe(Buffer.from(data).toString('base64'));
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  it('stage() accepts exactly the printable ASCII payloads without backslashes', () => {
    const k = loadJsonKernel();
    if (!k) throw new Error('no kernel');
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7f }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 80 }), fc.nat(60), (bytes, lead) => {
        // Mostly printable with at most one odd byte, at every position relative to the 16-byte blocks.
        const data = Buffer.alloc(lead + bytes.length, 0x61);
        let odd = 0;
        bytes.forEach((b, i) => {
          if ((b < 0x20 || b > 0x7f || b === 0x5c) && odd++ > 0) return;
          data[lead + i] = b;
        });
        const plain = [...data].every((b) => b >= 0x20 && b <= 0x7f && b !== 0x5c);
        expect(k.stage(data)).toBe(plain);
      }),
      { numRuns: 3000, seed: 3 },
    );
  });
});
