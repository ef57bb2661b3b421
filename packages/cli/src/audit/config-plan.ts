import {
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { centralBucketName } from '../app/plan.js';
import type { FlowlakeConfig } from '../config/index.js';
import { type AuditFlags, partitionOf, splitList } from './plan.js';
import type { AuditAccount, AuditPlan, DeliveryPath, FlowLogExpectation } from './types.js';

/** Every account below an OU, nested OUs included (Organizations, all pages). */
export async function listOuAccounts(
  client: OrganizationsClient,
  ouId: string,
): Promise<{ id: string; name?: string }[]> {
  const out: { id: string; name?: string }[] = [];
  for await (const page of paginateListAccountsForParent({ client }, { ParentId: ouId })) {
    for (const a of page.Accounts ?? [])
      if (a.Id && (a.State ?? a.Status) === 'ACTIVE') out.push({ id: a.Id, name: a.Name });
  }
  for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: ouId })) {
    for (const ou of page.OrganizationalUnits ?? [])
      if (ou.Id) out.push(...(await listOuAccounts(client, ou.Id)));
  }
  return out;
}

/** What the config expects of a member group's flow logs. */
export function expectationFor(
  config: FlowlakeConfig,
  path: DeliveryPath,
  vpcs: 'all' | readonly string[],
  bucketOverride?: string,
): FlowLogExpectation {
  const partition = partitionOf(config.central.region);
  const fl = config.flowLogs;
  const common = {
    path,
    logFormat: fl.format,
    trafficType: fl.trafficType,
    fileFormat: fl.fileFormat === 'text' ? ('plain-text' as const) : ('parquet' as const),
    hive: fl.hivePartitions,
    perHour: fl.perHourPartitions,
    vpcIds: vpcs === 'all' ? undefined : vpcs.filter((v) => v.startsWith('vpc-')),
  };
  if (path === 'direct-s3') {
    const bucket = bucketOverride ?? centralBucketName(config);
    return {
      ...common,
      destination: { type: 's3', bucketArn: `arn:${partition}:s3:::${bucket}`, prefix: '' },
    };
  }
  if (path === 'replication') {
    // The member stack's local bucket (constructs LocalReplicatedBucket), replicated to the central bucket.
    return {
      ...common,
      destination: (region, account) => ({
        type: 's3',
        bucketArn: `arn:${partition}:s3:::flowlake-flowlogs-local-${account}-${region}`,
        prefix: '',
      }),
    };
  }
  // CloudWatch Logs paths: the member log group flowlake creates per region, subscribed to the central destination.
  return {
    ...common,
    destination: (region) => ({ type: 'cloud-watch-logs', logGroupName: `/flowlake/vpcflowlogs/${region}` }),
  };
}

/** Applies `--log-format`, `--traffic-type` (`any`: not checked) and `--file-format` over the config. */
function withFlagOverrides(expect: FlowLogExpectation, flags: AuditFlags): FlowLogExpectation {
  const tt = flags.trafficType?.toUpperCase();
  return {
    ...expect,
    logFormat: flags.logFormat ?? expect.logFormat,
    trafficType: tt === undefined ? expect.trafficType : tt === 'ANY' ? undefined : tt,
    fileFormat: flags.fileFormat ?? expect.fileFormat,
  };
}

/**
 * Builds the audit plan from a validated config; flags override it (`--regions` replaces every group's regions,
 * `--accounts` restricts the accounts, `--bucket`, `--role-name`, `--external-id` replace the config's).
 */
export async function planFromConfig(
  config: FlowlakeConfig,
  flags: AuditFlags & { configPath?: string },
  org: () => OrganizationsClient,
): Promise<AuditPlan> {
  const regionOverride = flags.regions ? splitList(flags.regions) : undefined;
  const accounts = new Map<string, AuditAccount>();
  for (const group of config.members) {
    const path = group.delivery ?? config.delivery;
    const expect = withFlagOverrides(expectationFor(config, path, group.vpcs, flags.bucket), flags);
    const members: { id: string; name?: string }[] = group.accounts.map((id) => ({ id, name: group.name }));
    if (group.ous.length > 0) {
      const client = org();
      try {
        for (const ou of group.ous) members.push(...(await listOuAccounts(client, ou)));
      } finally {
        client.destroy();
      }
    }
    for (const m of members) {
      if (!accounts.has(m.id))
        accounts.set(m.id, { id: m.id, name: m.name, expect, regions: regionOverride ?? group.regions });
    }
  }
  let list = [...accounts.values()];
  if (flags.accounts && flags.accounts !== 'org') {
    const wanted = new Set(splitList(flags.accounts));
    list = list.filter((a) => wanted.has(a.id));
  }
  const partition = partitionOf(config.central.region);
  return {
    accounts: list,
    regions: regionOverride ?? [...new Set(config.members.flatMap((g) => g.regions))],
    roleName: flags.roleName ?? config.audit.roleName,
    externalId: flags.externalId ?? config.audit.externalId,
    partition,
    central: {
      bucket: flags.bucket ?? centralBucketName(config),
      prefix: '',
      region: flags.bucketRegion ?? config.central.region,
      hive: flags.hive ?? config.flowLogs.hivePartitions,
    },
    maxAgeMinutes: flags.maxAge ?? 60,
    configPath: flags.configPath,
  };
}
