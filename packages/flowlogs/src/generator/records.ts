/** Builds complete flow records (every VPC field v2..v11) for one network interface. */
import type { FlowRecord } from '../record.js';
import type { Eni, Vpc } from './org.js';

/** The version the generated records carry; line writers replace it with the output format's version. */
export const GENERATED_RECORD_VERSION = 11;

/** One direction of a flow as seen by one interface. */
export interface FlowSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number | null;
  readonly dport: number | null;
  readonly proto: number | null;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: 'ACCEPT' | 'REJECT';
  readonly flags: number | null;
  readonly dir: 'ingress' | 'egress';
  readonly type: 'IPv4' | 'IPv6' | 'EFA';
  /** Packet-level addresses when they differ from src/dst (NAT gateway, transit gateway, load balancer). */
  readonly pktSrc?: string;
  readonly pktDst?: string;
  readonly srcSvc?: string | null;
  readonly dstSvc?: string | null;
  /** traffic-path (egress only). */
  readonly path?: number | null;
  readonly rejectReason?: string | null;
  /** Next-hop interface (v11 next-hop-* fields), e.g. the NAT gateway for instance egress through it. */
  readonly nextHop?: Eni | null;
}

const PRIVATE_RE = /^(?:10\.|172\.(?:1[6-9]|2\d|3[01])\.|192\.168\.)/;

function encryptionStatus(vpc: Vpc, eni: Eni, f: FlowSpec): number | null {
  if (!vpc.encryptionControls || f.type === 'EFA') return null;
  const tls = f.sport === 443 || f.dport === 443;
  const internal = PRIVATE_RE.test(f.src) && PRIVATE_RE.test(f.dst);
  if (internal && eni.nitro) return tls ? 3 : 1;
  return tls ? 2 : 0;
}

/** A fully populated record of one flow direction on `eni`. */
export function makeRecord(eni: Eni, vpc: Vpc, f: FlowSpec): FlowRecord {
  const ecs = eni.ecs;
  const hop = f.nextHop ?? null;
  return {
    version: GENERATED_RECORD_VERSION,
    'account-id': eni.accountId,
    'interface-id': eni.id,
    srcaddr: f.src,
    dstaddr: f.dst,
    srcport: f.sport,
    dstport: f.dport,
    protocol: f.proto,
    packets: f.packets,
    bytes: f.bytes,
    start: f.start,
    end: f.end,
    action: f.action,
    'log-status': 'OK',
    'vpc-id': eni.vpcId,
    'subnet-id': eni.subnetId,
    'instance-id': eni.instanceId,
    'tcp-flags': f.flags,
    type: f.type,
    'pkt-srcaddr': f.pktSrc ?? f.src,
    'pkt-dstaddr': f.pktDst ?? f.dst,
    region: eni.region,
    'az-id': eni.azId,
    'sublocation-type': eni.sublocationType,
    'sublocation-id': eni.sublocationId,
    'pkt-src-aws-service': f.srcSvc ?? null,
    'pkt-dst-aws-service': f.dstSvc ?? null,
    'flow-direction': f.dir,
    'traffic-path': f.dir === 'egress' ? (f.path ?? null) : null,
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
    'reject-reason': f.action === 'REJECT' ? (f.rejectReason ?? null) : null,
    'resource-id': null,
    'encryption-status': encryptionStatus(vpc, eni, f),
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
