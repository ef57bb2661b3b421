import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { QUERY_BY_NAME, QUERY_CATALOG } from '@flowlake/constructs/analytics/queries';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine, athenaCell, athenaCostUsd } from '../../src/analysis/athena-engine.js';

const athena = mockClient(AthenaClient);
const since = new Date('2026-11-30T10:00:00Z');
const until = new Date('2026-11-30T12:00:00Z');
const q = QUERY_BY_NAME.get('top-talkers') ?? QUERY_CATALOG[0];
const noSleep = async () => {};

function page(rows: string[][], header: boolean, next?: string) {
  return {
    ResultSet: {
      ResultSetMetadata: {
        ColumnInfo: [
          { Name: 'srcaddr', Type: 'varchar' },
          { Name: 'dstaddr', Type: 'varchar' },
          { Name: 'bytes', Type: 'bigint' },
          { Name: 'packets', Type: 'bigint' },
          { Name: 'flows', Type: 'bigint' },
        ],
      },
      Rows: [
        ...(header
          ? [{ Data: ['srcaddr', 'dstaddr', 'bytes', 'packets', 'flows'].map((v) => ({ VarCharValue: v })) }]
          : []),
        ...rows.map((r) => ({ Data: r.map((v) => (v === '' ? {} : { VarCharValue: v })) })),
      ],
    },
    NextToken: next,
  };
}

beforeEach(() => athena.reset());

describe('AthenaEngine', () => {
  it('starts in the workgroup, polls with backoff, pages results and reports scanned bytes and cost', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 3 * 1024 ** 3 } },
      });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves(page([['10.0.0.1', '198.51.100.1', '5000000', '10', '2']], true, 'tok'))
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'tok' })
      .resolves(page([['10.0.0.2', '', '7', '1', '1']], false));
    const delays: number[] = [];
    const engine = new AthenaEngine({
      client: new AthenaClient({ region: 'eu-west-1' }),
      pollMs: [100, 150],
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    const r = await engine.run(q, { since, until, accounts: ['111111111111'] });
    expect(r.columns).toEqual(q.columns);
    expect(r.rows).toEqual([
      ['10.0.0.1', '198.51.100.1', 5_000_000, 10, 2],
      ['10.0.0.2', null, 7, 1, 1],
    ]);
    expect(r.bytesScanned).toBe(3 * 1024 ** 3);
    expect(r.costUsd).toBeCloseTo(((3 * 1024 ** 3) / 1e12) * 5, 10);
    expect(delays).toEqual([100, 150]);
    const start = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(start.WorkGroup).toBe('flowlake');
    expect(start.QueryExecutionContext).toEqual({ Database: 'flowlake' });
    expect(start.QueryString).toContain('FROM "flowlake"."flows"');
    expect(start.QueryString).toContain("aws_account_id IN ('111111111111')");
    expect(start.QueryString).toContain('hour >= 10 AND hour <= 11');
  });

  it('asks for the organization accounts when none are given, so new accounts are included', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves(page([], true));
    const engine = new AthenaEngine({
      client: new AthenaClient({ region: 'eu-west-1' }),
      resolveAccounts: async () => ['111111111111', '444444444444'],
      sleep: noSleep,
    });
    await engine.run(q, { since, until });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input.QueryString).toContain(
      "aws_account_id IN ('111111111111', '444444444444')",
    );
  });

  it('fails with a clear error when no account can be determined', async () => {
    const engine = new AthenaEngine({ client: new AthenaClient({ region: 'eu-west-1' }), sleep: noSleep });
    await expect(engine.run(q, { since, until })).rejects.toThrow(/must name the accounts/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('reports a failed query with its reason and a fix for the scan limit', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-3' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason: 'Query exhausted the BytesScannedCutoffPerQuery limit',
        },
      },
    });
    const engine = new AthenaEngine({ client: new AthenaClient({ region: 'eu-west-1' }), sleep: noSleep });
    const err = await engine.run(q, { since, until, accounts: ['111111111111'] }).catch((e) => e);
    expect(err.message).toMatch(/q-3 failed: Query exhausted/);
    expect(err.hint).toMatch(/narrow --since/);
  });

  it('stops the query when aborted (Ctrl-C)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-4' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const controller = new AbortController();
    const engine = new AthenaEngine({
      client: new AthenaClient({ region: 'eu-west-1' }),
      pollMs: [5, 5],
    });
    const running = engine.run(q, { since, until, accounts: ['111111111111'] }, controller.signal);
    setTimeout(() => controller.abort(new Error('interrupted')), 30);
    await expect(running).rejects.toThrow(/interrupted/);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0].args[0].input).toEqual({
      QueryExecutionId: 'q-4',
    });
  });

  it('rejects unsafe workgroup, database and table names', () => {
    expect(() => new AthenaEngine({ database: 'x"; DROP' })).toThrow(/invalid database/);
  });
});

describe('athena helpers', () => {
  it('prices $5 per TB with a 10 MB minimum', () => {
    expect(athenaCostUsd(0)).toBeCloseTo((10 * 1024 * 1024 * 5) / 1e12, 12);
    expect(athenaCostUsd(1e12)).toBeCloseTo(5, 3);
  });
  it('types cells by column type', () => {
    expect(athenaCell('42', { Name: 'x', Type: 'bigint' })).toBe(42);
    expect(athenaCell('0.25', { Name: 'x', Type: 'double' })).toBe(0.25);
    expect(athenaCell('99999999999999999999', { Name: 'x', Type: 'bigint' })).toBe('99999999999999999999');
    expect(athenaCell(undefined, { Name: 'x', Type: 'varchar' })).toBeNull();
    expect(athenaCell('true', { Name: 'x', Type: 'boolean' })).toBe(true);
  });
});
