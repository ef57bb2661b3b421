import type { CatalogQuery } from './types.js';

const SCOPE = ['since', 'until', 'accounts', 'regions', 'vpcs', 'limit'] as const;

/** Destination ports that should never be open to the internet: remote administration and databases. */
export const SENSITIVE_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle',
  2049: 'NFS',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5439: 'Redshift',
  5984: 'CouchDB',
  6379: 'Redis',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

/** A source contacting at least this many distinct hosts on one port (or ports on one host) is a scan suspect. */
export const SCAN_THRESHOLD = 20;

const PORTS = Object.keys(SENSITIVE_PORTS).join(', ');

/**
 * SQL of a scan query: sources whose connection attempts (source port above destination port, so replies are left
 * out) reach {@link SCAN_THRESHOLD} distinct `distinct` values per (srcaddr, `peer`) group. `sql` is the shared
 * template; `duckdbSql` counts distinct values only for groups with enough flows to reach the threshold.
 */
function scanSql(
  peer: 'dstaddr' | 'dstport',
  distinct: 'dstaddr' | 'dstport',
  alias: string,
  extraFilter = '',
): { sql: string; duckdbSql: string } {
  const where = `{{filter}} AND protocol IN (6, 17) AND dstport IS NOT NULL AND srcport > dstport${extraFilter}`;
  const select = `SELECT srcaddr, ${peer}, count(DISTINCT ${distinct}) AS ${alias}, count(*) AS flows,
  sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected`;
  const tail = `GROUP BY srcaddr, ${peer}
HAVING count(DISTINCT ${distinct}) >= ${SCAN_THRESHOLD}
ORDER BY ${alias} DESC, srcaddr, ${peer}
LIMIT {{limit}}`;
  return {
    sql: `${select}
FROM {{flows}}
WHERE ${where}
${tail}`,
    duckdbSql: `WITH f AS MATERIALIZED (
  SELECT srcaddr, ${peer}, ${distinct}, action FROM {{flows}}
  WHERE ${where}
), candidates AS (
  SELECT srcaddr, ${peer} FROM f GROUP BY srcaddr, ${peer} HAVING count(*) >= ${SCAN_THRESHOLD}
)
${select}
FROM f SEMI JOIN candidates USING (srcaddr, ${peer})
${tail}`,
  };
}

/**
 * The query catalog: security and operations questions over centralized VPC Flow Logs. The same SQL runs on Athena
 * (named queries in the workgroup, `flowlake query --engine athena`) and on DuckDB (`flowlake query`, the report).
 */
export const QUERY_CATALOG: readonly CatalogQuery[] = [
  {
    name: 'traffic-over-time',
    title: 'Traffic over time, accepted vs rejected',
    purpose:
      'Bytes, packets and flows per hour split by action (ACCEPT/REJECT). A sudden rise in rejected flows ' +
      'often means a scan or a misconfigured security group.',
    parameters: SCOPE,
    columns: ['hour', 'action', 'bytes', 'packets', 'flows'],
    sql: `SELECT {{hour:start}} AS hour, action, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows
FROM {{flows}}
WHERE {{filter}} AND action IS NOT NULL
GROUP BY 1, 2
ORDER BY hour, action`,
  },
  {
    name: 'top-talkers',
    title: 'Top talkers by bytes',
    purpose: 'Source/destination address pairs that moved the most bytes (accepted traffic).',
    parameters: SCOPE,
    columns: ['srcaddr', 'dstaddr', 'bytes', 'packets', 'flows'],
    sql: `SELECT srcaddr, dstaddr, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows
FROM {{flows}}
WHERE {{filter}} AND action = 'ACCEPT'
GROUP BY srcaddr, dstaddr
ORDER BY bytes DESC, srcaddr, dstaddr
LIMIT {{limit}}`,
  },
  {
    name: 'top-rejected',
    title: 'Top rejected source, destination and port',
    purpose:
      'Rejected flows grouped by source, destination, destination port and protocol: who keeps knocking on ' +
      'closed doors, and which doors.',
    parameters: SCOPE,
    columns: ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'flows', 'packets'],
    sql: `SELECT srcaddr, dstaddr, dstport, protocol, count(*) AS flows, sum(packets) AS packets
FROM {{flows}}
WHERE {{filter}} AND action = 'REJECT'
GROUP BY srcaddr, dstaddr, dstport, protocol
ORDER BY flows DESC, packets DESC, srcaddr, dstaddr, dstport
LIMIT {{limit}}`,
  },
  {
    name: 'rejected-ports',
    title: 'Rejected destination ports',
    purpose: 'Destination ports with the most rejected flows and distinct sources.',
    parameters: SCOPE,
    columns: ['dstport', 'protocol', 'flows', 'sources'],
    sql: `SELECT dstport, protocol, count(*) AS flows, count(DISTINCT srcaddr) AS sources
FROM {{flows}}
WHERE {{filter}} AND action = 'REJECT'
GROUP BY dstport, protocol
ORDER BY flows DESC, dstport
LIMIT {{limit}}`,
  },
  {
    name: 'inbound-sensitive-ports',
    title: 'Inbound SSH, RDP and database ports from the internet',
    purpose:
      `Flows from public addresses to remote-administration and database ports (${PORTS}). ` +
      'Accepted rows mean the port is reachable from the internet; rejected rows show who tries.',
    parameters: SCOPE,
    columns: ['dstaddr', 'dstport', 'action', 'sources', 'flows', 'bytes'],
    sql: `SELECT dstaddr, dstport, action, count(DISTINCT srcaddr) AS sources, count(*) AS flows, sum(bytes) AS bytes
FROM {{flows}}
WHERE {{filter}} AND protocol = 6 AND dstport IN (${PORTS})
  AND NOT {{internal:srcaddr}} AND (flow_direction = 'ingress' OR flow_direction IS NULL)
GROUP BY dstaddr, dstport, action
ORDER BY flows DESC, dstaddr, dstport, action
LIMIT {{limit}}`,
  },
  {
    name: 'port-scan-horizontal',
    title: 'Horizontal port scans',
    purpose:
      `Sources that contacted at least ${SCAN_THRESHOLD} distinct hosts of our network on the same destination ` +
      'port (a sweep for one service). Only connection attempts count: the source port is above the destination ' +
      'port, so replies (from a service port to an ephemeral port) are left out.',
    parameters: SCOPE,
    columns: ['srcaddr', 'dstport', 'hosts', 'flows', 'rejected'],
    ...scanSql('dstport', 'dstaddr', 'hosts', ' AND {{internal:dstaddr}}'),
  },
  {
    name: 'port-scan-vertical',
    title: 'Vertical port scans',
    purpose:
      `Sources that contacted at least ${SCAN_THRESHOLD} distinct ports on one destination host ` +
      '(probing a host for open services; an internal source probing an outside host is a compromised-host sign). ' +
      'Replies (service port to ephemeral port) are left out.',
    parameters: SCOPE,
    columns: ['srcaddr', 'dstaddr', 'ports', 'flows', 'rejected'],
    ...scanSql('dstaddr', 'dstport', 'ports'),
  },
  {
    name: 'egress-to-internet',
    title: 'Egress volume to the internet by account and instance',
    purpose:
      'Accepted bytes leaving toward public addresses, per account and the interface and instance that sent them. ' +
      'Forwarding interfaces (NAT gateways, transit gateway attachments: their inbound packets are addressed beyond ' +
      'them, pkt-dstaddr <> dstaddr) are left out so traffic is not counted twice. Large or new entries can mean ' +
      'data exfiltration or a runaway job.',
    parameters: SCOPE,
    columns: ['account', 'interface_id', 'instance_id', 'bytes', 'packets', 'destinations'],
    sql: `WITH forwarders AS (
  SELECT DISTINCT n.interface_id FROM {{flows}} n
  WHERE {{filter:n}} AND n.flow_direction = 'ingress' AND n.pkt_dstaddr <> n.dstaddr AND n.interface_id IS NOT NULL
)
SELECT aws_account_id AS account, interface_id, instance_id, sum(bytes) AS bytes, sum(packets) AS packets,
  count(DISTINCT dstaddr) AS destinations
FROM {{flows}}
WHERE {{filter}} AND action = 'ACCEPT' AND NOT {{internal:dstaddr}}
  AND (flow_direction = 'egress' OR (flow_direction IS NULL AND {{internal:srcaddr}}))
  AND interface_id NOT IN (SELECT interface_id FROM forwarders)
GROUP BY aws_account_id, interface_id, instance_id
ORDER BY bytes DESC, account, interface_id
LIMIT {{limit}}`,
  },
  {
    name: 'aws-service-traffic',
    title: 'Traffic to and from AWS services',
    purpose:
      'Bytes by AWS service (pkt-src-aws-service / pkt-dst-aws-service, from the ip-ranges.json subsets). ' +
      'Heavy S3 or DynamoDB traffic through a NAT gateway is a candidate for a gateway VPC endpoint.',
    parameters: SCOPE,
    columns: ['service', 'direction', 'bytes', 'flows'],
    sql: `SELECT coalesce(pkt_dst_aws_service, pkt_src_aws_service) AS service,
  CASE WHEN pkt_dst_aws_service IS NOT NULL THEN 'to' ELSE 'from' END AS direction,
  sum(bytes) AS bytes, count(*) AS flows
FROM {{flows}}
WHERE {{filter}} AND (pkt_dst_aws_service IS NOT NULL OR pkt_src_aws_service IS NOT NULL)
GROUP BY 1, 2
ORDER BY bytes DESC, service, direction
LIMIT {{limit}}`,
  },
  {
    name: 'nat-gateway-top-users',
    title: 'NAT gateway top users',
    purpose:
      'On NAT gateway interfaces the packet-level source (pkt-srcaddr) is the private client behind the NAT ' +
      'while dstaddr is the gateway itself: this ranks the clients that send the most bytes through each gateway.',
    parameters: SCOPE,
    columns: ['account', 'nat_interface_id', 'client', 'bytes', 'flows', 'destinations'],
    sql: `SELECT aws_account_id AS account, interface_id AS nat_interface_id, pkt_srcaddr AS client, sum(bytes) AS bytes,
  count(*) AS flows, count(DISTINCT pkt_dstaddr) AS destinations
FROM {{flows}}
WHERE {{filter}} AND action = 'ACCEPT' AND pkt_srcaddr IS NOT NULL AND pkt_dstaddr IS NOT NULL
  AND pkt_dstaddr <> dstaddr AND {{internal:pkt_srcaddr}} AND NOT {{internal:pkt_dstaddr}}
GROUP BY aws_account_id, interface_id, pkt_srcaddr
ORDER BY bytes DESC, account, nat_interface_id, client
LIMIT {{limit}}`,
  },
  {
    name: 'bpa-rejects',
    title: 'Flows rejected by VPC Block Public Access',
    purpose:
      "Flows rejected because of VPC Block Public Access (reject-reason = 'BPA', flow-log version 8). " +
      'Expected after turning BPA on; unexpected rows show workloads that still need an exclusion.',
    parameters: SCOPE,
    columns: ['account', 'vpc_id', 'srcaddr', 'dstaddr', 'dstport', 'flows'],
    sql: `SELECT aws_account_id AS account, vpc_id, srcaddr, dstaddr, dstport, count(*) AS flows
FROM {{flows}}
WHERE {{filter}} AND action = 'REJECT' AND reject_reason = 'BPA'
GROUP BY aws_account_id, vpc_id, srcaddr, dstaddr, dstport
ORDER BY flows DESC, account, vpc_id, srcaddr, dstaddr, dstport
LIMIT {{limit}}`,
  },
  {
    name: 'ipv6-share',
    title: 'IPv6 share of traffic',
    purpose: 'Per account: total bytes and flows, and the share carried over IPv6.',
    parameters: SCOPE,
    columns: ['account', 'bytes', 'ipv6_bytes', 'ipv6_share', 'flows', 'ipv6_flows'],
    sql: `SELECT aws_account_id AS account, sum(bytes) AS bytes,
  sum(CASE WHEN type = 'IPv6' OR strpos(srcaddr, ':') > 0 THEN bytes ELSE 0 END) AS ipv6_bytes,
  round(CAST(sum(CASE WHEN type = 'IPv6' OR strpos(srcaddr, ':') > 0 THEN bytes ELSE 0 END) AS double)
    / greatest(sum(bytes), 1), 4) AS ipv6_share,
  count(*) AS flows,
  sum(CASE WHEN type = 'IPv6' OR strpos(srcaddr, ':') > 0 THEN 1 ELSE 0 END) AS ipv6_flows
FROM {{flows}}
WHERE {{filter}} AND log_status = 'OK'
GROUP BY aws_account_id
ORDER BY bytes DESC, account
LIMIT {{limit}}`,
  },
  {
    name: 'delivery-health',
    title: 'Interfaces with NODATA or SKIPDATA records',
    purpose:
      'Interfaces whose records report NODATA (no traffic in the interval) or SKIPDATA (records skipped by an ' +
      'internal capacity constraint or error: data loss to investigate).',
    parameters: SCOPE,
    columns: ['account', 'interface_id', 'log_status', 'intervals', 'first_start', 'last_start'],
    sql: `SELECT aws_account_id AS account, interface_id, log_status, count(*) AS intervals, min(start) AS first_start,
  max(start) AS last_start
FROM {{flows}}
WHERE {{filter}} AND log_status IN ('NODATA', 'SKIPDATA')
GROUP BY aws_account_id, interface_id, log_status
ORDER BY log_status DESC, intervals DESC, account, interface_id
LIMIT {{limit}}`,
  },
  {
    name: 'first-seen-external-peers',
    title: 'External peers first seen late in the window',
    purpose:
      'Public addresses whose first flow falls in the last quarter of the time range (not seen earlier in it): ' +
      'new counterparties worth a look.',
    parameters: SCOPE,
    columns: ['peer', 'first_seen', 'flows', 'bytes', 'local_addresses'],
    sql: `WITH peers AS (
  SELECT CASE WHEN {{internal:srcaddr}} THEN dstaddr ELSE srcaddr END AS peer,
    CASE WHEN {{internal:srcaddr}} THEN srcaddr ELSE dstaddr END AS local_addr, start, bytes
  FROM {{flows}}
  WHERE {{filter}} AND log_status = 'OK' AND ({{internal:srcaddr}} <> {{internal:dstaddr}})
), firsts AS (
  SELECT peer, min(start) AS first_seen, max(start) AS last_seen, count(*) AS flows, sum(bytes) AS bytes,
    count(DISTINCT local_addr) AS local_addresses
  FROM peers GROUP BY peer
), bounds AS (
  SELECT min(first_seen) AS lo, max(last_seen) AS hi FROM firsts
)
SELECT peer, first_seen, flows, bytes, local_addresses
FROM firsts CROSS JOIN bounds
WHERE first_seen * 4 >= lo * 1 + hi * 3 AND hi > lo
ORDER BY first_seen DESC, bytes DESC, peer
LIMIT {{limit}}`,
    // The private-address tests run once per flow, and distinct local addresses are counted for the returned
    // peers only (not for every peer of the range).
    duckdbSql: `WITH peers AS MATERIALIZED (
  SELECT CASE WHEN src_internal THEN dstaddr ELSE srcaddr END AS peer,
    CASE WHEN src_internal THEN srcaddr ELSE dstaddr END AS local_addr, start, bytes
  FROM (
    SELECT {{internal:srcaddr}} AS src_internal, {{internal:dstaddr}} AS dst_internal, srcaddr, dstaddr, start, bytes
    FROM {{flows}}
    WHERE {{filter}} AND log_status = 'OK'
  ) flows_ok
  WHERE src_internal <> dst_internal
), firsts AS (
  SELECT peer, min(start) AS first_seen, max(start) AS last_seen, count(*) AS flows, sum(bytes) AS bytes
  FROM peers GROUP BY peer
), bounds AS (
  SELECT min(first_seen) AS lo, max(last_seen) AS hi FROM firsts
), late AS (
  SELECT peer, first_seen, flows, bytes
  FROM firsts CROSS JOIN bounds
  WHERE first_seen * 4 >= lo * 1 + hi * 3 AND hi > lo
  ORDER BY first_seen DESC, bytes DESC, peer
  LIMIT {{limit}}
), locals AS (
  SELECT peer, count(DISTINCT local_addr) AS local_addresses
  FROM peers SEMI JOIN late USING (peer)
  GROUP BY peer
)
SELECT late.peer, first_seen, flows, bytes, local_addresses
FROM late JOIN locals ON locals.peer = late.peer
ORDER BY first_seen DESC, bytes DESC, peer
LIMIT {{limit}}`,
  },
  {
    name: 'cross-account-traffic',
    title: 'Traffic between accounts',
    purpose:
      'Flows seen leaving an interface in one account and arriving at an interface in another (matched on the ' +
      'five-tuple), summed per account pair.',
    parameters: SCOPE,
    columns: ['src_account', 'dst_account', 'bytes', 'flows'],
    sql: `SELECT e.aws_account_id AS src_account, i.aws_account_id AS dst_account, sum(e.bytes) AS bytes, count(*) AS flows
FROM {{flows}} e
JOIN {{flows}} i
  ON e.srcaddr = i.srcaddr AND e.dstaddr = i.dstaddr AND e.srcport = i.srcport AND e.dstport = i.dstport
  AND e.protocol = i.protocol
WHERE {{filter:e}} AND {{filter:i}} AND e.flow_direction = 'egress' AND i.flow_direction = 'ingress'
  AND {{internal:e.srcaddr}} AND {{internal:e.dstaddr}} AND {{internal:i.srcaddr}} AND {{internal:i.dstaddr}}
  AND e.aws_account_id <> i.aws_account_id AND e.action = 'ACCEPT' AND abs(e.start - i.start) <= 600
GROUP BY e.aws_account_id, i.aws_account_id
ORDER BY bytes DESC, src_account, dst_account
LIMIT {{limit}}`,
  },
  {
    name: 'account-coverage',
    title: 'Per-account coverage and delivery health',
    purpose:
      'Per account and region: records, VPCs, interfaces, first and last record time, and NODATA/SKIPDATA ' +
      'counts. An enrolled account missing here delivers nothing.',
    parameters: SCOPE,
    columns: [
      'account',
      'region',
      'records',
      'vpcs',
      'interfaces',
      'first_start',
      'last_end',
      'nodata',
      'skipdata',
      'rejected',
    ],
    sql: `SELECT aws_account_id AS account, aws_region AS region, count(*) AS records, count(DISTINCT vpc_id) AS vpcs,
  count(DISTINCT interface_id) AS interfaces, min(start) AS first_start, max("end") AS last_end,
  sum(CASE WHEN log_status = 'NODATA' THEN 1 ELSE 0 END) AS nodata,
  sum(CASE WHEN log_status = 'SKIPDATA' THEN 1 ELSE 0 END) AS skipdata,
  sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected
FROM {{flows}}
WHERE {{filter}}
GROUP BY aws_account_id, aws_region
ORDER BY account, region
LIMIT {{limit}}`,
  },
];

/** The catalog by name. */
export const QUERY_BY_NAME: ReadonlyMap<string, CatalogQuery> = new Map(
  QUERY_CATALOG.map((q) => [q.name, q]),
);
