import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SECURITY_QUERY_CATALOG } from '@flowlake/constructs/analytics/queries';
import {
  ALL_VPC_FIELDS_V2_V8,
  cloudTrailObjects,
  FlowLogFormat,
  generateOrganization,
  generateRecords,
  generateSecurityEvents,
  guardDutyObjects,
  incidentEndpoints,
  type PlantedIncident,
  toS3Objects,
} from '@flowlake/flowlogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/analysis/local-engine.js';
import { prepareSecurityViews } from '../../src/analysis/security-views.js';
import { type Cell, rowObjects } from '../../src/analysis/types.js';
import { exec, memoryIo } from '../../src/index.js';

const START = new Date('2026-11-30T08:00:00Z');
const HOURS = 3;
const ADMIN = '999999999999';
let store: string;
let engine: LocalEngine;
let incidents: readonly PlantedIncident[];
const params = () => ({ since: START, until: new Date(START.getTime() + HOURS * 3_600_000), limit: 1000 });

function put(key: string, body: Buffer) {
  mkdirSync(dirname(join(store, key)), { recursive: true });
  writeFileSync(join(store, key), body);
}

async function run(name: string): Promise<Record<string, Cell>[]> {
  const q = SECURITY_QUERY_CATALOG.find((x) => x.name === name);
  if (!q) throw new Error(`no query ${name}`);
  const r = await engine.run(q, params());
  expect(r.columns).toEqual([...q.columns]);
  return rowObjects(r);
}

beforeAll(() => {
  store = mkdtempSync(join(tmpdir(), 'flowlake-secevents-'));
  const org = generateOrganization({ seed: 11, accounts: 3, regions: ['eu-west-1'] });
  const gen = generateRecords({
    org,
    start: START,
    hours: HOURS,
    seed: 11,
    incidents: true,
    maxRecords: 200_000,
  });
  incidents = gen.incidents;
  for (const o of toS3Objects(gen.records, {
    layout: { hive: false, perHour: false },
    fileFormat: 'text',
    format: FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8),
    org,
  })) {
    put(o.key, o.body);
  }
  const ev = generateSecurityEvents(incidents, { seed: 11 });
  for (const o of cloudTrailObjects(ev.cloudTrail, { organizationId: 'o-a1b2c3d4e5', prefix: 'cloudtrail' }))
    put(o.key, o.body);
  for (const o of guardDutyObjects(ev.guardDuty, { adminAccountId: ADMIN, prefix: 'guardduty' }))
    put(o.key, o.body);
  engine = new LocalEngine({ store, threads: 1 });
});

afterAll(async () => {
  await engine?.close();
  if (store) rmSync(store, { recursive: true, force: true });
});

describe('security join queries on a generated local store', () => {
  it('has the planted incidents to find', () => {
    expect(new Set(incidents.map((i) => i.kind))).toEqual(
      new Set(['ssh-bruteforce', 'port-scan', 'horizontal-scan', 'large-egress']),
    );
  });

  it('finding-instance-flows: every finding joins the flows of its instance ENI around the finding', async () => {
    const rows = await run('finding-instance-flows');
    for (const i of incidents) {
      const row = rows.find((r) => r.interface_id === i.interfaceId);
      expect(row, `${i.kind} on ${i.interfaceId}`).toBeDefined();
      expect(row!.account_id).toBe(i.accountId);
      expect(row!.remote_ip).toBe(incidentEndpoints(i).remote);
      expect(Number(row!.flows)).toBeGreaterThanOrEqual(i.records);
    }
    const ssh = rows.find((r) => r.finding_type === 'UnauthorizedAccess:EC2/SSHBruteForce')!;
    expect(ssh.interface_id).toBe(incidents.find((i) => i.kind === 'ssh-bruteforce')!.interfaceId);
  });

  it('api-calls-from-rejected-sources: the attackers whose traffic was rejected made API calls', async () => {
    const rows = await run('api-calls-from-rejected-sources');
    const rejectedAttackers = incidents
      .filter((i) => i.rejected > 0 && i.kind !== 'large-egress')
      .map((i) => i.srcaddr);
    expect(rejectedAttackers.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.source_ip).sort()).toEqual([...new Set(rejectedAttackers)].sort());
    for (const r of rows) {
      expect(r.event_names).toBe('AssumeRole,ConsoleLogin,DescribeInstances');
      expect(Number(r.failed_calls)).toBe(2);
    }
  });

  it('sign-ins-from-scanners: console logins and AssumeRole from the scanning addresses only', async () => {
    const rows = await run('sign-ins-from-scanners');
    const scanners = incidents
      .filter((i) => i.kind === 'port-scan' || i.kind === 'horizontal-scan')
      .map((i) => i.srcaddr);
    expect(new Set(rows.map((r) => r.source_ip))).toEqual(new Set(scanners));
    expect(new Set(rows.map((r) => r.event_name))).toEqual(new Set(['ConsoleLogin', 'AssumeRole']));
    expect(rows.filter((r) => r.event_name === 'ConsoleLogin').every((r) => r.outcome === 'Failure')).toBe(
      true,
    );
    expect(rows.filter((r) => r.event_name === 'AssumeRole').every((r) => r.outcome === 'AccessDenied')).toBe(
      true,
    );
    const brute = incidents.find((i) => i.kind === 'ssh-bruteforce')!;
    expect(rows.some((r) => r.source_ip === brute.srcaddr)).toBe(false);
  });

  it('finding-remote-ip-traffic: the egress finding names the destination and its outbound bytes', async () => {
    const rows = await run('finding-remote-ip-traffic');
    const egress = incidents.find((i) => i.kind === 'large-egress')!;
    const row = rows.find((r) => r.finding_type === 'Behavior:EC2/TrafficVolumeUnusual')!;
    expect(row.remote_ip).toBe(egress.dstaddr);
    expect(row.direction).toBe('OUTBOUND');
    expect(Number(row.bytes_out)).toBeGreaterThanOrEqual(egress.bytes);
    expect(rows[0].finding_type).toBe('Behavior:EC2/TrafficVolumeUnusual');
    for (const i of incidents.filter((x) => x.kind !== 'large-egress')) {
      expect(rows.some((r) => r.remote_ip === i.srcaddr && Number(r.flows) >= i.records)).toBe(true);
    }
  });

  it('returns nothing for a range without incidents', async () => {
    const q = SECURITY_QUERY_CATALOG[0];
    const later = { since: new Date('2026-12-05T00:00:00Z'), until: new Date('2026-12-05T03:00:00Z') };
    expect((await engine.run(q, later)).rows).toEqual([]);
    const files = await prepareSecurityViews(engine, store, later);
    expect(files).toEqual({ cloudtrail: [], guardduty: [] });
    expect((await engine.sql('SELECT count(*) AS n FROM guardduty')).rows).toEqual([[0]]);
  });

  it('runs through `flowlake query` and lists the security queries', async () => {
    const io = memoryIo();
    const code = await exec(
      ['query', 'finding-remote-ip-traffic', '--store', store, '--since', START.toISOString(), '-o', 'json'],
      io,
    );
    expect(io.stderr()).toMatch(/row\(s\)/);
    expect(code).toBe(0);
    const rows = JSON.parse(io.stdout()) as { finding_type: string }[];
    expect(rows.map((r) => r.finding_type)).toContain('Behavior:EC2/TrafficVolumeUnusual');
    const list = memoryIo();
    expect(await exec(['query', '--list'], list)).toBe(0);
    for (const name of [
      'finding-instance-flows',
      'api-calls-from-rejected-sources',
      'sign-ins-from-scanners',
    ]) {
      expect(list.stdout()).toContain(name);
    }
  });
});
