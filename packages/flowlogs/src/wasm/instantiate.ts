/** Loading the embedded WebAssembly kernels (record scanner, transform JSON writer). */

/** The few WebAssembly APIs used (the TypeScript lib here has no WebAssembly types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** The memory every kernel exports. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * Instantiates a base64-embedded module without imports and returns its exports; undefined where the runtime has
 * no WebAssembly or rejects the module (no SIMD support).
 */
export function instantiateEmbedded(base64: string): unknown {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    const bytes = Buffer.from(base64, 'base64');
    if (!wasm?.validate(bytes)) return undefined;
    return new wasm.Instance(new wasm.Module(bytes), {}).exports;
  } catch {
    return undefined;
  }
}
