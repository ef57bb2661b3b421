/**
 * Background traffic of one aggregation window: every interface initiates conversations that fit its role, and each
 * conversation is written as flow records on every logged interface it crosses (client, server, NAT gateway,
 * transit gateway, load balancer), the way VPC Flow Logs records both directions separately.
 */
import type { FlowRecord } from '../record.js';
import { AWS_SERVICE_RANGES, publicIpv4, publicIpv6, serviceIp } from './addresses.js';
import type { Eni, EniRole, Org, Vpc } from './org.js';
import type { Prng } from './prng.js';
import { type FlowSpec, makeRecord } from './records.js';

/** Lookups over an organization, built once. */
export interface Topology {
  readonly org: Org;
  readonly roles: ReadonlyMap<string, ReadonlyMap<EniRole, readonly Eni[]>>;
  /** VPCs by region. */
  readonly byRegion: ReadonlyMap<string, readonly Vpc[]>;
}

export function buildTopology(org: Org): Topology {
  const roles = new Map<string, Map<EniRole, Eni[]>>();
  const byRegion = new Map<string, Vpc[]>();
  for (const vpc of org.vpcs) {
    const m = new Map<EniRole, Eni[]>();
    for (const e of vpc.enis) {
      const list = m.get(e.role) ?? [];
      list.push(e);
      m.set(e.role, list);
    }
    roles.set(vpc.id, m);
    const r = byRegion.get(vpc.region) ?? [];
    r.push(vpc);
    byRegion.set(vpc.region, r);
  }
  return { org, roles, byRegion };
}

/** State of one window. */
export interface WindowContext {
  readonly topo: Topology;
  readonly rng: Prng;
  /** Window start, Unix seconds. */
  readonly start: number;
  /** Aggregation interval in seconds (60 or 600). */
  readonly interval: number;
  /** Interfaces that report NODATA in this window (they carry no flows). */
  readonly idle: ReadonlySet<string>;
  readonly out: FlowRecord[];
}

/** One end of a conversation. */
export interface Ep {
  readonly ip: string;
  /** The interface, when it is one whose traffic is logged. */
  readonly eni?: Eni;
  /** AWS service name when the address is in an AWS range. */
  readonly svc?: string | null;
}

type Phase = readonly [client: number | null, server: number | null];
const PHASES: readonly (readonly [Phase, number])[] = [
  [[3, 19], 5], // opened and closed in the window (SYN+FIN / SYN-ACK+FIN)
  [[2, 18], 3], // opened
  [[0, 0], 4], // established, ACK/PSH only (reported as 0)
  [[1, 1], 2], // closed
  [[2, 4], 0.3], // reset by the server
  [[6, 22], 0.1], // SYN+RST / SYN-ACK+RST on the same line
];

export interface Conversation {
  readonly client: Ep;
  readonly server: Ep;
  readonly sport: number | null;
  readonly dport: number | null;
  readonly proto: number | null;
  readonly type?: 'IPv4' | 'IPv6' | 'EFA';
  readonly up: readonly [number, number];
  /** Response packets/bytes; null when nothing comes back. */
  readonly down: readonly [number, number] | null;
  readonly flags?: Phase;
  readonly pathClient?: number | null;
  readonly pathServer?: number | null;
  /** `in`: the server's security group/NACL rejects the request; `reply`: its NACL drops the reply. */
  readonly reject?: 'in' | 'reply';
  readonly rejectReason?: string | null;
  readonly nextHopClient?: Eni | null;
}

export function logged(ctx: WindowContext, eni: Eni | undefined): eni is Eni {
  return eni !== undefined && !ctx.idle.has(eni.id);
}

function vpcOf(ctx: WindowContext, eni: Eni): Vpc {
  return ctx.topo.org.vpcById.get(eni.vpcId)!;
}

const NO_FLAGS: Phase = [null, null];
const ZERO_FLAGS: Phase = [0, 0];

/** Appends one record (positional, so every FlowSpec has the same shape). */
export function put(
  ctx: WindowContext,
  eni: Eni,
  src: string,
  dst: string,
  sport: number | null,
  dport: number | null,
  proto: number | null,
  packets: number,
  bytes: number,
  start: number,
  end: number,
  action: 'ACCEPT' | 'REJECT',
  flags: number | null,
  dir: 'ingress' | 'egress',
  type: 'IPv4' | 'IPv6' | 'EFA',
  pktSrc: string,
  pktDst: string,
  srcSvc: string | null,
  dstSvc: string | null,
  path: number | null,
  rejectReason: string | null,
  nextHop: Eni | null,
): void {
  const f: FlowSpec = {
    src,
    dst,
    sport,
    dport,
    proto,
    packets,
    bytes,
    start,
    end,
    action,
    flags,
    dir,
    type,
    pktSrc,
    pktDst,
    srcSvc,
    dstSvc,
    path,
    rejectReason,
    nextHop,
  };
  ctx.out.push(makeRecord(eni, vpcOf(ctx, eni), f));
}

export function times(ctx: WindowContext): [number, number] {
  const half = Math.floor(ctx.interval / 2);
  const s = ctx.start + ctx.rng.int(0, half);
  return [s, Math.min(ctx.start + ctx.interval - 1, s + ctx.rng.int(0, half))];
}

/** Ephemeral client port (Linux range). */
export function eph(rng: Prng): number {
  return rng.int(32768, 60999);
}

/** Writes a conversation on the logged interfaces at both ends. */
export function converse(ctx: WindowContext, c: Conversation): void {
  const rng = ctx.rng;
  const flags = c.proto === 6 ? (c.flags ?? rng.weighted(PHASES)) : c.proto === null ? NO_FLAGS : ZERO_FLAGS;
  const type = c.type ?? (c.client.ip.includes(':') ? 'IPv6' : 'IPv4');
  const [start, end] = times(ctx);
  const cIp = c.client.ip;
  const sIp = c.server.ip;
  const cSvc = c.client.svc ?? null;
  const sSvc = c.server.svc ?? null;
  const down = c.down;
  const replied = down !== null && c.reject === undefined;
  const [upP, upB] = c.up;
  if (logged(ctx, c.client.eni)) {
    const hop = c.nextHopClient ?? null;
    const eni = c.client.eni;
    put(
      ctx,
      eni,
      cIp,
      sIp,
      c.sport,
      c.dport,
      c.proto,
      upP,
      upB,
      start,
      end,
      'ACCEPT',
      flags[0],
      'egress',
      type,
      cIp,
      sIp,
      cSvc,
      sSvc,
      c.pathClient ?? null,
      null,
      hop,
    );
    if (replied) {
      put(
        ctx,
        eni,
        sIp,
        cIp,
        c.dport,
        c.sport,
        c.proto,
        down[0],
        down[1],
        start,
        end,
        'ACCEPT',
        flags[1],
        'ingress',
        type,
        sIp,
        cIp,
        sSvc,
        cSvc,
        null,
        null,
        hop,
      );
    }
  }
  if (logged(ctx, c.server.eni)) {
    const eni = c.server.eni;
    if (c.reject === 'in') {
      const p = Math.min(upP, 3);
      put(
        ctx,
        eni,
        cIp,
        sIp,
        c.sport,
        c.dport,
        c.proto,
        p,
        Math.min(upB, p > 1 ? 180 : 60),
        start,
        end,
        'REJECT',
        c.proto === 6 ? 2 : flags[0],
        'ingress',
        type,
        cIp,
        sIp,
        cSvc,
        sSvc,
        null,
        c.rejectReason ?? null,
        null,
      );
      return;
    }
    put(
      ctx,
      eni,
      cIp,
      sIp,
      c.sport,
      c.dport,
      c.proto,
      upP,
      upB,
      start,
      end,
      'ACCEPT',
      flags[0],
      'ingress',
      type,
      cIp,
      sIp,
      cSvc,
      sSvc,
      null,
      null,
      null,
    );
    if (down !== null) {
      const action = c.reject === 'reply' ? 'REJECT' : 'ACCEPT';
      put(
        ctx,
        eni,
        sIp,
        cIp,
        c.dport,
        c.sport,
        c.proto,
        down[0],
        down[1],
        start,
        end,
        action,
        flags[1],
        'egress',
        type,
        sIp,
        cIp,
        sSvc,
        cSvc,
        c.pathServer ?? null,
        null,
        null,
      );
    }
  }
}

/** Internet path code for an interface's egress: 8 (IGW, Nitro) or 2. */
export function igwPath(eni: Eni): number {
  return eni.nitro ? 8 : 2;
}

function sizes(rng: Prng, minPk: number, maxPk: number, minSize: number, maxSize: number): [number, number] {
  const p = rng.int(minPk, maxPk);
  return [p, p * rng.int(minSize, maxSize)];
}

function internetClient(rng: Prng, ipv6: boolean): Ep {
  return { ip: ipv6 ? publicIpv6(rng) : publicIpv4(rng) };
}

function roleList(ctx: WindowContext, vpc: Vpc, role: EniRole): readonly Eni[] {
  return ctx.topo.roles.get(vpc.id)?.get(role) ?? [];
}

/** An active interface of one of the roles in the VPC, or undefined. */
function peer(ctx: WindowContext, vpc: Vpc, roles: readonly EniRole[]): Eni | undefined {
  const all: Eni[] = [];
  for (const r of roles) for (const e of roleList(ctx, vpc, r)) if (!ctx.idle.has(e.id)) all.push(e);
  return all.length > 0 ? ctx.rng.pick(all) : undefined;
}

function addr(eni: Eni, v6: boolean): string {
  return v6 && eni.ipv6 ? eni.ipv6 : eni.privateIp;
}

/** Instance -> NAT gateway -> internet: records on the instance and on the NAT gateway's interface. */
export function viaNat(
  ctx: WindowContext,
  client: Eni,
  remote: Ep,
  dport: number,
  up: readonly [number, number],
  down: readonly [number, number],
): void {
  const rng = ctx.rng;
  const nat = roleList(ctx, vpcOf(ctx, client), 'nat')[0];
  const sport = eph(rng);
  const natPort = rng.int(1024, 65535);
  const [cf, sf] = rng.weighted(PHASES);
  const [start, end] = times(ctx);
  const svc = remote.svc ?? null;
  const c = client.privateIp;
  const r = remote.ip;
  const hop = nat ?? null;
  if (logged(ctx, client)) {
    // The instance sees the final destination (AWS example: flow log on the instance's ENI).
    put(
      ctx,
      client,
      c,
      r,
      sport,
      dport,
      6,
      up[0],
      up[1],
      start,
      end,
      'ACCEPT',
      cf,
      'egress',
      'IPv4',
      c,
      r,
      null,
      svc,
      1,
      null,
      hop,
    );
    put(
      ctx,
      client,
      r,
      c,
      dport,
      sport,
      6,
      down[0],
      down[1],
      start,
      end,
      'ACCEPT',
      sf,
      'ingress',
      'IPv4',
      r,
      c,
      svc,
      null,
      null,
      null,
      hop,
    );
  }
  if (nat && logged(ctx, nat)) {
    // On the NAT gateway's interface srcaddr/dstaddr are the hops, pkt-srcaddr/pkt-dstaddr the original ends.
    const n = nat.privateIp;
    put(
      ctx,
      nat,
      c,
      n,
      sport,
      dport,
      6,
      up[0],
      up[1],
      start,
      end,
      'ACCEPT',
      cf,
      'ingress',
      'IPv4',
      c,
      r,
      null,
      svc,
      null,
      null,
      null,
    );
    put(
      ctx,
      nat,
      n,
      r,
      natPort,
      dport,
      6,
      up[0],
      up[1],
      start,
      end,
      'ACCEPT',
      cf,
      'egress',
      'IPv4',
      n,
      r,
      null,
      svc,
      igwPath(nat),
      null,
      null,
    );
    put(
      ctx,
      nat,
      r,
      n,
      dport,
      natPort,
      6,
      down[0],
      down[1],
      start,
      end,
      'ACCEPT',
      sf,
      'ingress',
      'IPv4',
      r,
      n,
      svc,
      null,
      null,
      null,
      null,
    );
    put(
      ctx,
      nat,
      n,
      c,
      dport,
      sport,
      6,
      down[0],
      down[1],
      start,
      end,
      'ACCEPT',
      sf,
      'egress',
      'IPv4',
      r,
      c,
      svc,
      null,
      1,
      null,
      null,
    );
  }
}

/** Outbound call to the internet or an AWS public endpoint: direct (public IP / IPv6) or through the NAT gateway. */
function outboundInternet(
  ctx: WindowContext,
  eni: Eni,
  remote: Ep,
  dport: number,
  up: [number, number],
  down: [number, number],
): void {
  const vpc = vpcOf(ctx, eni);
  const direct = eni.publicIp !== null || roleList(ctx, vpc, 'nat').length === 0;
  if (direct || remote.ip.includes(':')) {
    const v6 = remote.ip.includes(':');
    converse(ctx, {
      client: { ip: addr(eni, v6), eni },
      server: remote,
      sport: eph(ctx.rng),
      dport,
      proto: 6,
      up,
      down,
      pathClient: igwPath(eni),
    });
  } else {
    viaNat(ctx, eni, remote, dport, up, down);
  }
}

function awsService(ctx: WindowContext, eni: Eni, gatewayOnly: boolean): void {
  const rng = ctx.rng;
  const ranges = AWS_SERVICE_RANGES.filter((r) => r.gatewayEndpoint === gatewayOnly);
  const range = rng.pick(ranges);
  const remote: Ep = { ip: serviceIp(rng, range), svc: range.service };
  const up = sizes(rng, 4, 40, 80, 900);
  const down = sizes(rng, 4, 200, 200, 1400);
  if (range.gatewayEndpoint) {
    converse(ctx, {
      client: { ip: eni.privateIp, eni },
      server: remote,
      sport: eph(rng),
      dport: range.port,
      proto: 6,
      up,
      down,
      pathClient: eni.nitro ? 7 : 2,
    });
  } else {
    outboundInternet(ctx, eni, remote, range.port, up, down);
  }
}

function dns(ctx: WindowContext, eni: Eni): void {
  const rng = ctx.rng;
  const tcp = rng.chance(0.05);
  const n = rng.int(1, 4);
  converse(ctx, {
    client: { ip: eni.privateIp, eni },
    server: { ip: vpcOf(ctx, eni).dnsServerIp },
    sport: eph(rng),
    dport: 53,
    proto: tcp ? 6 : 17,
    up: [n, n * rng.int(60, 90)],
    down: [n, n * rng.int(90, 300)],
    pathClient: 1,
  });
}

function eastWest(
  ctx: WindowContext,
  client: Eni,
  roles: readonly EniRole[],
  ports: readonly number[],
): void {
  const rng = ctx.rng;
  const server = peer(ctx, vpcOf(ctx, client), roles);
  if (!server || server.id === client.id) return;
  const v6 = client.ipv6 !== null && server.ipv6 !== null && rng.chance(0.15);
  converse(ctx, {
    client: { ip: addr(client, v6), eni: client },
    server: { ip: addr(server, v6), eni: server },
    sport: eph(rng),
    dport: rng.pick(ports),
    proto: 6,
    up: sizes(rng, 3, 60, 80, 1200),
    down: sizes(rng, 3, 120, 100, 1400),
    pathClient: 1,
    pathServer: 1,
    ...(rng.chance(0.01) ? { reject: 'in' as const } : {}),
  });
}

/** Calls across accounts: through the transit gateway (same region) or VPC peering (traffic-path 4 / 5). */
function crossVpc(ctx: WindowContext, client: Eni): void {
  const rng = ctx.rng;
  const org = ctx.topo.org;
  const others = org.vpcs.filter((v) => v.id !== client.vpcId);
  if (others.length === 0) return;
  const target = rng.pick(others);
  const server = peer(ctx, target, ['app', 'db', 'web']);
  if (!server) return;
  const sameRegion = target.region === client.region;
  const tgw = roleList(ctx, target, 'tgw')[0];
  const port = server.role === 'db' ? 5432 : 8443;
  const sport = eph(rng);
  const up = sizes(rng, 3, 40, 80, 900);
  const down = sizes(rng, 3, 80, 100, 1400);
  if (sameRegion && tgw && rng.chance(0.6)) {
    converse(ctx, {
      client: { ip: client.privateIp, eni: client },
      server: { ip: server.privateIp, eni: server },
      sport,
      dport: port,
      proto: 6,
      up,
      down,
      pathClient: 1,
      pathServer: 1,
      flags: [3, 19],
    });
    if (logged(ctx, tgw)) {
      // The attachment ENI in the server's VPC forwards the request in and the reply out (AWS example, 3.7).
      const [start, end] = times(ctx);
      const c = client.privateIp;
      const sv = server.privateIp;
      const g = tgw.privateIp;
      put(
        ctx,
        tgw,
        g,
        sv,
        sport,
        port,
        6,
        up[0],
        up[1],
        start,
        end,
        'ACCEPT',
        3,
        'egress',
        'IPv4',
        c,
        sv,
        null,
        null,
        1,
        null,
        null,
      );
      put(
        ctx,
        tgw,
        sv,
        g,
        port,
        sport,
        6,
        down[0],
        down[1],
        start,
        end,
        'ACCEPT',
        19,
        'ingress',
        'IPv4',
        sv,
        c,
        null,
        null,
        null,
        null,
        null,
      );
    }
    return;
  }
  const path = sameRegion ? 4 : 5;
  converse(ctx, {
    client: { ip: client.privateIp, eni: client },
    server: { ip: server.privateIp, eni: server },
    sport,
    dport: port,
    proto: 6,
    up,
    down,
    pathClient: path,
    pathServer: path,
  });
}

function onPrem(ctx: WindowContext, eni: Eni, path: 3 | 6): void {
  const rng = ctx.rng;
  converse(ctx, {
    client: { ip: eni.privateIp, eni },
    server: { ip: `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}` },
    sport: eph(rng),
    dport: rng.pick([1433, 443, 389, 8080]),
    proto: 6,
    up: sizes(rng, 3, 50, 80, 900),
    down: sizes(rng, 3, 80, 100, 1400),
    pathClient: path,
  });
}

/** Internet-initiated traffic to an interface with a public address; BPA VPCs reject it (reject-reason BPA). */
function inboundInternet(ctx: WindowContext, eni: Eni, dport: number, proto: 6 | 17, wanted: boolean): void {
  const rng = ctx.rng;
  const vpc = vpcOf(ctx, eni);
  const v6 = eni.ipv6 !== null && rng.chance(0.15);
  const bpa = vpc.blockPublicAccess && (eni.role === 'bastion' || eni.role === 'edge');
  const client = internetClient(rng, v6);
  converse(ctx, {
    client,
    server: { ip: addr(eni, v6), eni },
    sport: eph(rng),
    dport,
    proto,
    up: wanted ? sizes(rng, 4, 40, 60, 900) : [rng.int(1, 2), 60],
    down: wanted ? sizes(rng, 4, 80, 200, 1400) : null,
    pathServer: igwPath(eni),
    ...(!wanted || bpa
      ? { reject: 'in' as const, rejectReason: bpa ? 'BPA' : null, flags: [2, null] as const }
      : {}),
  });
}

function icmp(ctx: WindowContext, eni: Eni): void {
  const rng = ctx.rng;
  const v6 = eni.ipv6 !== null && rng.chance(0.3);
  const n = rng.int(1, 10);
  const size = v6 ? 104 : 84;
  const nacl = rng.chance(0.1);
  converse(ctx, {
    client: internetClient(rng, v6),
    server: { ip: addr(eni, v6), eni },
    sport: 0,
    dport: 0,
    proto: v6 ? 58 : 1,
    up: [n, n * size],
    down: [n, n * size],
    pathServer: igwPath(eni),
    ...(nacl ? { reject: 'reply' as const } : {}),
  });
}

const PROBE_PORTS: readonly (readonly [number, number])[] = [
  [22, 5],
  [3389, 4],
  [23, 1],
  [445, 1],
  [3306, 0.5],
  [5900, 0.5],
];

/** Conversations one interface initiates (or attracts) in a window, by role. */
function roleTraffic(ctx: WindowContext, eni: Eni): void {
  const rng = ctx.rng;
  switch (eni.role) {
    case 'alb': {
      const target = peer(ctx, vpcOf(ctx, eni), ['web', 'ecs']);
      const v6 = rng.chance(0.2) && eni.ipv6 !== null;
      const client = internetClient(rng, v6);
      const dport = rng.chance(0.9) ? 443 : 80;
      converse(ctx, {
        client,
        server: { ip: addr(eni, v6), eni },
        sport: eph(rng),
        dport,
        proto: 6,
        up: sizes(rng, 4, 30, 60, 900),
        down: sizes(rng, 4, 60, 200, 1400),
        pathServer: 2,
      });
      if (target) {
        converse(ctx, {
          client: { ip: eni.privateIp, eni },
          server: { ip: target.privateIp, eni: target },
          sport: eph(rng),
          dport: 8080,
          proto: 6,
          up: sizes(rng, 4, 30, 60, 900),
          down: sizes(rng, 4, 60, 200, 1400),
          pathClient: 1,
          pathServer: 1,
        });
      }
      return;
    }
    case 'nlb': {
      const client = internetClient(rng, false);
      const sport = eph(rng);
      const target = peer(ctx, vpcOf(ctx, eni), ['app']);
      converse(ctx, {
        client,
        server: { ip: eni.privateIp, eni },
        sport,
        dport: 443,
        proto: 6,
        up: sizes(rng, 4, 30, 60, 900),
        down: sizes(rng, 4, 60, 200, 1400),
        pathServer: 2,
      });
      if (target && logged(ctx, eni)) {
        const [start, end] = times(ctx);
        const ip = eni.privateIp;
        const t = target.privateIp;
        put(
          ctx,
          eni,
          ip,
          t,
          eph(rng),
          8443,
          6,
          6,
          2100,
          start,
          end,
          'ACCEPT',
          0,
          'egress',
          'IPv4',
          client.ip,
          t,
          null,
          null,
          1,
          null,
          null,
        );
      }
      return;
    }
    case 'web':
    case 'app':
    case 'ecs': {
      const kind = rng.weighted<string>([
        ['dns', 3],
        ['east', eni.role === 'web' ? 3 : 2],
        ['db', eni.role === 'web' ? 0 : 2],
        ['gateway', 1.5],
        ['service', 1],
        ['internet', 1.5],
        ['ipv6', eni.ipv6 ? 0.5 : 0],
        ['vpce', 1],
        ['cross', eni.role === 'app' ? 0.6 : 0.1],
        ['vpn', eni.role === 'app' ? 0.3 : 0],
      ]);
      if (kind === 'dns') dns(ctx, eni);
      else if (kind === 'east') eastWest(ctx, eni, ['app'], [8443, 8080, 9090]);
      else if (kind === 'db') eastWest(ctx, eni, ['db'], [5432, 3306]);
      else if (kind === 'gateway') awsService(ctx, eni, true);
      else if (kind === 'service') awsService(ctx, eni, false);
      else if (kind === 'internet')
        outboundInternet(
          ctx,
          eni,
          { ip: publicIpv4(rng) },
          443,
          sizes(rng, 4, 30, 80, 900),
          sizes(rng, 4, 90, 200, 1400),
        );
      else if (kind === 'ipv6')
        outboundInternet(
          ctx,
          eni,
          { ip: publicIpv6(rng) },
          443,
          sizes(rng, 4, 30, 80, 900),
          sizes(rng, 4, 90, 200, 1400),
        );
      else if (kind === 'vpce') eastWest(ctx, eni, ['vpce'], [443]);
      else if (kind === 'cross') crossVpc(ctx, eni);
      else onPrem(ctx, eni, 3);
      return;
    }
    case 'bastion': {
      const kind = rng.weighted<string>([
        ['probe', 4],
        ['admin', 1],
        ['icmp', 1],
        ['dns', 1],
        ['internet', 0.5],
      ]);
      if (kind === 'probe') inboundInternet(ctx, eni, rng.weighted(PROBE_PORTS), 6, false);
      else if (kind === 'admin') inboundInternet(ctx, eni, 22, 6, true);
      else if (kind === 'icmp') icmp(ctx, eni);
      else if (kind === 'dns') dns(ctx, eni);
      else
        outboundInternet(
          ctx,
          eni,
          { ip: publicIpv4(rng) },
          443,
          sizes(rng, 4, 30, 80, 900),
          sizes(rng, 4, 90, 200, 1400),
        );
      return;
    }
    case 'edge': {
      const kind = rng.weighted<string>([
        ['web', 3],
        ['probe', 1],
        ['icmp', 0.5],
        ['local', 1],
      ]);
      if (kind === 'web') inboundInternet(ctx, eni, 443, 6, true);
      else if (kind === 'probe') inboundInternet(ctx, eni, rng.weighted(PROBE_PORTS), 6, false);
      else if (kind === 'icmp') icmp(ctx, eni);
      else if (eni.sublocationType === 'outpost') onPrem(ctx, eni, 6);
      else dns(ctx, eni);
      return;
    }
    case 'hpc': {
      if (rng.chance(0.7)) {
        const peerIp = eni.privateIp.replace(/\.\d+$/, `.${rng.int(200, 250)}`);
        const n = rng.int(1000, 50000);
        converse(ctx, {
          client: { ip: eni.privateIp, eni },
          server: { ip: peerIp },
          sport: null,
          dport: null,
          proto: null,
          type: 'EFA',
          up: [n, n * 4096],
          down: [n, n * 4096],
          pathClient: 1,
        });
      } else {
        awsService(ctx, eni, true);
      }
      return;
    }
    case 'tgw': {
      // Traffic from other accounts arrives through here; crossVpc() initiated from those VPCs writes it.
      return;
    }
    case 'db':
    case 'vpce':
    case 'nat':
      // Passive: their records come from the conversations other interfaces start.
      return;
  }
}

/** Mean conversations per window an interface of each role starts, relative to the configured rate. */
export const ROLE_WEIGHT: Readonly<Record<EniRole, number>> = {
  nat: 0,
  alb: 1.3,
  web: 1,
  app: 1,
  bastion: 1,
  db: 0,
  ecs: 0.8,
  vpce: 0,
  nlb: 0.6,
  tgw: 0,
  edge: 0.8,
  hpc: 0.6,
};

/** Average records one conversation writes (over all interfaces it crosses). */
export const RECORDS_PER_CONVERSATION = 3.2;

/** Writes the background traffic of one interface for the window. */
export function interfaceTraffic(ctx: WindowContext, eni: Eni, conversations: number): void {
  for (let i = 0; i < conversations; i++) roleTraffic(ctx, eni);
}
