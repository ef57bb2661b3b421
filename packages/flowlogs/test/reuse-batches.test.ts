import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FlowBatch,
  FlowLogParser,
  type FlowRecord,
  formatRecord,
  readFlowLogText,
} from '../src/index.js';
import { recordArb, V2, V5 } from './arbitraries.js';

/** Records and errors of a batch, copied out. */
function copy(b: FlowBatch) {
  return {
    records: b.records(),
    lines: Array.from(b.lines.subarray(0, b.count)),
    errors: b.errors.map(String),
  };
}

/** `n` v5 lines, every 13th damaged (an error) and every 17th a comment. */
function v5Text(n: number, seed: number): { text: string; records: FlowRecord[] } {
  const records = fc.sample(recordArb(V5), { numRuns: n, seed });
  const lines = records.map((r, i) => {
    const l = formatRecord(r, V5);
    return i % 13 === 5 ? l.replace(' ', ' x ') : i % 17 === 3 ? `# ${l}` : l;
  });
  return { text: `${V5.header()}\n${lines.join('\n')}\n`, records };
}

const KERNELS = ['wasm', 'js'] as const;

describe('reused batches (option reuseBatches)', () => {
  for (const kernel of KERNELS) {
    it(`reuses one set of columns: a batch holds its values only until the next step (${kernel})`, () => {
      const line = (bytes: number) =>
        `2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 ${bytes} 1418530010 1418530070 ACCEPT OK\n`;
      const text = Buffer.from(Array.from({ length: 400 }, (_, i) => line(i)).join(''));
      const parser = new FlowLogParser(V2, { kernel, reuseBatches: true });
      expect(parser.reuseBatches).toBe(true);
      const it = parser.parseBuffer(text, { maxRows: 50 });
      const first = it.next().value as FlowBatch;
      expect(first.reused).toBe(true);
      const kept = first.column('bytes').slice();
      expect(Array.from(kept)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      const second = it.next().value as FlowBatch;
      // the same memory, overwritten: the first batch now shows the second one's values
      expect(second.ints.buffer).toBe(first.ints.buffer);
      expect(second.ints.byteOffset).toBe(first.ints.byteOffset);
      expect(Array.from(first.column('bytes'))).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
      expect(Array.from(kept)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      // the default mode: every batch has columns of its own
      const safe = [...new FlowLogParser(V2, { kernel }).parseBuffer(text, { maxRows: 50 })];
      expect(safe[0].reused).toBe(false);
      expect(safe[1].ints.buffer).not.toBe(safe[0].ints.buffer);
      expect(Array.from(safe[0].column('bytes'))).toEqual(Array.from(kept));
    });

    it(`records() and array iteration give independent, correct records over many batches (${kernel})`, async () => {
      const { text, records } = v5Text(600, 21);
      const gz = gzipSync(text);
      const valid = records.filter((_, i) => i % 13 !== 5 && i % 17 !== 3);
      const opts = { kernel, maxRows: 7, reuseBatches: true };
      const viaRecords: FlowRecord[] = [];
      for await (const r of readFlowLogText(gz, opts).records()) viaRecords.push(r);
      const viaArrays: FlowRecord[][] = [];
      const reader = readFlowLogText(gz, opts);
      for await (const arr of reader) viaArrays.push(arr);
      expect(viaRecords).toEqual(valid);
      expect(viaArrays.flat()).toEqual(valid);
      expect(viaArrays.length).toBeGreaterThan(50);
      expect(reader.stats.errors).toBe(records.filter((_, i) => i % 13 === 5).length);
      // and the batches, copied at each step, equal those of the default mode
      const batches = async (reuseBatches: boolean) => {
        const out: ReturnType<typeof copy>[] = [];
        for await (const b of readFlowLogText(gz, { kernel, maxRows: 7, reuseBatches }).batches())
          out.push(copy(b));
        return out;
      };
      expect(await batches(true)).toEqual(await batches(false));
    });
  }

  it('keeps two readers read in turns apart (each has its own columns)', async () => {
    const a = gzipSync(v5Text(300, 1).text);
    const b = gzipSync(v5Text(300, 2).text);
    const expected = async (gz: Buffer) => {
      const out: ReturnType<typeof copy>[] = [];
      for await (const x of readFlowLogText(gz, { maxRows: 16 }).batches()) out.push(copy(x));
      return out;
    };
    const ia = readFlowLogText(a, { maxRows: 16, reuseBatches: true }).batches();
    const ib = readFlowLogText(b, { maxRows: 16, reuseBatches: true }).batches();
    const got: [ReturnType<typeof copy>[], ReturnType<typeof copy>[]] = [[], []];
    for (;;) {
      const [x, y] = [await ia.next(), await ib.next()];
      // both current batches are valid at the same time: copy them only now
      if (!x.done) got[0].push(copy(x.value));
      if (!y.done) got[1].push(copy(y.value));
      if (x.done && y.done) break;
    }
    expect(got[0]).toEqual(await expected(a));
    expect(got[1]).toEqual(await expected(b));
  });

  it('stays exact when the wasm memory grows during a read (bigger batches, a very long line)', async () => {
    const { text } = v5Text(3000, 5);
    const body = text.slice(text.indexOf('\n') + 1);
    // small runs first (small memory), then 6 MiB in one buffer (larger than the kernel's window), one line longer
    // than the window, and more lines
    const long = `${'9 '.repeat(3)}${'x'.repeat(5 << 20)}\n`;
    const big = Buffer.from(`${body.repeat(12)}${long}${body}`);
    const parser = new FlowLogParser(V5, { reuseBatches: true });
    const safe = new FlowLogParser(V5);
    const small = Buffer.from(body.slice(0, 4000));
    const firstSmall = parser.parseLines(small, 0, small.lastIndexOf('\n') + 1, 2, 10);
    const smallCopy = copy(firstSmall);
    expect(smallCopy).toEqual(copy(safe.parseLines(small, 0, small.lastIndexOf('\n') + 1, 2, 10)));
    const memory = firstSmall.ints.buffer;
    const got = Array.from(parser.parseBuffer(big, { maxRows: 1 << 20 }), copy);
    const want = Array.from(safe.parseBuffer(big, { maxRows: 1 << 20 }), copy);
    expect(got).toEqual(want);
    expect(got.flatMap((b) => b.errors).length).toBeGreaterThan((12 * 3000) / 13 - 13);
    // the memory did grow (the first batch's views were detached), and the results are still the same
    expect(memory.byteLength).toBe(0);
    // a reader whose first chunk is small and the next ones large: its kernel memory grows between batches
    const head = Buffer.from(`${V5.header()}\n${body.slice(0, 3000)}`);
    const chunks = [head, big.subarray(0, 3 << 20), big.subarray(3 << 20)];
    const read = async (reuseBatches: boolean) => {
      const out: ReturnType<typeof copy>[] = [];
      const buffers = new Set<ArrayBufferLike>();
      for await (const x of readFlowLogText(chunks, { reuseBatches, maxLineBytes: 8 << 20 }).batches()) {
        out.push(copy(x));
        buffers.add(x.ints.buffer);
      }
      return { out, buffers: buffers.size };
    };
    const reused = await read(true);
    const fresh = await read(false);
    expect(reused.out).toEqual(fresh.out);
    expect(reused.out.length).toBeGreaterThan(3);
    expect(reused.buffers).toBeGreaterThan(1);
    expect(reused.buffers).toBeLessThan(reused.out.length);
  });

  it('refuses to parse after release (its kernel instance went back to the pool)', () => {
    const parser = new FlowLogParser(V2, { reuseBatches: true });
    const text = Buffer.from('2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 40 1 2 ACCEPT OK\n');
    expect(parser.parseLines(text, 0, text.length, 1).count).toBe(1);
    parser.release();
    expect(() => parser.parseLines(text, 0, text.length, 1)).toThrow('released');
  });
});
