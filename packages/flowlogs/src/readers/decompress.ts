/**
 * Streamed decompression: gzip (one or many members) or plain bytes, detected from the magic bytes 1f 8b.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';

/** Anything that yields bytes: a Node Readable, any async iterable of byte chunks, or one Buffer. */
export type ByteSource = Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

/** zlib output chunk size. Node's 16 KiB default is 2-3x slower for streams; 1 MiB is near the best. */
export const INFLATE_CHUNK_SIZE = 1 << 20;

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A gzip stream that is corrupt or truncated. */
export class DecompressError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecompressError';
  }
}

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    // slice big buffers so gunzip streams them instead of inflating everything at once
    for (let i = 0; i < source.length; i += INFLATE_CHUNK_SIZE) {
      yield source.subarray(i, Math.min(source.length, i + INFLATE_CHUNK_SIZE));
    }
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
}

/**
 * Yields the decompressed bytes of a gzip-or-plain source, chunk by chunk (never the whole object). Plain input
 * passes through unchanged; gzip input (including concatenated members) is inflated with {@link INFLATE_CHUNK_SIZE}
 * output chunks. Calls `onBytes` with the count of input (compressed) bytes as they are read.
 * @throws DecompressError when gzip data is corrupt or truncated.
 */
export async function* decompress(
  source: ByteSource,
  opts: { chunkSize?: number; readAhead?: number; onInputBytes?: (n: number) => void } = {},
): AsyncGenerator<Uint8Array> {
  const input = chunksOf(source);
  // peek at least two bytes to decide
  const head: Uint8Array[] = [];
  let headLen = 0;
  while (headLen < 2) {
    const next = await input.next();
    if (next.done) break;
    if (next.value.length === 0) continue;
    head.push(next.value);
    headLen += next.value.length;
  }
  if (headLen === 0) return;
  const first = head.length === 1 ? head[0] : Buffer.concat(head);
  const count = opts.onInputBytes;
  async function* all(): AsyncGenerator<Uint8Array> {
    count?.(first.length);
    yield first;
    for await (const c of { [Symbol.asyncIterator]: () => input }) {
      count?.(c.length);
      yield c;
    }
  }
  if (!isGzip(first)) {
    yield* all();
    return;
  }
  // readableHighWaterMark lets zlib (on the libuv pool) inflate ahead while the caller parses; Node passes stream
  // options through to the Transform, though ZlibOptions does not declare them
  const gunzip = createGunzip({
    chunkSize: opts.chunkSize ?? INFLATE_CHUNK_SIZE,
    readableHighWaterMark: opts.readAhead ?? 0,
  } as ZlibOptions);
  pipeline(Readable.from(all(), { objectMode: false }), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new DecompressError(
      `gzip data is corrupt or truncated (${msg}); check that the object is complete`,
      {
        cause: e,
      },
    );
  }
}
