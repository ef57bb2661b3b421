import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { QUERY_CATALOG } from '@flowlake/constructs/analytics/queries';
import { ALL_VPC_FIELDS_V2_V8 } from '@flowlake/flowlogs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertStore } from '../../src/analysis/convert.js';
import { LocalEngine, openDuckDb, parquetColumns } from '../../src/analysis/local-engine.js';
import { parseTime } from '../../src/analysis/options.js';
import { pullStore } from '../../src/analysis/pull.js';
import { scanStore } from '../../src/analysis/store.js';
import { exec, memoryIo } from '../../src/index.js';
import { A, B, smallStore, T0 } from './fixture.js';

let store: string;
let parquet: string;

beforeAll(async () => {
  store = mkdtempSync(join(tmpdir(), 'flowlake-cli-'));
  parquet = mkdtempSync(join(tmpdir(), 'flowlake-parquet-'));
  smallStore(store);
  await convertStore({ store, out: parquet, threads: 1 });
});

afterAll(() => {
  rmSync(store, { recursive: true, force: true });
  rmSync(parquet, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await exec(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('flowlake query', () => {
  it('--list shows the whole catalog', async () => {
    const r = await run('query', '--list');
    expect(r.code).toBe(0);
    for (const q of QUERY_CATALOG) expect(r.out).toContain(q.name);
  });

  it('runs a query on a local store (whole store by default) and prints JSON', async () => {
    const r = await run('query', 'port-scan-vertical', '--store', store, '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([
      { srcaddr: '203.0.113.66', dstaddr: '10.1.0.9', ports: 30, flows: 30, rejected: 30 },
    ]);
    expect(r.err).toMatch(/1 row\(s\) in .* s; range 2026-11-30T10:00:00.000Z \.\. 2026-11-30T16:00:00.000Z/);
  });

  it('applies --since/--until/--account and prints CSV', async () => {
    const r = await run(
      'query',
      'account-coverage',
      '--store',
      store,
      '--since',
      '2026-11-30T10:00Z',
      '--until',
      '2026-11-30T11',
      '--account',
      A,
      '-o',
      'csv',
    );
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      'account,region,records,vpcs,interfaces,first_start,last_end,nodata,skipdata,rejected',
    );
    expect(r.out.split('\n')[1]).toMatch(/^111111111111,eu-west-1,2,/);
  });

  it('prints the Athena SQL with --print-sql', async () => {
    const r = await run(
      'query',
      'top-talkers',
      '--engine',
      'athena',
      '--account',
      B,
      '--since',
      '2026-11-30',
      '--until',
      '2026-12-01',
      '--print-sql',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('FROM "flowlake"."flows"');
    expect(r.out).toContain("aws_account_id IN ('222222222222')");
    expect(r.out).toContain('(year = 2026 AND month = 11 AND day = 30)');
  });

  it.each([
    [['query', 'top-talker', '--store', 'x'], /no query named 'top-talker'/, /did you mean top-talkers/],
    [['query'], /name a query/, /--list/],
    [['query', 'top-talkers', '--account', "1' OR 1=1", '--store', 'STORE'], /invalid account/, /12 digits/],
    [
      ['query', 'top-talkers', '--since', 'yesterday', '--store', 'STORE'],
      /--since 'yesterday' is not a time/,
      /ISO 8601/,
    ],
    [
      ['query', 'top-talkers', '--store', '/nonexistent/flowlake'],
      /'\/nonexistent\/flowlake' not found/,
      /flowlake pull/,
    ],
  ])('fails clearly: %j', async (argv, message, hint) => {
    const r = await run(...argv.map((a) => (a === 'STORE' ? store : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(hint);
  });

  it('has --help with examples', async () => {
    for (const cmd of ['query', 'pull', 'convert']) {
      const r = await run(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain('Examples:');
    }
  });
});

describe('convert', () => {
  it('writes one Parquet file per flow log and day in the Hive layout, with AWS file names', async () => {
    const files = await scanStore(parquet);
    // account A has records in hours 0 and 5 of the same day: one daily file
    expect(files.map((f) => f.parsed.fileFormat)).toEqual(['parquet', 'parquet']);
    expect(files.every((f) => f.parsed.layout.hive && !f.parsed.layout.perHour)).toBe(true);
    expect(files[0].key).toMatch(
      /^AWSLogs\/aws-account-id=111111111111\/aws-service=vpcflowlogs\/aws-region=eu-west-1\/year=2026\/month=11\/day=30\/111111111111_vpcflowlogs_eu-west-1_fl-0abc_20261130T0000Z_[0-9a-f]{8}\.log\.parquet$/,
    );
    // the fields of the text files' format, no all-NULL columns for the others (as AWS writes Parquet)
    const db = await openDuckDb(1);
    try {
      expect(await parquetColumns(db, files[0].path)).toEqual(
        ALL_VPC_FIELDS_V2_V8.map((f) => f.replaceAll('-', '_')),
      );
    } finally {
      db.closeSync();
    }
  });

  it("writes AWS's hourly layout with perHour, and compacts it back into daily files in place", async () => {
    const out = mkdtempSync(join(tmpdir(), 'flowlake-hourly-'));
    try {
      const hourly = await convertStore({ store, out, threads: 1, perHour: true });
      expect(hourly).toMatchObject({ inputFiles: 3, outputFiles: 3, records: 33 });
      const files = await scanStore(out);
      expect(files.every((f) => f.parsed.layout.hive && f.parsed.layout.perHour)).toBe(true);
      expect(files[0].key).toMatch(
        /\/day=30\/hour=10\/111111111111_vpcflowlogs_eu-west-1_fl-0abc_20261130T1000Z_/,
      );
      const compacted = await convertStore({ store: out, out, threads: 1, from: 'parquet' });
      expect(compacted).toMatchObject({ inputFiles: 3, outputFiles: 2, records: 33 });
      const after = await scanStore(out);
      expect(after.map((f) => f.parsed.layout.perHour)).toEqual([false, false]);
      const params = { since: new Date(T0 * 1000), until: new Date((T0 + 6 * 3600) * 1000) };
      const a = new LocalEngine({ store: parquet, threads: 1 });
      const b = new LocalEngine({ store: out, threads: 1 });
      try {
        for (const q of QUERY_CATALOG)
          expect((await b.run(q, params)).rows, q.name).toEqual((await a.run(q, params)).rows);
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('gives the same result as the text store for every query', async () => {
    const params = { since: new Date(T0 * 1000), until: new Date((T0 + 6 * 3600) * 1000) };
    const text = new LocalEngine({ store, threads: 1 });
    const pq = new LocalEngine({ store: parquet, threads: 1 });
    try {
      for (const q of QUERY_CATALOG) {
        const a = await text.run(q, params);
        const b = await pq.run(q, params);
        expect(b.columns, q.name).toEqual(a.columns);
        expect(b.rows, q.name).toEqual(a.rows);
      }
    } finally {
      await text.close();
      await pq.close();
    }
  });

  it('converts in place; queries then read Parquet only (no double counting)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'flowlake-inplace-'));
    try {
      smallStore(copy);
      const r = await run('convert', '--store', copy);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/converted 33 records from 3 text file\(s\)/);
      const q = await run('query', 'account-coverage', '--store', copy, '-o', 'json');
      expect(JSON.parse(q.out).map((x: { records: number }) => x.records)).toEqual([3, 30]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('pull', () => {
  const s3 = mockClient(S3Client);
  afterAll(() => s3.restore());

  it('lists only the range partitions, downloads concurrently and resumes', async () => {
    const keys = (await scanStore(store)).map((f) => f.key);
    const bodies = new Map(keys.map((k) => [k, readFileSync(join(store, ...k.split('/')))]));
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; Delimiter?: string }) => {
      if (input.Delimiter) {
        const depth = input.Prefix.split('/').length;
        const prefixes = [
          ...new Set(
            keys
              .filter((k) => k.startsWith(input.Prefix))
              .map((k) => `${k.split('/').slice(0, depth).join('/')}/`),
          ),
        ];
        return { CommonPrefixes: prefixes.map((Prefix) => ({ Prefix })) };
      }
      return {
        Contents: keys
          .filter((k) => k.startsWith(input.Prefix))
          .map((Key) => ({ Key, Size: bodies.get(Key)?.length })),
      };
    });
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({
      Body: Readable.from([bodies.get(input.Key) as Buffer]) as never,
    }));
    const dest = mkdtempSync(join(tmpdir(), 'flowlake-pull-'));
    try {
      const opts = {
        client: new S3Client({ region: 'eu-west-1' }),
        bucket: 'central',
        since: new Date(T0 * 1000),
        until: new Date((T0 + 3600) * 1000),
        store: dest,
        concurrency: 4,
      };
      const first = await pullStore(opts);
      expect(first).toMatchObject({ total: 2, downloaded: 2, skipped: 0 });
      const pulled = await scanStore(dest);
      expect(pulled.map((f) => f.key)).toEqual(keys.filter((k) => k.includes('hour=10')));
      expect(statSync(pulled[0].path).size).toBe(bodies.get(pulled[0].key)?.length);
      // a truncated file is fetched again; a complete one is skipped
      writeFileSync(pulled[0].path, 'partial');
      const second = await pullStore({ ...opts, accounts: [A, B] });
      expect(second).toMatchObject({ total: 2, downloaded: 1, skipped: 1 });
      const listed = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
      expect(listed.filter((p) => p?.includes('day=30/'))).not.toHaveLength(0);
      expect(listed.some((p) => p?.includes('day=29'))).toBe(false);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });
});

describe('parseTime', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it.each([
    ['now', '2026-11-30T12:00:00.000Z'],
    ['24h', '2026-11-29T12:00:00.000Z'],
    ['90m', '2026-11-30T10:30:00.000Z'],
    ['7d', '2026-11-23T12:00:00.000Z'],
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
    ['2026-11-30T10', '2026-11-30T10:00:00.000Z'],
    ['2026-11-30T10:15', '2026-11-30T10:15:00.000Z'],
    ['2026-11-30T10:15:00+01:00', '2026-11-30T09:15:00.000Z'],
  ])('%s', (v, iso) => {
    expect(parseTime('--since', v, now).toISOString()).toBe(iso);
  });
});
