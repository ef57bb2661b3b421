/** Address helpers for the generator: IPv4 arithmetic, public addresses, and AWS service ranges. */
import type { Prng } from './prng.js';

/** Dotted quad from a 32-bit integer. */
export function ipv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** 32-bit integer from a dotted quad. */
export function ipv4ToInt(ip: string): number {
  const [a, b, c, d] = ip.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** True for addresses that are not publicly routable (RFC 1918, CGNAT, loopback, link-local, multicast...). */
export function isPrivateIpv4(n: number): boolean {
  const a = n >>> 24;
  const b = (n >>> 16) & 255;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b < 128) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19 || b === 51)) ||
    (a === 203 && b === 0)
  );
}

/** A random public (globally routable) IPv4 address outside the AWS service ranges used below. */
export function publicIpv4(rng: Prng): string {
  for (;;) {
    const n = rng.u32();
    const a = n >>> 24;
    if (isPrivateIpv4(n) || a === 3 || a === 52 || a === 54 || a === 13 || a === 18) continue;
    if ((n & 255) === 0 || (n & 255) === 255) continue;
    return ipv4(n);
  }
}

/** A random global unicast IPv6 address (2000::/3) for internet clients. */
export function publicIpv6(rng: Prng): string {
  const first = rng.pick(['2a01', '2a02', '2600', '2601', '2603', '2001', '2405', '2804']);
  const groups = [first];
  for (let i = 0; i < 7; i++) groups.push(rng.int(0, 0xffff).toString(16));
  return groups.join(':');
}

/** AWS service prefixes (from the ip-ranges.json subsets) that the generator sends traffic to. */
export interface AwsServiceRange {
  /** The `service` name AWS writes in pkt-src-aws-service / pkt-dst-aws-service. */
  readonly service: string;
  /** A base address and prefix length inside the real AWS range for that service. */
  readonly base: string;
  readonly bits: number;
  /** Port clients use. */
  readonly port: number;
  /** True when reached through a gateway VPC endpoint (S3, DynamoDB). */
  readonly gatewayEndpoint: boolean;
}

/** A few well-known service ranges (us-east-1 style values; the generator uses them in every region). */
export const AWS_SERVICE_RANGES: readonly AwsServiceRange[] = [
  { service: 'S3', base: '52.216.0.0', bits: 15, port: 443, gatewayEndpoint: true },
  { service: 'DYNAMODB', base: '3.218.180.0', bits: 22, port: 443, gatewayEndpoint: true },
  { service: 'EC2', base: '54.80.0.0', bits: 13, port: 443, gatewayEndpoint: false },
  { service: 'AMAZON', base: '52.94.0.0', bits: 22, port: 443, gatewayEndpoint: false },
  { service: 'API_GATEWAY', base: '3.216.135.0', bits: 24, port: 443, gatewayEndpoint: false },
  { service: 'CLOUDFRONT', base: '13.224.0.0', bits: 14, port: 443, gatewayEndpoint: false },
  { service: 'ROUTE53_HEALTHCHECKS', base: '54.243.31.192', bits: 26, port: 443, gatewayEndpoint: false },
];

/** A random address inside a service range. */
export function serviceIp(rng: Prng, range: AwsServiceRange): string {
  const size = 2 ** (32 - range.bits);
  return ipv4((ipv4ToInt(range.base) + rng.int(1, size - 2)) >>> 0);
}

/** Availability Zone ID prefix for a region, as AWS spells it (`us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`). */
export function azIdPrefix(region: string): string {
  const parts = region.split('-');
  const num = parts[parts.length - 1];
  const dirs: Record<string, string> = {
    east: 'e',
    west: 'w',
    north: 'n',
    south: 's',
    central: 'c',
    northeast: 'ne',
    northwest: 'nw',
    southeast: 'se',
    southwest: 'sw',
  };
  const middle = parts
    .slice(1, -1)
    .map((p) => dirs[p] ?? p[0])
    .join('');
  return `${parts[0]}${middle}${num}`;
}
