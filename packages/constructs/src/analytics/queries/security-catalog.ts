import {
  partitionPredicate,
  type QueryParams,
  QueryRenderError,
  type RenderTarget,
  renderQuery,
  templateFor,
  validateParams,
} from './render.js';
import type { CatalogQuery } from './types.js';

/**
 * Security-event queries: GuardDuty findings and CloudTrail records joined with flow logs. Besides the flow
 * catalog's macros (`{{flows}}`, `{{filter:f}}`, `{{limit}}`, ...) they use:
 * - `{{cloudtrail}}`, `{{guardduty}}` the CloudTrail and GuardDuty relations;
 * - `{{ct_filter:c}}` / `{{gd_filter:g}}` partition, time-range and scope predicates of those relations;
 * - `{{epoch:expr}}` epoch seconds of an ISO-8601 timestamp string;
 * - `{{first:expr}}` the first element of an array, or NULL when it is empty;
 * - `{{strings:expr}}` the sorted distinct values of a group, comma-separated.
 */
const SCOPE = ['since', 'until', 'accounts', 'regions', 'limit'] as const;

/** Seconds of flows taken around a finding's first/last-seen times. */
export const FINDING_FLOW_MARGIN_SECONDS = 900;

/** Distinct rejected host:port endpoints that make a source a scanner for `sign-ins-from-scanners`. */
export const SCAN_ENDPOINTS = 10;

/** API calls that sign in or obtain credentials. */
export const SIGN_IN_EVENTS = [
  'ConsoleLogin',
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetFederationToken',
  'GetSessionToken',
] as const;

const FINDING_ENI = `{{first:g.resource.instancedetails.networkinterfaces}}`;
const REMOTE_IP =
  'coalesce(g.service.action.networkconnectionaction.remoteipdetails.ipaddressv4, ' +
  '{{first:g.service.action.portprobeaction.portprobedetails}}.remoteipdetails.ipaddressv4, ' +
  'g.service.action.awsapicallaction.remoteipdetails.ipaddressv4)';

/** The security-event query catalog (same template for Athena and DuckDB). */
export const SECURITY_QUERY_CATALOG: readonly CatalogQuery[] = [
  {
    name: 'finding-instance-flows',
    title: 'GuardDuty findings with the instance’s flows around the finding',
    purpose:
      'For each GuardDuty finding on an EC2 instance, the flows of the instance’s network interface from ' +
      `${FINDING_FLOW_MARGIN_SECONDS / 60} minutes before the first to ${FINDING_FLOW_MARGIN_SECONDS / 60} minutes ` +
      'after the last activity: how much traffic, how much of it rejected, with how many peers.',
    parameters: SCOPE,
    columns: [
      'finding_type',
      'severity',
      'account_id',
      'instance_id',
      'interface_id',
      'remote_ip',
      'first_seen',
      'flows',
      'rejected',
      'bytes',
      'peers',
    ],
    sql: `WITH findings AS (
  SELECT g.id, g.type, g.severity, g.accountid, g.resource.instancedetails.instanceid AS instance_id,
    ${FINDING_ENI}.networkinterfaceid AS interface_id, ${REMOTE_IP} AS remote_ip,
    g.service.eventfirstseen AS first_seen,
    {{epoch:g.service.eventfirstseen}} AS t1, {{epoch:g.service.eventlastseen}} AS t2
  FROM {{guardduty}} g
  WHERE {{gd_filter:g}} AND g.resource.resourcetype = 'Instance'
)
SELECT d.type AS finding_type, d.severity, d.accountid AS account_id, d.instance_id, d.interface_id, d.remote_ip,
  d.first_seen, count(*) AS flows, sum(CASE WHEN f.action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  sum(f.bytes) AS bytes, count(DISTINCT CASE WHEN f.srcaddr = d.remote_ip OR f.dstaddr = d.remote_ip THEN NULL
    ELSE f.srcaddr END) AS peers
FROM findings d
JOIN {{flows}} f ON f.interface_id = d.interface_id AND f.aws_account_id = d.accountid
  AND f."end" >= d.t1 - ${FINDING_FLOW_MARGIN_SECONDS} AND f.start <= d.t2 + ${FINDING_FLOW_MARGIN_SECONDS}
WHERE {{filter:f}}
GROUP BY d.id, d.type, d.severity, d.accountid, d.instance_id, d.interface_id, d.remote_ip, d.first_seen
ORDER BY d.severity DESC, d.first_seen, d.interface_id
LIMIT {{limit}}`,
  },
  {
    name: 'api-calls-from-rejected-sources',
    title: 'API calls from addresses that also sent rejected traffic',
    purpose:
      'CloudTrail records whose source IP address also appears as the source of rejected flows: someone ' +
      'knocking on closed ports who also talks to the AWS APIs of your accounts.',
    parameters: SCOPE,
    columns: [
      'source_ip',
      'rejected_flows',
      'targeted_interfaces',
      'api_calls',
      'failed_calls',
      'event_names',
      'accounts',
    ],
    sql: `WITH rejected AS (
  SELECT srcaddr, count(*) AS flows, count(DISTINCT interface_id) AS interfaces
  FROM {{flows}}
  WHERE {{filter}} AND action = 'REJECT' AND NOT {{internal:srcaddr}}
  GROUP BY srcaddr
), calls AS (
  SELECT c.sourceipaddress AS ip, count(*) AS calls,
    sum(CASE WHEN c.errorcode IS NOT NULL OR c.errormessage IS NOT NULL THEN 1 ELSE 0 END) AS failed,
    {{strings:c.eventname}} AS names, {{strings:c.recipientaccountid}} AS accounts
  FROM {{cloudtrail}} c
  WHERE {{ct_filter:c}}
  GROUP BY c.sourceipaddress
)
SELECT calls.ip AS source_ip, rejected.flows AS rejected_flows, rejected.interfaces AS targeted_interfaces,
  calls.calls AS api_calls, calls.failed AS failed_calls, calls.names AS event_names, calls.accounts
FROM calls JOIN rejected ON rejected.srcaddr = calls.ip
ORDER BY rejected.flows DESC, calls.ip
LIMIT {{limit}}`,
  },
  {
    name: 'sign-ins-from-scanners',
    title: 'Console sign-ins and role assumptions from scanning addresses',
    purpose:
      'ConsoleLogin, AssumeRole and other credential calls from addresses whose flows were rejected on at least ' +
      `${SCAN_ENDPOINTS} distinct host:port endpoints (a vertical or horizontal scan): reconnaissance followed by ` +
      'an attempt to get in. `ports` and `hosts` count the distinct rejected ports and hosts.',
    parameters: SCOPE,
    columns: [
      'source_ip',
      'event_time',
      'event_name',
      'outcome',
      'principal',
      'account_id',
      'ports',
      'hosts',
    ],
    sql: `WITH scanners AS (
  SELECT srcaddr, count(DISTINCT dstport) AS ports, count(DISTINCT dstaddr) AS hosts
  FROM {{flows}}
  WHERE {{filter}} AND action = 'REJECT' AND dstport IS NOT NULL AND NOT {{internal:srcaddr}}
  GROUP BY srcaddr
  HAVING count(DISTINCT concat(dstaddr, ':', CAST(dstport AS varchar))) >= ${SCAN_ENDPOINTS}
)
SELECT c.sourceipaddress AS source_ip, c.eventtime AS event_time, c.eventname AS event_name,
  coalesce(c.errorcode, CASE WHEN c.errormessage IS NOT NULL THEN 'Failure' END, 'Success') AS outcome,
  coalesce(c.useridentity.arn, c.useridentity.username, c.useridentity.principalid) AS principal,
  c.recipientaccountid AS account_id, s.ports, s.hosts
FROM {{cloudtrail}} c JOIN scanners s ON s.srcaddr = c.sourceipaddress
WHERE {{ct_filter:c}} AND c.eventname IN (${SIGN_IN_EVENTS.map((e) => `'${e}'`).join(', ')})
ORDER BY c.eventtime, c.sourceipaddress, c.eventname
LIMIT {{limit}}`,
  },
  {
    name: 'finding-remote-ip-traffic',
    title: 'Traffic with the remote addresses named in GuardDuty findings',
    purpose:
      'For each finding that names a remote IP address (network connection, port probe or API call), every flow ' +
      'to or from that address in the range: accepted and rejected flows, bytes each way, interfaces involved.',
    parameters: SCOPE,
    columns: [
      'finding_type',
      'severity',
      'remote_ip',
      'direction',
      'flows',
      'rejected',
      'bytes_in',
      'bytes_out',
      'interfaces',
    ],
    sql: `WITH findings AS (
  SELECT g.id, g.type, g.severity, ${REMOTE_IP} AS remote_ip,
    g.service.action.networkconnectionaction.connectiondirection AS direction
  FROM {{guardduty}} g
  WHERE {{gd_filter:g}}
)
SELECT d.type AS finding_type, d.severity, d.remote_ip, d.direction, count(*) AS flows,
  sum(CASE WHEN f.action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  sum(CASE WHEN f.srcaddr = d.remote_ip THEN f.bytes ELSE 0 END) AS bytes_in,
  sum(CASE WHEN f.dstaddr = d.remote_ip THEN f.bytes ELSE 0 END) AS bytes_out,
  count(DISTINCT f.interface_id) AS interfaces
FROM findings d
JOIN {{flows}} f ON f.srcaddr = d.remote_ip OR f.dstaddr = d.remote_ip
WHERE d.remote_ip IS NOT NULL AND {{filter:f}}
GROUP BY d.id, d.type, d.severity, d.remote_ip, d.direction
ORDER BY bytes_out DESC, flows DESC, d.remote_ip
LIMIT {{limit}}`,
  },
];

/** Where a security query runs: the flows target plus the CloudTrail and GuardDuty relations. */
export interface SecurityRenderTarget extends RenderTarget {
  /** The CloudTrail relation, e.g. `"flowlake"."cloudtrail"` or `cloudtrail`. */
  readonly cloudtrail: string;
  /** The GuardDuty findings relation. */
  readonly guardduty: string;
}

const RELATION_RE = /^("[A-Za-z0-9_]+"\.)?"?[A-Za-z0-9_]+"?$/;
const SECURITY_MACRO_RE =
  /\{\{(cloudtrail|guardduty|ct_filter|gd_filter|epoch|first|strings)(?::([a-z_][a-z0-9_.]*))?\}\}/g;
const ALIAS_RE = /^[a-z_][a-z0-9_]*$/;
const DAY = 86_400;

function alias(arg: string | undefined, macro: string): string {
  if (!arg || !ALIAS_RE.test(arg))
    throw new QueryRenderError(macro, `macro {{${macro}}} needs a table alias`);
  return arg;
}

function expr(arg: string | undefined, macro: string): string {
  if (!arg) throw new QueryRenderError(macro, `macro {{${macro}}} needs a column`);
  return arg;
}

/** CloudTrail scope: partitions (Athena), event time in [since, until), accounts and regions. */
function cloudTrailFilter(params: QueryParams, target: SecurityRenderTarget, a: string): string {
  const p = validateParams(params);
  const terms: string[] = [];
  if (target.dialect === 'athena') {
    if (!p.accounts) {
      throw new QueryRenderError(
        'account',
        'Athena queries need the account IDs to read: the CloudTrail account partition uses injected projection',
      );
    }
    terms.push(partitionPredicate(p.since, p.until, false, `${a}.`));
    terms.push(`${a}.aws_account_id IN (${p.accounts.join(', ')})`);
  }
  if (p.accounts) terms.push(`${a}.recipientaccountid IN (${p.accounts.join(', ')})`);
  if (p.regions) terms.push(`${a}.awsregion IN (${p.regions.join(', ')})`);
  const t = epoch(target, `${a}.eventtime`);
  terms.push(`${t} >= ${p.since} AND ${t} < ${p.until}`);
  return `(${terms.join(' AND ')})`;
}

/**
 * GuardDuty scope: findings whose activity (first..last seen) overlaps [since, until), of the scoped accounts and
 * regions. Export files are dated by export time, so Athena reads the range's days plus the following day.
 */
function guardDutyFilter(params: QueryParams, target: SecurityRenderTarget, a: string): string {
  const p = validateParams(params);
  const terms: string[] = [];
  if (target.dialect === 'athena') terms.push(partitionPredicate(p.since, p.until + DAY, false, `${a}.`));
  if (p.accounts) terms.push(`${a}.accountid IN (${p.accounts.join(', ')})`);
  if (p.regions) terms.push(`${a}.region IN (${p.regions.join(', ')})`);
  terms.push(
    `${epoch(target, `${a}.service.eventlastseen`)} >= ${p.since} AND ` +
      `${epoch(target, `${a}.service.eventfirstseen`)} < ${p.until}`,
  );
  return `(${terms.join(' AND ')})`;
}

function epoch(target: RenderTarget, e: string): string {
  return target.dialect === 'athena'
    ? `to_unixtime(from_iso8601_timestamp(${e}))`
    : `epoch(CAST(${e} AS TIMESTAMPTZ))`;
}

/** Renders a security query (or any catalog query) for a dialect with validated parameters. */
export function renderSecurityQuery(
  query: CatalogQuery,
  params: QueryParams,
  target: SecurityRenderTarget,
): string {
  for (const [name, rel] of [
    ['cloudtrail', target.cloudtrail],
    ['guardduty', target.guardduty],
  ] as const) {
    if (!RELATION_RE.test(rel)) {
      throw new QueryRenderError(name, `invalid ${name} relation '${rel}': expected "database"."table"`);
    }
  }
  const expanded = templateFor(query, target.dialect).replace(
    SECURITY_MACRO_RE,
    (_m, macro: string, arg: string | undefined) => {
      switch (macro) {
        case 'cloudtrail':
          return target.cloudtrail;
        case 'guardduty':
          return target.guardduty;
        case 'ct_filter':
          return cloudTrailFilter(params, target, alias(arg, macro));
        case 'gd_filter':
          return guardDutyFilter(params, target, alias(arg, macro));
        case 'epoch':
          return epoch(target, expr(arg, macro));
        case 'first':
          return target.dialect === 'athena'
            ? `(element_at(${expr(arg, macro)}, 1))`
            : `((${expr(arg, macro)})[1])`;
        default: {
          const e = expr(arg, macro);
          return target.dialect === 'athena'
            ? `array_join(array_sort(array_agg(DISTINCT ${e})), ',')`
            : `string_agg(DISTINCT ${e}, ',' ORDER BY ${e})`;
        }
      }
    },
  );
  return renderQuery({ ...query, sql: expanded, duckdbSql: undefined }, params, target);
}

/** Security queries by name. */
export const SECURITY_QUERY_BY_NAME: ReadonlyMap<string, CatalogQuery> = new Map(
  SECURITY_QUERY_CATALOG.map((q) => [q.name, q]),
);
