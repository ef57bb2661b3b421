/**
 * Finds the boundaries of JSON objects stored back to back (`{..}{..}`, or one per line), as Firehose writes
 * CloudWatch Logs subscription messages to S3 when it neither decompresses nor adds delimiters. Works on bytes:
 * UTF-8 never uses the bytes of `{`, `}`, `"` and `\` inside a multi-byte character, so chunk boundaries may fall
 * anywhere.
 */

/** What {@link JsonObjectScanner.next} stopped at. */
export type JsonScanEvent =
  /** the `{` that opens a top-level object */
  | 'begin'
  /** the `}` that closes it */
  | 'end'
  /** a byte between objects that is neither whitespace nor `{` (a `}` there too) */
  | 'junk'
  /** nothing before `end` */
  | 'more';

export class JsonObjectScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The event of the last {@link next} call. */
  event: JsonScanEvent = 'more';

  /** True inside a top-level object (a stream that ends here is truncated). */
  get inside(): boolean {
    return this.depth > 0;
  }

  /**
   * Scans `buf[i, end)` up to the next event and returns the position of its byte (`end` with event `more`).
   * Call again from that position + 1.
   */
  next(buf: Uint8Array, i: number, end: number): number {
    for (; i < end; i++) {
      const c = buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (this.depth > 0) {
        if (c === 0x22) this.inString = true;
        else if (c === 0x7b) this.depth++;
        else if (c === 0x7d && --this.depth === 0) {
          this.event = 'end';
          return i;
        }
        continue;
      }
      if (c === 0x7b) {
        this.depth = 1;
        this.event = 'begin';
        return i;
      }
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.event = 'junk';
        return i;
      }
    }
    this.event = 'more';
    return end;
  }
}
