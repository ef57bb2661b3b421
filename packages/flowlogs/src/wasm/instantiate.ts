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
    let module = MODULES.get(base64);
    if (module === undefined) {
      const bytes = Buffer.from(base64, 'base64');
      module = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
      MODULES.set(base64, module);
    }
    return module && wasm ? new wasm.Instance(module, {}).exports : undefined;
  } catch {
    return undefined;
  }
}

/** Compiled modules by source (null: rejected), so further instances skip compiling. */
const MODULES = new Map<string, object | null>();
