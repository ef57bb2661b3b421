import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { scanStore } from '../../src/analysis/store.js';
import { parseStreamKey, scanStreamStore } from '../../src/analysis/stream-store.js';
import { parseConfig } from '../../src/config/index.js';
import { runDemo } from '../../src/demo/run.js';
import { exec, memoryIo } from '../../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'flowlake-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('flowlake demo (15-minute window)', () => {
  const end = new Date('2026-11-30T10:00:00Z');
  const io = memoryIo();
  const run = runDemo({ hours: 0.25, accounts: 3, out, seed: 'demo-test', end }, io);

  it('writes a valid example config with one account per delivery path', async () => {
    const r = await run;
    const { config, issues } = parseConfig(readFileSync(r.configPath, 'utf8'));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(config?.members.map((m) => m.delivery)).toEqual([
      'direct-s3',
      'replication',
      'cloudwatch-firehose',
    ]);
    expect(config?.members.every((m) => m.regions.length === 2)).toBe(true);
  });

  it('synthesizes the config into a cloud assembly with the real synth', async () => {
    const r = await run;
    expect(r.assemblyPath).toBe(join(out, 'cdk.out'));
    const manifest = JSON.parse(readFileSync(join(out, 'cdk.out', 'manifest.json'), 'utf8'));
    const stacks = Object.values(manifest.artifacts as Record<string, { type: string }>).filter(
      (a) => a.type === 'aws:cloudformation:stack',
    );
    // central + direct-s3 and replication members in 2 regions each (+ streaming members once they can be built)
    expect(stacks.length).toBeGreaterThanOrEqual(5);
  });

  it('delivers every generated record through its path into a bucket-shaped store', async () => {
    const r = await run;
    expect(r.delivered.map((d) => d.path)).toEqual(['direct-s3', 'replication', 'cloudwatch-firehose']);
    expect(r.delivered.reduce((n, d) => n + d.records, 0)).toBe(r.records);
    // direct-s3 and replication: Parquet named and partitioned as AWS does
    const parquet = await scanStore(r.storePath, { fileFormat: 'parquet' });
    expect(new Set(parquet.map((f) => f.parsed.accountId))).toEqual(
      new Set([r.accounts[0].id, r.accounts[1].id]),
    );
    expect(parquet.every((f) => f.parsed.layout.hive && f.parsed.layout.perHour)).toBe(true);
    expect(await scanStore(r.storePath, { fileFormat: 'text' })).toEqual([]);
    // streaming: gzip NDJSON under the Firehose prefix, one JSON object per record
    const streams = await scanStreamStore(r.storePath);
    expect(streams.length).toBeGreaterThan(0);
    expect(new Set(streams.map((s) => s.accountId))).toEqual(new Set([r.accounts[2].id]));
    const lines = streams.flatMap((s) =>
      gunzipSync(readFileSync(s.path)).toString('utf8').trim().split('\n'),
    );
    expect(lines).toHaveLength(r.delivered[2].records);
    const first = JSON.parse(lines[0]);
    expect(first['account-id']).toBe(r.accounts[2].id);
    expect(typeof first.bytes === 'number' || first.bytes === null).toBe(true);
  });

  it('finds every planted incident with the query catalog', async () => {
    const r = await run;
    expect(r.findings.map((f) => f.kind).sort()).toEqual([
      'horizontal-scan',
      'large-egress',
      'port-scan',
      'ssh-bruteforce',
    ]);
    expect(r.findings.filter((f) => !f.found)).toEqual([]);
    expect(io.stderr()).toMatch(/\[5\/6\] query\.\.\.\n {6}4 of 4 planted incidents found/);
  });

  it('writes the HTML report over the store', async () => {
    const r = await run;
    expect(r.reportPath).toBe(join(out, 'report.html'));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    // every account of the demo, including the streaming one, is in the coverage data
    for (const a of r.accounts) expect(html).toContain(a.id);
  });

  it('parses only streaming keys', () => {
    expect(
      parseStreamKey(
        'AWSLogs/aws-account-id=111111111111/vpcflowlogs-stream/aws-region=eu-west-1/year=2026/month=11/day=30/hour=09/s-1-2026-11-30-09-05-00-x.gz',
      ),
    ).toMatchObject({ accountId: '111111111111', region: 'eu-west-1', hourStart: Date.UTC(2026, 10, 30, 9) });
    expect(parseStreamKey('AWSLogs/111111111111/vpcflowlogs/eu-west-1/2026/11/30/x.log.gz')).toBeUndefined();
  });
});

describe('flowlake demo command', () => {
  it('rejects bad options', async () => {
    const io = memoryIo();
    expect(await exec(['demo', '--hours', '0'], io)).toBe(2);
    expect(io.stderr()).toContain("--hours '0'");
  });
});
