import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_VALUES,
  ALL_VPC_FIELDS_V2_V8,
  ENCRYPTION_STATUS_VALUES,
  FIELDS,
  FLOW_DIRECTION_VALUES,
  FlowLogFormat,
  FlowLogParser,
  type FlowRecord,
  generateFlowLogs,
  generateOrganization,
  generateRecords,
  INTERFACE_TYPE_VALUES,
  isParseError,
  LOG_STATUS_VALUES,
  projectRecord,
  REJECT_REASON_VALUES,
  SUBLOCATION_TYPE_VALUES,
  TRAFFIC_PATH_VALUES,
  TRAFFIC_TYPE_VALUES,
  textChunks,
  toLines,
} from '../src/index.js';

const START = new Date('2026-03-01T10:00:00Z');
const org = generateOrganization({
  seed: 7,
  accounts: 3,
  regions: ['us-east-1', 'eu-west-1'],
  vpcsPerAccount: 2,
});
const run = generateRecords({ org, start: START, hours: 1, seed: 7 });
const records = run.records;
const VPC_FIELDS = FIELDS.filter((f) => f.scope !== 'transit-gateway');
const ALL_FORMAT = FlowLogFormat.fromFields(VPC_FIELDS.map((f) => f.name));

function digest(rs: readonly FlowRecord[]): string {
  const h = createHash('sha256');
  for (const chunk of textChunks(rs, ALL_FORMAT)) h.update(chunk);
  return h.digest('hex');
}

describe('generateOrganization', () => {
  it('builds accounts x regions x VPCs x ENIs with unique IDs and 12-digit accounts', () => {
    expect(org.accounts).toHaveLength(3);
    expect(org.vpcs).toHaveLength(12);
    expect(org.enis).toHaveLength(144);
    expect(org.accounts[0].id).toMatch(/^0\d{11}$/);
    for (const a of org.accounts) expect(a.id).toMatch(/^\d{12}$/);
    expect(new Set(org.enis.map((e) => e.id)).size).toBe(144);
    expect(new Set(org.enis.map((e) => e.privateIp)).size).toBe(144);
    expect(new Set(org.vpcs.map((v) => v.flowLogId)).size).toBe(12);
    for (const e of org.enis) {
      expect(e.id).toMatch(/^eni-[0-9a-f]{17}$/);
      if (e.ipv6) expect(e.ipv6).toMatch(/^2600(?::[1-9a-f][0-9a-f]{0,3}){7}$/);
    }
  });

  it('is deterministic and rejects bad options', () => {
    const again = generateOrganization({
      seed: 7,
      accounts: 3,
      regions: ['us-east-1', 'eu-west-1'],
      vpcsPerAccount: 2,
    });
    expect(again.enis.map((e) => e.id)).toEqual(org.enis.map((e) => e.id));
    expect(() => generateOrganization({ seed: 1, accounts: 0, regions: ['us-east-1'] })).toThrow(/accounts/);
    expect(() => generateOrganization({ seed: 1, accounts: 1, regions: ['Virginia'] })).toThrow(/'Virginia'/);
    expect(() => generateOrganization({ seed: 1, accounts: ['1234'], regions: ['us-east-1'] })).toThrow(
      /'1234'/,
    );
    expect(() =>
      generateOrganization({ seed: 1, accounts: ['111111111111', '111111111111'], regions: ['us-east-1'] }),
    ).toThrow(/twice/);
  });

  it('takes given accounts, names and per-account regions', () => {
    const o = generateOrganization({
      seed: 1,
      accounts: [
        '000000000001',
        { id: '222222222222', name: 'payments', regions: ['eu-west-1', 'eu-central-1'] },
      ],
      regions: ['us-east-1'],
    });
    expect(o.accounts.map((a) => [a.id, a.vpcs.map((v) => v.region)])).toEqual([
      ['000000000001', ['us-east-1']],
      ['222222222222', ['eu-west-1', 'eu-central-1']],
    ]);
    expect(o.accounts[1].name).toBe('payments');
    expect(new Set(o.enis.map((e) => e.accountId))).toEqual(new Set(['000000000001', '222222222222']));
  });
});

describe('generateRecords', () => {
  it('is byte-identical for the same seed and differs for another seed', () => {
    const again = generateRecords({ org, start: START, hours: 1, seed: 7 });
    expect(digest(again.records)).toBe(digest(records));
    expect(again.incidents).toEqual(run.incidents);
    const other = generateRecords({ org, start: START, hours: 1, seed: 8 });
    expect(digest(other.records)).not.toBe(digest(records));
  });

  it('streams the same records lazily and honours maxRecords', () => {
    const lazy = generateFlowLogs({ org, start: START, hours: 1, seed: 7 });
    let n = 0;
    for (const _ of lazy.records) n++;
    expect(n).toBe(records.length);
    expect([
      ...generateFlowLogs({ org, start: START, hours: 1, seed: 7, maxRecords: 100 }).records,
    ]).toHaveLength(100);
  });

  it('gives every record every VPC field with a value of the catalog type', () => {
    const problems: string[] = [];
    for (const r of records) {
      for (const f of VPC_FIELDS) {
        const v = r[f.name];
        if (v === undefined) problems.push(`${f.name} missing`);
        else if (v === null) continue;
        else if (
          f.type === 'string' ? typeof v !== 'string' : !Number.isSafeInteger(v) || (v as number) < 0
        ) {
          problems.push(`${f.name} = ${JSON.stringify(v)}`);
        } else if (f.type === 'int32' && (v as number) >= 2 ** 31) problems.push(`${f.name} = ${v} > int32`);
      }
      if (!/^\d{12}$/.test(String(r['account-id']))) problems.push(`account-id ${r['account-id']}`);
      if ((r.start as number) > (r.end as number)) problems.push(`start ${r.start} > end ${r.end}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('uses every enumerated value AWS defines', () => {
    const enums: [string, readonly { value: string | number }[]][] = [
      ['action', ACTION_VALUES],
      ['log-status', LOG_STATUS_VALUES],
      ['type', TRAFFIC_TYPE_VALUES],
      ['flow-direction', FLOW_DIRECTION_VALUES],
      ['traffic-path', TRAFFIC_PATH_VALUES],
      ['sublocation-type', SUBLOCATION_TYPE_VALUES],
      ['reject-reason', REJECT_REASON_VALUES],
      ['encryption-status', ENCRYPTION_STATUS_VALUES],
      ['interface-type', INTERFACE_TYPE_VALUES.filter((v) => v.value !== 'regional_nat_gateway')],
    ];
    for (const [field, values] of enums) {
      const seen = new Set(records.map((r) => r[field]));
      for (const { value } of values) expect(seen, `${field} = ${value}`).toContain(value);
    }
    const flags = new Set(records.map((r) => r['tcp-flags']));
    for (const f of [0, 1, 2, 3, 4, 18, 19]) expect(flags).toContain(f);
    for (const f of flags) if (f !== null) expect((f as number) & ~(1 | 2 | 4 | 16)).toBe(0);
    const services = new Set(records.map((r) => r['pkt-dst-aws-service']));
    for (const s of ['S3', 'DYNAMODB', 'EC2', 'AMAZON']) expect(services).toContain(s);
  });

  it('writes NODATA/SKIPDATA with only identity and time fields', () => {
    const status = records.filter((r) => r['log-status'] !== 'OK');
    expect(status.some((r) => r['log-status'] === 'NODATA')).toBe(true);
    expect(status.some((r) => r['log-status'] === 'SKIPDATA')).toBe(true);
    for (const r of status) {
      const set = Object.entries(r)
        .filter(([, v]) => v !== null)
        .map(([k]) => k);
      expect(set.sort()).toEqual(['account-id', 'end', 'interface-id', 'log-status', 'start', 'version']);
    }
  });

  it('models NAT gateway, ICMP, IPv6, ECS, traffic-path and BPA the way AWS records them', () => {
    const nat = records.filter((r) => r['interface-type'] === 'nat_gateway' && r['log-status'] === 'OK');
    expect(nat.some((r) => r['pkt-dstaddr'] !== r.dstaddr)).toBe(true);
    expect(nat.some((r) => r['pkt-srcaddr'] !== r.srcaddr)).toBe(true);
    for (const r of nat) expect(r['instance-id']).toBeNull();
    const icmp = records.filter((r) => r.protocol === 1 || r.protocol === 58);
    expect(icmp.length).toBeGreaterThan(0);
    for (const r of icmp) expect([r.srcport, r.dstport, r['tcp-flags']]).toEqual([0, 0, 0]);
    const problems: string[] = [];
    const check = (ok: boolean, what: string, r: FlowRecord): void => {
      if (!ok && problems.length < 10) problems.push(`${what}: ${JSON.stringify(r)}`);
    };
    for (const r of records) {
      if (r.type === 'IPv6') check(String(r.srcaddr).includes(':'), 'IPv6 address', r);
      if (r.type === 'IPv4') check(/^\d+\.\d+\.\d+\.\d+$/.test(String(r.srcaddr)), 'IPv4 address', r);
      if (r['flow-direction'] === 'ingress')
        check(r['traffic-path'] === null, 'no traffic-path on ingress', r);
      if (r['reject-reason'] !== null) check(r.action === 'REJECT', 'reject-reason only on REJECT', r);
      const eni = org.eniById.get(r['interface-id'] as string)!;
      check(r['account-id'] === eni.accountId, 'account of the interface', r);
      if (r['log-status'] === 'OK') {
        check((r['ecs-cluster-arn'] !== null) === (eni.role === 'ecs'), 'ecs fields only on ECS tasks', r);
        check((r['az-id'] === null) === (eni.sublocationType !== null), 'az-id unless sublocation', r);
      }
    }
    expect(problems).toEqual([]);
    const dns = records.filter((r) => r.dstport === 53 && r.protocol === 17);
    expect(dns.length).toBeGreaterThan(100);
    const inbound443 = records.filter(
      (r) => r.dstport === 443 && r['flow-direction'] === 'ingress' && r.action === 'ACCEPT',
    );
    expect(inbound443.length).toBeGreaterThan(100);
    const probes = records.filter((r) => (r.dstport === 22 || r.dstport === 3389) && r.action === 'REJECT');
    expect(probes.length).toBeGreaterThan(10);
    const accounts = new Set(org.accounts.map((a) => a.id));
    const byIp = new Map(org.enis.map((e) => [e.privateIp, e]));
    const crossAccount = records.filter((r) => {
      const other = byIp.get(r.dstaddr as string);
      return other !== undefined && other.accountId !== r['account-id'] && accounts.has(other.accountId);
    });
    expect(crossAccount.length).toBeGreaterThan(0);
  });

  it('writes a NAT gateway flow as AWS does: 2 records on the instance, 4 on the NAT interface', () => {
    const nat = org.enis.find((e) => e.role === 'nat')!;
    const onNat = records.filter((r) => r['interface-id'] === nat.id && r['log-status'] === 'OK');
    // instance -> NAT: dstaddr is the NAT's private IP, pkt-dstaddr the internet host
    const inbound = onNat.find(
      (r) =>
        r['flow-direction'] === 'ingress' &&
        r.dstaddr === nat.privateIp &&
        r['pkt-dstaddr'] !== nat.privateIp,
    )!;
    expect(inbound).toBeDefined();
    const client = inbound.srcaddr as string;
    const host = inbound['pkt-dstaddr'] as string;
    expect(inbound['pkt-srcaddr']).toBe(client);
    const same = (r: FlowRecord) => r.start === inbound.start && r.end === inbound.end;
    const legs = onNat.filter(
      (r) => same(r) && [r.srcaddr, r.dstaddr, r['pkt-srcaddr'], r['pkt-dstaddr']].includes(host),
    );
    const shape = legs.map((r) => [
      r['flow-direction'],
      r.srcaddr,
      r.dstaddr,
      r['pkt-srcaddr'],
      r['pkt-dstaddr'],
    ]);
    expect(shape).toEqual(
      expect.arrayContaining([
        ['ingress', client, nat.privateIp, client, host],
        ['egress', nat.privateIp, host, nat.privateIp, host],
        ['ingress', host, nat.privateIp, host, nat.privateIp],
        ['egress', nat.privateIp, client, host, client],
      ]),
    );
    // the instance's own records name the internet host directly, and the NAT interface as next hop
    const inst = org.enis.find((e) => e.privateIp === client)!;
    const own = records.filter(
      (r) => r['interface-id'] === inst.id && same(r) && (r.dstaddr === host || r.srcaddr === host),
    );
    expect(
      own.map((r) => [
        r['flow-direction'],
        r.srcaddr,
        r.dstaddr,
        r['traffic-path'],
        r['next-hop-interface-id'],
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['egress', client, host, 1, nat.id],
        ['ingress', host, client, null, nat.id],
      ]),
    );
  });

  it('writes transit gateway hops with the client in pkt-srcaddr (AWS example)', () => {
    const tgwIds = new Set(org.enis.filter((e) => e.role === 'tgw').map((e) => e.id));
    const hops = records.filter((r) => tgwIds.has(r['interface-id'] as string) && r['log-status'] === 'OK');
    expect(hops.length).toBeGreaterThan(0);
    for (const r of hops) {
      const tgw = org.eniById.get(r['interface-id'] as string)!;
      if (r['flow-direction'] === 'egress') {
        expect(r.srcaddr).toBe(tgw.privateIp);
        expect(r['pkt-srcaddr']).not.toBe(tgw.privateIp);
      } else {
        expect(r.dstaddr).toBe(tgw.privateIp);
        expect(r['pkt-dstaddr']).not.toBe(tgw.privateIp);
      }
      expect(r['instance-id']).toBeNull();
      expect(r['interface-type']).toBe('transit_gateway');
    }
  });

  it('keeps the volume near recordsPerEniPerInterval', () => {
    for (const rate of [4, 20]) {
      const { records: rs } = generateRecords({
        org,
        start: START,
        hours: 0.25,
        seed: 3,
        recordsPerEniPerInterval: rate,
        incidents: false,
      });
      const perEni = rs.filter((r) => r['log-status'] === 'OK').length / org.enis.length / 15;
      expect(perEni).toBeGreaterThan(rate * 0.7);
      expect(perEni).toBeLessThan(rate * 1.3);
    }
  });

  it('stays inside the requested windows', () => {
    const t0 = START.getTime() / 1000;
    const outside = records.filter((r) => (r.start as number) < t0 || (r.end as number) >= t0 + 3600);
    expect(outside).toEqual([]);
  });
});

describe('planted incidents', () => {
  const byKind = new Map(run.incidents.map((i) => [i.kind, i]));

  it('plants all four kinds', () => {
    expect([...byKind.keys()].sort()).toEqual([
      'horizontal-scan',
      'large-egress',
      'port-scan',
      'ssh-bruteforce',
    ]);
    for (const i of run.incidents) {
      expect(i.start.getTime()).toBeGreaterThanOrEqual(START.getTime());
      expect(i.end.getTime()).toBeLessThanOrEqual(START.getTime() + 3600_000);
      expect(i.description.length).toBeGreaterThan(20);
    }
  });

  it('SSH brute force: many port-22 connections from one public IP to one interface', () => {
    const i = byKind.get('ssh-bruteforce')!;
    const hits = records.filter(
      (r) => r['interface-id'] === i.interfaceId && r.srcaddr === i.srcaddr && r.dstport === 22,
    );
    expect(hits.length).toBeGreaterThan(300);
    expect(hits.some((r) => r.action === 'REJECT')).toBe(true);
    expect(hits.some((r) => r.action === 'ACCEPT')).toBe(true);
    const onTarget = records.filter(
      (r) => r['interface-id'] === i.interfaceId && (r.srcaddr === i.srcaddr || r.dstaddr === i.srcaddr),
    );
    expect(onTarget.length).toBe(i.records);
  });

  it('port scan: one IP, > 1000 ports, one host, mostly REJECT', () => {
    const i = byKind.get('port-scan')!;
    const hits = records.filter((r) => r['interface-id'] === i.interfaceId && r.srcaddr === i.srcaddr);
    expect(new Set(hits.map((r) => r.dstport)).size).toBeGreaterThan(1000);
    expect(hits.filter((r) => r.action === 'REJECT').length / hits.length).toBeGreaterThan(0.95);
    expect(i.ports).toBeGreaterThan(1000);
  });

  it('horizontal scan: one IP, one port, every internet-facing interface', () => {
    const i = byKind.get('horizontal-scan')!;
    const hit = new Set(
      records.filter((r) => r.srcaddr === i.srcaddr && r.dstport === 3389).map((r) => r['interface-id']),
    );
    expect(hit.size).toBe(i.targets.length);
    expect(hit.size).toBeGreaterThan(10);
  });

  it('large egress: many GB from one instance to one internet IP', () => {
    const i = byKind.get('large-egress')!;
    const out = records.filter(
      (r) =>
        r['interface-id'] === i.interfaceId && r.dstaddr === i.dstaddr && r['flow-direction'] === 'egress',
    );
    const bytes = out.reduce((s, r) => s + (r.bytes as number), 0);
    expect(bytes).toBeGreaterThan(10e9);
    expect(org.eniById.get(i.interfaceId)!.instanceId).not.toBeNull();
    // the NAT gateway carries the same transfer with pkt-srcaddr = the instance
    const natCopy = records.filter(
      (r) =>
        r['interface-type'] === 'nat_gateway' &&
        r['pkt-srcaddr'] === i.srcaddr &&
        r['pkt-dstaddr'] === i.dstaddr,
    );
    expect(natCopy.length).toBeGreaterThan(0);
  });

  it('can be switched off', () => {
    const quiet = generateRecords({ org, start: START, hours: 0.1, seed: 7, incidents: false });
    expect(quiet.incidents).toEqual([]);
  });
});

describe('lines round-trip through the parser', () => {
  const formats = [
    FlowLogFormat.DEFAULT,
    FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8),
    ALL_FORMAT,
    FlowLogFormat.fromFields([
      'instance-id',
      'interface-id',
      'srcaddr',
      'dstaddr',
      'pkt-srcaddr',
      'pkt-dstaddr',
    ]),
  ];
  it.each(formats.map((f) => [f.version, f] as const))('format v%s', (_v, format) => {
    const sample = records.filter((_, i) => i % 7 === 0);
    const text = toLines(sample, format, { header: true });
    expect(text[0]).toBe(format.header());
    const parser = new FlowLogParser(format);
    text.slice(1).forEach((line, k) => {
      expect(line.split(' ')).toHaveLength(format.names.length);
      const parsed = parser.parseLine(line, k + 2);
      if (isParseError(parsed)) throw new Error(parsed.toString());
      expect(parsed).toEqual(projectRecord(sample[k], format));
    });
  });
});

describe('properties', () => {
  it('any small org and seed gives valid, deterministic records', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 16 }),
        fc.constantFrom(60 as const, 600 as const),
        (seed, accounts, enis, interval) => {
          const o = generateOrganization({ seed, accounts, regions: ['ap-southeast-2'], enisPerVpc: enis });
          const opts = { org: o, start: new Date(seed * 1000), hours: 0.2, seed, intervalSeconds: interval };
          const a = generateRecords(opts);
          const b = generateRecords(opts);
          expect(digest(a.records)).toBe(digest(b.records));
          const bad = a.records.filter(
            (r) =>
              !o.eniById.has(r['interface-id'] as string) ||
              !['OK', 'NODATA', 'SKIPDATA'].includes(r['log-status'] as string) ||
              (r.end as number) - (r.start as number) >= interval,
          );
          expect(bad).toEqual([]);
          // every interface reports in every window (records or NODATA)
          const windows = Math.ceil((0.2 * 3600) / interval);
          const perEni = new Map<string, Set<number>>();
          for (const r of a.records) {
            const w = Math.floor((r.start as number) / interval);
            const s = perEni.get(r['interface-id'] as string) ?? new Set();
            s.add(w);
            perEni.set(r['interface-id'] as string, s);
          }
          expect(perEni.size).toBe(o.enis.length);
          expect([...perEni.values()].filter((s) => s.size !== windows)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });
});
