import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { QUERY_BY_NAME, QUERY_CATALOG } from '@flowlake/constructs/analytics/queries';
import {
  ALL_VPC_FIELDS_V2_V8,
  buildObjectKey,
  FlowLogFormat,
  type FlowRecord,
  formatRecord,
} from '@flowlake/flowlogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/analysis/local-engine.js';
import { scanStore } from '../../src/analysis/store.js';
import { rowObjects } from '../../src/analysis/types.js';

const T0 = Date.UTC(2026, 10, 30, 10) / 1000;
const A = '111111111111';
const B = '222222222222';
let store: string;

function write(account: string, hour: number, records: FlowRecord[], layout = { hive: true, perHour: true }) {
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
}

const rec = (account: string, t: number, extra: FlowRecord): FlowRecord => ({
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
});

beforeAll(() => {
  store = mkdtempSync(join(tmpdir(), 'flowlake-store-'));
  // hour 0: an egress transfer from account A to the internet, a vertical scan against account B
  write(A, 0, [
    rec(A, T0 + 60, { dstaddr: '198.51.100.7', bytes: 5_000_000, 'instance-id': 'i-0aaa' }),
    rec(A, T0 + 90, {}),
  ]);
  write(
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
  // hour 5: outside the query range below
  write(A, 5, [rec(A, T0 + 5 * 3600 + 60, { bytes: 99 })]);
});

afterAll(() => rmSync(store, { recursive: true, force: true }));

describe('store scan', () => {
  it('prunes files by partition time, account and region', async () => {
    expect(await scanStore(store)).toHaveLength(3);
    const since = new Date(T0 * 1000);
    const until = new Date((T0 + 3600) * 1000);
    expect(await scanStore(store, { since, until })).toHaveLength(2);
    expect(await scanStore(store, { since, until, accounts: [A] })).toHaveLength(1);
    expect(await scanStore(store, { regions: ['us-east-1'] })).toHaveLength(0);
  });
});

describe('LocalEngine', () => {
  const params = { since: new Date(T0 * 1000), until: new Date((T0 + 3600) * 1000) };

  it('runs every catalog query and returns its declared columns', async () => {
    const engine = new LocalEngine({ store, threads: 1 });
    try {
      for (const q of QUERY_CATALOG) {
        const r = await engine.run(q, params);
        expect(r.columns, q.name).toEqual(q.columns);
      }
    } finally {
      await engine.close();
    }
  });

  it('finds the egress transfer and the vertical scan, and reads only the range', async () => {
    const engine = new LocalEngine({ store, threads: 1 });
    try {
      const egress = rowObjects(await engine.run(QUERY_BY_NAME.get('egress-to-internet') as never, params));
      expect(egress[0]).toMatchObject({ account: A, instance_id: 'i-0aaa', bytes: 5_000_000 });
      const scan = rowObjects(await engine.run(QUERY_BY_NAME.get('port-scan-vertical') as never, params));
      expect(scan).toEqual([
        { srcaddr: '203.0.113.66', dstaddr: '10.1.0.9', ports: 30, flows: 30, rejected: 30 },
      ]);
      const coverage = rowObjects(await engine.run(QUERY_BY_NAME.get('account-coverage') as never, params));
      expect(coverage.map((r) => [r.account, r.records])).toEqual([
        [A, 2],
        [B, 30],
      ]);
      const onlyB = await engine.run(QUERY_BY_NAME.get('account-coverage') as never, {
        ...params,
        accounts: [B],
      });
      expect(onlyB.rows.map((r) => r[0])).toEqual([B]);
    } finally {
      await engine.close();
    }
  });
});
