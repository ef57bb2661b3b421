/**
 * The catalog of every AWS VPC Flow Logs field: name, version, value type, Parquet column and meaning.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html (version 6, Transit Gateway)
 */

/** How a field's value is typed once parsed: text, or an integer that fits 32 or 64 bits. */
export type FieldType = 'string' | 'int32' | 'int64';

/** The Parquet physical/logical type AWS writes for a field when the flow log's file format is Parquet. */
export type ParquetType = 'STRING' | 'INT_32' | 'INT_64';

/** Which resource's flow logs carry the field. */
export type FieldScope = 'vpc' | 'transit-gateway' | 'both';

/** One enumerated value AWS defines for a field. */
export interface EnumValue {
  /** The value as it appears in a record (`ACCEPT`, `2`). */
  readonly value: string | number;
  /** What it means. */
  readonly meaning: string;
}

/** One flow-log field. */
export interface FieldSpec {
  /** Hyphenated name as used in `${...}` format strings and S3 header lines, e.g. `log-status`. */
  readonly name: string;
  /** The flow-log version that introduced the field. */
  readonly version: number;
  /** Parsed value type. */
  readonly type: FieldType;
  /** Column name in AWS Parquet files and Athena tables (hyphens become underscores). */
  readonly parquetName: string;
  /** Parquet type AWS uses. */
  readonly parquetType: ParquetType;
  /** One-line meaning. */
  readonly description: string;
  /** Which flow logs carry it: VPC/subnet/ENI flow logs, Transit Gateway flow logs, or both. */
  readonly scope: FieldScope;
  /** Enumerated values where AWS defines them. Sets marked open may carry values not listed. */
  readonly values?: readonly EnumValue[];
  /** True when AWS documents the field but its details were taken from secondary sources; verify live. */
  readonly unverified?: boolean;
}

const PARQUET: Record<FieldType, ParquetType> = { string: 'STRING', int32: 'INT_32', int64: 'INT_64' };

function f(
  name: string,
  version: number,
  type: FieldType,
  description: string,
  extra: { scope?: FieldScope; values?: readonly EnumValue[]; unverified?: boolean } = {},
): FieldSpec {
  return {
    name,
    version,
    type,
    parquetName: name.replaceAll('-', '_'),
    parquetType: PARQUET[type],
    description,
    scope: extra.scope ?? 'vpc',
    ...(extra.values ? { values: extra.values } : {}),
    ...(extra.unverified ? { unverified: true } : {}),
  };
}

/** Values of `action`. */
export const ACTION_VALUES: readonly EnumValue[] = [
  { value: 'ACCEPT', meaning: 'The traffic was accepted.' },
  {
    value: 'REJECT',
    meaning: 'The traffic was rejected (security group, network ACL, or VPC Block Public Access).',
  },
];

/** Values of `log-status`. */
export const LOG_STATUS_VALUES: readonly EnumValue[] = [
  { value: 'OK', meaning: 'Data is logging normally to the chosen destinations.' },
  {
    value: 'NODATA',
    meaning: 'There was no network traffic to or from the network interface during the window.',
  },
  {
    value: 'SKIPDATA',
    meaning: 'Some flow log records were skipped during the window (internal capacity constraint or error).',
  },
];

/** Values of `type`. */
export const TRAFFIC_TYPE_VALUES: readonly EnumValue[] = [
  { value: 'IPv4', meaning: 'IPv4 traffic.' },
  { value: 'IPv6', meaning: 'IPv6 traffic.' },
  { value: 'EFA', meaning: 'Elastic Fabric Adapter traffic.' },
];

/** Values of `flow-direction`. */
export const FLOW_DIRECTION_VALUES: readonly EnumValue[] = [
  { value: 'ingress', meaning: 'Traffic into the interface.' },
  { value: 'egress', meaning: 'Traffic out of the interface.' },
];

/** Values of `traffic-path` (egress traffic only; `-` otherwise). */
export const TRAFFIC_PATH_VALUES: readonly EnumValue[] = [
  {
    value: 1,
    meaning: 'Through another resource in the same VPC, including resources that create an ENI in the VPC.',
  },
  { value: 2, meaning: 'Through an internet gateway or a gateway VPC endpoint.' },
  { value: 3, meaning: 'Through a virtual private gateway.' },
  { value: 4, meaning: 'Through an intra-region VPC peering connection.' },
  { value: 5, meaning: 'Through an inter-region VPC peering connection.' },
  { value: 6, meaning: 'Through a local gateway.' },
  { value: 7, meaning: 'Through a gateway VPC endpoint (Nitro-based instances only).' },
  { value: 8, meaning: 'Through an internet gateway (Nitro-based instances only).' },
];

/** Bits of `tcp-flags`, OR-ed over the aggregation window. A window with only ACK packets reports 0, not 16. */
export const TCP_FLAG_VALUES: readonly EnumValue[] = [
  { value: 1, meaning: 'FIN' },
  { value: 2, meaning: 'SYN' },
  { value: 4, meaning: 'RST' },
  { value: 8, meaning: 'PSH' },
  { value: 16, meaning: 'ACK (reported only together with other flags; SYN-ACK is 18)' },
  { value: 32, meaning: 'URG' },
];

/** Values of `sublocation-type`. */
export const SUBLOCATION_TYPE_VALUES: readonly EnumValue[] = [
  { value: 'wavelength', meaning: 'AWS Wavelength Zone.' },
  { value: 'outpost', meaning: 'AWS Outpost.' },
  { value: 'localzone', meaning: 'AWS Local Zone.' },
];

/** Values of `reject-reason` (an open set; `-` when the traffic was not rejected for a listed reason). */
export const REJECT_REASON_VALUES: readonly EnumValue[] = [
  { value: 'BPA', meaning: 'Rejected by VPC Block Public Access.' },
];

/** Values of `encryption-status` (version 10; `-` when unknown or VPC Encryption Controls is off). */
export const ENCRYPTION_STATUS_VALUES: readonly EnumValue[] = [
  { value: 0, meaning: 'Not encrypted.' },
  { value: 1, meaning: 'Nitro-encrypted (managed by VPC Encryption Controls).' },
  { value: 2, meaning: 'Application-encrypted (for example TLS on port 443 to an AWS service endpoint).' },
  { value: 3, meaning: 'Both Nitro-encrypted and application-encrypted.' },
];

/** Values of `interface-type` and `next-hop-interface-type` (version 11; an open set). */
export const INTERFACE_TYPE_VALUES: readonly EnumValue[] = [
  { value: 'nat_gateway', meaning: 'NAT gateway.' },
  { value: 'regional_nat_gateway', meaning: 'Regional NAT gateway.' },
  { value: 'network_load_balancer', meaning: 'Network Load Balancer.' },
  { value: 'transit_gateway', meaning: 'Transit gateway attachment.' },
  { value: 'vpc_endpoint', meaning: 'Interface VPC endpoint.' },
];

/** Values of `resource-type` in Transit Gateway flow logs. */
export const TGW_RESOURCE_TYPE_VALUES: readonly EnumValue[] = [
  { value: 'TransitGateway', meaning: 'A flow log on the whole transit gateway.' },
  { value: 'TransitGatewayAttachment', meaning: 'A flow log on one transit gateway attachment.' },
];

/** TCP flag bit values by name. */
export const TCP_FLAGS = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 } as const;

const TGW: { scope: FieldScope } = { scope: 'transit-gateway' };
const BOTH: { scope: FieldScope } = { scope: 'both' };
const U = { unverified: true } as const;

/**
 * Every field, in the order of AWS's "Available fields" table (VPC fields v2..v8, then Transit Gateway v6 fields,
 * then newer fields).
 */
export const FIELDS: readonly FieldSpec[] = [
  // version 2: the default format
  f(
    'version',
    2,
    'int32',
    'The flow log version: 2 for the default format; for a custom format, the highest version among its fields.',
    BOTH,
  ),
  f(
    'account-id',
    2,
    'string',
    'AWS account ID of the owner of the source network interface; `unknown` for some AWS-service interfaces.',
    BOTH,
  ),
  f('interface-id', 2, 'string', 'ID of the network interface for which the traffic is recorded.'),
  f(
    'srcaddr',
    2,
    'string',
    'Source address: for incoming traffic the remote address, outgoing the interface address.',
    BOTH,
  ),
  f(
    'dstaddr',
    2,
    'string',
    'Destination address: for outgoing traffic the remote address, incoming the interface address.',
    BOTH,
  ),
  f('srcport', 2, 'int32', 'Source port of the traffic (0 for ICMP).', BOTH),
  f('dstport', 2, 'int32', 'Destination port of the traffic (0 for ICMP).', BOTH),
  // Transit Gateway Parquet files type `protocol` as INT_64; both fit a number.
  f('protocol', 2, 'int32', 'IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6).', BOTH),
  f('packets', 2, 'int64', 'Number of packets transferred during the flow.', BOTH),
  f('bytes', 2, 'int64', 'Number of bytes transferred during the flow.', BOTH),
  f(
    'start',
    2,
    'int64',
    'Time, in Unix seconds, when the first packet of the flow was received within the window.',
    BOTH,
  ),
  f(
    'end',
    2,
    'int64',
    'Time, in Unix seconds, when the last packet of the flow was received within the window.',
    BOTH,
  ),
  f('action', 2, 'string', 'Whether the traffic was accepted or rejected.', { values: ACTION_VALUES }),
  f('log-status', 2, 'string', 'Logging status of the flow log.', { ...BOTH, values: LOG_STATUS_VALUES }),
  // version 3
  f('vpc-id', 3, 'string', 'ID of the VPC that contains the network interface.'),
  f('subnet-id', 3, 'string', 'ID of the subnet that contains the network interface.'),
  f(
    'instance-id',
    3,
    'string',
    'ID of the instance associated with the interface, if you own it; `-` otherwise.',
  ),
  f('tcp-flags', 3, 'int32', 'Bitmask of TCP flags seen in the window, OR-ed together.', {
    ...BOTH,
    values: TCP_FLAG_VALUES,
  }),
  f('type', 3, 'string', 'Type of traffic.', { ...BOTH, values: TRAFFIC_TYPE_VALUES }),
  f(
    'pkt-srcaddr',
    3,
    'string',
    'Packet-level (original) source address, e.g. behind a NAT gateway or for EKS pods.',
  ),
  f('pkt-dstaddr', 3, 'string', 'Packet-level (original) destination address.'),
  // version 4
  f('region', 4, 'string', 'Region that contains the network interface.', BOTH),
  f(
    'az-id',
    4,
    'string',
    'ID of the Availability Zone of the interface; `-` when the traffic is from a sublocation.',
  ),
  f('sublocation-type', 4, 'string', 'Type of sublocation, if any.', { values: SUBLOCATION_TYPE_VALUES }),
  f('sublocation-id', 4, 'string', 'ID of the sublocation (Wavelength Zone, Outpost or Local Zone), if any.'),
  // version 5
  f(
    'pkt-src-aws-service',
    5,
    'string',
    'Name of the AWS IP-range subset of pkt-srcaddr (AMAZON, S3, EC2, ...).',
    BOTH,
  ),
  f(
    'pkt-dst-aws-service',
    5,
    'string',
    'Name of the AWS IP-range subset of pkt-dstaddr (AMAZON, S3, EC2, ...).',
    BOTH,
  ),
  f('flow-direction', 5, 'string', 'Direction of the flow with respect to the interface.', {
    ...BOTH,
    values: FLOW_DIRECTION_VALUES,
  }),
  f('traffic-path', 5, 'int32', 'The path that egress traffic takes to the destination.', {
    values: TRAFFIC_PATH_VALUES,
  }),
  // version 7: Amazon ECS
  f('ecs-cluster-arn', 7, 'string', 'ARN of the ECS cluster, if the traffic is from a running ECS task.'),
  f('ecs-cluster-name', 7, 'string', 'Name of the ECS cluster, if the traffic is from a running ECS task.'),
  f('ecs-container-instance-arn', 7, 'string', 'ARN of the ECS container instance (EC2 launch type only).'),
  f('ecs-container-instance-id', 7, 'string', 'ID of the ECS container instance (EC2 launch type only).'),
  f('ecs-container-id', 7, 'string', 'Docker runtime ID of the first container of the task.'),
  f('ecs-second-container-id', 7, 'string', 'Docker runtime ID of the second container of the task.'),
  f('ecs-service-name', 7, 'string', 'Name of the ECS service, if the task was started by a service.'),
  f('ecs-task-definition-arn', 7, 'string', 'ARN of the ECS task definition.'),
  f('ecs-task-arn', 7, 'string', 'ARN of the ECS task.'),
  f('ecs-task-id', 7, 'string', 'ID of the ECS task.'),
  // version 8
  f(
    'reject-reason',
    8,
    'string',
    'Why the traffic was rejected; `-` for other rejections and for accepted traffic.',
    {
      values: REJECT_REASON_VALUES,
    },
  ),
  // version 6: Transit Gateway flow logs
  f('resource-type', 6, 'string', 'Type of resource the flow log is on.', {
    ...TGW,
    values: TGW_RESOURCE_TYPE_VALUES,
  }),
  f('tgw-id', 6, 'string', 'ID of the transit gateway.', TGW),
  f('tgw-attachment-id', 6, 'string', 'ID of the transit gateway attachment.', TGW),
  f('tgw-src-vpc-account-id', 6, 'string', 'AWS account ID of the source VPC.', TGW),
  f('tgw-dst-vpc-account-id', 6, 'string', 'AWS account ID of the destination VPC.', TGW),
  f('tgw-src-vpc-id', 6, 'string', 'ID of the source VPC.', TGW),
  f('tgw-dst-vpc-id', 6, 'string', 'ID of the destination VPC.', TGW),
  f('tgw-src-subnet-id', 6, 'string', 'ID of the source subnet.', TGW),
  f('tgw-dst-subnet-id', 6, 'string', 'ID of the destination subnet.', TGW),
  f('tgw-src-eni', 6, 'string', 'ID of the source transit gateway attachment ENI.', TGW),
  f('tgw-dst-eni', 6, 'string', 'ID of the destination transit gateway attachment ENI.', TGW),
  f('tgw-src-az-id', 6, 'string', 'ID of the Availability Zone of the source ENI.', TGW),
  f('tgw-dst-az-id', 6, 'string', 'ID of the Availability Zone of the destination ENI.', TGW),
  f('tgw-pair-attachment-id', 6, 'string', 'ID of the peer attachment, depending on flow direction.', TGW),
  f('packets-lost-no-route', 6, 'int64', 'Packets lost because no route matched.', TGW),
  f('packets-lost-blackhole', 6, 'int64', 'Packets lost to a blackhole route.', TGW),
  f('packets-lost-mtu-exceeded', 6, 'int64', 'Packets lost because they exceeded the MTU.', TGW),
  f('packets-lost-ttl-expired', 6, 'int64', 'Packets lost because their time-to-live expired.', TGW),
  // versions 9 to 11: newer than AWS's archived documentation; types and texts from secondary sources (verify live)
  f(
    'resource-id',
    9,
    'string',
    'ID of the resource that captured the flow, e.g. a regional NAT gateway (`nat-...`).',
    {
      unverified: true,
    },
  ),
  f(
    'encryption-status',
    10,
    'int32',
    'Whether the flow was encrypted in transit (VPC Encryption Controls).',
    {
      values: ENCRYPTION_STATUS_VALUES,
      unverified: true,
    },
  ),
  f('instance-tag', 11, 'string', 'Value of the first configured EC2 instance tag key (percent-encoded).', U),
  f(
    'instance-tag-2',
    11,
    'string',
    'Value of the second configured EC2 instance tag key (percent-encoded).',
    U,
  ),
  f(
    'interface-tag',
    11,
    'string',
    'Value of the first configured network-interface tag key (percent-encoded).',
    U,
  ),
  f(
    'interface-tag-2',
    11,
    'string',
    'Value of the second configured network-interface tag key (percent-encoded).',
    U,
  ),
  f(
    'asg-tag',
    11,
    'string',
    'Value of the first configured Auto Scaling group tag key (percent-encoded).',
    U,
  ),
  f(
    'asg-tag-2',
    11,
    'string',
    'Value of the second configured Auto Scaling group tag key (percent-encoded).',
    U,
  ),
  f('interface-type', 11, 'string', 'Type of the network interface that captured the flow.', {
    values: INTERFACE_TYPE_VALUES,
    unverified: true,
  }),
  f('next-hop-interface-id', 11, 'string', 'ID of the next-hop network interface.', U),
  f('next-hop-subnet-id', 11, 'string', 'Subnet of the next-hop network interface.', U),
  f('next-hop-az-id', 11, 'string', 'Availability Zone ID of the next-hop network interface.', U),
  f('next-hop-vpc-id', 11, 'string', 'VPC of the next-hop network interface.', U),
  f('next-hop-interface-type', 11, 'string', 'Type of the next-hop network interface.', {
    values: INTERFACE_TYPE_VALUES,
    unverified: true,
  }),
];

/** Fields by hyphenated name. */
export const FIELD_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((s) => [s.name, s]));

/** The 14 version-2 fields of the default format, in order. */
export const DEFAULT_FIELDS: readonly string[] = FIELDS.filter(
  (s) => s.version === 2 && s.scope !== 'transit-gateway',
).map((s) => s.name);

/** AWS's default format string (version 2). */
export const DEFAULT_FORMAT_STRING: string = DEFAULT_FIELDS.map((n) => `\${${n}}`).join(' ');

/**
 * The fields of a Transit Gateway flow log created without a log format: AWS then includes every Transit Gateway
 * field, in the order of the Transit Gateway "Available fields" table (36 fields, version 6).
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records
 */
export const TGW_DEFAULT_FIELDS: readonly string[] = [
  'version',
  'resource-type',
  'account-id',
  'tgw-id',
  'tgw-attachment-id',
  'tgw-src-vpc-account-id',
  'tgw-dst-vpc-account-id',
  'tgw-src-vpc-id',
  'tgw-dst-vpc-id',
  'tgw-src-subnet-id',
  'tgw-dst-subnet-id',
  'tgw-src-eni',
  'tgw-dst-eni',
  'tgw-src-az-id',
  'tgw-dst-az-id',
  'tgw-pair-attachment-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'log-status',
  'type',
  'packets-lost-no-route',
  'packets-lost-blackhole',
  'packets-lost-mtu-exceeded',
  'packets-lost-ttl-expired',
  'tcp-flags',
  'region',
  'flow-direction',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
];

/** Every VPC field of versions 2..8 (no Transit Gateway fields): the 40-field format flowlake deploys by default. */
export const ALL_VPC_FIELDS_V2_V8: readonly string[] = FIELDS.filter(
  (s) => s.scope !== 'transit-gateway' && s.version <= 8,
).map((s) => s.name);
