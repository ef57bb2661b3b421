/** Test arbitraries: flow-log lines as a scanned payload holds them (the byte writers' input). */
import fc from 'fast-check';
import { FlowLogFormat } from '../../src/index.js';

/** Six fields: two integers (version, bytes), four strings. */
export const PRINTABLE_FORMAT = FlowLogFormat.fromFields([
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'bytes',
  'action',
]);

const token = fc.oneof(
  fc.constantFrom(
    '-',
    '0',
    '007',
    '12345678901234567890',
    '9007199254740991',
    'eni-0a1b',
    'ACCEPT',
    '1e5',
    '12:34',
    '9/',
    '4-',
  ),
  fc.stringMatching(/^[0-9]{1,18}$/),
  fc.stringMatching(/^[!#-[\]-~]{1,40}$/),
);

/** Printable ASCII without quotes or backslashes, mostly the format's 6 fields (sometimes 4, 5 or 7). */
export const printableLine = fc
  .tuple(
    fc.array(token, { minLength: 6, maxLength: 6 }),
    fc.constantFrom(0, 0, 0, 0, 1, 2, -1),
    fc.constantFrom(' ', ' ', ' ', '  '),
  )
  .map(([t, cut, sep]) => (cut < 0 ? [...t, 'x'] : t.slice(cut)).join(sep));
