/**
 * A growable byte buffer reused across records: the JSON path writes output bytes straight into it (no string per
 * record, no JSON.stringify), then base64-encodes the filled part once.
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Empties the writer (keeps its memory). */
  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends a string as UTF-8. */
  writeString(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Appends a string as UTF-8 followed by a newline. */
  writeLine(s: string): void {
    this.writeString(s);
    this.buf[this.pos++] = 10;
  }

  /** Base64 of the bytes written. */
  toBase64(): string {
    return this.buf.toString('base64', 0, this.pos);
  }
}

/** Little-endian 32-bit words of `bytes` (the last one padded with zeros). */
export function littleEndianWords(bytes: Buffer): Uint32Array {
  const padded = Buffer.alloc(Math.ceil(bytes.length / 4) * 4);
  bytes.copy(padded);
  const out = new Uint32Array(padded.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = padded.readUInt32LE(i * 4);
  return out;
}

/** Writes `null` at `at`; returns the position after it. */
export function writeNull(out: Buffer, at: number): number {
  out[at] = 110;
  out[at + 1] = 117;
  out[at + 2] = 108;
  out[at + 3] = 108;
  return at + 4;
}
