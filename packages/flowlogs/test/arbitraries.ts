/** Test helper: the formats the scanner tests use, and fast-check arbitraries of their records and lines. */
import fc from 'fast-check';
import { ALL_VPC_FIELDS_V2_V8, FIELDS, FlowLogFormat, type FlowRecord, formatRecord } from '../src/index.js';

export const V2 = FlowLogFormat.DEFAULT;
/** Every VPC field of versions 2 to 5. */
export const V5 = FlowLogFormat.fromFields(
  FIELDS.filter((f) => f.version <= 5 && f.scope !== 'transit-gateway').map((f) => f.name),
);
export const ALL = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);

export const token = fc.stringMatching(/^[A-Za-z0-9.:_\-/]{1,24}$/).filter((s) => s !== '-');
export const intValue = fc.oneof(
  fc.nat(99999),
  fc.nat(),
  fc.maxSafeNat(),
  fc.constantFrom(0, 9, 10, 99999999, 100000000, 2 ** 53 - 1, 1234567890123456),
);

export function recordArb(format: FlowLogFormat): fc.Arbitrary<FlowRecord> {
  return fc
    .tuple(
      ...format.fields.map((f) =>
        f.type === 'string' ? fc.option(token, { nil: null }) : fc.option(intValue, { nil: null }),
      ),
    )
    .map((values) => Object.fromEntries(format.names.map((n, i) => [n, values[i]])));
}

/** Damage that the kernel must leave to the JavaScript scanner (and the JavaScript scanner must judge). */
export const damage = fc.constantFrom(
  (l: string) => l,
  (l: string) => l,
  (l: string) => l,
  (l: string) => `${l}\r`,
  (l: string) => l.replace(' ', '\t'),
  (l: string) => l.replace(' ', '  '),
  (l: string) => ` ${l}`,
  (l: string) => `${l} `,
  (l: string) => `${l} # note`,
  (l: string) => `# ${l}`,
  (l: string) => l.replace(/ [^ ]+$/, ''),
  (l: string) => `${l} extra`,
  (l: string) => l.replace(/ \d+/, ' 12a'),
  (l: string) => l.replace(/ \d+/, ' 99999999999999999'),
  (l: string) => l.replace(/ \d+/, ' 9007199254740992'),
  (l: string) => l.replace(/ \d+/, ' 00000000000000000007'),
  (l: string) => l.replace(/ \d+/, ' -1'),
  (l: string) => l.replace(/ \d+/, ' -'),
  (l: string) => l.replace(/ [^ ]+/, ' caf\u00e9'),
  (l: string) => l.replace(' ', '\u0001'),
  (l: string) => l.replace(' ', '\u007f'),
  () => '',
  () => '   ',
  () => '# comment',
);

export function linesArb(format: FlowLogFormat) {
  return fc
    .array(fc.tuple(recordArb(format), damage), { maxLength: 40 })
    .map((rows) => rows.map(([r, d]) => d(formatRecord(r, format))));
}
