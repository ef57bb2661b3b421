import { afterEach, describe, expect, it, vi } from 'vitest';

const REAL_WASM = (globalThis as unknown as { WebAssembly: object }).WebAssembly;

const LINE =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

/** A fresh copy of the package (the kernel is loaded once per module instance). */
async function freshPackage() {
  vi.resetModules();
  return import('../src/index.js');
}

describe('without WebAssembly SIMD', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  for (const [label, stub] of [
    ['no WebAssembly at all', undefined],
    ['a WebAssembly without SIMD (the module does not validate)', { ...REAL_WASM, validate: () => false }],
  ] as const) {
    it(`falls back to the JavaScript scanner: ${label}`, async () => {
      vi.stubGlobal('WebAssembly', stub);
      const { FlowLogFormat, FlowLogParser } = await freshPackage();
      const parser = new FlowLogParser(FlowLogFormat.DEFAULT);
      expect(parser.kernel).toBe('js');
      const [batch] = [...parser.parseBuffer(Buffer.from(`${LINE}\n${LINE}\r\n`))];
      expect(batch.count).toBe(2);
      expect(Array.from(batch.column('bytes'))).toEqual([4249, 4249]);
      // reused batches too (their columns are then a plain ArrayBuffer)
      const reusing = new FlowLogParser(FlowLogFormat.DEFAULT, { reuseBatches: true });
      expect(reusing.kernel).toBe('js');
      const b = reusing.parseLines(Buffer.from(`${LINE}\n${LINE}\r\n`), 0, 2 * LINE.length + 3, 1);
      expect([b.reused, b.count, Array.from(b.column('bytes'))]).toEqual([true, 2, [4249, 4249]]);
      expect(() => new FlowLogParser(FlowLogFormat.DEFAULT, { kernel: 'wasm' })).toThrow(
        'WebAssembly SIMD is not available in this runtime',
      );
    });
  }

  it('uses the kernel by default where it is available', async () => {
    const { FlowLogFormat, FlowLogParser } = await freshPackage();
    expect(new FlowLogParser(FlowLogFormat.DEFAULT).kernel).toBe('wasm');
  });
});
