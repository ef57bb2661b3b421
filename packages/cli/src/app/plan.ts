import type { DeliveryPath, FlowlakeConfig, MemberGroupConfig } from '../config/index.js';
import { centralStreamingCreates, planStreamingStacks } from './streaming.js';

/** What kind of stack a planned stack is. */
export type StackKind =
  | 'central'
  | 'destinations'
  | 'telemetry'
  | 'member'
  | 'rollout'
  | 'cloudtrail'
  | 'guardduty-delegation'
  | 'guardduty';

/** One CloudFormation stack (or StackSet-holding stack) that the app synthesizes. */
export interface PlannedStack {
  /** CDK stack id and CloudFormation stack name. */
  readonly id: string;
  readonly kind: StackKind;
  /** Account it is deployed to. */
  readonly account: string;
  /** Region it is deployed to. */
  readonly region: string;
  /** Deploy wave: every stack of wave N must be deployed before any stack of wave N+1. */
  readonly wave: number;
  /** Member group name (member and rollout stacks). */
  readonly group?: string;
  /** Delivery path (member stacks and StackSets). */
  readonly delivery?: DeliveryPath;
  /** Member group index in the config (member stacks). */
  readonly groupIndex?: number;
  /** What the stack creates, one short phrase each. */
  readonly creates: readonly string[];
  /** The StackSet of a rollout stack. */
  readonly stackSets?: readonly PlannedStackSet[];
}

/** The service-managed StackSet of a rollout stack. */
export interface PlannedStackSet {
  readonly name: string;
  readonly groupIndex: number;
  readonly delivery: DeliveryPath;
  readonly ous: readonly string[];
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** The whole app: every stack in deploy order. */
export interface AppPlan {
  readonly stacks: readonly PlannedStack[];
  /** Name of the central flow-log bucket. */
  readonly bucketName: string;
}

/** The central bucket name: configured, else `<name>-flowlogs-<account>-<region>`. */
export function centralBucketName(c: FlowlakeConfig): string {
  return c.central.bucketName ?? `${c.name}-flowlogs-${c.central.account}-${c.central.region}`;
}

/** The delivery path of a member group (its own or the top-level default). */
export function deliveryOf(c: FlowlakeConfig, m: MemberGroupConfig): DeliveryPath {
  return m.delivery ?? c.delivery;
}

/** The account that holds the StackSets: the management account, or the delegated administrator. */
export function rolloutAccount(c: FlowlakeConfig): string {
  if (c.rollout.callAs === 'DELEGATED_ADMIN') return c.rollout.delegatedAdminAccount ?? c.central.account;
  // Validation guarantees the management account when StackSets are called as SELF.
  return c.organization?.managementAccount ?? c.central.account;
}

function groupName(m: MemberGroupConfig, i: number): string {
  return m.name ?? `group${i + 1}`;
}

function retentionPhrase(c: FlowlakeConfig): string {
  const r = c.retention;
  const parts = [
    r.infrequentAccessDays !== false ? `IA ${r.infrequentAccessDays}d` : undefined,
    r.glacierDays !== false ? `Glacier ${r.glacierDays}d` : undefined,
    `expire ${r.expireDays}d`,
    `noncurrent ${r.noncurrentExpireDays}d`,
  ].filter(Boolean);
  return parts.join(', ');
}

function memberCreates(c: FlowlakeConfig, m: MemberGroupConfig): string[] {
  const path = deliveryOf(c, m);
  const out: string[] = [];
  if (m.vpcs === 'all') {
    out.push('flow-log enabler Lambda + EventBridge rule (every VPC, existing and future)');
  } else {
    out.push(`${m.vpcs.length} flow log${m.vpcs.length === 1 ? '' : 's'} (${m.vpcs.join(', ')})`);
  }
  if (path === 'direct-s3') out.push('delivery straight to the central bucket');
  if (path === 'replication') {
    out.push(
      `local KMS bucket (expire ${c.replication.localExpireDays}d) + replication role${c.replication.rtc ? ' + RTC' : ''}`,
    );
  }
  if (path === 'cloudwatch-firehose' || path === 'cloudwatch-kinesis') {
    out.push('KMS log group + subscription to the central destination');
  }
  return out;
}

function centralCreates(c: FlowlakeConfig, bucket: string): string[] {
  const out = [
    `KMS key + flow-log bucket ${bucket} (${retentionPhrase(c)})`,
    'access-log bucket',
    c.organization
      ? `bucket/key policy scoped to ${c.organization.id}`
      : 'bucket/key policy listing member accounts',
  ];
  if (c.retention.objectLock) {
    out.push(`Object Lock ${c.retention.objectLock.mode} ${c.retention.objectLock.days}d`);
  }
  return out;
}

/**
 * Plans the app from a valid config: the central stack first (wave 1), then (wave 2) one member stack per listed
 * account and region, and one rollout stack per member group with OUs (a service-managed StackSet with automatic
 * deployment, in the management or delegated-admin account), then optional security stacks.
 * Pure: no construct is created.
 */
export function planApp(c: FlowlakeConfig): AppPlan {
  const bucketName = centralBucketName(c);
  const home = c.central.region;
  const stacks: PlannedStack[] = [
    {
      id: `${c.name}-central`,
      kind: 'central',
      account: c.central.account,
      region: home,
      wave: 1,
      creates: [...centralCreates(c, bucketName), ...centralStreamingCreates(c)],
    },
    ...planStreamingStacks(c),
  ];
  c.members.forEach((m, i) => {
    const group = groupName(m, i);
    const delivery = deliveryOf(c, m);
    if (m.ous.length > 0) {
      const stackSet = {
        name: `${c.name}-members-${group}`,
        groupIndex: i,
        delivery,
        ous: m.ous,
        accounts: [],
        regions: m.regions,
      };
      stacks.push({
        id: `${c.name}-rollout-${group}`,
        kind: 'rollout',
        account: rolloutAccount(c),
        region: home,
        wave: 2,
        group,
        groupIndex: i,
        delivery,
        creates: [
          `StackSet ${stackSet.name} -> ${m.ous.length} OU${m.ous.length === 1 ? '' : 's'} x ${m.regions.length} region${
            m.regions.length === 1 ? '' : 's'
          }, auto-deploys to accounts that join`,
          ...memberCreates(c, m),
        ],
        stackSets: [stackSet],
      });
    }
    for (const account of m.accounts) {
      for (const region of m.regions) {
        stacks.push({
          id: `${c.name}-member-${account}-${region}`,
          kind: 'member',
          account,
          region,
          wave: 2,
          group,
          groupIndex: i,
          delivery,
          creates: memberCreates(c, m),
        });
      }
    }
  });
  const trailAccount = c.organization?.managementAccount;
  if (c.cloudtrail.enabled && trailAccount) {
    stacks.push({
      id: `${c.name}-cloudtrail`,
      kind: 'cloudtrail',
      account: trailAccount,
      region: home,
      wave: 2,
      creates: [`organization trail -> s3://${bucketName}/${c.cloudtrail.prefix}/ (KMS, validation on)`],
    });
  }
  const management = c.organization?.managementAccount;
  if (c.guardduty.enabled && management) {
    // GuardDuty is regional: designate and configure the administrator in every region flow logs come from.
    const regions = [...new Set([home, ...c.members.flatMap((m) => m.regions)])];
    const admin = c.guardduty.delegatedAdminAccount ?? c.central.account;
    for (const region of regions) {
      stacks.push({
        id: `${c.name}-guardduty-delegation-${region}`,
        kind: 'guardduty-delegation',
        account: management,
        region,
        wave: 2,
        creates: [`GuardDuty delegated administrator ${admin}`],
      });
    }
    for (const region of regions) {
      stacks.push({
        id: `${c.name}-guardduty-${region}`,
        kind: 'guardduty',
        account: admin,
        region,
        wave: 3,
        creates: [
          `GuardDuty organization auto-enable ${c.guardduty.autoEnable}, findings -> s3://${bucketName}/guardduty/ (KMS)`,
          'EventBridge rule: findings -> CloudWatch Logs (KMS)',
        ],
      });
    }
  }
  return { stacks, bucketName };
}
