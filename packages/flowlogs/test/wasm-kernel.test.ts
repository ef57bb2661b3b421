import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FlowBatch,
  type FlowLogFormat,
  FlowLogParser,
  formatRecord,
  readFlowLogText,
} from '../src/index.js';
import { loadKernel } from '../src/wasm/kernel.js';
import { ALL, linesArb, recordArb, token, V2, V5 } from './arbitraries.js';

/** Everything a batch exposes, for comparing the scanners (taken before the next batch: it may reuse columns). */
function snapshot(b: FlowBatch) {
  return {
    count: b.count,
    end: b.end,
    firstLine: b.firstLine,
    nextLine: b.nextLine,
    capacity: b.capacity,
    lines: Array.from(b.lines.subarray(0, b.count)),
    records: b.records(),
    errors: b.errors.map((e) => ({ line: e.line, reason: e.reason, text: e.text })),
    ints: b.format.fields.filter((f) => f.type !== 'string').map((f) => Array.from(b.column(f.name))),
  };
}

/**
 * The batches of the JavaScript scanner and of the kernel, each with fresh columns per batch; checks that the
 * reused-batch mode of both gives the same batches.
 */
function both(format: FlowLogFormat, text: Buffer, maxRows?: number) {
  const run = (kernel: 'js' | 'wasm', reuseBatches: boolean) =>
    Array.from(
      new FlowLogParser(format, { kernel, reuseBatches }).parseBuffer(text, { maxRows, firstLine: 3 }),
      snapshot,
    );
  const js = run('js', false);
  const wasm = run('wasm', false);
  expect(run('wasm', true)).toEqual(wasm);
  expect(run('js', true)).toEqual(js);
  return { js, wasm };
}

describe('WebAssembly SIMD scanner', () => {
  it('loads in this runtime (Node >= 20 has WebAssembly SIMD)', () => {
    expect(loadKernel()).toBeDefined();
    expect(new FlowLogParser(V2, { kernel: 'wasm' }).kernel).toBe('wasm');
    expect(new FlowLogParser(V2, { kernel: 'js' }).kernel).toBe('js');
  });

  for (const [name, format] of [
    ['v2', V2],
    ['v5', V5],
    ['all fields', ALL],
  ] as const) {
    it(`gives the same batches as the JavaScript scanner on random valid and damaged ${name} input`, () => {
      fc.assert(
        fc.property(
          linesArb(format),
          fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
          fc.boolean(),
          (lines, maxRows, finalNewline) => {
            const text = Buffer.from(lines.join('\n') + (finalNewline ? '\n' : ''));
            const { js, wasm } = both(format, text, maxRows);
            expect(wasm).toEqual(js);
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('agrees on large mostly-plain input (whole clean segments), with rare damage of every kind', () => {
    // the kernel fills clean 16 KiB segments column by column and re-scans a segment line by line when anything in
    // it is odd: here most segments are clean, a few carry one damaged line (a line split in two whose halves
    // together have n fields, a tab or control byte instead of a space, a bad integer found only while converting)
    const split = (l: string) => {
      const spaces = [...l.matchAll(/ /g)].map((m) => m.index ?? 0);
      const at = spaces[Math.floor(spaces.length / 2)];
      return `${l.slice(0, at)}\n${l.slice(at + 1)}`;
    };
    const rare = fc.constantFrom(
      split,
      (l: string) => l.replace(' ', '\t'),
      (l: string) => l.replace(' ', '\u000b'),
      (l: string) => l.replace(/ \d+ /, ' 12a '),
      (l: string) => l.replace(/ \d+ /, ' 9999999999999999 '),
      (l: string) => l.replace(/ \d+ /, ' 9007199254740992 '),
      (l: string) => l.replace(/ \d+ /, ' 12345678901234567 '),
      (l: string) => l.replace(/ \d+ /, ' -- '),
      (l: string) => l.replace(/ \d+ /, ' x '),
      (l: string) => l.replace(/ [^ ]+ /, '  '),
      (l: string) => `#${l}`,
      (l: string) => `${l}\r`,
      () => '',
    );
    const values = fc.oneof(
      fc.constantFrom(0, 7, 1234, 12345, 99999999, 100000000, 1772323200, 999999999999999, 2 ** 53 - 1),
      fc.nat(),
      fc.maxSafeNat(),
    );
    for (const format of [V2, V5, ALL]) {
      const record = fc
        .tuple(
          ...format.fields.map((f) =>
            f.type === 'string'
              ? fc.option(token, { nil: null, freq: 20 })
              : fc.option(values, { nil: null, freq: 8 }),
          ),
        )
        .map((v) => formatRecord(Object.fromEntries(format.names.map((n, i) => [n, v[i]])), format));
      fc.assert(
        fc.property(
          fc.array(fc.tuple(record, fc.oneof({ arbitrary: fc.constant(undefined), weight: 300 }, rare)), {
            minLength: 200,
            maxLength: 1500,
          }),
          fc.option(fc.integer({ min: 50, max: 700 }), { nil: undefined }),
          (rows, maxRows) => {
            const lines = rows.map(([l, d]) => (d ? d(l) : l));
            const { js, wasm } = both(format, Buffer.from(`${lines.join('\n')}\n`), maxRows);
            expect(wasm).toEqual(js);
          },
        ),
        { numRuns: 12, endOnFailure: true },
      );
    }
  });

  it('agrees when the one odd line straddles the boundary of two 16 KiB kernel segments', () => {
    const line =
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
    const damages = [(l: string) => l.replace(' 123456789010 ', '  '), (l: string) => l.replace(' ', '\t')];
    for (const damage of damages) {
      for (let shift = 0; shift < line.length + 1; shift += 3) {
        const lines = [line.replace('eni-', `eni-${'x'.repeat(shift)}`), ...Array(200).fill(line)];
        let at = 0;
        let i = 0;
        while (at + lines[i].length + 1 <= 16384) at += lines[i++].length + 1;
        lines[i] = damage(lines[i]); // starts before byte 16384, ends after it
        const { js, wasm } = both(V2, Buffer.from(`${lines.join('\n')}\n`));
        expect(wasm).toEqual(js);
        expect(wasm[0].errors).toHaveLength(damage === damages[0] ? 1 : 0);
      }
    }
  });

  it('parses plain lines itself and agrees on values', () => {
    const line =
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
    const text = Buffer.from(`${line}\n`.repeat(1000));
    const { js, wasm } = both(V2, text);
    expect(wasm).toEqual(js);
    expect(wasm[0].count).toBe(1000);
    expect(wasm[0].records[999]).toEqual(new FlowLogParser(V2).parseLine(line, 1));
  });

  it('takes a plain Uint8Array (not a Buffer) the same way', () => {
    const lines = fc.sample(recordArb(V5), { numRuns: 200, seed: 3 }).map((r) => formatRecord(r, V5));
    const bytes = new Uint8Array(Buffer.from(`${lines.join('\n')}\n# end\n`));
    const parse = (kernel: 'js' | 'wasm') =>
      Array.from(new FlowLogParser(V5, { kernel }).parseBuffer(bytes, { maxRows: 64 }), snapshot);
    const wasm = parse('wasm');
    expect(wasm).toEqual(parse('js'));
    expect(wasm.reduce((n, b) => n + b.count, 0)).toBe(200);
  });

  it('handles inputs larger than its 4 MiB window, and a line longer than the window', () => {
    const line =
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n';
    const big = Buffer.from(
      `${line.repeat(50_000)}2 ${'x'.repeat(5 << 20)} - - - - - - - - - - - -\n${line}`,
    );
    const { js, wasm } = both(V2, big, 1 << 20);
    expect(wasm).toEqual(js);
    expect(wasm.reduce((n, b) => n + b.count, 0)).toBe(50_002);
  });

  it('agrees on large input with odd lines scattered through it (the kernel stops and resumes often)', () => {
    const records = fc.sample(recordArb(V2), { numRuns: 20_000, seed: 11 });
    const odd = [
      (l: string) => `${l}\r`,
      (l: string) => l.replace(' ', '\t'),
      () => '',
      (l: string) => `${l} x`,
    ];
    const lines = records.map((r, i) => {
      const l = formatRecord(r, V2);
      return i % 37 === 3 || (i > 9000 && i < 9100) ? odd[i % odd.length](l) : l;
    });
    const { js, wasm } = both(V2, Buffer.from(`${lines.join('\n')}\n`), 4096);
    expect(wasm).toEqual(js);
    expect(wasm.reduce((n, b) => n + b.count, 0)).toBeGreaterThan(19_000);
  });

  it('reads a gzip object the same way through readFlowLogText', async () => {
    const { gzipSync } = await import('node:zlib');
    const records = fc.sample(recordArb(V5), { numRuns: 3000, seed: 7 });
    const lines = records.map((r, i) => (i % 97 === 5 ? `${formatRecord(r, V5)}\r` : formatRecord(r, V5)));
    const gz = gzipSync(`${V5.header()}\n${lines.join('\n')}\n`);
    const read = async (kernel: 'js' | 'wasm', reuseBatches = false) => {
      const batches: ReturnType<typeof snapshot>[] = [];
      for await (const b of readFlowLogText(gz, { kernel, maxRows: 1000, reuseBatches }).batches())
        batches.push(snapshot(b));
      return batches;
    };
    const wasm = await read('wasm');
    expect(wasm).toEqual(await read('js'));
    expect(await read('wasm', true)).toEqual(wasm);
    expect(await read('js', true)).toEqual(wasm);
    expect(wasm.flatMap((b) => b.records)).toEqual(records);
  });
});
