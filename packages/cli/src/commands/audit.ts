import { Option } from 'commander';
import { positiveInt } from '../analysis/options.js';
import type { AuditClients } from '../audit/clients.js';
import type { OrgAccount } from '../audit/org-accounts.js';
import { type AuditFlags, parseAccounts, planFromFlags, validateFlags } from '../audit/plan.js';
import { AUDIT_OUTPUTS, renderAudit } from '../audit/render.js';
import type { AuditPlan } from '../audit/types.js';
import { ExitCode, FlowlakeError } from '../errors.js';
import type { Io } from '../io.js';
import { VERSION } from '../main.js';
import { printIssues, readConfigOption } from './config-io.js';
import type { CommandSpec } from './types.js';

const EXAMPLES = `
Checks, in every member account and region: VPCs without a flow log (FLA001), flow logs not delivering to the
central destination (FLA002), FAILED delivery with its error message (FLA003), format / traffic-type / destination
option drift (FLA004, FLA005, FLA008), and the age of the newest object in the central bucket (FLA006). Accounts
whose role cannot be assumed (FLA007) and regions or listings that fail (FLA009, FLA010) are reported, never skipped.

Exit codes: 0 every VPC compliant, 1 findings (non-compliant or not auditable), 2 usage error.

Examples:
  $ flowlake audit --config flowlake.yaml
  $ flowlake audit --config flowlake.yaml --regions eu-west-1 -o sarif > audit.sarif
  $ flowlake audit --role-name FlowlakeAudit --regions us-east-1,eu-west-1 --bucket acme-flowlogs-central
  $ flowlake audit --accounts 111111111111,222222222222 --role-name FlowlakeAudit --external-id acme-7f3a \\
      --regions eu-west-1 --bucket acme-flowlogs-central --prefix flowlogs -o sarif > audit.sarif
  $ flowlake audit ... --concurrency 16 -o json | jq '.findings[] | select(.ruleId == "FLA001")'
`;

async function accountsFromFlags(flags: AuditFlags, clients: AuditClients, io: Io): Promise<OrgAccount[]> {
  const explicit = parseAccounts(flags.accounts);
  if (explicit) return explicit.map((id) => ({ id }));
  io.err('Listing the organization accounts...\n');
  const org = clients.organizations();
  const { listOrgAccounts } = await import('../audit/org-accounts.js');
  try {
    return await listOrgAccounts(org);
  } catch (e) {
    throw new FlowlakeError(
      'OrganizationsListFailed',
      `Cannot list the organization's accounts: ${String(e)}`,
      {
        exitCode: ExitCode.FAILURE,
        hint: 'Run from the management or a delegated administrator account, or pass --accounts with explicit IDs.',
        cause: e,
      },
    );
  } finally {
    org.destroy();
  }
}

/** `flowlake audit`: coverage and delivery health of flow logs across the organization. */
export const auditCommand: CommandSpec = {
  name: 'audit',
  summary:
    'Report VPCs without flow logs, failed or drifted flow logs, and stale delivery, per account (AWS)',
  configure: (cmd) =>
    cmd
      .description(
        'Audit every member account (assuming a read-only role) for VPC flow log coverage and delivery health.',
      )
      .option(
        '-c, --config <file>',
        'flowlake.yaml: accounts, regions, role, central bucket, expected flow logs',
      )
      .option(
        '--accounts <ids>',
        "comma-separated account IDs, or 'org' for every ACTIVE account (default: config, else org)",
      )
      .option('--regions <list>', 'comma-separated regions to audit (overrides the config)')
      .option(
        '--role-name <name>',
        'read-only role assumed in each member account (default: config audit.roleName)',
      )
      .option(
        '--external-id <id>',
        'external ID required by the role trust policy (default: config audit.externalId)',
      )
      .option('--bucket <name>', 'central bucket the flow logs must deliver to (default: from the config)')
      .option('--prefix <prefix>', 'folder inside the central bucket before AWSLogs/ (without config)')
      .option(
        '--bucket-region <region>',
        'region of the central bucket (default: config central.region, else first region)',
      )
      .option('--no-hive', 'streaming-path objects are written without Hive-compatible prefixes')
      .option('--log-format <format>', 'expected flow log format string (default: config, else not checked)')
      .option(
        '--traffic-type <type>',
        'expected traffic type ALL, ACCEPT, REJECT, or any (default: config, else ALL)',
      )
      .addOption(
        new Option('--file-format <format>', 'expected S3 file format').choices(['plain-text', 'parquet']),
      )
      .option(
        '--max-age <minutes>',
        'newest central object older than this is stale (default 60)',
        positiveInt('--max-age'),
      )
      .option('--concurrency <n>', 'accounts audited in parallel', positiveInt('--concurrency'), 8)
      .option(
        '--max-attempts <n>',
        'SDK attempts per call (adaptive retry on throttling)',
        positiveInt('--max-attempts'),
        8,
      )
      .addOption(new Option('-o, --output <format>', 'output format').choices(AUDIT_OUTPUTS).default('table'))
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const flags: AuditFlags = {
      accounts: opts.accounts,
      regions: opts.regions,
      roleName: opts.roleName,
      externalId: opts.externalId,
      bucket: opts.bucket,
      prefix: opts.prefix,
      bucketRegion: opts.bucketRegion,
      hive: opts.hive,
      logFormat: opts.logFormat,
      trafficType: opts.trafficType,
      fileFormat: opts.fileFormat,
      maxAge: opts.maxAge,
    };
    validateFlags(flags, opts.config !== undefined);
    // the AWS SDK clients are loaded only to audit (fast start for every other command)
    const [{ AuditClients }, { planFromConfig }, { runAudit }] = await Promise.all([
      import('../audit/clients.js'),
      import('../audit/config-plan.js'),
      import('../audit/run.js'),
    ]);
    const clients = new AuditClients({ maxAttempts: opts.maxAttempts });
    let plan: AuditPlan;
    if (opts.config !== undefined) {
      const { config, issues, path } = await readConfigOption(opts.config, io);
      if (issues.length > 0) printIssues(opts.config, issues, io);
      if (!config) return ExitCode.USAGE;
      plan = await planFromConfig(config, { ...flags, configPath: opts.config }, () =>
        clients.organizations(),
      );
      io.err(`Config ${path}: ${plan.accounts.length} member account(s).\n`);
    } else {
      plan = planFromFlags(flags, await accountsFromFlags(flags, clients, io));
    }
    io.err(
      `Auditing ${plan.accounts.length} account(s) x ${plan.regions.length} region(s), ${opts.concurrency} at a time...\n`,
    );
    const report = await runAudit(plan, {
      clients,
      concurrency: opts.concurrency,
      now: new Date(),
      progress: (line) => io.err(line),
    });
    io.out(renderAudit(report, opts.output, { version: VERSION, configPath: plan.configPath }));
    const unreachable = report.accounts.filter((a) => a.status === 'unreachable').length;
    io.err(
      `${report.findings.length} finding(s) in ${report.accounts.filter((a) => a.findings > 0).length} of ${report.accounts.length} account(s)` +
        `${unreachable > 0 ? `; ${unreachable} account(s) unreachable` : ''}.\n`,
    );
    return report.findings.length > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  },
};
