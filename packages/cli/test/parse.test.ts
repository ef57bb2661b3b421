// biome-ignore-all lint/suspicious/noTemplateCurlyInString: flow-log format strings are written ${field}
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { controlMessage, encodeCloudWatchPayload, logEventId } from '@flowlake/flowlogs';
import { describe, expect, it } from 'vitest';
import { exec, memoryIo } from '../src/index.js';

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH =
  '2 012345678901 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
/** SSH parsed: integers as numbers, account-id (leading zero) and the rest as strings. */
const SSH_RECORD = {
  version: 2,
  'account-id': '012345678901',
  'interface-id': 'eni-1235b8ca123456789',
  srcaddr: '172.31.16.139',
  dstaddr: '172.31.16.21',
  srcport: 20641,
  dstport: 22,
  protocol: 6,
  packets: 20,
  bytes: 4249,
  start: 1418530010,
  end: 1418530070,
  action: 'ACCEPT',
  'log-status': 'OK',
};
const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';

const dir = mkdtempSync(join(tmpdir(), 'flowlake-parse-'));
function file(name: string, body: string | Buffer): string {
  writeFileSync(join(dir, name), body);
  return name;
}

async function run(argv: string[], stdin?: string | Buffer) {
  const io = memoryIo(stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]), dir);
  const code = await exec(['parse', ...argv], io);
  const lines = io.stdout().split('\n').filter(Boolean);
  return {
    code,
    json: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    out: io.stdout(),
    err: io.stderr(),
  };
}

describe('flowlake parse', () => {
  it('parses a gzip S3 object with a header into JSON lines with AWS keys', async () => {
    const f = file('a.log.gz', gzipSync(`${HEADER}\n${SSH}\n${NODATA}\n`));
    const { code, json, out, err } = await run([f]);
    expect(code).toBe(0);
    expect(json[0]).toEqual(SSH_RECORD);
    expect(json[1]).toMatchObject({ srcaddr: null, bytes: null, action: null, 'log-status': 'NODATA' });
    expect(out.startsWith('{"version":2,"account-id":"012345678901"')).toBe(true);
    expect(err).toBe('2 records, 0 bad lines in 1 input\n');
  });

  it('reports bad lines as file:line: reason, keeps the good ones, and exits 1 only with --strict', async () => {
    const f = file('bad.log', `${HEADER}\n${SSH}\nnot a record\n${SSH.replace(' 6 ', ' tcp ')}\n${NODATA}\n`);
    const loose = await run([f]);
    expect(loose.code).toBe(0);
    expect(loose.json).toHaveLength(2);
    expect(loose.err).toContain('bad.log:3: expected 14 fields');
    expect(loose.err).toContain("bad.log:4: field 'protocol' is 'tcp'; expected an integer or '-'");
    expect(loose.err).toContain('2 records, 2 bad lines in 1 input');
    const strict = await run(['--strict', f]);
    expect(strict.code).toBe(1);
    expect(strict.json).toHaveLength(2);
  });

  it('reads headerless default-format records as a new user pastes them from the AWS docs', async () => {
    const pasted = await run([], `${SSH}\n${NODATA}\n`);
    expect(pasted.code).toBe(0);
    expect(pasted.err).toContain(
      '<stdin>: no header line; its records have the 14 fields of the default format',
    );
    expect(pasted.json).toHaveLength(2);
    expect(pasted.json[0]).toMatchObject({
      version: 2,
      'account-id': '012345678901',
      dstport: 22,
      bytes: 4249,
    });
    expect(pasted.json[1]).toMatchObject({ srcaddr: null, action: null, 'log-status': 'NODATA' });
  });

  it('reads CloudWatch Logs export files (create-export-task: a timestamp before each record), gzip or plain', async () => {
    const exported = `2014-12-14T04:06:50.000Z ${SSH}\n2015-05-10T17:54:36.000Z ${NODATA}\n`;
    const f = file('000000.gz', gzipSync(exported));
    const gz = await run([f]);
    expect(gz.code).toBe(0);
    expect(gz.err).toContain('000000.gz: lines start with CloudWatch Logs export timestamps');
    expect(gz.json).toHaveLength(2);
    expect(gz.json[0]).toMatchObject({ version: 2, 'account-id': '012345678901', bytes: 4249 });
    expect(gz.json[1]).toMatchObject({ start: 1431280876, 'log-status': 'NODATA' });
    // a custom format through --format, from stdin
    const custom = await run(
      ['--format', '${version} ${srcaddr} ${dstaddr} ${bytes}', '--strict'],
      '2024-01-01T00:00:12.000Z 5 10.0.0.1 10.0.0.2 42\n2024-01-01T00:00:13.000Z 5 10.0.0.1 10.0.0.2 x\n',
    );
    expect(custom.code).toBe(1);
    expect(custom.json).toEqual([{ version: 5, srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', bytes: 42 }]);
    expect(custom.err).toContain("<stdin>:2: field 'bytes' is 'x'");
  });

  it('reads CloudWatch Logs subscription messages as Firehose stores them (gzip members, JSON, base64 lines)', async () => {
    const msg = (events: string[]) => ({
      messageType: 'DATA_MESSAGE' as const,
      owner: '012345678901',
      logGroup: '/vpc/flowlogs',
      logStream: 'eni-1235b8ca123456789',
      subscriptionFilters: ['flowlake'],
      logEvents: events.map((message, i) => ({
        id: logEventId(1418530010000, i),
        timestamp: 1418530010000,
        message,
      })),
    });
    const bad = SSH.replace(' 4249 ', ' 42x9 ');
    const object = Buffer.concat([
      encodeCloudWatchPayload(controlMessage(1)),
      encodeCloudWatchPayload(msg([SSH, bad])),
      encodeCloudWatchPayload(msg([NODATA])),
    ]);
    const gz = await run([file('firehose-object', object)]);
    expect(gz.code).toBe(0);
    expect(gz.err).toContain('firehose-object: CloudWatch Logs subscription messages');
    expect(gz.err).toContain(
      "firehose-object: document 2 event 2 (eni-1235b8ca123456789): field 'bytes' is '42x9'; expected an integer or '-'",
    );
    expect(gz.err).toContain('2 records, 1 bad line in 1 input');
    expect(gz.json.map((r) => r['log-status'])).toEqual(['OK', 'NODATA']);
    expect(gz.json[0]).toMatchObject({ 'account-id': '012345678901', bytes: 4249 });
    // decompressed JSON with a broken document in the middle, from stdin, under --format --strict
    const json = `${JSON.stringify(msg([SSH]))}\n{"messageType": 1}\n${JSON.stringify(msg([SSH]))}\n`;
    const strict = await run(['--format', 'default', '--strict'], json);
    expect(strict.code).toBe(1);
    expect(strict.json).toHaveLength(2);
    expect(strict.err).toContain(
      '<stdin>: document 2: not a CloudWatch Logs subscription message: messageType',
    );
    // one base64 record data per line, without --format: records of another format need it
    const b64 = `${encodeCloudWatchPayload(msg(['5 10.0.0.1 10.0.0.2 42'])).toString('base64')}\n`;
    const custom = await run([], b64);
    expect(custom.code).toBe(2);
    expect(custom.err).toContain('no header line naming its fields');
    const given = await run(['--format', '${version} ${srcaddr} ${dstaddr} ${bytes}'], b64);
    expect(given.json).toEqual([{ version: 5, srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', bytes: 42 }]);
  });

  it('reads Parquet flow-log files (AWS column names and types), from a path or from stdin', async () => {
    const path = join(dir, 'flows.parquet');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    // the v2 columns with AWS's Parquet types; account_id as INT64 too, as some writers store it
    await db.run(
      `COPY (SELECT * FROM (VALUES
         (2::INTEGER, '012345678901', 'eni-1235b8ca123456789', '172.31.16.139', '172.31.16.21', 20641, 22, 6, 20::BIGINT, 4249::BIGINT, 1418530010::BIGINT, 1418530070::BIGINT, 'ACCEPT', 'OK', 7::BIGINT),
         (2::INTEGER, '123456789010', 'eni-1235b8ca123456789', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1431280876::BIGINT, 1431280934::BIGINT, NULL, 'NODATA', 7::BIGINT))
       AS t(version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, "start", "end", action, log_status, vpc_id))
       TO '${path}' (FORMAT parquet)`,
    );
    db.closeSync();
    const fromPath = await run(['flows.parquet']);
    expect(fromPath.code).toBe(0);
    expect(fromPath.json[0]).toEqual({
      ...SSH_RECORD,
      'vpc-id': '7', // a string field stays a string whatever the column type
    });
    expect(fromPath.json[1]).toMatchObject({
      srcaddr: null,
      bytes: null,
      action: null,
      'log-status': 'NODATA',
    });
    const piped = await run(['-'], gzipSync(readFileSync(path)));
    expect(piped.json).toEqual(fromPath.json);
    const broken = await run([file('broken.parquet', readFileSync(path).subarray(0, 100))]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('broken.parquet: not a readable Parquet file');
  });

  it('reads headerless Transit Gateway default-format records (36 fields) and accepts --format tgw-default', async () => {
    const tgw = [
      '6 TransitGateway 012345678901 tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0 012345678901 - vpc-0a1b2c3d4e5f60718 - subnet-0a1b2c3d4e5f60718 - eni-0a1b2c3d4e5f60718 - use1-az1 - - 10.20.33.164 10.99.0.1 39813 443 6 3 180 1700000000 1700000060 OK IPv4 3 0 0 0 2 us-east-1 ingress - -',
      '6 TransitGatewayAttachment 012345678901 tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0 - - - - - - - - - - - - - - - - - - 1700000000 1700000060 NODATA - - - - - - us-east-1 - - -',
    ].join('\n');
    const pasted = await run([], `${tgw}\n`);
    expect(pasted.code).toBe(0);
    expect(pasted.err).toContain(
      'no header line; its records have the 36 fields of the Transit Gateway default format',
    );
    expect(pasted.json).toHaveLength(2);
    expect(pasted.json[0]).toMatchObject({
      version: 6,
      'resource-type': 'TransitGateway',
      'tgw-dst-vpc-account-id': null,
      dstport: 443,
      'packets-lost-no-route': 3,
      'tcp-flags': 2,
      'flow-direction': 'ingress',
    });
    expect(pasted.json[1]).toMatchObject({ srcaddr: null, 'log-status': 'NODATA', region: 'us-east-1' });
    const explicit = await run(['--format', 'tgw-default', '-'], `${tgw}\n`);
    expect(explicit.code).toBe(0);
    expect(explicit.json).toEqual(pasted.json);
    expect(explicit.err).not.toContain('no header line');
    // 36 tokens that are not a Transit Gateway record are not guessed
    const other = await run(['-'], `${tgw.split('\n')[0].replace('TransitGateway ', 'Something ')}\n`);
    expect(other.code).toBe(2);
  });

  it('reads stdin (- or no file) and needs --format when there is no header', async () => {
    const missing = await run(['-'], `10.0.0.1 10.0.0.2 egress\n`);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/<stdin> has no header line naming its fields/);
    expect(missing.err).toMatch(/--format/);
    const ok = await run(['--format', 'default'], `${SSH}\n`);
    expect(ok.code).toBe(0);
    expect(ok.json[0].bytes).toBe(4249);
    const custom = await run(
      ['--format', '${srcaddr} ${dstaddr} ${flow-direction}'],
      '10.0.0.1 10.0.0.2 egress\n',
    );
    expect(custom.json).toEqual([{ srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', 'flow-direction': 'egress' }]);
    const names = await run(['--format', 'srcaddr dstaddr'], '10.0.0.1 10.0.0.2\n');
    expect(names.json).toEqual([{ srcaddr: '10.0.0.1', dstaddr: '10.0.0.2' }]);
  });

  it('reads concatenated objects from stdin (cat *.log.gz | flowlake parse -)', async () => {
    const gz = gzipSync(`${HEADER}\n${SSH}\n${NODATA}\n`);
    const { code, json, err } = await run(['-'], Buffer.concat([gz, gz, gz]));
    expect(code).toBe(0);
    expect(json).toHaveLength(6);
    expect(err).toBe('6 records, 0 bad lines in 1 input\n');
  });

  it('names unknown fields in --format or a header, with near matches', async () => {
    const bad = await run(['--format', '${version} ${acount-id}'], '');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown flow log field 'acount-id'.*Did you mean 'account-id'/);
    const hdr = await run([file('h.log', 'version srcadr\n2 x\n')]);
    expect(hdr.code).toBe(2);
    expect(hdr.err).toMatch(
      /h\.log: unknown flow log field 'srcadr' in header line\. Did you mean 'srcaddr'/,
    );
  });

  it('parses several files and reports a missing file or corrupt gzip clearly', async () => {
    const a = file('m1.log', `${HEADER}\n${SSH}\n`);
    const b = file('m2.log.gz', gzipSync(`${HEADER}\n${NODATA}\n`));
    const both = await run([a, b]);
    expect(both.json.map((r) => r['log-status'])).toEqual(['OK', 'NODATA']);
    expect(both.err).toContain('2 records, 0 bad lines in 2 inputs');
    const missing = await run(['nope.log.gz']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/file 'nope.log.gz' does not exist/);
    const gz = gzipSync(`${HEADER}\n${SSH}\n`.repeat(100));
    const corrupt = await run([file('c.log.gz', gz.subarray(0, gz.length - 20))]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.err).toMatch(/c\.log\.gz: gzip data is corrupt or truncated/);
  });

  it('documents itself in --help with examples', async () => {
    const io = memoryIo();
    expect(await exec(['parse', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/--format <format>/);
    expect(io.stdout()).toMatch(/--strict/);
    expect(io.stdout()).toMatch(/Examples:\n {2}flowlake parse /);
  });
});
