/**
 * Planted security incidents: an SSH brute force, a vertical port scan, a horizontal scan and a large egress
 * transfer, each written as flow records on top of the background traffic and described so tests can find them.
 */
import type { FlowRecord } from '../record.js';
import { publicIpv4 } from './addresses.js';
import { converse, type Topology, viaNat, type WindowContext } from './conversation.js';
import type { Eni, Org } from './org.js';
import { Prng } from './prng.js';

/** Kinds of planted incidents. */
export type IncidentKind = 'ssh-bruteforce' | 'port-scan' | 'horizontal-scan' | 'large-egress';

/** One planted incident and where to find it. */
export interface PlantedIncident {
  readonly kind: IncidentKind;
  /** One sentence for reports and tests. */
  readonly description: string;
  /** Account, region, VPC and interface of the (first) target. */
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly interfaceId: string;
  /** The attacker (scans, brute force) or the instance (egress) as it appears in `srcaddr` on the target ENI. */
  readonly srcaddr: string;
  /** The victim's private address, or the internet destination of the egress transfer. */
  readonly dstaddr: string;
  /** Destination port, or null when many ports are hit. */
  readonly dstport: number | null;
  /** Distinct destination ports hit. */
  readonly ports: number;
  /** Every interface ID targeted (several for the horizontal scan). */
  readonly targets: readonly string[];
  readonly start: Date;
  /** Exclusive end: the end of the last aggregation window with incident records. */
  readonly end: Date;
  /** Records written for the incident on the target interfaces (NAT gateway copies not counted). */
  readonly records: number;
  /** Bytes in those records. */
  readonly bytes: number;
  /** Records with action REJECT among them. */
  readonly rejected: number;
}

/** Planned incidents with their records by window start (Unix seconds). */
export interface IncidentPlan {
  readonly incidents: readonly PlantedIncident[];
  readonly recordsByWindow: ReadonlyMap<number, readonly FlowRecord[]>;
  /** Interfaces that must not be idle (NODATA) in a window because an incident writes on them. */
  readonly busyByWindow: ReadonlyMap<number, ReadonlySet<string>>;
}

interface Window {
  readonly first: number;
  readonly count: number;
}

function reachable(org: Org, exclude: ReadonlySet<string>): Eni[] {
  const bpa = new Set(org.vpcs.filter((v) => v.blockPublicAccess).map((v) => v.id));
  const order = ['bastion', 'edge', 'alb', 'nlb', 'web', 'app'];
  return org.enis
    .filter((e) => !exclude.has(e.id) && e.role !== 'nat' && !bpa.has(e.vpcId))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

function windowsFor(total: number, at: number, minutes: number, interval: number): Window {
  const first = Math.min(total - 1, Math.floor(total * at));
  const count = Math.max(1, Math.min(total - first, Math.ceil((minutes * 60) / interval)));
  return { first, count };
}

/**
 * Plans the incidents for windows `[startSec, startSec + windows * interval)` and generates their records.
 */
export function planIncidents(
  topo: Topology,
  seed: number | string,
  startSec: number,
  windows: number,
  interval: number,
): IncidentPlan {
  const org = topo.org;
  const rng = new Prng(seed, 'incidents');
  const recordsByWindow = new Map<number, FlowRecord[]>();
  const busyByWindow = new Map<number, Set<string>>();
  const incidents: PlantedIncident[] = [];
  const perMinute = interval / 60;

  const run = (
    kind: IncidentKind,
    w: Window,
    targets: readonly Eni[],
    describe: (r: { records: number; bytes: number; rejected: number; ports: number }) => string,
    attacker: string,
    dst: string,
    dstport: number | null,
    body: (ctx: WindowContext, index: number) => void,
  ): void => {
    const ids = new Set(targets.map((t) => t.id));
    let records = 0;
    let bytes = 0;
    let rejected = 0;
    const ports = new Set<number>();
    for (let i = 0; i < w.count; i++) {
      const ws = startSec + (w.first + i) * interval;
      const out = recordsByWindow.get(ws) ?? [];
      const ctx: WindowContext = {
        topo,
        rng: new Prng(seed, kind, i),
        start: ws,
        interval,
        idle: new Set(),
        out,
      };
      const before = out.length;
      body(ctx, i);
      for (let k = before; k < out.length; k++) {
        const r = out[k];
        if (!ids.has(r['interface-id'] as string)) continue;
        records++;
        bytes += r.bytes as number;
        if (r.action === 'REJECT') rejected++;
        if (r['flow-direction'] === (kind === 'large-egress' ? 'egress' : 'ingress'))
          ports.add(r.dstport as number);
      }
      recordsByWindow.set(ws, out);
      const busy = busyByWindow.get(ws) ?? new Set<string>();
      for (const k of ids) busy.add(k);
      busyByWindow.set(ws, busy);
    }
    const t = targets[0];
    const stats = { records, bytes, rejected, ports: ports.size };
    incidents.push({
      kind,
      description: describe(stats),
      accountId: t.accountId,
      region: t.region,
      vpcId: t.vpcId,
      interfaceId: t.id,
      srcaddr: attacker,
      dstaddr: dst,
      dstport,
      targets: targets.map((x) => x.id),
      start: new Date((startSec + w.first * interval) * 1000),
      end: new Date((startSec + (w.first + w.count) * interval) * 1000),
      ...stats,
    });
  };

  const used = new Set<string>();
  // 1. SSH brute force: one public IP, many short connections to port 22 of a bastion.
  const sshTarget = reachable(org, used)[0];
  if (sshTarget) {
    used.add(sshTarget.id);
    const attacker = publicIpv4(rng);
    run(
      'ssh-bruteforce',
      windowsFor(windows, 0.2, 20, interval),
      [sshTarget],
      (s) =>
        `SSH brute force: ${s.records} records (${s.rejected} rejected) from ${attacker} to port 22 of ${sshTarget.id}.`,
      attacker,
      sshTarget.privateIp,
      22,
      (ctx) => {
        const n = Math.round(30 * perMinute);
        for (let k = 0; k < n; k++) {
          const p = ctx.rng.int(8, 24);
          converse(ctx, {
            client: { ip: attacker },
            server: { ip: sshTarget.privateIp, eni: sshTarget },
            sport: ctx.rng.int(32768, 60999),
            dport: 22,
            proto: 6,
            up: [p, p * ctx.rng.int(80, 160)],
            down: [p, p * ctx.rng.int(90, 200)],
            flags: [3, 19],
            pathServer: sshTarget.nitro ? 8 : 2,
            ...(ctx.rng.chance(0.2) ? { reject: 'in' as const } : {}),
          });
        }
      },
    );
  }
  // 2. Vertical port scan: one IP, ports 1..1024 and a few high ones, of one host, mostly rejected.
  const scanTarget =
    reachable(org, used).find((e) => e.accountId !== sshTarget?.accountId) ?? reachable(org, used)[0];
  if (scanTarget) {
    used.add(scanTarget.id);
    const scanner = publicIpv4(rng);
    const ports = [
      ...Array.from({ length: 1024 }, (_, i) => i + 1),
      1433,
      3306,
      3389,
      5432,
      5900,
      6379,
      8080,
      8443,
      9200,
      27017,
    ];
    const open = new Set([22, 443]);
    const w = windowsFor(windows, 0.45, 5, interval);
    const perWindow = Math.ceil(ports.length / w.count);
    run(
      'port-scan',
      w,
      [scanTarget],
      (s) =>
        `Port scan: ${scanner} probed ${s.ports} ports of ${scanTarget.id} (${s.rejected} of ${s.records} records rejected).`,
      scanner,
      scanTarget.privateIp,
      null,
      (ctx, i) => {
        for (const port of ports.slice(i * perWindow, (i + 1) * perWindow)) {
          converse(ctx, {
            client: { ip: scanner },
            server: { ip: scanTarget.privateIp, eni: scanTarget },
            sport: 54321,
            dport: port,
            proto: 6,
            up: [1, 44],
            down: [1, 40],
            flags: [4 | 2, 18],
            pathServer: scanTarget.nitro ? 8 : 2,
            ...(open.has(port) ? {} : { reject: 'in' as const }),
          });
        }
      },
    );
  }
  // 3. Horizontal scan: one IP, port 3389 on every internet-facing interface of the organization.
  const faces = org.enis.filter((e) => e.publicIp !== null && e.role !== 'nat');
  if (faces.length > 0) {
    const scanner = publicIpv4(rng);
    run(
      'horizontal-scan',
      windowsFor(windows, 0.55, 2, interval),
      faces,
      (s) =>
        `Horizontal scan: ${scanner} tried port 3389 on ${faces.length} interfaces (${s.rejected} rejected).`,
      scanner,
      faces[0].privateIp,
      3389,
      (ctx, i) => {
        if (i > 0) return;
        for (const eni of faces) {
          const bpa =
            org.vpcById.get(eni.vpcId)?.blockPublicAccess === true &&
            (eni.role === 'bastion' || eni.role === 'edge');
          converse(ctx, {
            client: { ip: scanner },
            server: { ip: eni.privateIp, eni },
            sport: ctx.rng.int(40000, 65000),
            dport: 3389,
            proto: 6,
            up: [1, 44],
            down: null,
            flags: [2, null],
            reject: 'in',
            rejectReason: bpa ? 'BPA' : null,
          });
        }
      },
    );
  }
  // 4. Large egress: one instance uploads tens of GB to one internet address through the NAT gateway.
  const source =
    org.enis.find(
      (e) => (e.role === 'app' || e.role === 'web') && e.instanceId !== null && !used.has(e.id),
    ) ?? org.enis.find((e) => e.instanceId !== null && !used.has(e.id));
  if (source) {
    const sink = publicIpv4(rng);
    run(
      'large-egress',
      windowsFor(windows, 0.65, 30, interval),
      [source],
      (s) => `Large egress: ${source.id} sent ${(s.bytes / 1e9).toFixed(1)} GB to ${sink}:443.`,
      source.privateIp,
      sink,
      443,
      (ctx) => {
        for (let stream = 0; stream < 4; stream++) {
          const bytes = Math.round(ctx.rng.int(300, 400) * 1e6 * perMinute);
          const packets = Math.ceil(bytes / 8961);
          viaNat(
            ctx,
            source,
            { ip: sink },
            443,
            [packets, bytes],
            [Math.ceil(packets / 2), Math.ceil(packets / 2) * 52],
          );
        }
      },
    );
  }
  return { incidents, recordsByWindow, busyByWindow };
}
