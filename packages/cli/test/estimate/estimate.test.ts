import { describe, expect, it } from 'vitest';
import {
  ASSUMPTIONS,
  type EstimateInput,
  estimate,
  MONTH_DAYS,
  storageLines,
} from '../../src/estimate/model.js';
import { loadPricing, tieredCost } from '../../src/estimate/pricing.js';
import { exec, memoryIo } from '../../src/index.js';

const p = loadPricing('us-east-1');
const cents = (n: number) => Math.round(n * 100) / 100;

describe('tiered vended-log arithmetic (hand-computed)', () => {
  it('stays in the first tier up to 10 TB', () => {
    // 1,000 GB x $0.25 = $250.00
    expect(tieredCost(1000, p.vendedLogs.toS3).usd).toBeCloseTo(250, 10);
    // exactly 10 TB = 10,240 GB x $0.25 = $2,560.00
    expect(tieredCost(10_240, p.vendedLogs.toS3).usd).toBeCloseTo(2560, 10);
  });
  it('crosses into the second tier', () => {
    // 15,000 GB = 10,240 x $0.25 + 4,760 x $0.15 = 2,560 + 714 = $3,274.00
    expect(tieredCost(15_000, p.vendedLogs.toS3).usd).toBeCloseTo(3274, 10);
  });
  it('uses all four S3 tiers above 50 TB', () => {
    // 60 TB = 61,440 GB:
    //   10,240 x 0.25  = 2,560.00
    //   20,480 x 0.15  = 3,072.00   (10 TB .. 30 TB)
    //   20,480 x 0.075 = 1,536.00   (30 TB .. 50 TB)
    //   10,240 x 0.05  =   512.00   (over 50 TB)
    //   total          = 7,680.00
    const r = tieredCost(61_440, p.vendedLogs.toS3);
    expect(r.uses.map((u) => [u.gb, u.usdPerGb])).toEqual([
      [10_240, 0.25],
      [20_480, 0.15],
      [20_480, 0.075],
      [10_240, 0.05],
    ]);
    expect(r.usd).toBeCloseTo(7680, 8);
  });
  it('prices CloudWatch Logs delivery at its own tiers', () => {
    // 40 TB = 40,960 GB = 10,240 x 0.50 + 20,480 x 0.25 + 10,240 x 0.10 = 5,120 + 5,120 + 1,024 = $11,264.00
    expect(tieredCost(40_960, p.vendedLogs.toCloudWatchLogs).usd).toBeCloseTo(11_264, 8);
  });
  it('rejects negative usage', () => {
    expect(() => tieredCost(-1, p.vendedLogs.toS3)).toThrow(/non-negative/);
  });
});

const base: EstimateInput = {
  gbPerDay: 10,
  accounts: 1,
  regions: 1,
  flowLogsPerAccountRegion: 1,
  retentionDays: 400,
  iaDays: 30,
  glacierDays: 90,
  cwlRetentionDays: 7,
  localRetentionDays: 7,
  queryTbMonth: 2,
  kinesisMode: 'on-demand',
};

describe('delivery paths (hand-computed)', () => {
  const paths = Object.fromEntries(estimate(base, p).map((x) => [x.path, x]));
  const item = (path: string, name: string) => paths[path].lines.find((l) => l.item === name)?.usd;

  it('direct-s3: vended delivery, Parquet conversion and Athena', () => {
    // 10 GB/day x 30.4167 days (730 h) = 304.17 GB/month, all in the first tier: 304.17 x 0.25 = $76.04
    expect(cents(item('direct-s3 text', 'Vended logs delivery to S3')!)).toBe(76.04);
    // Parquet conversion: 304.17 x $0.035 = $10.65
    expect(cents(item('direct-s3 parquet', 'Parquet conversion')!)).toBe(10.65);
    expect(item('direct-s3 text', 'Parquet conversion')).toBeUndefined();
    // Athena: 2 TB x $5 = $10.00
    expect(item('direct-s3 text', 'Athena queries')).toBe(10);
  });

  it('cloudwatch paths: CloudWatch Logs delivery and storage', () => {
    // 304.17 GB x $0.50 = $152.08
    expect(cents(item('cloudwatch-firehose', 'Vended logs delivery to CloudWatch Logs')!)).toBe(152.08);
    // storage: 10 GB/day x 0.25 compressed x 7 days = 17.5 GB x $0.03 = $0.525
    expect(item('cloudwatch-firehose', 'CloudWatch Logs storage')).toBeCloseTo(0.525, 10);
    // Kinesis on-demand: 1 stream x 730 h x $0.04 = $29.20
    expect(item('cloudwatch-kinesis', 'Kinesis on-demand streams')).toBeCloseTo(29.2, 10);
    expect(item('cloudwatch-firehose', 'Kinesis on-demand streams')).toBeUndefined();
  });

  it('Firehose rounds each record up to 5 KB', () => {
    // 304.17 GB x 0.35 = 106.46 GB of payload. Records of 30 KB are already a multiple of 5 KB: billed as is,
    // 106.46 x $0.029 = $3.09. With 3 KB records each is billed as 5 KB: 106.46 x 5/3 = 177.43 GB x 0.029 = $5.15.
    expect(cents(item('cloudwatch-firehose', 'Firehose ingestion')!)).toBe(3.09);
    expect(ASSUMPTIONS.subscriptionRecordKb % p.firehose.recordRoundingKb).toBe(0);
  });

  it('S3 storage classes, transitions and the 128 KB Standard-IA minimum', () => {
    // 1 GB/day stored, 288 objects/day (avg 3,641 KB), 400-day retention, IA at 30, Glacier at 90:
    //   Standard: 30 days x 1 GB = 30 GB + Glacier's 8 KB/object: 288 x 310 x 8 KB = 0.681 GB -> 30.681 x 0.023 = $0.7057
    //   Standard-IA: 60 days x 288 objects x 3,641 KB = 60 GB x 0.0125 = $0.75
    //   Glacier: 310 days x 1 GB = 310 GB + 288 x 310 x 32 KB = 2.725 GB -> 312.725 x 0.0036 = $1.1258
    //   transitions: 288 x 30.4167 = 8,760 objects/month x $0.01/1,000 = $0.0876 (IA), x $0.03/1,000 = $0.2628 (Glacier)
    //   PUT: 8,760 x $0.005/1,000 = $0.0438
    const lines = storageLines(base, p, 1, 288, 'C');
    const by = Object.fromEntries(lines.map((l) => [l.item, l.usd]));
    expect(by['C S3 Standard']).toBeCloseTo(0.7057, 4);
    expect(by['C S3 Standard-IA']).toBeCloseTo(0.75, 4);
    expect(by['C S3 Glacier Flexible']).toBeCloseTo(1.1258, 4);
    expect(by['C transitions to IA']).toBeCloseTo(0.0876, 4);
    expect(by['C transitions to Glacier']).toBeCloseTo(0.2628, 4);
    expect(by['C PUT requests']).toBeCloseTo(0.0438, 4);
    // Tiny objects: 0.01 GB/day in 288 objects = 36 KB each, billed as 128 KB in IA:
    //   288 x 60 days x 128 KB = 2.109 GB x 0.0125 = $0.02637
    const tiny = Object.fromEntries(storageLines(base, p, 0.01, 288, 'C').map((l) => [l.item, l]));
    expect(tiny['C S3 Standard-IA'].usd).toBeCloseTo(0.02637, 4);
    expect(tiny['C S3 Standard-IA'].detail).toContain('billed as 128 KB');
    expect(MONTH_DAYS).toBeCloseTo(30.4167, 4);
  });

  it('without lifecycle tiers everything stays in Standard', () => {
    const lines = storageLines(
      { ...base, iaDays: false, glacierDays: false, retentionDays: 30 },
      p,
      1,
      288,
      'C',
    );
    // 30 days x 1 GB = 30 GB x 0.023 = $0.69
    expect(lines.map((l) => l.item)).toEqual(['C S3 Standard', 'C PUT requests']);
    expect(lines[0].usd).toBeCloseTo(0.69, 10);
  });
});

describe('the OpenSearch copy (hand-computed)', () => {
  const os = { instanceType: 'r6g.large.search', instanceCount: 2, volumeGb: 100 };
  const paths = Object.fromEntries(estimate({ ...base, opensearch: os }, p).map((x) => [x.path, x]));
  const item = (path: string, name: string) => paths[path].lines.find((l) => l.item === name)?.usd;

  it('prices fan-out ingestion per flow record (5 KB each), data nodes and gp3 storage on the streaming paths only', () => {
    // 10 GiB/day x 30.4167 days / 117 B per record = 2,791,422,833 documents; each billed as 5 KB:
    // 2,791,422,833 x 5 / 1,048,576 = 13,310.54 GB, first tier: x $0.029 = $386.01
    expect(cents(item('cloudwatch-firehose', 'OpenSearch fan-out Firehose ingestion')!)).toBe(386.01);
    // 2 nodes x 730 h x $0.167 = $243.82; 2 x 100 GB x $0.122 = $24.40
    expect(cents(item('cloudwatch-kinesis', 'OpenSearch data nodes')!)).toBe(243.82);
    expect(cents(item('cloudwatch-kinesis', 'OpenSearch storage (gp3)')!)).toBe(24.4);
    expect(item('direct-s3 parquet', 'OpenSearch data nodes')).toBeUndefined();
    const without = Object.fromEntries(estimate(base, p).map((x) => [x.path, x.totalUsd]));
    expect(paths['cloudwatch-firehose'].totalUsd - without['cloudwatch-firehose']).toBeCloseTo(
      386.0057 + 243.82 + 24.4,
      3,
    );
    expect(paths['cloudwatch-firehose'].description).toMatch(/and OpenSearch$/);
  });

  it('refuses an instance type without a recorded price, naming the priced ones', async () => {
    expect(() => estimate({ ...base, opensearch: { ...os, instanceType: 'x9.huge.search' } }, p)).toThrow(
      /no price recorded for OpenSearch instance type 'x9.huge.search'.*r6g.large.search/,
    );
    const io = memoryIo();
    expect(
      await exec(
        ['estimate', '--gb-per-day', '5', '--opensearch', '--opensearch-instance', 'x9.huge.search'],
        io,
      ),
    ).toBe(2);
    expect(io.stderr()).toContain("--opensearch-instance 'x9.huge.search' has no recorded price");
    const ok = memoryIo();
    expect(
      await exec(
        ['estimate', '--gb-per-day', '10', '--opensearch', '--opensearch-nodes', '4', '-o', 'json'],
        ok,
      ),
    ).toBe(0);
    const doc = JSON.parse(ok.stdout()) as {
      paths: { path: string; lines: { item: string; usd: number }[] }[];
    };
    const nodes = doc.paths
      .find((x) => x.path === 'cloudwatch-firehose')
      ?.lines.find((l) => l.item === 'OpenSearch data nodes');
    expect(nodes?.usd).toBeCloseTo(4 * 730 * 0.167, 6);
  });
});

describe('flowlake estimate', () => {
  it('prints the side-by-side table and the cheapest path', async () => {
    const io = memoryIo();
    expect(await exec(['estimate', '--gb-per-day', '50', '--accounts', '20', '--regions', '2'], io)).toBe(0);
    const out = io.stdout();
    expect(out).toMatch(
      /direct-s3 text\s+direct-s3 parquet\s+replication\s+cloudwatch-firehose\s+cloudwatch-kinesis/,
    );
    expect(out).toMatch(/TOTAL per month/);
    expect(out).toMatch(/Cheapest: direct-s3 text at \$[\d,.]+\/month/);
    expect(out).toContain('as of 2025-01');
  });
  it('prints JSON with the pricing date, sources and the cheapest path', async () => {
    const io = memoryIo();
    expect(
      await exec(['estimate', '--gb-per-day', '100', '--kinesis', 'provisioned', '-o', 'json'], io),
    ).toBe(0);
    const j = JSON.parse(io.stdout());
    expect(j.pricing.sources.vendedLogs).toMatch(/^https:\/\/aws\.amazon\.com\/cloudwatch\/pricing/);
    expect(j.paths).toHaveLength(5);
    expect(j.cheapest).toBe(
      j.paths.reduce((a: { totalUsd: number }, b: { totalUsd: number }) => (b.totalUsd < a.totalUsd ? b : a))
        .path,
    );
    const kinesis = j.paths.find((x: { path: string }) => x.path === 'cloudwatch-kinesis');
    // provisioned: 1 stream x 1 shard x 730 h x $0.015 = $10.95
    expect(kinesis.lines.find((l: { item: string }) => l.item === 'Kinesis shard-hours').usd).toBeCloseTo(
      10.95,
      10,
    );
  });
  it('rejects bad values with the fix', async () => {
    const io = memoryIo();
    expect(await exec(['estimate', '--gb-per-day', 'lots'], io)).toBe(2);
    expect(io.stderr()).toContain("--gb-per-day 'lots'");
    const io2 = memoryIo();
    expect(
      await exec(['estimate', '--gb-per-day', '5', '--ia-days', '60', '--glacier-days', '40'], io2),
    ).toBe(2);
    expect(io2.stderr()).toContain('--glacier-days 40 must be after --ia-days 60');
    expect(await exec(['estimate'], memoryIo())).toBe(2);
  });
});
