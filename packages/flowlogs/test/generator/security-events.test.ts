import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  cloudTrailObjects,
  GUARDDUTY_INCIDENT_KINDS,
  generateSecurityEvents,
  guardDutyObjects,
  type IncidentLike,
  instanceIdForInterface,
} from '../../src/generator/security-events.js';

const T0 = new Date('2026-11-30T10:00:00Z');
const min = (m: number) => new Date(T0.getTime() + m * 60_000);
const INCIDENTS: IncidentLike[] = [
  {
    kind: 'port-scan',
    srcaddr: '198.51.100.7',
    dstaddr: '10.1.2.3',
    accountId: '111111111111',
    interfaceId: 'eni-0a1b2c3d4e5f60718',
    start: min(0),
    end: min(20),
    region: 'eu-west-1',
  },
  {
    kind: 'ssh-bruteforce',
    srcaddr: '203.0.113.50',
    dstaddr: '10.1.2.4',
    accountId: '222222222222',
    interfaceId: 'eni-0fedcba9876543210',
    start: min(30),
    end: min(45),
  },
  {
    kind: 'large-egress',
    srcaddr: '10.1.2.5',
    dstaddr: '192.0.2.200',
    accountId: '111111111111',
    interfaceId: 'eni-00112233445566778',
    start: min(60),
    end: min(90),
    region: 'eu-west-1',
  },
];

describe('generateSecurityEvents', () => {
  const ev = generateSecurityEvents(INCIDENTS, { seed: 7 });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateSecurityEvents(INCIDENTS, { seed: 7 })).toEqual(ev);
    expect(generateSecurityEvents(INCIDENTS, { seed: 8 }).cloudTrail[0].eventID).not.toBe(
      ev.cloudTrail[0].eventID,
    );
  });

  it('emits one finding per incident on the incident ENI with the remote address and AWS shape', () => {
    expect(ev.guardDuty.map((f) => f.type).sort()).toEqual([
      'Behavior:EC2/TrafficVolumeUnusual',
      'Recon:EC2/PortProbeUnprotectedPort',
      'UnauthorizedAccess:EC2/SSHBruteForce',
    ]);
    const probe = ev.guardDuty.find((f) => f.type.startsWith('Recon'))!;
    expect(probe).toMatchObject({
      schemaVersion: '2.0',
      accountId: '111111111111',
      region: 'eu-west-1',
      resource: {
        resourceType: 'Instance',
        instanceDetails: {
          instanceId: instanceIdForInterface('eni-0a1b2c3d4e5f60718'),
          networkInterfaces: [{ networkInterfaceId: 'eni-0a1b2c3d4e5f60718', privateIpAddress: '10.1.2.3' }],
        },
      },
      service: {
        action: {
          actionType: 'PORT_PROBE',
          portProbeAction: { portProbeDetails: [{ remoteIpDetails: { ipAddressV4: '198.51.100.7' } }] },
        },
      },
    });
    expect(probe.id).toMatch(/^[0-9a-f]{32}$/);
    expect(probe.arn).toBe(
      `arn:aws:guardduty:eu-west-1:111111111111:detector/${probe.service.detectorId}/finding/${probe.id}`,
    );
    const egress = ev.guardDuty.find((f) => f.type.startsWith('Behavior'))!;
    expect(egress.service.action).toMatchObject({
      networkConnectionAction: {
        connectionDirection: 'OUTBOUND',
        remoteIpDetails: { ipAddressV4: '192.0.2.200' },
      },
    });
    expect(egress.resource.instanceDetails.networkInterfaces[0].privateIpAddress).toBe('10.1.2.5');
    for (const f of ev.guardDuty) {
      expect(Date.parse(f.createdAt)).toBeGreaterThan(Date.parse(f.service.eventFirstSeen));
      expect(Date.parse(f.updatedAt)).toBeGreaterThanOrEqual(Date.parse(f.createdAt));
    }
    expect(GUARDDUTY_INCIDENT_KINDS).toContain('port-scan');
  });

  it('emits console login, AssumeRole and API calls from attacker addresses inside the incident window', () => {
    const fromAttackers = ev.cloudTrail.filter((r) =>
      ['198.51.100.7', '203.0.113.50'].includes(r.sourceIPAddress),
    );
    expect(fromAttackers.map((r) => r.eventName).sort()).toEqual([
      'AssumeRole',
      'AssumeRole',
      'ConsoleLogin',
      'ConsoleLogin',
      'DescribeInstances',
      'DescribeInstances',
    ]);
    const login = fromAttackers.find((r) => r.eventName === 'ConsoleLogin')!;
    expect(login).toMatchObject({
      eventSource: 'signin.amazonaws.com',
      eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: 'Failure' },
    });
    for (const r of ev.cloudTrail) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          'eventVersion',
          'userIdentity',
          'eventTime',
          'eventSource',
          'eventName',
          'awsRegion',
          'sourceIPAddress',
          'userAgent',
          'requestParameters',
          'responseElements',
          'eventID',
          'eventType',
          'recipientAccountId',
        ]),
      );
      expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // no attacker traffic for egress: the remote host is a destination, not an API caller
    expect(ev.cloudTrail.some((r) => r.sourceIPAddress === '192.0.2.200')).toBe(false);
    // background calls come from private addresses or AWS services only
    const background = ev.cloudTrail.filter((r) => !fromAttackers.includes(r));
    expect(background.length).toBeGreaterThan(0);
    expect(background.every((r) => /^10\.|amazonaws\.com$/.test(r.sourceIPAddress))).toBe(true);
  });
});

describe('object layouts', () => {
  const ev = generateSecurityEvents(INCIDENTS, { seed: 7 });

  it('writes organization-trail files as gzip {"Records":[...]} under AWSLogs/<org>/<account>/CloudTrail', () => {
    const objects = cloudTrailObjects(ev.cloudTrail, {
      organizationId: 'o-a1b2c3d4e5',
      prefix: 'cloudtrail',
    });
    const re =
      /^cloudtrail\/AWSLogs\/o-a1b2c3d4e5\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/\d{4}\/\d\d\/\d\d\/\1_CloudTrail_\2_\d{8}T\d{4}Z_[0-9A-F]{16}\.json\.gz$/;
    let total = 0;
    for (const o of objects) {
      expect(o.key).toMatch(re);
      const doc = JSON.parse(gunzipSync(o.body).toString('utf8'));
      expect(Object.keys(doc)).toEqual(['Records']);
      for (const r of doc.Records)
        expect(o.key).toContain(`/${r.recipientAccountId}/CloudTrail/${r.awsRegion}/`);
      total += doc.Records.length;
    }
    expect(total).toBe(ev.cloudTrail.length);
    expect(() => cloudTrailObjects([], { organizationId: 'org1' })).toThrow(/invalid organizationId 'org1'/);
  });

  it('writes GuardDuty exports as gzip JSON lines under AWSLogs/<admin>/GuardDuty/<region>/YYYY/MM/DD', () => {
    const objects = guardDutyObjects(ev.guardDuty, { adminAccountId: '999999999999', prefix: 'guardduty' });
    const lines = objects.flatMap((o) => {
      expect(o.key).toMatch(
        /^guardduty\/AWSLogs\/999999999999\/GuardDuty\/[a-z0-9-]+\/\d{4}\/\d\d\/\d\d\/[0-9a-f-]{36}\.jsonl\.gz$/,
      );
      return gunzipSync(o.body).toString('utf8').trimEnd().split('\n');
    });
    expect(lines.map((l) => JSON.parse(l).id).sort()).toEqual(ev.guardDuty.map((f) => f.id).sort());
    expect(() => guardDutyObjects([], { adminAccountId: 'x' })).toThrow(/invalid adminAccountId 'x'/);
  });
});

describe('with the flow-log generator', () => {
  it('yields a finding on the planted ENI, at the planted time, for every planted incident', async () => {
    const { generateOrganization, generateRecords } = await import('../../src/generator/index.js');
    const org = generateOrganization({ seed: 3, accounts: 2, regions: ['eu-west-1'] });
    const { incidents } = generateRecords({
      org,
      start: T0,
      hours: 2,
      seed: 3,
      incidents: true,
      maxRecords: 50_000,
    });
    expect(incidents.length).toBeGreaterThanOrEqual(3);
    const ev = generateSecurityEvents(incidents, { seed: 3 });
    for (const i of incidents) {
      const f = ev.guardDuty.find(
        (g) => g.resource.instanceDetails.networkInterfaces[0].networkInterfaceId === i.interfaceId,
      );
      expect(f, `${i.kind} on ${i.interfaceId}`).toBeDefined();
      expect(f!.accountId).toBe(i.accountId);
      expect(f!.region).toBe(i.region);
      expect(f!.service.eventFirstSeen).toBe(i.start.toISOString());
      expect([i.srcaddr, i.dstaddr]).toContain(
        f!.resource.instanceDetails.networkInterfaces[0].privateIpAddress,
      );
    }
  });
});
