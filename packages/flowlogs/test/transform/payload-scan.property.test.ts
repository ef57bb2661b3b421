import { describe, expect, it } from 'vitest';
import { hasControlBytes, scanSubscriptionMessage } from '../../src/transform/payload-scan.js';
import { expectScannerMatchesReference } from './random-payloads.js';

describe('byte scanner vs JSON.parse path', () => {
  it('random payloads (escapes, unicode, reordered keys, whitespace, extra and duplicate keys): same outcome byte for byte', () => {
    expectScannerMatchesReference(1500);
  });
});

describe('scanSubscriptionMessage', () => {
  const doc = (body: string) => Buffer.from(body, 'latin1');
  const good =
    '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"g","logStream":"s","subscriptionFilters":["f"],' +
    '"logEvents":[{"id":"1","timestamp":1764493200000,"message":"2 a b"},{"id":"2","timestamp":5,"message":"x"}]}';

  it('finds each message and the first timestamp, in any key order and with spaces between tokens', () => {
    const spaced = good.replace(/([{}[\],:])/g, ' $1 ');
    for (const text of [good, spaced, ` ${good} `]) {
      const m = scanSubscriptionMessage(doc(text));
      expect(m?.count).toBe(2);
      const b = doc(text);
      expect(b.toString('latin1', m?.starts[1], m?.ends[1])).toBe('x');
      expect(m?.firstMessage).toBe('2 a b');
      expect(m?.firstTimestamp).toBe(1764493200000);
      expect(m?.owner).toBe('111122223333');
    }
  });

  it('leaves everything unusual to JSON.parse', () => {
    const variants = [
      good.replace('"x"', '"\\u0078"'), // an escape
      good.replace('"x"', '"é"'), // non-ASCII
      good.replace('"x"', '"a\tb"'), // raw control byte in a string
      good.replace(',"logStream"', '\n,"logStream"'), // whitespace other than spaces
      good.replace('"owner"', '"extra":1,"owner"'), // unknown key
      good.replace('"owner"', '"__proto__":1,"owner"'),
      good.replace('"owner":"111122223333",', ''), // missing key
      good.replace('"logGroup":"g"', '"logGroup":"g","logGroup":"h"'), // duplicate key
      good.replace(':5,', ':5.0,'), // fraction
      good.replace(':5,', ':05,'), // leading zero
      good.replace('"f"]', '"f",]'), // trailing comma
      `${good}x`, // trailing garbage
      good.replace('DATA_MESSAGE', 'OTHER'),
    ];
    for (const v of variants) expect(scanSubscriptionMessage(doc(v)), v).toBeUndefined();
  });

  it('checks control bytes at every alignment', () => {
    const base = Buffer.alloc(40, 0x61);
    for (let off = 0; off < 4; off++)
      for (let at = off; at < 40; at++) {
        const b = Buffer.from(base);
        b[at] = 0x09;
        expect(hasControlBytes(b.subarray(off)), `${off}/${at}`).toBe(true);
        expect(hasControlBytes(base.subarray(off))).toBe(false);
      }
  });
});
