import type { FlowLog } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { mapPool } from '../../src/audit/pool.js';
import { RULE_LIST } from '../../src/audit/rules.js';
import { toSarif } from '../../src/audit/sarif.js';
import type { AuditReport, FlowLogExpectation } from '../../src/audit/types.js';
import { checkRegion, deliversTo, sameFormat } from '../../src/audit/vpc-checks.js';
import { exec, memoryIo } from '../../src/index.js';

/** A format string from field names (avoids `${...}` in plain string literals). */
const fmt = (...names: string[]) => names.map((n) => `\${${n}}`).join(' ');

const expectS3: FlowLogExpectation = {
  path: 'direct-s3',
  destination: { type: 's3', bucketArn: 'arn:aws:s3:::central', prefix: 'flowlogs' },
  logFormat: fmt('version', 'srcaddr'),
  trafficType: 'ALL',
  fileFormat: 'parquet',
  hive: true,
  perHour: true,
};
const good: FlowLog = {
  FlowLogId: 'fl-1',
  ResourceId: 'vpc-1',
  LogDestinationType: 's3',
  LogDestination: 'arn:aws:s3:::central/flowlogs/',
  LogFormat: `${fmt('version')}  ${fmt('srcaddr')}`, // AWS may return different spacing
  TrafficType: 'ALL',
  DeliverLogsStatus: 'SUCCESS',
  DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
};
const rules = (fls: FlowLog[], vpcs = ['vpc-1']) =>
  checkRegion(
    '111111111111',
    'eu-west-1',
    vpcs.map((VpcId) => ({ VpcId })),
    fls,
    expectS3,
  ).findings.map((f) => f.ruleId);

describe('checkRegion: one compliant and one non-compliant case per rule', () => {
  it('a compliant flow log yields no finding and counts as covered', () => {
    const r = checkRegion('111111111111', 'eu-west-1', [{ VpcId: 'vpc-1' }], [good], expectS3);
    expect(r.findings).toEqual([]);
    expect(r.covered).toBe(1);
    expect([...r.hiveLayouts]).toEqual([true]);
  });
  it('FLA001: no flow log on the VPC (a subnet flow log does not count)', () => {
    expect(rules([{ ...good, ResourceId: 'subnet-1' }])).toEqual(['FLA001']);
  });
  it('FLA002: flow logs exist but none to the central bucket and prefix', () => {
    expect(rules([{ ...good, LogDestination: 'arn:aws:s3:::central' }])).toEqual(['FLA002']);
    expect(rules([{ ...good, LogDestinationType: 'cloud-watch-logs', LogGroupName: '/vpc' }])).toEqual([
      'FLA002',
    ]);
    // a second, non-central flow log beside a central one is fine
    expect(rules([good, { ...good, FlowLogId: 'fl-2', LogDestination: 'arn:aws:s3:::other' }])).toEqual([]);
  });
  it('FLA003: FAILED delivery carries the error message', () => {
    const r = checkRegion(
      '111111111111',
      'eu-west-1',
      [{ VpcId: 'vpc-1' }],
      [{ ...good, DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Access error' }],
      expectS3,
    );
    expect(r.findings.map((f) => [f.ruleId, f.resource])).toEqual([['FLA003', 'fl-1']]);
    expect(r.findings[0].message).toContain('Access error');
  });
  it('FLA004: format drift, whitespace-insensitive', () => {
    expect(sameFormat(`${fmt('a')}  ${fmt('b')}\n`, fmt('a', 'b'))).toBe(true);
    expect(rules([{ ...good, LogFormat: fmt('srcaddr', 'version') }])).toEqual(['FLA004']);
  });
  it('FLA005: traffic type drift', () => {
    expect(rules([{ ...good, TrafficType: 'ACCEPT' }])).toEqual(['FLA005']);
  });
  it('FLA008: destination options drift, naming each option', () => {
    const r = checkRegion(
      '111111111111',
      'eu-west-1',
      [{ VpcId: 'vpc-1' }],
      [
        {
          ...good,
          DestinationOptions: {
            FileFormat: 'plain-text',
            HiveCompatiblePartitions: false,
            PerHourPartition: true,
          },
        },
      ],
      expectS3,
    );
    expect(r.findings.map((f) => f.ruleId)).toEqual(['FLA008']);
    expect(r.findings[0].message).toMatch(
      /file format plain-text \(config parquet\), Hive-compatible prefixes false/,
    );
  });
  it('matches Firehose and CloudWatch Logs destinations exactly', () => {
    const fh = 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/flowlake';
    expect(
      deliversTo(
        { LogDestinationType: 'kinesis-data-firehose', LogDestination: fh },
        { type: 'kinesis-data-firehose', arn: fh },
      ),
    ).toBe(true);
    expect(
      deliversTo(
        { LogDestinationType: 'cloud-watch-logs', LogGroupName: '/a' },
        { type: 'cloud-watch-logs', logGroupName: '/b' },
      ),
    ).toBe(false);
  });
});

describe('mapPool', () => {
  it('never runs more than the limit at once and keeps order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapPool([...Array(20).keys()], 3, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(out).toEqual([...Array(20).keys()].map((i) => i * 2));
  });
});

// biome-ignore lint/suspicious/noExplicitAny: walking untyped SARIF JSON
type Json = any;

describe('SARIF output', () => {
  const report: AuditReport = {
    generatedAt: '2026-11-30T10:00:00.000Z',
    regions: ['eu-west-1'],
    accounts: [],
    findings: [
      {
        ruleId: 'FLA001',
        severity: 'error',
        accountId: '111111111111',
        region: 'eu-west-1',
        resource: 'vpc-1',
        message: 'VPC vpc-1 has no flow log.',
      },
      {
        ruleId: 'FLA006',
        severity: 'warning',
        accountId: '111111111111',
        region: 'eu-west-1',
        message: 'stale',
      },
      {
        ruleId: 'FLA007',
        severity: 'error',
        accountId: '222222222222',
        resource: 'arn:aws:iam::222222222222:role/R',
        message: 'denied',
      },
    ],
  };
  const sarif = toSarif(report, { version: '0.1.0', configPath: './flowlake.yaml' }) as Json;

  it('has the SARIF 2.1.0 shape GitHub code scanning requires', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('flowlake-audit');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULE_LIST.map((r) => r.id));
    for (const res of run.results) {
      const rule = run.tool.driver.rules[res.ruleIndex];
      expect(rule.id).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('flowlake.yaml');
      expect(res.locations[0].physicalLocation.region.startLine).toBe(1);
      expect(res.partialFingerprints['flowlakeFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'aws/111111111111/eu-west-1/vpc-1',
    );
    expect(run.results[2].locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'aws/222222222222/global/arn:aws:iam::222222222222:role/R',
    );
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
  });
  it('fingerprints are stable and distinct per finding', () => {
    const fps = sarif.runs[0].results.map((r: Json) => r.partialFingerprints['flowlakeFinding/v1']);
    expect(new Set(fps).size).toBe(3);
    const again = (toSarif(report, { version: '0.1.0' }) as Json).runs[0].results.map(
      (r: Json) => r.partialFingerprints['flowlakeFinding/v1'],
    );
    expect(again).toEqual(fps);
  });
});

describe('flowlake audit usage errors (exit 2, before any AWS call)', () => {
  const run = async (...argv: string[]) => {
    const io = memoryIo();
    return { code: await exec(['audit', ...argv], io), err: io.stderr() };
  };
  it('names the missing or bad value and the fix', async () => {
    expect(await run('--role-name', 'R', '--bucket', 'b-central')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/MissingRegions[\s\S]*--regions/),
    });
    expect(await run('--regions', 'eu-west-1', '--bucket', 'b-central')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--role-name/),
    });
    const bad = await run(
      '--accounts',
      '12345,111111111111',
      '--regions',
      'eu-west-1',
      '--role-name',
      'R',
      '--bucket',
      'bb1',
    );
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining("'12345'") });
    expect(await run('--regions', 'eu-west-1', '--role-name', 'R', '--bucket', 's3://x')).toMatchObject({
      code: 2,
      err: expect.stringContaining('BadBucket'),
    });
    expect(await run('--concurrency', '0')).toMatchObject({
      code: 2,
      err: expect.stringContaining("--concurrency '0'"),
    });
    expect(await run('-o', 'xml')).toMatchObject({ code: 2 });
  });
  it('--help lists the rules and examples', async () => {
    const io = memoryIo();
    expect(await exec(['audit', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/FLA001[\s\S]*Examples:/);
  });
});
