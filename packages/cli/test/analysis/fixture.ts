import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ALL_VPC_FIELDS_V2_V8,
  buildObjectKey,
  FlowLogFormat,
  type FlowRecord,
  formatRecord,
  type KeyLayout,
} from '@flowlake/flowlogs';

/** 2026-11-30T10:00Z in epoch seconds. */
export const T0 = Date.UTC(2026, 10, 30, 10) / 1000;
export const A = '111111111111';
export const B = '222222222222';

/** Writes one gzip text flow-log file (header + records) into a store, keyed like AWS delivery. */
export function writeTextFile(
  store: string,
  account: string,
  hour: number,
  records: FlowRecord[],
  layout: KeyLayout = { hive: true, perHour: true },
): string {
  const fmt = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);
  const body = [fmt.names.join(' '), ...records.map((r) => formatRecord(r, fmt))].join('\n');
  const key = buildObjectKey({
    accountId: account,
    region: 'eu-west-1',
    time: new Date((T0 + hour * 3600) * 1000),
    flowLogId: 'fl-0abc',
    layout,
    fileFormat: 'text',
  });
  mkdirSync(dirname(join(store, key)), { recursive: true });
  writeFileSync(join(store, key), gzipSync(`${body}\n`));
  return key;
}

/** A v5-style accepted egress record ending at `t`, with overrides. */
export function rec(account: string, t: number, extra: FlowRecord = {}): FlowRecord {
  return {
    version: 5,
    'account-id': account,
    'interface-id': 'eni-0a1',
    srcaddr: '10.0.0.5',
    dstaddr: '10.0.1.5',
    srcport: 40000,
    dstport: 443,
    protocol: 6,
    packets: 10,
    bytes: 1000,
    start: t - 30,
    end: t,
    action: 'ACCEPT',
    'log-status': 'OK',
    'vpc-id': 'vpc-0abc1234',
    'flow-direction': 'egress',
    type: 'IPv4',
    ...extra,
  };
}

/** A small store: an egress transfer in A (hour 0), a vertical scan on B (hour 0), a record in A at hour 5. */
export function smallStore(store: string): void {
  writeTextFile(store, A, 0, [
    rec(A, T0 + 60, { dstaddr: '198.51.100.7', bytes: 5_000_000, 'instance-id': 'i-0aaa' }),
    rec(A, T0 + 90),
  ]);
  writeTextFile(
    store,
    B,
    0,
    Array.from({ length: 30 }, (_, i) =>
      rec(B, T0 + 100 + i, {
        srcaddr: '203.0.113.66',
        dstaddr: '10.1.0.9',
        dstport: 1000 + i,
        action: 'REJECT',
        'flow-direction': 'ingress',
      }),
    ),
  );
  writeTextFile(store, A, 5, [rec(A, T0 + 5 * 3600 + 60, { bytes: 99 })]);
}
