import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCAN_WASM_BASE64, SCAN_WASM_COMPILER } from '../src/wasm/scan-module.js';
import { clangVersion, compile, MODULE_TS, moduleSource } from '../wasm/build.js';

describe('embedded WebAssembly scanner', () => {
  it('is a fresh build of wasm/scan.c (npm run build:wasm)', (ctx) => {
    const clang = clangVersion();
    if (clang !== SCAN_WASM_COMPILER) {
      // CI and most machines have no clang; a different clang builds different (equally valid) bytes
      console.log(
        `skipped: the embedded module was built by '${SCAN_WASM_COMPILER}', this machine has ${clang ? `'${clang}'` : 'no clang'}`,
      );
      ctx.skip();
    }
    const wasm = compile();
    expect(wasm.toString('base64')).toBe(SCAN_WASM_BASE64);
    expect(readFileSync(MODULE_TS, 'utf8')).toBe(moduleSource(wasm, clang as string));
  });
});
