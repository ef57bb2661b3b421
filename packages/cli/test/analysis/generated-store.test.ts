import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  type CatalogQuery,
  QUERY_BY_NAME,
  QUERY_CATALOG,
  SECURITY_QUERY_CATALOG,
} from '@flowlake/constructs/analytics/queries';
import type { PlantedIncident } from '@flowlake/flowlogs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../src/analysis/athena-engine.js';
import { convertStore } from '../../src/analysis/convert.js';
import { LocalEngine } from '../../src/analysis/local-engine.js';
import { type Cell, rowObjects } from '../../src/analysis/types.js';
import { generatedStore } from './fixture.js';

let textStore: string;
let parquetStore: string;
let gen: ReturnType<typeof generatedStore>;
let engine: LocalEngine;

const q = (name: string): CatalogQuery => {
  const found = QUERY_BY_NAME.get(name);
  if (!found) throw new Error(`no query ${name}`);
  return found;
};
const incident = (kind: PlantedIncident['kind']): PlantedIncident => {
  const found = gen.incidents.find((i) => i.kind === kind);
  if (!found) throw new Error(`generator planted no ${kind}`);
  return found;
};

beforeAll(async () => {
  textStore = mkdtempSync(join(tmpdir(), 'flowlake-gen-'));
  parquetStore = mkdtempSync(join(tmpdir(), 'flowlake-gen-pq-'));
  gen = generatedStore(textStore);
  // AWS's hourly Parquet layout: many small files, as `flowlake pull` fetches them
  await convertStore({ store: textStore, out: parquetStore, threads: 2, perHour: true });
  engine = new LocalEngine({ store: parquetStore, threads: 2 });
});

afterAll(async () => {
  await engine.close();
  rmSync(textStore, { recursive: true, force: true });
  rmSync(parquetStore, { recursive: true, force: true });
});

async function rows(name: string, extra: Record<string, unknown> = {}) {
  return rowObjects(await engine.run(q(name), { since: gen.start, until: gen.until, limit: 1000, ...extra }));
}

describe('catalog on a generated organization', () => {
  it('finds the planted vertical port scan', async () => {
    const scan = incident('port-scan');
    const found = (await rows('port-scan-vertical')).find(
      (r) => r.srcaddr === scan.srcaddr && r.dstaddr === scan.dstaddr,
    );
    expect(found).toBeDefined();
    expect(found?.ports).toBe(scan.ports);
  });

  it('finds the planted horizontal scan on port 3389', async () => {
    const scan = incident('horizontal-scan');
    const found = (await rows('port-scan-horizontal')).find((r) => r.srcaddr === scan.srcaddr);
    expect(found).toMatchObject({ dstport: 3389 });
    expect(found?.hosts).toBe(new Set(scan.targets).size);
  });

  it('ranks the planted egress transfer first, attributed to the instance (not the NAT gateway)', async () => {
    const egress = incident('large-egress');
    const [top] = await rows('egress-to-internet');
    expect(top).toMatchObject({ account: egress.accountId, interface_id: egress.interfaceId });
    // incident bytes count both directions on the instance; the upload is nearly all of it
    expect(top.bytes as number).toBeGreaterThan(egress.bytes * 0.9);
    expect(top.instance_id).toMatch(/^i-/);
  });

  it('names the egress instance as the top NAT gateway user', async () => {
    const egress = incident('large-egress');
    const [top] = await rows('nat-gateway-top-users');
    expect(top).toMatchObject({ account: egress.accountId, client: egress.srcaddr });
  });

  it('shows the SSH brute force among inbound sensitive-port flows', async () => {
    const ssh = incident('ssh-bruteforce');
    const hits = (await rows('inbound-sensitive-ports')).filter(
      (r) => r.dstaddr === ssh.dstaddr && r.dstport === 22,
    );
    // The incident's records are both directions; the query counts the inbound attempts.
    expect(hits.reduce((n, r) => n + (r.flows as number), 0)).toBeGreaterThanOrEqual(
      Math.floor(ssh.records / 2),
    );
    expect(new Set(hits.map((r) => r.action))).toEqual(new Set(['ACCEPT', 'REJECT']));
    expect(hits.every((r) => (r.sources as number) >= 1)).toBe(true);
  });

  it('answers the other questions with sensible rows', async () => {
    const accounts = gen.org.accounts.map((a) => a.id).sort();
    const coverage = await rows('account-coverage');
    expect([...new Set(coverage.map((r) => r.account))]).toEqual(accounts);
    expect(coverage.reduce((n, r) => n + (r.records as number), 0)).toBe(gen.records);
    expect((await rows('delivery-health')).some((r) => r.log_status === 'NODATA')).toBe(true);
    expect((await rows('bpa-rejects')).length).toBeGreaterThan(0);
    expect((await rows('aws-service-traffic')).map((r) => r.service)).toContain('S3');
    const v6 = await rows('ipv6-share');
    expect(v6.every((r) => (r.ipv6_share as number) >= 0 && (r.ipv6_share as number) < 1)).toBe(true);
    expect(v6.some((r) => (r.ipv6_bytes as number) > 0)).toBe(true);
    const cross = await rows('cross-account-traffic');
    expect(cross.length).toBeGreaterThan(0);
    expect(cross.every((r) => r.src_account !== r.dst_account)).toBe(true);
    const over = await rows('traffic-over-time');
    expect(new Set(over.map((r) => r.action))).toEqual(new Set(['ACCEPT', 'REJECT']));
    expect((await rows('first-seen-external-peers')).length).toBeGreaterThan(0);
    expect((await rows('top-talkers', { limit: 5 })).length).toBe(5);
  });

  it('reads only the partitions of the range', async () => {
    const hour = { since: gen.start, until: new Date(gen.start.getTime() + 3_600_000) };
    const all = await engine.prepare({ since: gen.start, until: gen.until });
    const one = await engine.prepare(hour);
    expect(one.files).toBeLessThan(all.files);
    expect(one.files).toBeGreaterThan(0);
  });
});

describe('runAll (whole-catalog runs)', () => {
  it('returns what one-at-a-time runs return, in order, and restores the thread setting', async () => {
    const queries = [...QUERY_CATALOG, SECURITY_QUERY_CATALOG[0]];
    const params = { since: gen.start, until: gen.until, limit: 50 };
    const side = new LocalEngine({ store: parquetStore, threads: 2 });
    try {
      const together = await side.runAll(queries, params, { concurrency: 2 });
      expect((await side.sql("SELECT current_setting('threads')")).rows).toEqual([[2]]);
      for (const [i, query] of queries.entries()) {
        const alone = await engine.run(query, params);
        expect(together[i].columns, query.name).toEqual(query.columns);
        expect(together[i].rows, query.name).toEqual(alone.rows);
      }
      expect(together.filter((r) => r.rows.length > 0).length).toBeGreaterThan(12);
    } finally {
      await side.close();
    }
  });
});

describe('DuckDB-only templates', () => {
  it('answer exactly what the shared template answers, at any limit', async () => {
    const variants = QUERY_CATALOG.filter((query) => query.duckdbSql !== undefined);
    expect(variants.map((query) => query.name)).toEqual([
      'port-scan-horizontal',
      'port-scan-vertical',
      'first-seen-external-peers',
    ]);
    for (const query of variants) {
      for (const limit of [2, 1000]) {
        const params = { since: gen.start, until: gen.until, limit };
        const fast = await engine.run(query, params);
        const shared = await engine.run({ ...query, duckdbSql: undefined }, params);
        expect(fast.rows.length, query.name).toBeGreaterThan(0);
        expect(fast.rows, `${query.name}, limit ${limit}`).toEqual(shared.rows);
      }
    }
  });
});

describe('Athena and DuckDB return the same columns and rows', () => {
  const athena = mockClient(AthenaClient);
  afterAll(() => athena.restore());

  /**
   * Stands in for Athena: runs the Athena-dialect SQL the engine sends on DuckDB, over a `"flowlake"."flows"` view
   * that has the table's partition columns, and returns it the way GetQueryResults does (all values as text).
   */
  it('for every catalog query', async () => {
    await engine.prepare({ since: gen.start, until: gen.until });
    await engine.sql('CREATE SCHEMA IF NOT EXISTS flowlake');
    await engine.sql(`CREATE OR REPLACE VIEW flowlake.flows AS SELECT *,
      year(epoch_ms("end" * 1000)) AS year, month(epoch_ms("end" * 1000)) AS month,
      day(epoch_ms("end" * 1000)) AS day, hour(epoch_ms("end" * 1000)) AS hour FROM flows`);
    await engine.sql('CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
    let result: { columns: string[]; rows: Cell[][] } = { columns: [], rows: [] };
    athena.on(StartQueryExecutionCommand).callsFake(async (input: { QueryString: string }) => {
      await engine.sql('SET integer_division = true');
      try {
        result = await engine.sql(input.QueryString);
      } finally {
        await engine.sql('SET integer_division = false');
      }
      return { QueryExecutionId: 'q' };
    });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 1 } },
    });
    athena.on(GetQueryResultsCommand).callsFake(async () => ({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: result.columns.map((c, i) => ({
            Name: c,
            Type: result.rows.some((r) => typeof r[i] === 'number') ? 'double' : 'varchar',
          })),
        },
        Rows: [result.columns, ...result.rows].map((r) => ({
          Data: r.map((v) => (v === null ? {} : { VarCharValue: String(v) })),
        })),
      },
    }));
    const remote = new AthenaEngine({
      client: new AthenaClient({ region: 'eu-west-1' }),
      sleep: async () => {},
    });
    const params = {
      since: gen.start,
      until: gen.until,
      accounts: gen.org.accounts.map((a) => a.id),
      limit: 50,
    };
    for (const query of QUERY_CATALOG) {
      const local = await engine.run(query, params);
      await engine.prepare(params);
      const viaAthena = await remote.run(query, params);
      expect(viaAthena.columns, query.name).toEqual(query.columns);
      expect(local.columns, query.name).toEqual(query.columns);
      expect(viaAthena.rows, query.name).toEqual(local.rows);
    }
  });
});
