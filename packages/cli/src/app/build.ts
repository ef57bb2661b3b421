import {
  addGuardDutyPublishingAccess,
  addOrganizationTrailAccess,
  CentralArchiveStack,
  FlowLogDelivery,
  GuardDutyAdminStack,
  GuardDutyDelegationStack,
  type MemberFlowLogsProps,
  MemberFlowLogsStack,
  OrganizationTrailStack,
  OrgRolloutStack,
  VpcSelection,
} from '@flowlake/constructs';
import { App, type CfnStackSet, Stack, Tags } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { DeliveryPath, FlowlakeConfig, MemberGroupConfig } from '../config/index.js';
import { FlowlakeError } from '../errors.js';
import { addAnalytics } from './analytics.js';
import { type AppPlan, type PlannedStack, planApp } from './plan.js';
import {
  assertStreamingBuildable,
  buildStreamingCentral,
  buildStreamingMember,
  isStreamingPath,
} from './streaming.js';

/** Context every flowlake app synthesizes with: deterministic output, no stack traces (fast, small). */
export const APP_CONTEXT: Readonly<Record<string, unknown>> = {
  'aws:cdk:disable-stack-trace': true,
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:performance-reporting': false,
  'aws:cdk:version-reporting': false,
  'aws:cdk:enable-path-metadata': false,
};

/** Options of {@link buildApp}. */
export interface BuildOptions {
  /** Where the cloud assembly goes. @default - a temporary directory (CDK default) */
  readonly outdir?: string;
  /**
   * Run CloudFormation's built-in template validation (aws-cdk-lib's WASM validator) on every stack during synth.
   * Off by default: it costs about 0.1 s per stack plus 1.5 s of start-up (minutes for thousands of stacks).
   * @default false
   */
  readonly validateTemplates?: boolean;
  /** Extra context (e.g. from `cdk.json` when run by the CDK CLI). */
  readonly context?: Record<string, unknown>;
}

/** What the member-side builder of one delivery path needs. */
export interface MemberBuildContext {
  readonly app: App;
  readonly config: FlowlakeConfig;
  readonly plan: AppPlan;
  readonly central: CentralArchiveStack;
  /** The planned member stack (one account/region) or rollout stack (one StackSet). */
  readonly stack: PlannedStack;
  readonly group: MemberGroupConfig;
}

/** The member-side props of one delivery path: how flow logs reach the archive from a member account/region. */
export type MemberDeliveryBuilder = (ctx: MemberBuildContext) => FlowLogDelivery;

function bucketArn(plan: AppPlan): string {
  return `arn:aws:s3:::${plan.bucketName}`;
}

/**
 * The delivery of each path, used for per-account stacks and StackSet templates alike. The streaming paths are
 * added here when their member stacks exist; until then `synth` rejects them with DeliveryNotAvailable before
 * creating any construct.
 */
export const MEMBER_DELIVERIES: Partial<Record<DeliveryPath, MemberDeliveryBuilder>> = {
  'direct-s3': (ctx) => FlowLogDelivery.directToS3({ centralBucketArn: bucketArn(ctx.plan) }),
  replication: (ctx) => {
    const c = ctx.config;
    return FlowLogDelivery.replication({
      centralBucketArn: bucketArn(ctx.plan),
      // assertBuildable guarantees the key ARN when a group replicates.
      centralKeyArn: c.central.keyArn!,
      centralAccount: c.central.account,
      localExpirationDays: c.replication.localExpireDays,
      replicationTimeControl: c.replication.rtc,
    });
  },
};

/** The member props (format, traffic type, interval, layout, selection) of a group with a delivery. */
export function memberFlowLogsProps(
  c: FlowlakeConfig,
  group: MemberGroupConfig,
  delivery: FlowLogDelivery,
): MemberFlowLogsProps {
  const f = c.flowLogs;
  return {
    delivery,
    selection: group.vpcs === 'all' ? VpcSelection.all() : VpcSelection.ids(group.vpcs),
    logFormat: f.format,
    trafficType: f.trafficType,
    maxAggregationIntervalSeconds: f.aggregationInterval,
    fileFormat: f.fileFormat === 'text' ? 'plain-text' : 'parquet',
    hivePartitions: f.hivePartitions,
    perHourPartition: f.perHourPartitions,
    tags: c.tags,
  };
}

function buildMember(ctx: MemberBuildContext): void {
  const s = ctx.stack;
  const delivery = MEMBER_DELIVERIES[s.delivery!]!(ctx);
  new MemberFlowLogsStack(ctx.app, s.id, {
    ...memberFlowLogsProps(ctx.config, ctx.group, delivery),
    env: { account: s.account, region: s.region },
    description: `flowlake: VPC flow logs of ${s.account} ${s.region} (${s.delivery})`,
  });
}

function buildRollout(ctx: MemberBuildContext): void {
  const s = ctx.stack;
  const r = ctx.config.rollout;
  const set = s.stackSets![0];
  const delivery = MEMBER_DELIVERIES[s.delivery!]!(ctx);
  const stack = new OrgRolloutStack(ctx.app, s.id, {
    env: { account: s.account, region: s.region },
    description: `flowlake: StackSet ${set.name} (${set.delivery}) to ${set.ous.join(', ')}`,
    member: memberFlowLogsProps(ctx.config, ctx.group, delivery),
    organizationalUnitIds: set.ous,
    regions: set.regions,
    stackSetName: set.name,
    maxConcurrentPercentage: r.maxConcurrentPercentage,
    failureTolerancePercentage: r.failureTolerancePercentage,
    callAs: r.callAs,
  });
  const cfn: CfnStackSet = stack.stackSet;
  cfn.autoDeployment = { enabled: true, retainStacksOnAccountRemoval: r.retainStacksOnAccountRemoval };
}

/**
 * Runs `fn` with CloudFormation's built-in template validation on or off for apps synthesized inside it (the StackSet
 * member template is synthesized by a nested App while the rollout stack is built; aws-cdk-lib reads CDK_VALIDATION).
 */
function withTemplateValidation(enabled: boolean, fn: () => void): void {
  const before = process.env.CDK_VALIDATION;
  if (!enabled) process.env.CDK_VALIDATION = 'false';
  try {
    fn();
  } finally {
    if (before === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = before;
  }
}

/** Checks that every part the config asks for can be built; throws before any construct is created. */
export function assertBuildable(c: FlowlakeConfig, plan: AppPlan): void {
  assertStreamingBuildable(c, plan);
  for (const s of plan.stacks) {
    if (s.delivery === 'replication' && !c.central.keyArn) {
      throw new FlowlakeError(
        'CentralKeyArnRequired',
        `members group '${s.group}' uses the replication path, whose member stacks need the central key ARN`,
        {
          hint: 'deploy the central stack first, then set central.keyArn to its KeyArn output (see docs/deploy.md)',
        },
      );
    }
    if (
      (s.kind === 'member' || s.kind === 'rollout') &&
      s.delivery &&
      !MEMBER_DELIVERIES[s.delivery] &&
      !isStreamingPath(s.delivery)
    ) {
      throw new FlowlakeError(
        'DeliveryNotAvailable',
        `delivery path '${s.delivery}' (members group '${s.group}') cannot be synthesized yet: its member stacks are not built in this version`,
        { hint: 'use delivery: direct-s3 or replication for this group (see docs/config.md#delivery)' },
      );
    }
    if (s.kind === 'guardduty' && !c.central.keyArn) {
      throw new FlowlakeError(
        'CentralKeyArnRequired',
        'GuardDuty exports findings encrypted with the central key, whose ARN the GuardDuty stacks need',
        {
          hint: 'deploy the central stack first, then set central.keyArn to its KeyArn output (see docs/security-events.md)',
        },
      );
    }
  }
}

/**
 * Builds the CDK app of a validated config: the central archive stack, then every member stack. Everything that
 * can fail on the config is checked first (validation by the schema, availability by `assertBuildable`), so a bad
 * config never yields a partial assembly.
 */
export function buildApp(c: FlowlakeConfig, opts: BuildOptions = {}): { app: App; plan: AppPlan } {
  const plan = planApp(c);
  assertBuildable(c, plan);
  const app = new App({
    outdir: opts.outdir,
    context: { ...APP_CONTEXT, ...opts.context },
    analyticsReporting: false,
    treeMetadata: false,
    performanceReporting: false,
    builtinCloudFormationValidation: opts.validateTemplates ?? false,
    // flowlake calls synth() itself; the CDK CLI entry does too.
    autoSynth: false,
  });
  const centralPlan = plan.stacks[0];
  const members = c.members.flatMap((m) => m.accounts);
  const central = new CentralArchiveStack(app, centralPlan.id, {
    env: { account: centralPlan.account, region: centralPlan.region },
    description: 'flowlake: central VPC flow-log archive (deploy first)',
    terminationProtection: true,
    organizationId: c.organization?.id,
    memberAccounts: [...new Set(members)],
    useSourceOrgId: c.central.useSourceOrgId,
    requireBucketOwnerFullControl: c.central.requireBucketOwnerFullControl,
    adminPrincipalArns:
      c.central.archiveAdminRoleArns.length > 0
        ? [
            ...c.central.archiveAdminRoleArns,
            `arn:aws:iam::${c.central.account}:role/cdk-*-cfn-exec-role-${c.central.account}-*`,
          ]
        : undefined,
    allowReplication: c.members.some((m) => (m.delivery ?? c.delivery) === 'replication'),
    retention: {
      infrequentAccessDays: c.retention.infrequentAccessDays || undefined,
      glacierDays: c.retention.glacierDays || undefined,
      expirationDays: c.retention.expireDays,
      noncurrentVersionExpirationDays: c.retention.noncurrentExpireDays,
    },
    objectLock: c.retention.objectLock,
    bucketName: plan.bucketName,
  });
  addAnalytics(central, c);
  buildStreamingCentral(app, c, plan, central);
  withTemplateValidation(opts.validateTemplates ?? false, () => {
    for (const s of plan.stacks) {
      if (s.groupIndex === undefined) continue;
      const ctx = { app, config: c, plan, central, stack: s, group: c.members[s.groupIndex] };
      if (s.kind === 'member' && isStreamingPath(s.delivery)) {
        const member = buildStreamingMember(app, c, s, ctx.group);
        member.addStackDependency(central);
        const destinations = app.node.tryFindChild(`${c.name}-central-destinations-${s.region}`);
        if (destinations instanceof Stack) member.addStackDependency(destinations);
        continue;
      }
      if (s.kind === 'member') buildMember(ctx);
      if (s.kind === 'rollout') buildRollout(ctx);
    }
    buildSecurityEventStacks(app, c, plan, central);
  });
  for (const [k, v] of Object.entries(c.tags)) Tags.of(app).add(k, v);
  return { app, plan };
}

/** Trail name of a flowlake app (the archive bucket policy binds it by ARN). */
export function trailName(c: FlowlakeConfig): string {
  return `${c.name}-organization-trail`;
}

/**
 * The organization trail and GuardDuty stacks (docs/security-events.md), and their statements in the central
 * bucket and key policies (the central stack is deployed first, so the policies exist when the services check them).
 */
function buildSecurityEventStacks(
  app: App,
  c: FlowlakeConfig,
  plan: AppPlan,
  central: CentralArchiveStack,
): void {
  for (const s of plan.stacks) {
    const env = { account: s.account, region: s.region };
    if (s.kind === 'cloudtrail') {
      // Validation guarantees the organization and its management account when cloudtrail is on.
      const organizationId = c.organization!.id;
      addOrganizationTrailAccess(central.bucket, {
        managementAccountId: s.account,
        organizationId,
        trailName: trailName(c),
        trailRegion: s.region,
        keyPrefix: c.cloudtrail.prefix,
      });
      const trail = new OrganizationTrailStack(app, s.id, {
        env,
        description:
          'flowlake: organization CloudTrail trail into the central archive (deploy after the central stack)',
        archiveBucketName: plan.bucketName,
        archiveAccountId: c.central.account,
        organizationId,
        trailName: trailName(c),
        keyPrefix: c.cloudtrail.prefix,
        readerAccountIds: [...new Set([s.account, c.central.account])],
        cloudWatchLogs: c.cloudtrail.cloudWatchLogs
          ? { retention: c.cloudtrail.cloudWatchLogsRetentionDays as logs.RetentionDays }
          : undefined,
      });
      trail.addStackDependency(central);
    } else if (s.kind === 'guardduty-delegation') {
      const admin = new GuardDutyDelegationStack(app, s.id, {
        env,
        description: 'flowlake: GuardDuty delegated administrator (management account)',
        adminAccountId: c.guardduty.delegatedAdminAccount ?? c.central.account,
      });
      admin.addStackDependency(central);
    }
  }
  const adminAccount = c.guardduty.delegatedAdminAccount ?? c.central.account;
  let granted = false;
  for (const s of plan.stacks) {
    if (s.kind !== 'guardduty') continue;
    if (!granted) {
      addGuardDutyPublishingAccess(central.bucket, central.key, { adminAccountId: adminAccount });
      granted = true;
    }
    const stack = new GuardDutyAdminStack(app, s.id, {
      env: { account: s.account, region: s.region },
      description: `flowlake: GuardDuty administrator ${s.region}: auto-enable, findings export and routing`,
      archiveBucketName: plan.bucketName,
      archiveAccountId: c.central.account,
      // assertBuildable guarantees the key ARN when GuardDuty is on.
      publishingKeyArn: c.central.keyArn!,
      autoEnable: c.guardduty.autoEnable,
      findingPublishingFrequency: c.guardduty.findingFrequency,
    });
    stack.addStackDependency(central);
    const delegation = app.node.tryFindChild(
      s.id.replace(`${c.name}-guardduty-`, `${c.name}-guardduty-delegation-`),
    );
    if (delegation instanceof GuardDutyDelegationStack) stack.addStackDependency(delegation);
  }
}
