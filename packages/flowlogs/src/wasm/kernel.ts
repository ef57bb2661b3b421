/**
 * The WebAssembly SIMD record scanner (source: packages/flowlogs/wasm/scan.c, embedded by `npm run build:wasm`).
 * It scans "plain" record lines (single spaces, LF endings, integer fields of digits or `-`) into columns and stops
 * at the first other line, which the JavaScript scanner then handles; see parser.ts. One shared instance per
 * process ({@link loadKernel}, loaded on first use), whose memory holds the input copy followed by scratch columns
 * that are copied out into the batch after each call. Parsers in the reused-batch mode take an instance of their
 * own ({@link takeKernel}, pooled: up to 4 given-back instances are kept with their grown memory), whose memory
 * holds the batch columns at a fixed address followed by the input copy, and which writes the columns in place.
 * Both return undefined where WebAssembly SIMD is unavailable.
 */
import { instantiateEmbedded, type WasmMemory } from './instantiate.js';
import { SCAN_WASM_BASE64 } from './scan-module.js';

/** Most fields per format the kernel handles (MAX_FIELDS in scan.c). */
export const KERNEL_MAX_FIELDS = 128;

/** Largest input copied into wasm memory per call. */
export const KERNEL_WINDOW = 4 << 20;
const PAGE = 65536;
const LF = 10;

interface Exports {
  readonly memory: WasmMemory;
  readonly plan: () => number;
  readonly scan: (buf: number, len: number, cap: number, base: number) => number;
  readonly result: () => number;
  readonly __heap_base: { readonly value: number };
}

/** Field layout of a format, as the parser's plan has it. */
export interface KernelLayout {
  readonly n: number;
  readonly isInt: Uint8Array;
  readonly slot: Int32Array;
  readonly intCount: number;
  readonly strCount: number;
}

/**
 * Where the kernel writes: the batch's columns (column-major, `capacity` rows per column), from row `row`. When
 * `addr` is not -1 the columns are this kernel's column region (see {@link ScanKernel.reserveColumns}), at that
 * address, laid out as a batch slab (lines, ints, string starts, string ends), and the kernel writes them there.
 */
export interface KernelTarget {
  readonly capacity: number;
  readonly ints: Float64Array;
  readonly strStart: Int32Array;
  readonly strEnd: Int32Array;
  readonly addr: number;
}

/** What one call did. */
export interface KernelStep {
  /** Records stored (rows `row` to `row + rows - 1`). */
  rows: number;
  /** Offset in the caller's buffer of the first line not consumed. */
  end: number;
  /** True when it stopped at a line it does not handle (the line at `end`). */
  stopped: boolean;
}

export class ScanKernel {
  private u8: Uint8Array;
  private u32: Uint32Array;
  private f64: Float64Array;
  private i32: Int32Array;
  private readonly planAddr: number;
  private readonly resultAddr: number;
  private readonly heap: number;
  private input: number;
  /** Bytes for columns at `heap`, before the input ({@link reserveColumns}); 0 for the shared kernel. */
  private columnRoom = 0;
  private readonly step: KernelStep = { rows: 0, end: 0, stopped: false };

  constructor(private readonly x: Exports) {
    this.planAddr = x.plan();
    this.resultAddr = x.result();
    this.heap = align(Number(x.__heap_base.value), 64);
    // 16 readable bytes before the input (the digit loader reads back), 64 after it (the block loader reads ahead)
    this.input = this.heap + 64;
    this.u8 = this.u32 = this.f64 = this.i32 = undefined as never;
    this.views();
  }

  /** The kernel's memory (a new ArrayBuffer after each growth; views over an old one are detached). */
  get buffer(): ArrayBuffer {
    return this.x.memory.buffer;
  }

  /**
   * Makes room for `columnBytes` of columns at a fixed address (returned; the room only grows, keeping its
   * contents) and for an input of up to `inputBytes` after them, growing the memory now if needed, so that
   * scanning at most that much input never grows it: views over the memory taken after this call stay valid until
   * the next call (a growth detaches them). Only for a kernel of one's own ({@link takeKernel}), never the shared one.
   */
  reserveColumns(columnBytes: number, inputBytes: number): number {
    if (columnBytes > this.columnRoom) {
      this.columnRoom = align(Math.max(columnBytes, this.columnRoom * 1.5), 64);
      this.input = this.heap + this.columnRoom + 64;
    }
    this.reserve(this.input + Math.min(inputBytes, KERNEL_WINDOW) + 128);
    return this.heap;
  }

  private views(): void {
    const b = this.x.memory.buffer;
    this.u8 = new Uint8Array(b);
    this.u32 = new Uint32Array(b);
    this.f64 = new Float64Array(b);
    this.i32 = new Int32Array(b);
  }

  private reserve(bytes: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.x.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.views();
  }

  /**
   * Scans the lines of `buf[pos, end)` (buf[end - 1] is LF) into `t` from row `row`, at most `t.capacity - row`
   * records, looking at no more than `window` bytes (whole lines). Returns a step object reused by the next call.
   */
  scan(
    layout: KernelLayout,
    t: KernelTarget,
    row: number,
    buf: Uint8Array,
    pos: number,
    end: number,
    window = KERNEL_WINDOW,
  ): KernelStep {
    const step = this.step;
    let len = end - pos;
    if (len > window) {
      const cut = buf.lastIndexOf(LF, pos + window - 1);
      if (cut < pos) {
        // one line longer than the window: the JavaScript scanner takes it
        step.rows = 0;
        step.end = pos;
        step.stopped = true;
        return step;
      }
      len = cut + 1 - pos;
    }
    const cap = t.capacity;
    const room = cap - row;
    const direct = t.addr !== -1;
    let ints: number;
    let strs: number;
    let stride: number;
    if (direct) {
      // the batch's columns are in this memory: the kernel writes them in place, from row `row`
      const regionEnd = t.addr + 8 * cap * (1 + layout.intCount + layout.strCount);
      if (this.input + len + 64 > this.x.memory.buffer.byteLength || regionEnd > this.input - 16)
        throw new Error('internal: the column region and the input area of the kernel overlap');
      ints = t.addr + 8 * cap + 8 * row;
      strs = t.addr + 8 * cap * (1 + layout.intCount) + 4 * row;
      stride = cap;
    } else {
      ints = align(this.input + len + 64, 8);
      strs = ints + layout.intCount * room * 8;
      stride = room;
      this.reserve(strs + layout.strCount * room * 8);
    }
    this.u8.set(buf.subarray(pos, pos + len), this.input);
    const u32 = this.u32;
    const p = this.planAddr >>> 2;
    const n = layout.n;
    u32[p] = n;
    for (let f = 0; f < n; f++) {
      const s = layout.slot[f];
      if (layout.isInt[f]) {
        u32[p + 1 + f] = 1;
        u32[p + 1 + KERNEL_MAX_FIELDS + f] = ints + s * stride * 8;
      } else {
        u32[p + 1 + f] = 0;
        u32[p + 1 + KERNEL_MAX_FIELDS + f] = strs + s * stride * 4;
        u32[p + 1 + 2 * KERNEL_MAX_FIELDS + f] = strs + (layout.strCount + s) * stride * 4;
      }
    }
    const rows = this.x.scan(this.input, len, room, pos);
    const r = this.resultAddr >>> 2;
    if (rows > 0 && !direct) {
      for (let s = 0; s < layout.intCount; s++) {
        const at = (ints >>> 3) + s * room;
        t.ints.set(this.f64.subarray(at, at + rows), s * cap + row);
      }
      for (let s = 0; s < layout.strCount; s++) {
        const at = (strs >>> 2) + s * room;
        t.strStart.set(this.i32.subarray(at, at + rows), s * cap + row);
        const at2 = at + layout.strCount * room;
        t.strEnd.set(this.i32.subarray(at2, at2 + rows), s * cap + row);
      }
    }
    step.rows = rows;
    step.end = pos + u32[r + 1];
    step.stopped = u32[r + 2] === 2;
    return step;
  }
}

function align(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/** Kernel instances given back by their users ({@link giveBackKernel}). */
const POOL: ScanKernel[] = [];

/**
 * A kernel instance of one's own (its own memory, no other user), for columns that live in wasm memory
 * ({@link ScanKernel.reserveColumns}): from the pool, else a new one (grown memory is what costs, ~1 ms per
 * 10 MB, so instances are pooled). Undefined where WebAssembly SIMD is unavailable.
 */
export function takeKernel(): ScanKernel | undefined {
  const pooled = POOL.pop();
  if (pooled) return pooled;
  const exports = instantiateEmbedded(SCAN_WASM_BASE64) as Exports | undefined;
  return exports ? new ScanKernel(exports) : undefined;
}

/** Gives a kernel from {@link takeKernel} back for reuse; the giver must not touch it or its memory again. */
export function giveBackKernel(k: ScanKernel): void {
  if (POOL.length < 4 && !POOL.includes(k)) POOL.push(k);
}

let kernel: ScanKernel | null | undefined;

/** The process's kernel; undefined where WebAssembly or its SIMD extension is unavailable. */
export function loadKernel(): ScanKernel | undefined {
  if (kernel === undefined) {
    const exports = instantiateEmbedded(SCAN_WASM_BASE64) as Exports | undefined;
    kernel = exports ? new ScanKernel(exports) : null;
  }
  return kernel ?? undefined;
}
