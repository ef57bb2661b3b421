// biome-ignore-all lint/suspicious/noTemplateCurlyInString: flow-log format strings are written ${field}
import { describe, expect, it } from 'vitest';
import {
  ALL_VPC_FIELDS_V2_V8,
  DEFAULT_FORMAT_STRING,
  FIELDS,
  FlowLogFormat,
  FormatError,
  nearFieldNames,
} from '../src/index.js';

function formatError(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe('field catalog', () => {
  it('has every VPC field of versions 2-5 in AWS table order, the ECS v7 set, reject-reason and the TGW v6 set', () => {
    const byVersion = (v: number, scope?: string) =>
      FIELDS.filter((f) => f.version === v && (scope === undefined || f.scope === scope)).map((f) => f.name);
    expect(ALL_VPC_FIELDS_V2_V8.slice(0, 29).join(' ')).toBe(
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action ' +
        'log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id ' +
        'sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path',
    );
    expect(byVersion(7)).toHaveLength(10);
    expect(byVersion(8)).toEqual(['reject-reason']);
    expect(ALL_VPC_FIELDS_V2_V8).toHaveLength(40);
    expect(byVersion(6, 'transit-gateway')).toEqual([
      'resource-type',
      'tgw-id',
      'tgw-attachment-id',
      'tgw-src-vpc-account-id',
      'tgw-dst-vpc-account-id',
      'tgw-src-vpc-id',
      'tgw-dst-vpc-id',
      'tgw-src-subnet-id',
      'tgw-dst-subnet-id',
      'tgw-src-eni',
      'tgw-dst-eni',
      'tgw-src-az-id',
      'tgw-dst-az-id',
      'tgw-pair-attachment-id',
      'packets-lost-no-route',
      'packets-lost-blackhole',
      'packets-lost-mtu-exceeded',
      'packets-lost-ttl-expired',
    ]);
  });

  it('gives every field a type, Parquet column, meaning and consistent Parquet type', () => {
    for (const f of FIELDS) {
      expect(f.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(f.parquetName).toBe(f.name.replaceAll('-', '_'));
      expect({ string: 'STRING', int32: 'INT_32', int64: 'INT_64' }[f.type]).toBe(f.parquetType);
      expect(f.description.length).toBeGreaterThan(10);
    }
    const types = Object.fromEntries(FIELDS.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      version: 'int32',
      'account-id': 'string',
      srcport: 'int32',
      protocol: 'int32',
      packets: 'int64',
      bytes: 'int64',
      start: 'int64',
      'tcp-flags': 'int32',
      'traffic-path': 'int32',
      'packets-lost-no-route': 'int64',
    });
  });

  it('lists the enumerated values AWS defines', () => {
    const values = (n: string) => FIELDS.find((f) => f.name === n)?.values?.map((v) => v.value);
    expect(values('action')).toEqual(['ACCEPT', 'REJECT']);
    expect(values('log-status')).toEqual(['OK', 'NODATA', 'SKIPDATA']);
    expect(values('type')).toEqual(['IPv4', 'IPv6', 'EFA']);
    expect(values('flow-direction')).toEqual(['ingress', 'egress']);
    expect(values('traffic-path')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(values('sublocation-type')).toEqual(['wavelength', 'outpost', 'localzone']);
    expect(values('tcp-flags')).toEqual(expect.arrayContaining([1, 2, 4]));
    expect(values('reject-reason')).toContain('BPA');
  });
});

describe('FlowLogFormat', () => {
  it('parses and prints the default format string (version 2, 14 fields)', () => {
    const f = FlowLogFormat.parse(DEFAULT_FORMAT_STRING);
    expect(f.toString()).toBe(DEFAULT_FORMAT_STRING);
    expect(f.equals(FlowLogFormat.DEFAULT)).toBe(true);
    expect(f.version).toBe(2);
    expect(f.names).toHaveLength(14);
  });

  it("takes the highest field version as the format's version", () => {
    expect(FlowLogFormat.parse('${version} ${vpc-id} ${region}').version).toBe(4);
    expect(FlowLogFormat.parse('${srcaddr} ${flow-direction}').version).toBe(5);
    expect(FlowLogFormat.parse('${version} ${tgw-id}').version).toBe(6);
    expect(FlowLogFormat.parse('${ecs-task-id}').version).toBe(7);
    expect(FlowLogFormat.parse('${reject-reason} ${version}').version).toBe(8);
    expect(FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8).version).toBe(8);
  });

  it('reads an S3 header line, also with underscore (Parquet) names, and prints it back', () => {
    const f = FlowLogFormat.fromHeader('version account_id interface-id  log-status\r');
    expect(f.names).toEqual(['version', 'account-id', 'interface-id', 'log-status']);
    expect(f.header()).toBe('version account-id interface-id log-status');
    expect(FlowLogFormat.isHeaderLine(f.header())).toBe(true);
    expect(FlowLogFormat.isHeaderLine('2 123456789010 eni-1 - - - - - - - 1 2 - NODATA')).toBe(false);
  });

  it('names an unknown field and lists near matches', () => {
    const e = formatError(() => FlowLogFormat.parse('${version} ${acount-id} ${srcaddr}'));
    expect(e.message).toMatch(
      /unknown flow log field 'acount-id' in format string\. Did you mean 'account-id'\?/,
    );
    expect(e.field).toBe('acount-id');
    expect(e.suggestions).toEqual(['account-id']);
    expect(formatError(() => FlowLogFormat.fromHeader('version pkt_srcadr')).message).toMatch(
      /'pkt-srcadr' in header line\. Did you mean 'pkt-srcaddr'/,
    );
    expect(formatError(() => FlowLogFormat.parse('${zzzz}')).suggestions).toEqual([]);
    expect(nearFieldNames('packet')[0]).toBe('packets');
    expect(nearFieldNames('Log_Status')).toEqual(['log-status']);
  });

  it('rejects stray text, empty formats and duplicate fields', () => {
    expect(() => FlowLogFormat.parse('${version}, ${srcaddr}')).toThrow(/unexpected text ','/);
    expect(() => FlowLogFormat.parse('version srcaddr')).toThrow(/unexpected text 'version srcaddr'/);
    expect(() => FlowLogFormat.parse('   ')).toThrow(/names no field/);
    expect(() => FlowLogFormat.parse('${bytes} ${bytes}')).toThrow(/'bytes' appears twice/);
  });
});
