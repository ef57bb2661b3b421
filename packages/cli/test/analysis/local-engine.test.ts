import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUERY_BY_NAME, QUERY_CATALOG } from '@flowlake/constructs/analytics/queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/analysis/local-engine.js';
import { scanStore } from '../../src/analysis/store.js';
import { rowObjects } from '../../src/analysis/types.js';
import { A, B, smallStore, T0 } from './fixture.js';

let store: string;

beforeAll(() => {
  store = mkdtempSync(join(tmpdir(), 'flowlake-store-'));
  smallStore(store);
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
