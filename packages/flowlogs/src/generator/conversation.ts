/**
 * Conversations and how VPC Flow Logs records them: each direction is its own record, written on every logged
 * interface the conversation crosses (client, server, NAT gateway, transit gateway, load balancer).
 */
import type { FlowRecord } from '../record.js';
import { publicIpv4, publicIpv6 } from './addresses.js';
import type { Eni, EniRole, Org, Vpc } from './org.js';
import type { Prng } from './prng.js';
import { type Leg, makeRecord, type Placement, type Shared } from './records.js';

/** Lookups over an organization, built once. */
export interface Topology {
  readonly org: Org;
  /** Interfaces by VPC ID and role. */
  readonly roles: ReadonlyMap<string, ReadonlyMap<EniRole, readonly Eni[]>>;
}

export function buildTopology(org: Org): Topology {
  const roles = new Map<string, Map<EniRole, Eni[]>>();
  for (const vpc of org.vpcs) {
    const m = new Map<EniRole, Eni[]>();
    for (const e of vpc.enis) m.set(e.role, [...(m.get(e.role) ?? []), e]);
    roles.set(vpc.id, m);
  }
  return { org, roles };
}

/** State of one aggregation window. */
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

/** tcp-flags of the client's and the server's direction. */
export type Phase = readonly [client: number | null, server: number | null];

/** TCP connection phases within one window, by weight. ACK/PSH alone report 0; RST+ACK reports 4. */
export const PHASES: readonly (readonly [Phase, number])[] = [
  [[3, 19], 5], // opened and closed in the window (SYN+FIN / SYN-ACK+FIN)
  [[2, 18], 3], // opened
  [[0, 0], 4], // established, ACK/PSH only
  [[1, 1], 2], // closed
  [[2, 4], 0.3], // reset by the server
  [[6, 22], 0.1], // SYN+RST / SYN-ACK+RST on the same line
];
const NO_FLAGS: Phase = [null, null];
const ZERO_FLAGS: Phase = [0, 0];

/** A conversation between two ends. */
export interface Conversation {
  readonly client: Ep;
  readonly server: Ep;
  readonly sport: number | null;
  readonly dport: number | null;
  readonly proto: number | null;
  /** Default: IPv6 when the client address has a colon, else IPv4. */
  readonly type?: 'IPv4' | 'IPv6' | 'EFA';
  /** Request packets and bytes. */
  readonly up: readonly [number, number];
  /** Response packets and bytes; null when nothing comes back. */
  readonly down: readonly [number, number] | null;
  /** Default: a random phase for TCP, 0 for UDP/ICMP, `-` when there is no protocol (EFA). */
  readonly flags?: Phase;
  readonly pathClient?: number | null;
  readonly pathServer?: number | null;
  /** `in`: the server's security group/NACL rejects the request; `reply`: its NACL drops the reply. */
  readonly reject?: 'in' | 'reply';
  readonly rejectReason?: string | null;
  readonly nextHopClient?: Eni | null;
}

/** True when the interface is logged and active in this window. */
export function logged(ctx: WindowContext, eni: Eni | undefined): eni is Eni {
  return eni !== undefined && !ctx.idle.has(eni.id);
}

export function vpcOf(ctx: WindowContext, eni: Eni): Vpc {
  return ctx.topo.org.vpcById.get(eni.vpcId)!;
}

export function roleList(ctx: WindowContext, vpc: Vpc, role: EniRole): readonly Eni[] {
  return ctx.topo.roles.get(vpc.id)?.get(role) ?? [];
}

/** An active interface of one of the roles in the VPC, or undefined. */
export function peer(ctx: WindowContext, vpc: Vpc, roles: readonly EniRole[]): Eni | undefined {
  const all: Eni[] = [];
  for (const r of roles) for (const e of roleList(ctx, vpc, r)) if (!ctx.idle.has(e.id)) all.push(e);
  return all.length > 0 ? ctx.rng.pick(all) : undefined;
}

/** The interface's IPv6 address when asked and present, else its private IPv4 address. */
export function addr(eni: Eni, v6: boolean): string {
  return v6 && eni.ipv6 ? eni.ipv6 : eni.privateIp;
}

/** First and last packet time within the window. */
export function times(ctx: WindowContext): [number, number] {
  const half = Math.floor(ctx.interval / 2);
  const s = ctx.start + ctx.rng.int(0, half);
  return [s, Math.min(ctx.start + ctx.interval - 1, s + ctx.rng.int(0, half))];
}

/** Ephemeral client port (Linux range). */
export function eph(rng: Prng): number {
  return rng.int(32768, 60999);
}

/** Internet path code for an interface's egress: 8 (IGW, Nitro) or 2. */
export function igwPath(eni: Eni): number {
  return eni.nitro ? 8 : 2;
}

/** [packets, bytes] with packets in [minPk, maxPk] and a mean packet size in [minSize, maxSize]. */
export function sizes(
  rng: Prng,
  minPk: number,
  maxPk: number,
  minSize: number,
  maxSize: number,
): [number, number] {
  const p = rng.int(minPk, maxPk);
  return [p, p * rng.int(minSize, maxSize)];
}

export function internetClient(rng: Prng, ipv6: boolean): Ep {
  return { ip: ipv6 ? publicIpv6(rng) : publicIpv4(rng) };
}

/** A leg; packet-level addresses default to src/dst. */
export function leg(
  src: string,
  dst: string,
  sport: number | null,
  dport: number | null,
  [packets, bytes]: readonly [number, number],
  flags: number | null,
  svc: readonly [src: string | null, dst: string | null] = NO_SVC,
  pkt: readonly [src: string, dst: string] = [src, dst],
): Leg {
  return {
    src,
    dst,
    sport,
    dport,
    packets,
    bytes,
    flags,
    pktSrc: pkt[0],
    pktDst: pkt[1],
    srcSvc: svc[0],
    dstSvc: svc[1],
  };
}
const NO_SVC = [null, null] as const;

/** Appends the record of `l` as seen on `eni`. */
export function put(
  ctx: WindowContext,
  eni: Eni,
  s: Shared,
  l: Leg,
  dir: 'ingress' | 'egress',
  path: number | null = null,
  more: Partial<Omit<Placement, 'dir' | 'path'>> = {},
): void {
  const p: Placement = {
    dir,
    path,
    action: more.action ?? 'ACCEPT',
    rejectReason: more.rejectReason ?? null,
    nextHop: more.nextHop ?? null,
  };
  ctx.out.push(makeRecord(eni, vpcOf(ctx, eni), s, l, p));
}

/** Writes a conversation on the logged interfaces at both ends. */
export function converse(ctx: WindowContext, c: Conversation): void {
  const rng = ctx.rng;
  const flags = c.proto === 6 ? (c.flags ?? rng.weighted(PHASES)) : c.proto === null ? NO_FLAGS : ZERO_FLAGS;
  const [start, end] = times(ctx);
  const s: Shared = {
    proto: c.proto,
    type: c.type ?? (c.client.ip.includes(':') ? 'IPv6' : 'IPv4'),
    start,
    end,
  };
  const cIp = c.client.ip;
  const sIp = c.server.ip;
  const svc = [c.client.svc ?? null, c.server.svc ?? null] as const;
  const request = leg(cIp, sIp, c.sport, c.dport, c.up, flags[0], svc);
  const reply = c.down && leg(sIp, cIp, c.dport, c.sport, c.down, flags[1], [svc[1], svc[0]]);
  if (logged(ctx, c.client.eni)) {
    const nextHop = c.nextHopClient ?? null;
    put(ctx, c.client.eni, s, request, 'egress', c.pathClient ?? null, { nextHop });
    if (reply && c.reject === undefined) put(ctx, c.client.eni, s, reply, 'ingress', null, { nextHop });
  }
  if (!logged(ctx, c.server.eni)) return;
  if (c.reject === 'in') {
    // A rejected SYN (or datagram) is a packet or three, never answered.
    const p = Math.min(c.up[0], 3);
    const denied = leg(
      cIp,
      sIp,
      c.sport,
      c.dport,
      [p, Math.min(c.up[1], p > 1 ? 180 : 60)],
      c.proto === 6 ? 2 : flags[0],
      svc,
    );
    put(ctx, c.server.eni, s, denied, 'ingress', null, {
      action: 'REJECT',
      rejectReason: c.rejectReason ?? null,
    });
    return;
  }
  put(ctx, c.server.eni, s, request, 'ingress');
  if (reply) {
    put(ctx, c.server.eni, s, reply, 'egress', c.pathServer ?? null, {
      action: c.reject === 'reply' ? 'REJECT' : 'ACCEPT',
    });
  }
}

/**
 * Instance -> NAT gateway -> internet. The instance's records name the internet host; on the NAT gateway's interface
 * srcaddr/dstaddr are the hops and pkt-srcaddr/pkt-dstaddr the original ends (AWS's NAT gateway example).
 */
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
  const s: Shared = { proto: 6, type: 'IPv4', start, end };
  const out = [null, remote.svc ?? null] as const;
  const back = [remote.svc ?? null, null] as const;
  const c = client.privateIp;
  const r = remote.ip;
  if (logged(ctx, client)) {
    const nextHop = nat ?? null;
    put(ctx, client, s, leg(c, r, sport, dport, up, cf, out), 'egress', 1, { nextHop });
    put(ctx, client, s, leg(r, c, dport, sport, down, sf, back), 'ingress', null, { nextHop });
  }
  if (nat && logged(ctx, nat)) {
    const n = nat.privateIp;
    put(ctx, nat, s, leg(c, n, sport, dport, up, cf, out, [c, r]), 'ingress');
    put(ctx, nat, s, leg(n, r, natPort, dport, up, cf, out), 'egress', igwPath(nat));
    put(ctx, nat, s, leg(r, n, dport, natPort, down, sf, back), 'ingress');
    put(ctx, nat, s, leg(n, c, dport, sport, down, sf, back, [r, c]), 'egress', 1);
  }
}
