import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_WASM_BASE64, JSON_WASM_COMPILER } from '../src/transform/json-wasm-module.js';
import { SCAN_WASM_BASE64, SCAN_WASM_COMPILER } from '../src/wasm/scan-module.js';
import { clangVersion, compileKernel, KERNELS, moduleSource } from '../wasm/build.js';

const EMBEDDED: Record<string, { compiler: string; base64: string }> = {
  SCAN: { compiler: SCAN_WASM_COMPILER, base64: SCAN_WASM_BASE64 },
  JSON: { compiler: JSON_WASM_COMPILER, base64: JSON_WASM_BASE64 },
};

describe('embedded WebAssembly kernels', () => {
  it('covers every kernel the build knows', () => {
    expect(KERNELS.map((k) => k.prefix).sort()).toEqual(Object.keys(EMBEDDED).sort());
  });

  for (const kernel of KERNELS) {
    it(`is a fresh build of wasm/${kernel.source} (npm run build:wasm)`, (ctx) => {
      const embedded = EMBEDDED[kernel.prefix];
      const clang = clangVersion();
      if (clang !== embedded.compiler) {
        // CI and most machines have no clang; a different clang builds different (equally valid) bytes
        console.log(
          `skipped: the embedded module was built by '${embedded.compiler}', this machine has ${clang ? `'${clang}'` : 'no clang'}`,
        );
        ctx.skip();
      }
      const wasm = compileKernel(kernel);
      expect(wasm.toString('base64')).toBe(embedded.base64);
      expect(readFileSync(kernel.moduleTs, 'utf8')).toBe(moduleSource(kernel, wasm, clang as string));
    });
  }
});
