import type { FlowLogFormat } from './format.js';

/** A parsed field value: text, an integer, or null for AWS's `-` (not applicable / not computed). */
export type FlowValue = string | number | null;

/** A parsed flow-log record keyed by hyphenated field name (`log-status`), in format order. */
export type FlowRecord = Record<string, FlowValue>;

/**
 * Writes a record as one flow-log line under a format, as AWS writes it: fields separated by one space, null or a
 * missing field as `-`.
 */
export function formatRecord(record: Readonly<FlowRecord>, format: FlowLogFormat): string {
  let line = '';
  const names = format.names;
  for (let i = 0; i < names.length; i++) {
    const v = record[names[i]];
    if (i > 0) line += ' ';
    line += v === null || v === undefined || v === '' ? '-' : String(v);
  }
  return line;
}
