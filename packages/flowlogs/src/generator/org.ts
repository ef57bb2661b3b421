/**
 * A synthetic AWS Organization: accounts x regions x VPCs x network interfaces, with the addresses and metadata the
 * traffic generator needs. Deterministic in its seed.
 */
import { azIdPrefix, ipv4, ipv4ToInt, publicIpv4 } from './addresses.js';
import { Prng } from './prng.js';

/** What a network interface belongs to; decides its traffic. */
export type EniRole =
  | 'nat' // NAT gateway (requester-managed, interface-type nat_gateway)
  | 'alb' // Application Load Balancer node (requester-managed)
  | 'web' // web/API instance behind the ALB
  | 'app' // application instance
  | 'bastion' // SSH bastion with a public IP (probed from the internet)
  | 'db' // RDS database (requester-managed)
  | 'ecs' // ECS task ENI (awsvpc mode)
  | 'vpce' // interface VPC endpoint
  | 'nlb' // Network Load Balancer node
  | 'tgw' // transit gateway attachment ENI
  | 'edge' // instance in a Local Zone / Outpost / Wavelength Zone subnet
  | 'hpc'; // EFA-enabled HPC instance

/** Order in which roles are given to a VPC's interfaces (the first N are used; beyond 12 common roles repeat). */
export const ROLE_ORDER: readonly EniRole[] = [
  'nat',
  'alb',
  'web',
  'app',
  'bastion',
  'db',
  'ecs',
  'vpce',
  'nlb',
  'tgw',
  'edge',
  'hpc',
];
const REPEAT_ROLES: readonly EniRole[] = ['web', 'app', 'ecs', 'app', 'web', 'db', 'alb'];

/** ECS task metadata carried by the ecs-* fields. */
export interface EcsTask {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly containerInstanceArn: string | null;
  readonly containerInstanceId: string | null;
  readonly containerId: string;
  readonly secondContainerId: string | null;
  readonly serviceName: string | null;
  readonly taskDefinitionArn: string;
  readonly taskArn: string;
  readonly taskId: string;
}

/** A network interface whose traffic is logged. */
export interface Eni {
  readonly id: string;
  readonly role: EniRole;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly subnetId: string;
  /** AZ ID, or null when the subnet is in a sublocation. */
  readonly azId: string | null;
  readonly sublocationType: 'wavelength' | 'outpost' | 'localzone' | null;
  readonly sublocationId: string | null;
  readonly privateIp: string;
  readonly ipv6: string | null;
  readonly publicIp: string | null;
  /** Null for requester-managed interfaces (NAT gateway, load balancers, endpoints, RDS, Fargate). */
  readonly instanceId: string | null;
  /** v11 interface-type, or null for ordinary instance interfaces. */
  readonly interfaceType: string | null;
  /** Nitro instances report traffic-path 7/8 for gateway endpoint / internet gateway; others report 2. */
  readonly nitro: boolean;
  readonly ecs: EcsTask | null;
  /** Values of the v11 tag fields (instance Name, environment, Auto Scaling group). */
  readonly instanceTag: string | null;
  readonly instanceTag2: string | null;
  readonly asgTag: string | null;
}

/** A subnet. */
export interface Subnet {
  readonly id: string;
  readonly azId: string | null;
  readonly cidr: string;
  readonly public: boolean;
  readonly sublocationType: 'wavelength' | 'outpost' | 'localzone' | null;
  readonly sublocationId: string | null;
}

/** A VPC with one flow log (to S3 and/or CloudWatch Logs). */
export interface Vpc {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly cidr: string;
  readonly ipv6Cidr: string;
  /** The VPC's flow log ID (`fl-...`): names its S3 objects. */
  readonly flowLogId: string;
  /** Address of the VPC's DNS servers (custom resolvers; Amazon's .2 resolver traffic is not logged by AWS). */
  readonly dnsServerIp: string;
  /** VPC Block Public Access in ingress mode: internet-initiated traffic is rejected with reject-reason BPA. */
  readonly blockPublicAccess: boolean;
  /** VPC Encryption Controls on: encryption-status is filled (else `-`). */
  readonly encryptionControls: boolean;
  readonly subnets: readonly Subnet[];
  readonly enis: readonly Eni[];
}

/** An account of the organization. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly vpcs: readonly Vpc[];
}

/** The generated organization. */
export interface Org {
  readonly seed: number | string;
  readonly organizationId: string;
  readonly regions: readonly string[];
  readonly accounts: readonly Account[];
  /** Every VPC, in account/region order. */
  readonly vpcs: readonly Vpc[];
  /** Every interface, in account/region/VPC order. */
  readonly enis: readonly Eni[];
  readonly eniById: ReadonlyMap<string, Eni>;
  readonly vpcById: ReadonlyMap<string, Vpc>;
  /** On-premises network reached through VPN (traffic-path 3) and Outpost local gateways (6). */
  readonly onPremCidr: string;
}

/** A given account for {@link generateOrganization}. */
export interface AccountSpec {
  /** 12-digit account ID. */
  readonly id: string;
  readonly name?: string;
  /** Regions of this account. @default the organization's regions */
  readonly regions?: readonly string[];
}

/** Options of {@link generateOrganization}. */
export interface OrganizationOptions {
  readonly seed: number | string;
  /**
   * Number of member accounts (>= 1; IDs are generated, the first starts with 0), or the accounts themselves: IDs, or
   * `{id, name?, regions?}` to match a real configuration.
   */
  readonly accounts: number | readonly (string | AccountSpec)[];
  /** Regions every account uses (unless its spec lists its own), e.g. `['us-east-1', 'eu-west-1']`. */
  readonly regions: readonly string[];
  /** VPCs per account and region. @default 1 */
  readonly vpcsPerAccount?: number;
  /** Interfaces per VPC (>= 1); roles follow {@link ROLE_ORDER}. @default 12 */
  readonly enisPerVpc?: number;
}

const ACCOUNT_NAMES = ['prod', 'staging', 'dev', 'shared-services', 'data', 'security', 'sandbox', 'network'];
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const SUBLOCATIONS = ['localzone', 'outpost', 'wavelength'] as const;

function sublocationId(rng: Prng, type: (typeof SUBLOCATIONS)[number], region: string): string {
  const az = azIdPrefix(region);
  if (type === 'outpost') return `op-${rng.hex(17)}`;
  if (type === 'localzone') return `${az}-${rng.pick(['bos', 'mia', 'lax', 'dfw', 'phl'])}1-az1`;
  return `${az}-wl1-${rng.pick(['bos', 'nyc', 'atl', 'was'])}-wlz1`;
}

function ecsTask(rng: Prng, accountId: string, region: string, fargate: boolean): EcsTask {
  const clusterName = rng.pick(['orders', 'payments', 'catalog', 'search']);
  const clusterArn = `arn:aws:ecs:${region}:${accountId}:cluster/${clusterName}`;
  const taskId = rng.hex(32);
  const ciId = rng.hex(32);
  const service = rng.chance(0.8) ? `${clusterName}-api` : null;
  return {
    clusterArn,
    clusterName,
    containerInstanceArn: fargate
      ? null
      : `arn:aws:ecs:${region}:${accountId}:container-instance/${clusterName}/${ciId}`,
    containerInstanceId: fargate ? null : ciId,
    containerId: `${taskId}-${rng.digits(10)}`,
    secondContainerId: rng.chance(0.5) ? `${taskId}-${rng.digits(10)}` : null,
    serviceName: service,
    taskDefinitionArn: `arn:aws:ecs:${region}:${accountId}:task-definition/${clusterName}-api:${rng.int(1, 40)}`,
    taskArn: `arn:aws:ecs:${region}:${accountId}:task/${clusterName}/${taskId}`,
    taskId,
  };
}

/**
 * Generates an organization: `accounts` accounts (12-digit IDs, the first one starting with 0), each with
 * `vpcsPerAccount` VPCs in every region, each VPC with `enisPerVpc` interfaces.
 */
export function generateOrganization(options: OrganizationOptions): Org {
  const { seed, regions } = options;
  const vpcsPerAccount = options.vpcsPerAccount ?? 1;
  const enisPerVpc = options.enisPerVpc ?? 12;
  const given =
    typeof options.accounts === 'number'
      ? null
      : options.accounts.map((a) => (typeof a === 'string' ? { id: a } : a));
  const nAccounts = given ? given.length : (options.accounts as number);
  if (!Number.isInteger(nAccounts) || nAccounts < 1) {
    throw new RangeError(`accounts must be a positive integer or a non-empty list, got ${nAccounts}.`);
  }
  if (!Number.isInteger(vpcsPerAccount) || vpcsPerAccount < 1) {
    throw new RangeError(`vpcsPerAccount must be a positive integer, got ${vpcsPerAccount}.`);
  }
  if (!Number.isInteger(enisPerVpc) || enisPerVpc < 1) {
    throw new RangeError(`enisPerVpc must be a positive integer, got ${enisPerVpc}.`);
  }
  const checkRegions = (list: readonly string[], where: string): void => {
    if (list.length === 0) throw new RangeError(`${where} must name at least one region, e.g. us-east-1.`);
    for (const r of list) {
      if (!REGION_RE.test(r))
        throw new RangeError(`'${r}' in ${where} is not a region name like 'us-east-1'.`);
    }
  };
  checkRegions(regions, 'regions');
  const usedIds = new Set<string>();
  for (const a of given ?? []) {
    if (!/^\d{12}$/.test(a.id)) throw new RangeError(`account '${a.id}' is not a 12-digit AWS account ID.`);
    if (usedIds.has(a.id)) throw new RangeError(`account '${a.id}' is listed twice.`);
    usedIds.add(a.id);
    if (a.regions) checkRegions(a.regions, `the regions of account ${a.id}`);
  }
  const rng = new Prng(seed, 'org');
  const accounts: Account[] = [];
  const allVpcs: Vpc[] = [];
  const allEnis: Eni[] = [];
  let vpcIndex = 0;
  for (let a = 0; a < nAccounts; a++) {
    let accountId = given?.[a].id ?? '';
    while (accountId === '' || (!given && usedIds.has(accountId))) {
      accountId = (a === 0 ? '0' : String(rng.int(1, 9))) + rng.digits(11);
    }
    usedIds.add(accountId);
    const vpcs: Vpc[] = [];
    for (const region of given?.[a].regions ?? regions) {
      for (let v = 0; v < vpcsPerAccount; v++) {
        const vpc = makeVpc(rng, accountId, region, vpcIndex++, enisPerVpc);
        vpcs.push(vpc);
        allVpcs.push(vpc);
        allEnis.push(...vpc.enis);
      }
    }
    const base = ACCOUNT_NAMES[a % ACCOUNT_NAMES.length];
    accounts.push({
      id: accountId,
      name: given?.[a].name ?? (a < ACCOUNT_NAMES.length ? base : `${base}-${a}`),
      vpcs,
    });
  }
  return {
    seed,
    organizationId: `o-${rng.hex(10)}`,
    regions: [...regions],
    accounts,
    vpcs: allVpcs,
    enis: allEnis,
    eniById: new Map(allEnis.map((e) => [e.id, e])),
    vpcById: new Map(allVpcs.map((v) => [v.id, v])),
    onPremCidr: '192.168.0.0/16',
  };
}

function group(rng: Prng): string {
  return rng.int(1, 0xffff).toString(16);
}

function makeVpc(rng: Prng, accountId: string, region: string, index: number, enisPerVpc: number): Vpc {
  // 10.0.0.0/16 ... 10.255.0.0/16, then 172.16-31.x.0/20 style blocks: distinct for up to 256 + 4096 VPCs.
  const base =
    index < 256 ? ipv4ToInt(`10.${index}.0.0`) : (ipv4ToInt('172.16.0.0') + ((index - 256) << 12)) >>> 0;
  const prefixLen = index < 256 ? 16 : 20;
  const hostBits = 32 - prefixLen;
  const subnetSize = 2 ** (hostBits - 3); // 8 subnets per VPC
  const vpcId = `vpc-${rng.hex(17)}`;
  // IPv6 /56 from Amazon's pool, written in canonical form (no leading zeros in a group).
  const v6 = `2600:${(0x1f00 + rng.int(0, 255)).toString(16)}:${rng.int(1, 0xffff).toString(16)}`;
  const v6Byte = rng.int(1, 255);
  const v6Subnet = (s: number): string => `${v6}:${((v6Byte << 8) | s).toString(16)}`;
  const az = azIdPrefix(region);
  const sublocationType = SUBLOCATIONS[index % SUBLOCATIONS.length];
  const subnets: Subnet[] = [];
  for (let s = 0; s < 7; s++) {
    const isSub = s === 6;
    subnets.push({
      id: `subnet-${rng.hex(17)}`,
      azId: isSub ? null : `${az}-az${(s % 3) + 1}`,
      cidr: `${ipv4((base + s * subnetSize) >>> 0)}/${32 - Math.log2(subnetSize)}`,
      public: s < 3,
      sublocationType: isSub ? sublocationType : null,
      sublocationId: isSub ? sublocationId(rng, sublocationType, region) : null,
    });
  }
  const roles: EniRole[] = [];
  for (let i = 0; i < enisPerVpc; i++) {
    roles.push(
      i < ROLE_ORDER.length ? ROLE_ORDER[i] : REPEAT_ROLES[(i - ROLE_ORDER.length) % REPEAT_ROLES.length],
    );
  }
  const hostCounter = new Map<number, number>();
  const enis: Eni[] = roles.map((role, i) => {
    const publicSubnet = role === 'nat' || role === 'alb' || role === 'bastion' || role === 'nlb';
    const sIdx = role === 'edge' ? 6 : publicSubnet ? i % 3 : 3 + (i % 3);
    const subnet = subnets[sIdx];
    const host = (hostCounter.get(sIdx) ?? 10) + rng.int(1, 20);
    hostCounter.set(sIdx, host);
    const privateIp = ipv4((base + sIdx * subnetSize + host) >>> 0);
    const managed =
      role === 'nat' ||
      role === 'alb' ||
      role === 'db' ||
      role === 'vpce' ||
      role === 'nlb' ||
      role === 'tgw';
    const fargate = role === 'ecs' && rng.chance(0.6);
    const instanceId = managed || fargate ? null : `i-${rng.hex(17)}`;
    const interfaceType =
      role === 'nat'
        ? 'nat_gateway'
        : role === 'vpce'
          ? 'vpc_endpoint'
          : role === 'nlb'
            ? 'network_load_balancer'
            : role === 'tgw'
              ? 'transit_gateway'
              : null;
    const dualStack =
      role === 'alb' || role === 'web' || role === 'app' || role === 'bastion' || role === 'ecs';
    const asg = role === 'web' || role === 'app' ? `${role}-asg-${region}` : null;
    return {
      id: `eni-${rng.hex(17)}`,
      role,
      accountId,
      region,
      vpcId,
      subnetId: subnet.id,
      azId: subnet.azId,
      sublocationType: subnet.sublocationType,
      sublocationId: subnet.sublocationId,
      privateIp,
      ipv6: dualStack ? `${v6Subnet(sIdx)}:${group(rng)}:${group(rng)}:${group(rng)}:${group(rng)}` : null,
      publicIp:
        role === 'nat' || role === 'alb' || role === 'bastion' || role === 'nlb' || role === 'edge'
          ? publicIpv4(rng)
          : null,
      instanceId,
      interfaceType,
      nitro: instanceId !== null && role !== 'bastion',
      ecs: role === 'ecs' ? ecsTask(rng, accountId, region, fargate) : null,
      instanceTag: instanceId ? `${role}-${i + 1}` : null,
      instanceTag2: instanceId ? (index % 2 === 0 ? 'prod' : 'staging') : null,
      asgTag: asg,
    };
  });
  return {
    id: vpcId,
    accountId,
    region,
    cidr: `${ipv4(base)}/${prefixLen}`,
    ipv6Cidr: `${v6Subnet(0)}::/56`,
    flowLogId: `fl-${rng.hex(17)}`,
    dnsServerIp: ipv4((base + 3 * subnetSize + 10) >>> 0),
    blockPublicAccess: index % 4 === 3,
    encryptionControls: index % 2 === 1,
    subnets,
    enis,
  };
}
