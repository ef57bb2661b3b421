import { type FlowLog, paginateDescribeFlowLogs, paginateDescribeVpcs, type Vpc } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { type AuditClients, errorText } from './clients.js';
import { type Newest, newestObject, recentDayPrefixes } from './freshness.js';
import { mapPool } from './pool.js';
import { RULES, type RuleId } from './rules.js';
import type { AccountResult, AuditAccount, AuditPlan, AuditReport, Finding } from './types.js';
import { checkRegion } from './vpc-checks.js';

/** Options of one audit run. */
export interface RunOptions {
  readonly clients: AuditClients;
  /** Accounts audited at the same time. */
  readonly concurrency: number;
  /** The audit's notion of "now" (freshness ages). */
  readonly now: Date;
  /** Progress lines (stderr). */
  readonly progress?: (line: string) => void;
}

async function describeRegion(
  clients: AuditClients,
  region: string,
  credentials: Parameters<AuditClients['ec2']>[1],
): Promise<{ vpcs: Vpc[]; flowLogs: FlowLog[] }> {
  const ec2 = clients.ec2(region, credentials);
  try {
    const vpcs: Vpc[] = [];
    for await (const page of paginateDescribeVpcs({ client: ec2, pageSize: 1000 }, {}))
      vpcs.push(...(page.Vpcs ?? []));
    const flowLogs: FlowLog[] = [];
    if (vpcs.length > 0) {
      // All flow logs of the region (no resource-id filter: EC2 caps filter values; subnet/ENI logs are ignored later).
      for await (const page of paginateDescribeFlowLogs({ client: ec2, pageSize: 1000 }, {})) {
        flowLogs.push(...(page.FlowLogs ?? []));
      }
    }
    return { vpcs, flowLogs };
  } finally {
    ec2.destroy();
  }
}

async function auditAccount(
  account: AuditAccount,
  plan: AuditPlan,
  opts: RunOptions,
  s3: S3Client | undefined,
): Promise<{ result: AccountResult; findings: Finding[] }> {
  const findings: Finding[] = [];
  const add = (ruleId: RuleId, region: string | undefined, resource: string | undefined, message: string) =>
    findings.push({
      ruleId,
      severity: RULES[ruleId].severity,
      accountId: account.id,
      region,
      resource,
      message,
    });
  const base = { accountId: account.id, name: account.name, path: account.expect.path };
  const roleArn = `arn:${plan.partition}:iam::${account.id}:role/${plan.roleName}`;
  let credentials: Awaited<ReturnType<AuditClients['assumeRole']>>;
  try {
    credentials = await opts.clients.assumeRole(roleArn, plan.externalId);
  } catch (e) {
    add('FLA007', undefined, roleArn, `Cannot assume ${roleArn}: ${errorText(e)}.`);
    return { result: { ...base, status: 'unreachable', vpcs: 0, covered: 0, findings: 1 }, findings };
  }
  let partial = false;
  let vpcs = 0;
  let covered = 0;
  let newest: Newest | undefined;
  for (const region of plan.regions) {
    let check: ReturnType<typeof checkRegion>;
    try {
      const { vpcs: v, flowLogs } = await describeRegion(opts.clients, region, credentials);
      check = checkRegion(account.id, region, v, flowLogs, account.expect);
    } catch (e) {
      partial = true;
      add('FLA009', region, undefined, `Cannot list VPCs and flow logs in ${region}: ${errorText(e)}.`);
      continue;
    }
    findings.push(...check.findings);
    vpcs += check.vpcs;
    covered += check.covered;
    if (!plan.central || !s3 || check.covered === 0) continue;
    const central = plan.central;
    // Streaming paths write with the central layout; direct-S3 flow logs write with their own DestinationOptions.
    const layouts = check.hiveLayouts.size > 0 ? [...check.hiveLayouts] : [central.hive];
    try {
      let regionNewest: Newest | undefined;
      for (const hive of layouts) {
        const prefixes = recentDayPrefixes(central.prefix, account.id, region, hive, opts.now);
        const n = await newestObject(s3, central.bucket, prefixes);
        if (n && (!regionNewest || n.lastModified > regionNewest.lastModified)) regionNewest = n;
      }
      const where = `s3://${central.bucket}/${recentDayPrefixes(central.prefix, account.id, region, layouts[0], opts.now)[0]}`;
      if (!regionNewest) {
        add(
          'FLA006',
          region,
          where,
          `No objects from ${account.id} in ${region} in today's or yesterday's partitions.`,
        );
      } else {
        const age = ageMinutes(regionNewest.lastModified, opts.now);
        if (age > plan.maxAgeMinutes) {
          add(
            'FLA006',
            region,
            regionNewest.key,
            `Newest object from ${account.id} in ${region} is ${age} min old (limit ${plan.maxAgeMinutes} min).`,
          );
        }
        if (!newest || regionNewest.lastModified > newest.lastModified) newest = regionNewest;
      }
    } catch (e) {
      partial = true;
      add(
        'FLA010',
        region,
        `s3://${central.bucket}`,
        `Cannot list the central bucket for ${account.id} in ${region}: ${errorText(e)}.`,
      );
    }
  }
  const result: AccountResult = {
    ...base,
    status: partial ? 'partial' : 'ok',
    vpcs,
    covered,
    newestObjectAgeMinutes: newest ? ageMinutes(newest.lastModified, opts.now) : undefined,
    findings: findings.length,
  };
  return { result, findings };
}

function ageMinutes(t: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - t.getTime()) / 60_000));
}

/** Audits every account of the plan, `concurrency` accounts at a time; a failing account never stops the others. */
export async function runAudit(plan: AuditPlan, opts: RunOptions): Promise<AuditReport> {
  const s3 = plan.central ? opts.clients.s3(plan.central.region) : undefined;
  let done = 0;
  try {
    const results = await mapPool(plan.accounts, opts.concurrency, async (account) => {
      const r = await auditAccount(account, plan, opts, s3);
      done++;
      opts.progress?.(
        `[${done}/${plan.accounts.length}] ${account.id}${account.name ? ` (${account.name})` : ''}: ${r.result.status}, ${r.result.covered}/${r.result.vpcs} VPCs covered, ${r.findings.length} finding(s)\n`,
      );
      return r;
    });
    return {
      generatedAt: opts.now.toISOString(),
      regions: plan.regions,
      accounts: results.map((r) => r.result),
      findings: results.flatMap((r) => r.findings),
    };
  } finally {
    s3?.destroy();
  }
}
