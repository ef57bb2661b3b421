import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountPrefix,
  buildObjectKey,
  FILE_FORMATS,
  fileWindowStart,
  KEY_LAYOUTS,
  KeyLayoutError,
  layoutName,
  parseObjectKey,
  partitionPrefix,
  tryParseObjectKey,
} from '../src/index.js';

const T = new Date('2018-06-20T16:22:31.500Z');
const base = {
  accountId: '123456789012',
  region: 'us-east-1',
  time: T,
  flowLogId: 'fl-1234abcd',
  hash: 'fe123456',
} as const;

describe('buildObjectKey', () => {
  it('writes the AWS documentation example for the default layout', () => {
    expect(buildObjectKey({ ...base, layout: { hive: false, perHour: false }, fileFormat: 'text' })).toBe(
      'AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz',
    );
  });

  it('writes all four layouts with a prefix, text and parquet', () => {
    const keys = KEY_LAYOUTS.map((layout) =>
      buildObjectKey({ ...base, prefix: 'my-logs/', layout, fileFormat: 'parquet' }),
    );
    const file = '123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.parquet';
    expect(keys).toEqual([
      `my-logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/${file}`,
      `my-logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/${file}`,
      `my-logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/${file}`,
      `my-logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/${file}`,
    ]);
  });

  it('derives a stable 8-hex hash when none is given', () => {
    const input = { ...base, hash: undefined, layout: KEY_LAYOUTS[0], fileFormat: 'text' as const };
    const a = buildObjectKey(input);
    expect(a).toMatch(/_20180620T1620Z_[0-9a-f]{8}\.log\.gz$/);
    expect(buildObjectKey(input)).toBe(a);
    expect(buildObjectKey({ ...input, flowLogId: 'fl-99' })).not.toBe(a.replace('fl-1234abcd', 'fl-99'));
  });

  it('rejects bad inputs naming the value', () => {
    const l = KEY_LAYOUTS[0];
    expect(() => buildObjectKey({ ...base, accountId: '12345', layout: l, fileFormat: 'text' })).toThrow(
      "invalid account ID (12 digits) '12345': expected account ID (12 digits) like '123456789012'.",
    );
    expect(() => buildObjectKey({ ...base, region: 'US_EAST', layout: l, fileFormat: 'text' })).toThrow(
      KeyLayoutError,
    );
    expect(() => buildObjectKey({ ...base, flowLogId: 'abc', layout: l, fileFormat: 'text' })).toThrow(
      /flow log ID/,
    );
    expect(() => buildObjectKey({ ...base, prefix: 'x/AWSLogs', layout: l, fileFormat: 'text' })).toThrow(
      "invalid prefix 'x/AWSLogs': expected a prefix without an 'AWSLogs' folder (AWS reserves it).",
    );
    expect(() =>
      buildObjectKey({ ...base, time: new Date(Number.NaN), layout: l, fileFormat: 'text' }),
    ).toThrow(/time/);
  });
});

describe('prefixes', () => {
  it('accountPrefix is the bucket-policy folder', () => {
    expect(accountPrefix(undefined, '000000000001', { hive: false, perHour: true })).toBe(
      'AWSLogs/000000000001/',
    );
    expect(accountPrefix('/org/logs/', '000000000001', { hive: true, perHour: false })).toBe(
      'org/logs/AWSLogs/aws-account-id=000000000001/',
    );
  });

  it('partitionPrefix is the folder of the key', () => {
    for (const layout of KEY_LAYOUTS) {
      const key = buildObjectKey({ ...base, prefix: 'p', layout, fileFormat: 'text' });
      const folder = partitionPrefix({ ...base, prefix: 'p', layout });
      expect(key.startsWith(folder)).toBe(true);
      expect(key.slice(folder.length)).not.toContain('/');
    }
  });

  it('fileWindowStart floors to 5 minutes', () => {
    expect(fileWindowStart(T).toISOString()).toBe('2018-06-20T16:20:00.000Z');
  });
});

describe('parseObjectKey', () => {
  it('parses the documented example', () => {
    const p = parseObjectKey(
      'AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz',
    );
    expect(p).toMatchObject({
      prefix: '',
      accountId: '123456789012',
      region: 'us-east-1',
      year: 2018,
      month: 6,
      day: 20,
      layout: { hive: false, perHour: false },
      fileFormat: 'text',
      flowLogId: 'fl-1234abcd',
      hash: 'fe123456',
    });
    expect(p.hour).toBeUndefined();
    expect(p.time.toISOString()).toBe('2018-06-20T16:20:00.000Z');
  });

  it('accepts the bare .parquet suffix seen in some tools', () => {
    const p = parseObjectKey(
      'AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/01/02/03/123456789012_vpcflowlogs_eu-west-1_fl-0a_20240102T0355Z_ab.parquet',
    );
    expect(p.fileFormat).toBe('parquet');
    expect(p.hour).toBe(3);
  });

  const bad: [string, RegExp][] = [
    ['logs/123456789012/file.log.gz', /no 'AWSLogs' folder/],
    ['s3://b/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/x.log.gz', /drop 's3:\/\/<bucket>\/'/],
    ['AWSLogs/12345/vpcflowlogs/us-east-1/2018/06/20/x.log.gz', /found '12345'/],
    ['AWSLogs/123456789012/cloudtrail/us-east-1/2018/06/20/x.log.gz', /'vpcflowlogs'/],
    [
      'AWSLogs/aws-account-id=123456789012/vpcflowlogs/us-east-1/2018/06/20/x.log.gz',
      /'aws-service=vpcflowlogs'/,
    ],
    ['AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/13/20/x.log.gz', /bad month '13'/],
    ['AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20', /no file name/],
    ['AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/x/y.log.gz', /too many folders/],
    ['AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/notes.txt', /bad file name 'notes.txt'/],
    [
      'AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1_20180621T1620Z_fe.log.gz',
      /match the partition folders/,
    ],
    [
      'AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/210987654321_vpcflowlogs_us-east-1_fl-1_20180620T1620Z_fe.log.gz',
      /file name says 210987654321/,
    ],
    [
      'AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/02/30/123456789012_vpcflowlogs_us-east-1_fl-1_20180230T1620Z_fe.log.gz',
      /real UTC date/,
    ],
  ];
  it.each(bad)('rejects %s', (key, message) => {
    expect(() => parseObjectKey(key)).toThrow(message);
    try {
      parseObjectKey(key);
    } catch (e) {
      expect(e).toBeInstanceOf(KeyLayoutError);
      expect((e as KeyLayoutError).key).toBe(key);
      expect((e as KeyLayoutError).expected.length).toBeGreaterThan(0);
    }
    expect(tryParseObjectKey(key)).toBeUndefined();
  });
});

const accountArb = fc.stringMatching(/^\d{12}$/);
const regionArb = fc.constantFrom(
  'us-east-1',
  'eu-central-2',
  'ap-southeast-4',
  'us-gov-west-1',
  'cn-northwest-1',
  'il-central-1',
);
const timeArb = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const segmentArb = fc
  .stringMatching(/^[a-zA-Z0-9!_.*'()-]{1,12}$/)
  .filter((s) => s !== 'AWSLogs' && s !== '.' && s !== '..');
const prefixArb = fc.option(
  fc.array(segmentArb, { minLength: 1, maxLength: 3 }).map((a) => a.join('/')),
  {
    nil: undefined,
  },
);

describe('properties', () => {
  it('build -> parse round-trips for every layout and file format', () => {
    fc.assert(
      fc.property(
        accountArb,
        regionArb,
        timeArb,
        prefixArb,
        fc.stringMatching(/^fl-[0-9a-f]{8,17}$/),
        fc.constantFrom(...KEY_LAYOUTS),
        fc.constantFrom(...FILE_FORMATS),
        (accountId, region, time, prefix, flowLogId, layout, fileFormat) => {
          const key = buildObjectKey({ prefix, accountId, region, time, flowLogId, layout, fileFormat });
          const p = parseObjectKey(key);
          const w = fileWindowStart(time);
          expect(p.prefix).toBe(prefix ?? '');
          expect(p.accountId).toBe(accountId);
          expect(p.region).toBe(region);
          expect(p.flowLogId).toBe(flowLogId);
          expect(p.layout).toEqual(layout);
          expect(p.fileFormat).toBe(fileFormat);
          expect(p.time.getTime()).toBe(w.getTime());
          expect([p.year, p.month, p.day]).toEqual([w.getUTCFullYear(), w.getUTCMonth() + 1, w.getUTCDate()]);
          expect(p.hour).toBe(layout.perHour ? w.getUTCHours() : undefined);
          expect(key.startsWith(accountPrefix(prefix, accountId, layout))).toBe(true);
          expect(layoutName(p.layout)).toBe(layoutName(layout));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws anything but KeyLayoutError on arbitrary keys', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const key = `AWSLogs/${s}`;
        expect(() => tryParseObjectKey(key)).not.toThrow();
      }),
    );
  });
});
