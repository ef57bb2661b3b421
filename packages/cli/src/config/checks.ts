import type { z } from 'zod';
import { withHint } from './hint.js';
import type { BaseFlowlakeConfig } from './schema.js';

type Ctx = z.RefinementCtx<BaseFlowlakeConfig>;

function issue(ctx: Ctx, path: (string | number)[], message: string, hint: string): void {
  ctx.addIssue({ code: 'custom', path, message: withHint(message, hint) });
}

/** The delivery path of member group `i`. */
function pathOf(c: BaseFlowlakeConfig, i: number) {
  return c.members[i].delivery ?? c.delivery;
}

/** The rollout mode: as configured, else stacksets when any group targets OUs, else stacks. */
export function effectiveRolloutMode(c: BaseFlowlakeConfig): 'stacksets' | 'stacks' {
  return c.rollout.mode ?? (c.members.some((m) => m.ous.length > 0) ? 'stacksets' : 'stacks');
}

/** Cross-field rules of `flowlake.yaml` (run once every key has the right shape). */
export function crossCheck(c: BaseFlowlakeConfig, ctx: Ctx): void {
  const seen = new Map<string, number>();
  c.members.forEach((m, i) => {
    if (m.accounts.length === 0 && m.ous.length === 0) {
      issue(
        ctx,
        ['members', i],
        'a member group needs accounts or ous',
        "add accounts: ['222222222222'] or ous: [ou-ab12-cd34ef56]",
      );
    }
    if (m.ous.length > 0 && !c.organization) {
      issue(
        ctx,
        ['members', i, 'ous'],
        'organizational units need the organization id',
        'add organization: { id: o-xxxxxxxxxx } at the top level',
      );
    }
    if (m.ous.length > 0 && c.rollout.mode === 'stacks') {
      issue(
        ctx,
        ['members', i, 'ous'],
        "organizational units can only be rolled out with rollout.mode 'stacksets'",
        'set rollout.mode: stacksets, or list the accounts instead of the OUs',
      );
    }
    m.accounts.forEach((a, j) => {
      for (const r of m.regions) {
        const key = `${a}/${r}`;
        const other = seen.get(key);
        if (other !== undefined && other !== i) {
          issue(
            ctx,
            ['members', i, 'accounts', j],
            `account ${a} in ${r} is already covered by members[${other}]`,
            'list each account and region in one group only (two flow logs would double the cost)',
          );
        }
        seen.set(key, i);
      }
    });
    const path = pathOf(c, i);
    if (path.startsWith('cloudwatch') && c.streaming.enrollment === 'telemetry-rule' && m.vpcs !== 'all') {
      issue(
        ctx,
        ['members', i, 'vpcs'],
        'the organization telemetry rule enrolls all VPCs; it cannot select a list of VPCs',
        'use vpcs: all for this group, or streaming.enrollment: lambda',
      );
    }
  });
  if (c.central.keyArn && !c.central.keyArn.includes(`:${c.central.account}:key/`)) {
    issue(
      ctx,
      ['central', 'keyArn'],
      `central.keyArn belongs to another account than central.account (${c.central.account})`,
      'use the KeyArn output of the central stack in the log-archive account',
    );
  }
  if (c.central.useSourceOrgId && !c.organization) {
    issue(
      ctx,
      ['central', 'useSourceOrgId'],
      'aws:SourceOrgID scoping needs the organization id',
      'add organization: { id: o-xxxxxxxxxx }, or remove useSourceOrgId',
    );
  }
  if (c.rollout.mode === 'stacksets' && !c.organization) {
    issue(
      ctx,
      ['rollout', 'mode'],
      'StackSets with service-managed permissions need an organization',
      'add organization: { id: o-xxxxxxxxxx }, or use rollout.mode: stacks',
    );
  }
  if (c.streaming.enrollment === 'telemetry-rule' && !c.organization) {
    issue(
      ctx,
      ['streaming', 'enrollment'],
      'the organization telemetry rule needs an organization',
      'add organization: { id: o-xxxxxxxxxx }, or use enrollment: lambda',
    );
  }
  if (
    c.streaming.opensearch?.enabled &&
    !c.members.some((_m, i) => String(pathOf(c, i)).startsWith('cloudwatch'))
  ) {
    issue(
      ctx,
      ['streaming', 'opensearch', 'enabled'],
      'OpenSearch is fed by the streaming transform, but no member group uses cloudwatch-firehose or cloudwatch-kinesis',
      'set delivery: cloudwatch-firehose (or -kinesis) for a group, or streaming.opensearch.enabled: false',
    );
  }
  for (const feature of ['cloudtrail', 'guardduty'] as const) {
    if (c[feature].enabled && !c.organization) {
      issue(
        ctx,
        [feature],
        `${feature === 'cloudtrail' ? 'an organization trail' : 'GuardDuty organization administration'} needs an organization`,
        `add organization: { id: o-xxxxxxxxxx } (and managementAccount), or set ${feature}: false`,
      );
    }
  }
  if (c.cloudtrail.enabled && c.organization && !c.organization.managementAccount) {
    issue(
      ctx,
      ['organization'],
      'an organization trail is deployed from the management account, which is not given',
      "add organization.managementAccount: '<12-digit id>'",
    );
  }
  if (c.guardduty.enabled && c.organization && !c.organization.managementAccount) {
    issue(
      ctx,
      ['organization'],
      'the GuardDuty delegated administrator is designated from the management account, which is not given',
      "add organization.managementAccount: '<12-digit id>'",
    );
  }
  if (
    effectiveRolloutMode(c) === 'stacksets' &&
    c.rollout.callAs === 'SELF' &&
    c.organization &&
    !c.organization.managementAccount
  ) {
    issue(
      ctx,
      ['organization'],
      'StackSets called as SELF are deployed from the management account, which is not given',
      "add organization.managementAccount: '<12-digit id>', or set rollout.callAs: DELEGATED_ADMIN",
    );
  }
}
