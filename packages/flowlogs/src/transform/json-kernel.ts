/**
 * The JSON-mode kernel of the transform (WebAssembly SIMD; source packages/flowlogs/wasm/json.c, embedded by
 * `npm run build:wasm`): writes a scanned payload's log events as JSON lines, byte for byte what
 * {@link compileJsonBytesWriter} writes, and base64-encodes them, in wasm memory. It stops at each line it does not
 * handle and the caller supplies that line's text. One instance per process, loaded on first use;
 * {@link loadJsonKernel} returns undefined where WebAssembly SIMD is unavailable.
 */
import type { FlowLogFormat } from '../format.js';
import { instantiateEmbedded, type WasmMemory } from '../wasm/instantiate.js';
import { JSON_WASM_BASE64 } from './json-wasm-module.js';

const PAGE = 65536;
/** Bytes read and written past each region by the SIMD loops (json.c). */
const SLACK = 64;
/** Key slot size and field limit in json.c. */
const KEY_SLOT = 48;
const MAX_FIELDS = 128;

interface Exports {
  readonly memory: WasmMemory;
  readonly keys_ptr: () => number;
  readonly key_len_ptr: () => number;
  readonly is_int_ptr: () => number;
  readonly set_fields: (n: number) => void;
  readonly out_len: () => number;
  readonly set_out_len: (n: number) => void;
  readonly write_json: (
    src: number,
    starts: number,
    ends: number,
    from: number,
    count: number,
    out: number,
  ) => number;
  readonly base64: (input: number, len: number, out: number) => number;
  readonly plain_ascii: (input: number, len: number) => number;
  readonly __heap_base: { readonly value: number };
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export class JsonKernel {
  private mem: Buffer;
  private readonly heap: number;
  private format: FlowLogFormat | undefined;
  private keyBytes = 0;
  private out = 0;
  /** The payload last copied into wasm memory (at `heap`). */
  private staged: Buffer | undefined;

  constructor(private readonly x: Exports) {
    this.heap = align(Number(x.__heap_base.value), 64);
    this.mem = Buffer.from(x.memory.buffer);
  }

  private reserve(bytes: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (bytes > have) this.x.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.mem.buffer !== this.x.memory.buffer) this.mem = Buffer.from(this.x.memory.buffer);
  }

  /** Loads the format's keys; false when the kernel cannot take it (too many fields or a very long name). */
  use(format: FlowLogFormat): boolean {
    if (this.format === format) return true;
    const n = format.names.length;
    const keys = format.names.map((name, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`));
    if (n === 0 || n > MAX_FIELDS || keys.some((k) => k.length > KEY_SLOT)) return false;
    this.reserve(this.heap);
    const x = this.x;
    const keysAt = x.keys_ptr();
    const lens = new Int32Array(x.memory.buffer, x.key_len_ptr(), n);
    const ints = new Uint8Array(x.memory.buffer, x.is_int_ptr(), n);
    keys.forEach((k, i) => {
      this.mem.fill(0, keysAt + i * KEY_SLOT, keysAt + (i + 1) * KEY_SLOT);
      k.copy(this.mem, keysAt + i * KEY_SLOT);
      lens[i] = k.length;
      ints[i] = format.fields[i].type === 'string' ? 0 : 1;
    });
    x.set_fields(n);
    this.keyBytes = keys.reduce((a, k) => a + k.length, 0);
    this.format = format;
    return true;
  }

  /**
   * Copies a payload into wasm memory (where {@link write} then reads it) and returns whether it is printable ASCII
   * (0x20 to 0x7f) without backslashes, the bytes {@link scanSubscriptionMessage} requires.
   */
  stage(src: Buffer): boolean {
    this.reserve(this.heap + src.length + SLACK);
    this.mem.set(src, this.heap);
    this.staged = src;
    return this.x.plain_ascii(this.heap, src.length) === 1;
  }

  /**
   * Writes events `[0, count)` (message i is `src[starts[i], ends[i])`) as JSON lines. For a line the kernel does
   * not handle it calls `line(i)`, which returns the line's text with its newline (ASCII), or undefined to give up.
   * Returns the number of bytes written, or -1 when `line` gave up.
   */
  write(
    src: Buffer,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: (i: number) => string | undefined,
  ): number {
    const n = this.format?.names.length ?? 0;
    const at = this.heap;
    const startsAt = align(at + src.length + SLACK, 8);
    const endsAt = startsAt + count * 4;
    const out = align(endsAt + count * 4, 64);
    const cap = count * (this.keyBytes + 2 * n + 16) + src.length;
    this.reserve(out + cap + SLACK);
    const x = this.x;
    const mem = this.mem;
    if (this.staged !== src) mem.set(src, at);
    this.staged = undefined;
    new Int32Array(x.memory.buffer, startsAt, count).set(starts.subarray(0, count));
    new Int32Array(x.memory.buffer, endsAt, count).set(ends.subarray(0, count));
    x.set_out_len(0);
    let from = 0;
    for (;;) {
      const stop = x.write_json(at, startsAt, endsAt, from, count, out);
      if (stop >= count) break;
      const text = line(stop);
      if (text === undefined) return -1;
      const len = x.out_len();
      x.set_out_len(len + mem.write(text, out + len, 'latin1'));
      from = stop + 1;
    }
    this.out = out;
    return x.out_len();
  }

  /** Base64 of the bytes the last {@link write} wrote. */
  base64(): string {
    const x = this.x;
    const len = x.out_len();
    const to = align(this.out + len + SLACK, 64);
    this.reserve(to + (align(len, 3) / 3) * 4 + SLACK);
    const b64 = x.base64(this.out, len, to);
    return this.mem.toString('latin1', to, to + b64);
  }
}

let kernel: JsonKernel | undefined | null = null;

/** The process's kernel, or undefined where WebAssembly SIMD is unavailable. */
export function loadJsonKernel(): JsonKernel | undefined {
  if (kernel !== null) return kernel;
  const exports = instantiateEmbedded(JSON_WASM_BASE64) as Exports | undefined;
  kernel = exports ? new JsonKernel(exports) : undefined;
  return kernel;
}
