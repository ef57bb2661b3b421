import {
  CentralArchiveStack,
  FlowLogDelivery,
  MemberFlowLogsStack,
  VpcSelection,
} from '@flowlake/constructs';
import { App, Tags } from 'aws-cdk-lib';
import type { DeliveryPath, FlowlakeConfig, MemberGroupConfig } from '../config/index.js';
import { FlowlakeError } from '../errors.js';
import { type AppPlan, type PlannedStack, planApp } from './plan.js';

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
  /** Extra context (e.g. from `cdk.json` when run by the CDK CLI). */
  readonly context?: Record<string, unknown>;
}

/** What the member-side builder of one delivery path needs. */
export interface MemberBuildContext {
  readonly app: App;
  readonly config: FlowlakeConfig;
  readonly plan: AppPlan;
  readonly central: CentralArchiveStack;
  readonly stack: PlannedStack;
  readonly group: MemberGroupConfig;
}

/** Creates the member stack of one account/region for a delivery path. */
export type MemberStackBuilder = (ctx: MemberBuildContext) => void;

function memberProps(ctx: MemberBuildContext, delivery: FlowLogDelivery) {
  const f = ctx.config.flowLogs;
  return {
    env: { account: ctx.stack.account, region: ctx.stack.region },
    description: `flowlake: VPC flow logs of ${ctx.stack.account} ${ctx.stack.region} (${ctx.stack.delivery})`,
    delivery,
    selection: ctx.group.vpcs === 'all' ? VpcSelection.all() : VpcSelection.ids(ctx.group.vpcs),
    logFormat: f.format,
    trafficType: f.trafficType,
    maxAggregationIntervalSeconds: f.aggregationInterval,
    fileFormat: f.fileFormat === 'text' ? ('plain-text' as const) : ('parquet' as const),
    hivePartitions: f.hivePartitions,
    perHourPartition: f.perHourPartitions,
  };
}

function bucketArn(plan: AppPlan): string {
  return `arn:aws:s3:::${plan.bucketName}`;
}

/**
 * The member-stack builder of each delivery path. The streaming paths are added here when their stacks exist;
 * until then `synth` rejects them with DeliveryNotAvailable before creating any construct.
 */
export const MEMBER_BUILDERS: Partial<Record<DeliveryPath, MemberStackBuilder>> = {
  'direct-s3': (ctx) => {
    const delivery = FlowLogDelivery.directToS3({ centralBucketArn: bucketArn(ctx.plan) });
    new MemberFlowLogsStack(ctx.app, ctx.stack.id, memberProps(ctx, delivery));
  },
  replication: (ctx) => {
    const c = ctx.config;
    const delivery = FlowLogDelivery.replication({
      centralBucketArn: bucketArn(ctx.plan),
      // assertBuildable guarantees the key ARN when a group replicates.
      centralKeyArn: c.central.keyArn!,
      centralAccount: c.central.account,
      localExpirationDays: c.replication.localExpireDays,
      replicationTimeControl: c.replication.rtc,
    });
    new MemberFlowLogsStack(ctx.app, ctx.stack.id, memberProps(ctx, delivery));
  },
};

/** Checks that every part the config asks for can be built; throws before any construct is created. */
export function assertBuildable(c: FlowlakeConfig, plan: AppPlan): void {
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
    if (s.kind === 'member' && s.delivery && !MEMBER_BUILDERS[s.delivery]) {
      throw new FlowlakeError(
        'DeliveryNotAvailable',
        `delivery path '${s.delivery}' (members group '${s.group}') cannot be synthesized yet: its stacks are not built in this version`,
        { hint: 'use delivery: direct-s3 or replication for this group (see docs/config.md#delivery)' },
      );
    }
    if (s.kind === 'rollout') {
      throw new FlowlakeError(
        'RolloutNotAvailable',
        'rollout.mode stacksets cannot be synthesized yet: the StackSets rollout stack is not built in this version',
        { hint: 'list the accounts and use rollout.mode: stacks for now' },
      );
    }
    if (s.kind === 'cloudtrail' || s.kind === 'guardduty') {
      throw new FlowlakeError('FeatureNotAvailable', `${s.kind} cannot be synthesized yet in this version`, {
        hint: `set ${s.kind}: false for now`,
      });
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
  for (const s of plan.stacks) {
    if (s.kind !== 'member' || s.groupIndex === undefined || !s.delivery) continue;
    MEMBER_BUILDERS[s.delivery]!({ app, config: c, plan, central, stack: s, group: c.members[s.groupIndex] });
  }
  for (const [k, v] of Object.entries(c.tags)) Tags.of(app).add(k, v);
  return { app, plan };
}
