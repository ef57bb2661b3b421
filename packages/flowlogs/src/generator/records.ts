/** Builds complete flow records (every VPC field v2..v11) for one network interface. */
import type { FlowRecord } from '../record.js';
import type { Eni, Vpc } from './org.js';

/** The version the generated records carry; line writers replace it with the output format's version. */
export const GENERATED_RECORD_VERSION = 11;

/** What both directions of a conversation share. */
export interface Shared {
  readonly proto: number | null;
  readonly type: 'IPv4' | 'IPv6' | 'EFA';
  readonly start: number;
  readonly end: number;
}

/** One direction of a conversation, before it is placed on an interface. */
export interface Leg {
  readonly src: string;
  readonly dst: string;
  readonly sport: number | null;
  readonly dport: number | null;
  readonly packets: number;
  readonly bytes: number;
  readonly flags: number | null;
  /** Packet-level addresses (differ from src/dst on NAT gateway, transit gateway and load balancer hops). */
  readonly pktSrc: string;
  readonly pktDst: string;
  /** AWS service names of pktSrc / pktDst, when they are in an AWS range. */
  readonly srcSvc: string | null;
  readonly dstSvc: string | null;
}

/** How a leg is seen on one interface. */
export interface Placement {
  readonly dir: 'ingress' | 'egress';
  readonly action: 'ACCEPT' | 'REJECT';
  /** traffic-path (egress only). */
  readonly path: number | null;
  readonly rejectReason: string | null;
  /** Next-hop interface (v11 next-hop-* fields), e.g. the NAT gateway for instance egress through it. */
  readonly nextHop: Eni | null;
}

const PRIVATE_RE = /^(?:10\.|172\.(?:1[6-9]|2\d|3[01])\.|192\.168\.)/;

function encryptionStatus(vpc: Vpc, eni: Eni, s: Shared, f: Leg): number | null {
  if (!vpc.encryptionControls || s.type === 'EFA') return null;
  const tls = f.sport === 443 || f.dport === 443;
  const internal = PRIVATE_RE.test(f.src) && PRIVATE_RE.test(f.dst);
  if (internal && eni.nitro) return tls ? 3 : 1;
  return tls ? 2 : 0;
}

/** A fully populated record of one flow direction on `eni`. */
export function makeRecord(eni: Eni, vpc: Vpc, s: Shared, f: Leg, p: Placement): FlowRecord {
  const ecs = eni.ecs;
  const hop = p.nextHop;
  return {
    version: GENERATED_RECORD_VERSION,
    'account-id': eni.accountId,
    'interface-id': eni.id,
    srcaddr: f.src,
    dstaddr: f.dst,
    srcport: f.sport,
    dstport: f.dport,
    protocol: s.proto,
    packets: f.packets,
    bytes: f.bytes,
    start: s.start,
    end: s.end,
    action: p.action,
    'log-status': 'OK',
    'vpc-id': eni.vpcId,
    'subnet-id': eni.subnetId,
    'instance-id': eni.instanceId,
    'tcp-flags': f.flags,
    type: s.type,
    'pkt-srcaddr': f.pktSrc,
    'pkt-dstaddr': f.pktDst,
    region: eni.region,
    'az-id': eni.azId,
    'sublocation-type': eni.sublocationType,
    'sublocation-id': eni.sublocationId,
    'pkt-src-aws-service': f.srcSvc,
    'pkt-dst-aws-service': f.dstSvc,
    'flow-direction': p.dir,
    'traffic-path': p.dir === 'egress' ? p.path : null,
    'ecs-cluster-arn': ecs ? ecs.clusterArn : null,
    'ecs-cluster-name': ecs ? ecs.clusterName : null,
    'ecs-container-instance-arn': ecs ? ecs.containerInstanceArn : null,
    'ecs-container-instance-id': ecs ? ecs.containerInstanceId : null,
    'ecs-container-id': ecs ? ecs.containerId : null,
    'ecs-second-container-id': ecs ? ecs.secondContainerId : null,
    'ecs-service-name': ecs ? ecs.serviceName : null,
    'ecs-task-definition-arn': ecs ? ecs.taskDefinitionArn : null,
    'ecs-task-arn': ecs ? ecs.taskArn : null,
    'ecs-task-id': ecs ? ecs.taskId : null,
    'reject-reason': p.action === 'REJECT' ? p.rejectReason : null,
    'resource-id': null,
    'encryption-status': encryptionStatus(vpc, eni, s, f),
    'instance-tag': eni.instanceTag,
    'instance-tag-2': eni.instanceTag2,
    'interface-tag': null,
    'interface-tag-2': null,
    'asg-tag': eni.asgTag,
    'asg-tag-2': null,
    'interface-type': eni.interfaceType,
    'next-hop-interface-id': hop ? hop.id : null,
    'next-hop-subnet-id': hop ? hop.subnetId : null,
    'next-hop-az-id': hop ? hop.azId : null,
    'next-hop-vpc-id': hop ? hop.vpcId : null,
    'next-hop-interface-type': hop ? hop.interfaceType : null,
  };
}

/**
 * Hidden (non-enumerable) VPC and region of a NODATA/SKIPDATA record, whose fields say neither: lets writers group
 * such records into the right S3 object without the organization.
 */
export const RECORD_ORIGIN: unique symbol = Symbol('flowlake.recordOrigin');

/** What {@link RECORD_ORIGIN} holds. */
export interface RecordOrigin {
  readonly vpcId: string;
  readonly region: string;
}

/**
 * A NODATA or SKIPDATA record: only version, account-id, interface-id, start, end and log-status are set; every other
 * field is `-`, as in AWS's examples.
 */
export function statusRecord(
  eni: Eni,
  status: 'NODATA' | 'SKIPDATA',
  start: number,
  end: number,
): FlowRecord {
  const record: FlowRecord = {
    version: GENERATED_RECORD_VERSION,
    'account-id': eni.accountId,
    'interface-id': eni.id,
    srcaddr: null,
    dstaddr: null,
    srcport: null,
    dstport: null,
    protocol: null,
    packets: null,
    bytes: null,
    start,
    end,
    action: null,
    'log-status': status,
    'vpc-id': null,
    'subnet-id': null,
    'instance-id': null,
    'tcp-flags': null,
    type: null,
    'pkt-srcaddr': null,
    'pkt-dstaddr': null,
    region: null,
    'az-id': null,
    'sublocation-type': null,
    'sublocation-id': null,
    'pkt-src-aws-service': null,
    'pkt-dst-aws-service': null,
    'flow-direction': null,
    'traffic-path': null,
    'ecs-cluster-arn': null,
    'ecs-cluster-name': null,
    'ecs-container-instance-arn': null,
    'ecs-container-instance-id': null,
    'ecs-container-id': null,
    'ecs-second-container-id': null,
    'ecs-service-name': null,
    'ecs-task-definition-arn': null,
    'ecs-task-arn': null,
    'ecs-task-id': null,
    'reject-reason': null,
    'resource-id': null,
    'encryption-status': null,
    'instance-tag': null,
    'instance-tag-2': null,
    'interface-tag': null,
    'interface-tag-2': null,
    'asg-tag': null,
    'asg-tag-2': null,
    'interface-type': null,
    'next-hop-interface-id': null,
    'next-hop-subnet-id': null,
    'next-hop-az-id': null,
    'next-hop-vpc-id': null,
    'next-hop-interface-type': null,
  };
  const origin: RecordOrigin = { vpcId: eni.vpcId, region: eni.region };
  Object.defineProperty(record, RECORD_ORIGIN, { value: origin, enumerable: false });
  return record;
}
