/**
 * Builds the transform's JSON-mode kernel (json.c: JSON lines and base64 with WebAssembly SIMD) and embeds it as
 * base64 in src/transform/json-wasm-module.ts. `npx tsx packages/flowlogs/wasm/build-json.ts` (needs clang and
 * wasm-ld). The test json-kernel.test.ts checks the embedded module is a fresh build.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clangVersion, compileC, embeddingModule } from './build.js';

const here = dirname(fileURLToPath(import.meta.url));
export const JSON_SOURCE = join(here, 'json.c');
export const JSON_MODULE_TS = join(here, '..', 'src', 'transform', 'json-wasm-module.ts');

/** Compiles json.c to a wasm module (bytes). */
export function compileJson(): Buffer {
  return compileC(JSON_SOURCE);
}

/** The generated TypeScript module embedding `wasm`. */
export function jsonModuleSource(wasm: Buffer, clang: string): string {
  return embeddingModule({
    wasm,
    clang,
    generator: 'packages/flowlogs/wasm/build-json.ts',
    source: 'json.c',
    prefix: 'JSON',
    what: 'The JSON-mode kernel',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const clang = clangVersion();
  if (!clang) {
    process.stderr.write('clang not found: apt-get install -y clang lld\n');
    process.exit(1);
  }
  const wasm = compileJson();
  writeFileSync(JSON_MODULE_TS, jsonModuleSource(wasm, clang));
  process.stderr.write(`wrote ${JSON_MODULE_TS} (${wasm.length} bytes of wasm, ${clang})\n`);
}
