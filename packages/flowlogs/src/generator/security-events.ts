/**
 * CloudTrail records and GuardDuty findings that match the generator's planted incidents (same addresses, ENIs and
 * times), in the JSON shapes AWS writes, plus S3-style object layouts for both services.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-summary.html
 */
import { gzipSync } from 'node:zlib';
import { Prng } from './prng.js';

/** The part of a planted incident the security events need (a `PlantedIncident` of the flow generator fits). */
export interface IncidentLike {
  /** 'ssh-bruteforce' | 'port-scan' | 'large-egress' | ... */
  readonly kind: string;
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly accountId: string;
  /** ENI of the instance involved. */
  readonly interfaceId: string;
  readonly start: Date;
  readonly end: Date;
  /** Region of the ENI. @default the `region` option */
  readonly region?: string;
  /** VPC of the ENI, when known. */
  readonly vpcId?: string;
  /** Destination port of the incident, when a single one. */
  readonly dstport?: number | null;
}

/** A CloudTrail record (`Records[]` element), with the fields CloudTrail writes. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management';
}

/** A GuardDuty finding, as exported to S3 and sent in EventBridge `detail`. */
export interface GuardDutyFinding {
  schemaVersion: string;
  accountId: string;
  region: string;
  partition: string;
  id: string;
  arn: string;
  type: string;
  resource: {
    resourceType: 'Instance';
    instanceDetails: {
      instanceId: string;
      instanceType: string;
      networkInterfaces: {
        networkInterfaceId: string;
        privateIpAddress: string;
        privateIpAddresses: { privateIpAddress: string; privateDnsName: string }[];
        vpcId?: string;
      }[];
    };
  };
  service: {
    serviceName: 'guardduty';
    detectorId: string;
    action: Record<string, unknown>;
    resourceRole: 'TARGET' | 'ACTOR';
    eventFirstSeen: string;
    eventLastSeen: string;
    archived: boolean;
    count: number;
  };
  severity: number;
  createdAt: string;
  updatedAt: string;
  title: string;
  description: string;
}

/** Options of {@link generateSecurityEvents}. */
export interface SecurityEventOptions {
  /** Seed for IDs and background events; same seed, same output. */
  readonly seed: number;
  /** Region of incidents that carry none. @default 'us-east-1' */
  readonly region?: string;
  /** Background (benign) API calls per incident account per hour of the incidents' span. @default 4 */
  readonly backgroundPerHour?: number;
}

/** The security events for a set of incidents. */
export interface SecurityEvents {
  readonly cloudTrail: CloudTrailRecord[];
  readonly guardDuty: GuardDutyFinding[];
}

/** True for addresses an ENI can hold inside a VPC: RFC 1918, CGNAT, link-local, loopback, IPv6 ULA/link-local. */
function isVpcAddress(ip: string): boolean {
  return /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|169\.254\.|127\.|f[cd]|fe[89ab])/i.test(
    ip,
  );
}

function uuid(rng: Prng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ISO-8601 second precision, as CloudTrail writes eventTime. */
function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** Deterministic EC2 instance ID for an ENI (the same ENI always maps to the same instance). */
export function instanceIdForInterface(interfaceId: string): string {
  let h = 2166136261;
  for (const c of interfaceId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  let h2 = h ^ 0x9e3779b9;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) >>> 0;
  return `i-0${h.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

function dnsName(ip: string, region: string): string {
  const suffix = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  return `ip-${ip.replaceAll('.', '-')}.${suffix}`;
}

const PORT_NAMES: Record<number, string> = { 22: 'SSH', 443: 'HTTPS', 3389: 'RDP', 80: 'HTTP' };

/** The type, action, direction and severity GuardDuty reports for each incident kind. */
const FINDING_KINDS: Record<
  string,
  {
    type: string;
    actionType: 'PORT_PROBE' | 'NETWORK_CONNECTION';
    direction: 'INBOUND' | 'OUTBOUND';
    severity: number;
    port: number;
    title: string;
  }
> = {
  'port-scan': {
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    actionType: 'PORT_PROBE',
    direction: 'INBOUND',
    severity: 2,
    port: 22,
    title: 'Unprotected port on EC2 instance {i} is being probed.',
  },
  'horizontal-scan': {
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    actionType: 'PORT_PROBE',
    direction: 'INBOUND',
    severity: 2,
    port: 22,
    title: 'Unprotected port on EC2 instance {i} is being probed.',
  },
  'ssh-bruteforce': {
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    actionType: 'NETWORK_CONNECTION',
    direction: 'INBOUND',
    severity: 2,
    port: 22,
    title: 'SSH brute force attacks against {i}.',
  },
  'large-egress': {
    type: 'Behavior:EC2/TrafficVolumeUnusual',
    actionType: 'NETWORK_CONNECTION',
    direction: 'OUTBOUND',
    severity: 5,
    port: 443,
    title: 'EC2 instance {i} is generating unusually large amounts of network traffic to a remote host.',
  },
};

/** Incident kinds that produce a GuardDuty finding. */
export const GUARDDUTY_INCIDENT_KINDS: readonly string[] = Object.keys(FINDING_KINDS);

/** The instance-side and remote addresses of an incident (the instance's address is the private one). */
export function incidentEndpoints(i: IncidentLike): { local: string; remote: string } {
  return isVpcAddress(i.dstaddr) && !isVpcAddress(i.srcaddr)
    ? { local: i.dstaddr, remote: i.srcaddr }
    : isVpcAddress(i.srcaddr) && !isVpcAddress(i.dstaddr)
      ? { local: i.srcaddr, remote: i.dstaddr }
      : { local: i.dstaddr, remote: i.srcaddr };
}

function finding(i: IncidentLike, region: string, rng: Prng): GuardDutyFinding | undefined {
  const kind = FINDING_KINDS[i.kind];
  if (!kind) return undefined;
  const { local, remote } = incidentEndpoints(i);
  const instanceId = instanceIdForInterface(i.interfaceId);
  const detectorId = rng.hex(32);
  const id = rng.hex(32);
  const remoteIpDetails = { ipAddressV4: remote, organization: { asn: '64496', asnOrg: 'EXAMPLE-NET' } };
  const port = kind.direction === 'INBOUND' && i.dstport ? i.dstport : kind.port;
  const portDetails = { port, portName: PORT_NAMES[port] ?? 'Unknown' };
  const action =
    kind.actionType === 'PORT_PROBE'
      ? {
          actionType: 'PORT_PROBE',
          portProbeAction: {
            blocked: false,
            portProbeDetails: [
              { localPortDetails: portDetails, localIpDetails: { ipAddressV4: local }, remoteIpDetails },
            ],
          },
        }
      : {
          actionType: 'NETWORK_CONNECTION',
          networkConnectionAction: {
            connectionDirection: kind.direction,
            protocol: 'TCP',
            blocked: false,
            localIpDetails: { ipAddressV4: local },
            localPortDetails:
              kind.direction === 'INBOUND' ? portDetails : { port: 49152, portName: 'Unknown' },
            remoteIpDetails,
            remotePortDetails:
              kind.direction === 'OUTBOUND' ? portDetails : { port: 50022, portName: 'Unknown' },
          },
        };
  // GuardDuty reports after the activity: createdAt shortly after the first packets, updatedAt after the last.
  const createdAt = new Date(i.start.getTime() + 5 * 60_000);
  const updatedAt = new Date(Math.max(i.end.getTime(), createdAt.getTime()) + 5 * 60_000);
  return {
    schemaVersion: '2.0',
    accountId: i.accountId,
    region,
    partition: 'aws',
    id,
    arn: `arn:aws:guardduty:${region}:${i.accountId}:detector/${detectorId}/finding/${id}`,
    type: kind.type,
    resource: {
      resourceType: 'Instance',
      instanceDetails: {
        instanceId,
        instanceType: 't3.micro',
        networkInterfaces: [
          {
            networkInterfaceId: i.interfaceId,
            privateIpAddress: local,
            privateIpAddresses: [{ privateIpAddress: local, privateDnsName: dnsName(local, region) }],
            ...(i.vpcId ? { vpcId: i.vpcId } : {}),
          },
        ],
      },
    },
    service: {
      serviceName: 'guardduty',
      detectorId,
      action,
      resourceRole: kind.direction === 'INBOUND' ? 'TARGET' : 'ACTOR',
      eventFirstSeen: i.start.toISOString(),
      eventLastSeen: i.end.toISOString(),
      archived: false,
      count: 1,
    },
    severity: kind.severity,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    title: kind.title.replace('{i}', instanceId),
    description: kind.title.replace('{i}', instanceId),
  };
}

function identity(accountId: string, user: string, rng: Prng): Record<string, unknown> {
  return {
    type: 'IAMUser',
    principalId: `AIDA${rng.hex(16).toUpperCase()}`,
    arn: `arn:aws:iam::${accountId}:user/${user}`,
    accountId,
    accessKeyId: `AKIA${rng.hex(16).toUpperCase()}`,
    userName: user,
  };
}

function base(
  at: Date,
  accountId: string,
  region: string,
  ip: string,
  rng: Prng,
): Pick<
  CloudTrailRecord,
  | 'eventVersion'
  | 'eventTime'
  | 'awsRegion'
  | 'sourceIPAddress'
  | 'eventID'
  | 'recipientAccountId'
  | 'managementEvent'
  | 'eventCategory'
> {
  return {
    eventVersion: '1.09',
    eventTime: isoSeconds(at),
    awsRegion: region,
    sourceIPAddress: ip,
    eventID: uuid(rng),
    recipientAccountId: accountId,
    managementEvent: true,
    eventCategory: 'Management',
  };
}

const CLI_AGENT = 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.8';
const BROWSER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** CloudTrail records an attacker at the incident's remote address leaves (inbound incidents only). */
function incidentRecords(i: IncidentLike, region: string, rng: Prng): CloudTrailRecord[] {
  const { local, remote } = incidentEndpoints(i);
  if (remote === local || isVpcAddress(remote) || FINDING_KINDS[i.kind]?.direction !== 'INBOUND') return [];
  const at = (minutes: number) => new Date(i.start.getTime() + minutes * 60_000);
  const out: CloudTrailRecord[] = [
    {
      ...base(at(2), i.accountId, 'us-east-1', remote, rng),
      userIdentity: {
        type: 'IAMUser',
        principalId: i.accountId,
        accountId: i.accountId,
        accessKeyId: '',
        userName: 'admin',
      },
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      userAgent: BROWSER_AGENT,
      errorMessage: 'Failed authentication',
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home',
        MobileVersion: 'No',
        MFAUsed: 'No',
      },
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
    },
    {
      ...base(at(3), i.accountId, region, remote, rng),
      userIdentity: identity(i.accountId, 'ci-deploy', rng),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      userAgent: CLI_AGENT,
      requestParameters: {
        roleArn: `arn:aws:iam::${i.accountId}:role/OrganizationAccountAccessRole`,
        roleSessionName: 'recon',
      },
      responseElements: null,
      errorCode: 'AccessDenied',
      errorMessage: `User: arn:aws:iam::${i.accountId}:user/ci-deploy is not authorized to perform: sts:AssumeRole`,
      requestID: uuid(rng),
      readOnly: true,
      eventType: 'AwsApiCall',
    },
    {
      ...base(at(4), i.accountId, region, remote, rng),
      userIdentity: identity(i.accountId, 'ci-deploy', rng),
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      userAgent: CLI_AGENT,
      requestParameters: {
        instancesSet: { items: [{ instanceId: instanceIdForInterface(i.interfaceId) }] },
        filterSet: {},
      },
      responseElements: null,
      requestID: uuid(rng),
      readOnly: true,
      eventType: 'AwsApiCall',
    },
  ];
  return out;
}

const BACKGROUND = [
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['s3.amazonaws.com', 'ListBuckets', true],
  ['iam.amazonaws.com', 'GetUser', true],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups', true],
  ['logs.amazonaws.com', 'CreateLogStream', false],
] as const;

/**
 * CloudTrail records and GuardDuty findings for planted incidents: each inbound incident (scan, brute force) yields
 * a failed console login, a denied AssumeRole and a DescribeInstances call from the attacker's address, and a
 * finding on the targeted instance's ENI; large egress yields a TrafficVolumeUnusual finding naming the remote host.
 * Background API calls from private addresses and AWS services are mixed in. Deterministic for a seed.
 */
export function generateSecurityEvents(
  incidents: readonly IncidentLike[],
  options: SecurityEventOptions,
): SecurityEvents {
  const rng = new Prng(options.seed, 'security-events');
  const defaultRegion = options.region ?? 'us-east-1';
  const cloudTrail: CloudTrailRecord[] = [];
  const guardDuty: GuardDutyFinding[] = [];
  for (const i of incidents) {
    const region = i.region ?? defaultRegion;
    cloudTrail.push(...incidentRecords(i, region, rng));
    const f = finding(i, region, rng);
    if (f) guardDuty.push(f);
  }
  if (incidents.length > 0) {
    const from = Math.min(...incidents.map((i) => i.start.getTime()));
    const to = Math.max(...incidents.map((i) => i.end.getTime()));
    const perHour = options.backgroundPerHour ?? 4;
    const accounts = [...new Set(incidents.map((i) => `${i.accountId} ${i.region ?? defaultRegion}`))];
    for (let hour = Math.floor(from / 3_600_000) * 3_600_000; hour <= to; hour += 3_600_000) {
      for (const key of accounts) {
        const [accountId, region] = key.split(' ');
        for (let n = 0; n < perHour; n++) {
          const [source, name, readOnly] = BACKGROUND[Math.floor(rng.next() * BACKGROUND.length)];
          const at = new Date(hour + Math.floor(rng.next() * 3_600_000));
          const ip =
            source === 'logs.amazonaws.com'
              ? 'ec2.amazonaws.com'
              : `10.0.${Math.floor(rng.next() * 250)}.${1 + Math.floor(rng.next() * 250)}`;
          cloudTrail.push({
            ...base(at, accountId, region, ip, rng),
            userIdentity: identity(accountId, 'platform-team', rng),
            eventSource: source,
            eventName: name,
            userAgent: source === 'logs.amazonaws.com' ? 'ec2.amazonaws.com' : CLI_AGENT,
            requestParameters: null,
            responseElements: null,
            requestID: uuid(rng),
            readOnly,
            eventType: 'AwsApiCall',
          });
        }
      }
    }
  }
  cloudTrail.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventID.localeCompare(b.eventID));
  guardDuty.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
  return { cloudTrail, guardDuty };
}

/** An object of the central bucket: key and gzip body. */
export interface SecurityObject {
  readonly key: string;
  readonly body: Buffer;
}

function datePath(d: Date): string {
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
}

function compact(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
}

function withPrefix(prefix: string | undefined, rest: string): string {
  const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return p === '' ? rest : `${p}/${rest}`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

/**
 * Organization-trail log files: `<prefix>/AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/
 * <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`, each `{"Records":[...]}`, one file per account,
 * Region and 5-minute delivery window.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */
export function cloudTrailObjects(
  records: readonly CloudTrailRecord[],
  options: { organizationId: string; prefix?: string; seed?: number },
): SecurityObject[] {
  if (!/^o-[a-z0-9]{10,32}$/.test(options.organizationId)) {
    throw new Error(
      `cloudTrailObjects: invalid organizationId '${options.organizationId}': expected e.g. 'o-a1b2c3d4e5'`,
    );
  }
  const rng = new Prng(options.seed ?? 1, 'cloudtrail-objects');
  const groups = groupBy(records, (r) => {
    const window = Math.floor(Date.parse(r.eventTime) / 300_000) * 300_000;
    return `${r.recipientAccountId}|${r.awsRegion}|${window}`;
  });
  return [...groups].map(([k, recs]) => {
    const [account, region, window] = k.split('|');
    const delivered = new Date(Number(window) + 300_000);
    const unique = rng.hex(16).toUpperCase();
    const key = withPrefix(
      options.prefix,
      `AWSLogs/${options.organizationId}/${account}/CloudTrail/${region}/${datePath(new Date(Number(window)))}/` +
        `${account}_CloudTrail_${region}_${compact(delivered)}_${unique}.json.gz`,
    );
    return { key, body: gzipSync(JSON.stringify({ Records: recs })) };
  });
}

/**
 * GuardDuty export files of the administrator account: `<prefix>/AWSLogs/<admin>/GuardDuty/<region>/YYYY/MM/DD/
 * <uuid>.jsonl.gz`, one finding JSON per line, one file per Region and hour of `updatedAt`.
 */
export function guardDutyObjects(
  findings: readonly GuardDutyFinding[],
  options: { adminAccountId: string; prefix?: string; seed?: number },
): SecurityObject[] {
  if (!/^\d{12}$/.test(options.adminAccountId)) {
    throw new Error(
      `guardDutyObjects: invalid adminAccountId '${options.adminAccountId}': expected 12 digits`,
    );
  }
  const rng = new Prng(options.seed ?? 2, 'guardduty-objects');
  const groups = groupBy(
    findings,
    (f) => `${f.region}|${Math.floor(Date.parse(f.updatedAt) / 3_600_000) * 3_600_000}`,
  );
  return [...groups].map(([k, list]) => {
    const [region, hour] = k.split('|');
    const key = withPrefix(
      options.prefix,
      `AWSLogs/${options.adminAccountId}/GuardDuty/${region}/${datePath(new Date(Number(hour)))}/${uuid(rng)}.jsonl.gz`,
    );
    return { key, body: gzipSync(`${list.map((f) => JSON.stringify(f)).join('\n')}\n`) };
  });
}
