import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowLogFormat, FlowLogParser, type FlowRecord, isParseError } from '../src/index.js';

interface Case {
  name: string;
  header: string;
  lines: string[];
  records: { line: number; record: FlowRecord }[];
  errors: { line: number; reason: string }[];
}

const { cases } = JSON.parse(
  readFileSync(new URL('./fixtures/record-examples.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

function parseCase(c: Case) {
  const parser = new FlowLogParser(FlowLogFormat.fromHeader(c.header));
  const records: Case['records'] = [];
  const errors: Case['errors'] = [];
  c.lines.forEach((text, i) => {
    const r = parser.parseLine(text, i + 2);
    if (isParseError(r)) errors.push({ line: r.line, reason: r.reason });
    else records.push({ line: i + 2, record: r });
  });
  return { records, errors };
}

describe('fixtures: AWS "Flow log record examples" and every enumerated value', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(parseCase(c)).toEqual({ records: c.records, errors: c.errors });
  });

  it('parses the columnar path (parseBuffer on the whole object) the same as parseLine', () => {
    for (const c of cases) {
      const parser = new FlowLogParser(FlowLogFormat.fromHeader(c.header));
      const text = `${c.lines.join('\n')}\n`;
      const batches = [...parser.parseBuffer(Buffer.from(text), { firstLine: 2 })];
      expect(batches.flatMap((b) => b.records())).toEqual(c.records.map((r) => r.record));
      expect(batches.flatMap((b) => b.errors.map((e) => ({ line: e.line, reason: e.reason })))).toEqual(
        c.errors,
      );
    }
  });

  it('spot checks by hand: field order follows the format, not the default', () => {
    const byName = new Map(cases.map((c) => [c.name.split(' (')[0], parseCase(c).records]));
    const tcp = byName.get('TCP flag sequence')?.map((r) => r.record) ?? [];
    expect(tcp[0]).toMatchObject({ bytes: 568, packets: 8, 'tcp-flags': 2, 'account-id': '123456789010' });
    expect(tcp.map((r) => r['tcp-flags'])).toEqual([2, 18, 2, 18, 1, 1, 3, 19]);
    expect(tcp[7]).toMatchObject({ srcport: 5001, dstport: 43638, 'pkt-srcaddr': '10.0.0.62' });
    const svc = byName.get('service name, traffic path and flow direction')?.map((r) => r.record) ?? [];
    expect(svc[0]).toMatchObject({
      packets: 14,
      bytes: 15044,
      'traffic-path': null,
      'flow-direction': 'ingress',
    });
    expect(svc[1]).toMatchObject({
      'pkt-dst-aws-service': 'S3',
      'traffic-path': 8,
      'sublocation-type': null,
    });
    const nat = byName.get('traffic through a NAT gateway')?.map((r) => r.record) ?? [];
    expect(nat[0]).toEqual({
      'instance-id': null,
      'interface-id': 'eni-1235b8ca123456789',
      srcaddr: '10.0.1.5',
      dstaddr: '10.0.0.220',
      'pkt-srcaddr': '10.0.1.5',
      'pkt-dstaddr': '203.0.113.5',
    });
    expect(nat[5]['pkt-dstaddr']).toBe('10.0.1.5');
    const icmp = byName.get('security group and network ACL rules')?.map((r) => r.record) ?? [];
    expect(icmp.map((r) => [r.protocol, r.srcport, r.dstport, r.action])).toEqual([
      [1, 0, 0, 'ACCEPT'],
      [1, 0, 0, 'REJECT'],
    ]);
  });

  it('covers every enumerated value of the catalog that can appear in a VPC or TGW record', () => {
    const seen = new Map<string, Set<unknown>>();
    for (const c of cases) {
      for (const { record } of c.records) {
        for (const [k, v] of Object.entries(record)) {
          if (!seen.has(k)) seen.set(k, new Set());
          seen.get(k)?.add(v);
        }
      }
    }
    const expectAll = (field: string, values: unknown[]) =>
      expect([...(seen.get(field) ?? [])]).toEqual(expect.arrayContaining(values));
    expectAll('action', ['ACCEPT', 'REJECT', null]);
    expectAll('log-status', ['OK', 'NODATA', 'SKIPDATA']);
    expectAll('type', ['IPv4', 'IPv6', 'EFA']);
    expectAll('flow-direction', ['ingress', 'egress']);
    expectAll('traffic-path', [1, 2, 3, 4, 5, 6, 7, 8, null]);
    expectAll('tcp-flags', [0, 1, 2, 3, 4, 18, 19, null]);
    expectAll('sublocation-type', ['wavelength', 'outpost', 'localzone', null]);
    expectAll('reject-reason', ['BPA', null]);
    expectAll('resource-type', ['TransitGateway', 'TransitGatewayAttachment']);
    expectAll('protocol', [1, 6, 58]);
    expectAll('encryption-status', [1]);
  });
});
