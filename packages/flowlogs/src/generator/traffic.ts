/**
 * Background traffic of one aggregation window: every interface starts conversations that fit its role (web and API
 * traffic, DNS, AWS services, NAT, cross-account calls, probes, ICMP, EFA).
 */
import { AWS_SERVICE_RANGES, publicIpv4, publicIpv6, serviceIp } from './addresses.js';
import {
  addr,
  converse,
  type Ep,
  eph,
  igwPath,
  internetClient,
  leg,
  logged,
  peer,
  put,
  roleList,
  sizes,
  times,
  viaNat,
  vpcOf,
  type WindowContext,
} from './conversation.js';
import type { Eni, EniRole } from './org.js';
import type { Shared } from './records.js';

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

/** An HTTPS call to a random internet host (IPv6 goes out through the egress-only gateway, IPv4 via NAT). */
function httpsOut(ctx: WindowContext, eni: Eni, v6: boolean): void {
  const rng = ctx.rng;
  const remote = { ip: v6 ? publicIpv6(rng) : publicIpv4(rng) };
  outboundInternet(ctx, eni, remote, 443, sizes(rng, 4, 30, 80, 900), sizes(rng, 4, 90, 200, 1400));
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
  const viaTgw = sameRegion && tgw !== undefined && rng.chance(0.6);
  // Through the transit gateway the path is "another resource in the VPC" (its attachment ENI); else peering.
  const path = viaTgw ? 1 : sameRegion ? 4 : 5;
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
    ...(viaTgw ? { flags: [3, 19] as const } : {}),
  });
  if (viaTgw && logged(ctx, tgw)) {
    // The attachment ENI in the server's VPC forwards the request in and the reply out (AWS example, 3.7).
    const [start, end] = times(ctx);
    const sh: Shared = { proto: 6, type: 'IPv4', start, end };
    const c = client.privateIp;
    const sv = server.privateIp;
    const g = tgw.privateIp;
    put(ctx, tgw, sh, leg(g, sv, sport, port, up, 3, undefined, [c, sv]), 'egress', 1);
    put(ctx, tgw, sh, leg(sv, g, port, sport, down, 19, undefined, [sv, c]), 'ingress');
  }
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
        // The NLB node forwards to the target; pkt-srcaddr keeps the client's address.
        const [start, end] = times(ctx);
        const sh: Shared = { proto: 6, type: 'IPv4', start, end };
        const t = target.privateIp;
        put(
          ctx,
          eni,
          sh,
          leg(eni.privateIp, t, eph(rng), 8443, [6, 2100], 0, undefined, [client.ip, t]),
          'egress',
          1,
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
      else if (kind === 'internet') httpsOut(ctx, eni, false);
      else if (kind === 'ipv6') httpsOut(ctx, eni, true);
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
      else httpsOut(ctx, eni, false);
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
