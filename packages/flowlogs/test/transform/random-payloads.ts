/**
 * Random CloudWatch Logs payloads for comparing the transform's byte scanner with its JSON.parse path: mostly the
 * shape CloudWatch sends, with escapes, unicode, reordered / extra / duplicate keys, whitespace, damaged lines and
 * invalid JSON mixed in.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  FlowLogFormat,
  formatRecord,
  REINGEST_FIELD,
  type TransformOutcome,
  transformFirehoseEvent,
} from '../../src/index.js';
import { scanSubscriptionMessage } from '../../src/transform/payload-scan.js';
import { DELIVERY_ARN, fhRecord, makeRecord, OWNER, rng, T0 } from './fixtures.js';

/** A JSON value whose serialization the test controls: objects keep entry order and duplicates. */
type J = null | boolean | number | string | Raw | J[] | Obj;
class Raw {
  constructor(readonly text: string) {}
}
class Obj {
  constructor(readonly entries: [string, J][]) {}
}

const WS = ['', '', '', '', '', ' ', ' ', '  ', '\n', '\t', '\r\n '];

/** Serializes with random whitespace between tokens and random (valid) escapes inside strings. */
function serialize(v: J, r: () => number, messy: boolean): string {
  const ws = () => (messy ? WS[Math.floor(r() * WS.length)] : '');
  const str = (s: string): string => {
    let out = '"';
    for (const ch of s) {
      const roll = messy ? r() : 1;
      if (roll < 0.03) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      else if (roll < 0.05 && ch === '/') out += '\\/';
      else out += JSON.stringify(ch).slice(1, -1);
    }
    return `${out}"`;
  };
  const go = (x: J): string => {
    if (x instanceof Raw) return x.text;
    if (x instanceof Obj)
      return `{${ws()}${x.entries.map(([k, val]) => `${str(k)}${ws()}:${ws()}${go(val)}`).join(`${ws()},${ws()}`)}${ws()}}`;
    if (Array.isArray(x)) return `[${ws()}${x.map(go).join(`${ws()},${ws()}`)}${ws()}]`;
    if (typeof x === 'string') return str(x);
    return JSON.stringify(x);
  };
  return `${ws()}${go(v)}${ws()}`;
}

function shuffle<T>(a: T[], r: () => number): T[] {
  const out = [...a];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
/** `common` 90% of the time, else one of `odd`. */
const usually = <T>(r: () => number, common: T, odd: readonly T[]): T => (r() < 0.9 ? common : pick(r, odd));

const ODD_TOKENS = ['é', 'a"b', 'x\\y', '\u0001', '\u007f', '💥', 'abc', '007', '', '12345678901234567890'];

/** A flow-log line under the format, sometimes damaged in one of the ways real or hostile input is. */
function message(format: FlowLogFormat, r: () => number): string {
  const line = formatRecord(makeRecord(format, r), format);
  if (r() < 0.85) return line;
  const tokens = line.split(' ');
  const i = Math.floor(r() * tokens.length);
  switch (Math.floor(r() * 7)) {
    case 0:
      tokens[i] = pick(r, ODD_TOKENS);
      return tokens.join(' ');
    case 1:
      return tokens.join(pick(r, ['  ', '\t', ' \t']));
    case 2:
      return `${line}${pick(r, ['\n', '\r\n', '\r', ' '])}`;
    case 3:
      tokens.splice(i, 1);
      return tokens.join(' ');
    case 4:
      return ` ${line}`;
    case 5:
      return '';
    default:
      return `${line} extra`;
  }
}

function logEvent(format: FlowLogFormat, i: number, r: () => number): J {
  const entries: [string, J][] = [
    ['id', String(i).padStart(56, '0')],
    ['timestamp', T0 + i * 1000],
    ['message', message(format, r)],
  ];
  const roll = r();
  if (roll < 0.04) entries[1][1] = pick(r, [new Raw('1.7648e12'), new Raw('-0'), '1764493200000', null]);
  else if (roll < 0.06) entries[1][1] = new Raw('1e400');
  else if (roll < 0.08) entries.splice(Math.floor(r() * 3), 1);
  else if (roll < 0.1) entries.push(['extra', pick(r, [1, 'x', [1, 2], null])]);
  else if (roll < 0.115) entries.unshift(['message', 'overwritten by the later message']);
  else if (roll < 0.12) entries.unshift(['timestamp', 0]);
  else if (roll < 0.13) entries[2][1] = 42;
  return new Obj(shuffle(entries, r));
}

/** A subscription payload (as gzip bytes): mostly CloudWatch's shape, with every kind of deviation. */
function payload(format: FlowLogFormat, seed: number): Buffer {
  const r = rng(seed);
  const events = Array.from({ length: Math.floor(r() * 6) }, (_, i) => logEvent(format, i, r));
  const entries: [string, J][] = [
    ['messageType', usually(r, 'DATA_MESSAGE', ['CONTROL_MESSAGE', 'OTHER'])],
    ['owner', usually(r, OWNER, ['012345678901', 'CloudwatchLogs', 'ünïcode', 'a"b'])],
    ['logGroup', usually(r, '/flowlake/vpcflowlogs/eu-west-1', ['/aws/vpc/flow', 'grp/us-east-2\n'])],
    ['logStream', usually(r, 'eni-0123456789abcdef0-all', ['é-stream'])],
    ['subscriptionFilters', usually<J>(r, ['flowlake'], [[], ['a', 'b'], ['a', 1], 'flowlake'])],
    ['logEvents', r() < 0.97 ? events : pick<J>(r, [null, 'none', {} as never])],
  ];
  const roll = r();
  if (roll < 0.1) entries.push([REINGEST_FIELD, pick<J>(r, [1, 2, 3, '2', new Raw('2.0')])]);
  else if (roll < 0.14) entries.push(['extra', pick<J>(r, [1, 'x', new Obj([['a', [1]]])])]);
  else if (roll < 0.17) entries.unshift(['owner', 'shadowed']);
  else if (roll < 0.19) entries.splice(Math.floor(r() * entries.length), 1);
  else if (roll < 0.2) entries.push(['__proto__', 1]);
  let text = serialize(new Obj(shuffle(entries, r)), r, r() < 0.15);
  if (r() < 0.02) text += pick(r, ['x', '}', ' {}']);
  // Invalid JSON that only a raw byte betrays: a control character inside a string (JSON.parse rejects it).
  const space = text.indexOf(' ', Math.floor(r() * text.length));
  if (r() < 0.03 && space >= 0)
    text = `${text.slice(0, space)}${pick(r, ['\t', '\u0001', '\n'])}${text.slice(space + 1)}`;
  return gzipSync(Buffer.from(text, 'utf8'));
}

const FORMATS = [
  FlowLogFormat.DEFAULT,
  FlowLogFormat.fromFields([
    'version',
    'account-id',
    'region',
    'interface-id',
    'srcaddr',
    'packets',
    'action',
  ]),
];

/** Comparable form of an outcome (re-ingested payloads compared as bytes). */
function plain(o: TransformOutcome): unknown {
  return { ...o, reingest: o.reingest.map((e) => ({ ...e, data: e.data.toString('base64') })) };
}

/**
 * Asserts over `numRuns` random batches that the transform gives the same outcome, byte for byte, with the byte
 * scanner as through JSON.parse (`scanBytes: false`), in both output modes, with and without overflow.
 */
export function expectScannerMatchesReference(numRuns: number): void {
  let scanned = 0;
  let total = 0;
  fc.assert(
    fc.property(
      fc.array(fc.integer(), { minLength: 1, maxLength: 5 }),
      fc.constantFrom(0, 1),
      fc.constantFrom<'json' | 'lines'>('json', 'lines'),
      fc.boolean(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, 1500, 4000),
      (seeds, f, output, checkEveryLine, maxResponseBytes) => {
        const format = FORMATS[f];
        const payloads = seeds.map((s) => payload(format, s));
        for (const p of payloads) {
          total++;
          if (scanSubscriptionMessage(gunzipSync(p))) scanned++;
        }
        const event = {
          deliveryStreamArn: DELIVERY_ARN,
          region: 'eu-west-1',
          records: payloads.map((p, i) => fhRecord(`r${i}`, p)),
        };
        const options = { format, output, checkEveryLine, maxResponseBytes, chunkOutputBytes: 600 };
        const fast = transformFirehoseEvent(event, options);
        const reference = transformFirehoseEvent(event, { ...options, scanBytes: false });
        expect(plain(fast)).toEqual(plain(reference));
      },
    ),
    { numRuns, seed: 20261130 },
  );
  // The comparison means something only if both paths were taken often.
  expect(scanned / total).toBeGreaterThan(0.2);
  expect(scanned / total).toBeLessThan(0.8);
}
