import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CatalogQuery,
  QUERY_BY_NAME,
  QUERY_CATALOG,
  type QueryParams,
  SECURITY_QUERY_BY_NAME,
  SECURITY_QUERY_CATALOG,
  validateParams,
} from '@flowlake/constructs/analytics/queries';
import { Option } from 'commander';
import { listOption, parseTime, positiveInt, usageError } from '../analysis/options.js';
import { scanStore } from '../analysis/store.js';
import { rowObjects } from '../analysis/types.js';
import { FlowlakeError } from '../errors.js';
import type { Io } from '../io.js';
import { OUTPUT_FORMATS, renderRows } from '../output/table.js';
import type { CommandSpec } from './types.js';

const EXAMPLES = `
Queries run unchanged on a local store (DuckDB; the directory is laid out like the central bucket, as written by
'flowlake pull') or on Athena (the workgroup and tables deployed by the central stack). Only the partitions of the
time range are read. Times are UTC: ISO 8601, 'now', or a duration ago (90m, 24h, 7d).

Examples:
  $ flowlake query --list
  $ flowlake query top-talkers --store ./flowlogs --since 2026-11-30 --until 2026-12-01
  $ flowlake query port-scan-horizontal --store ./flowlogs --account 111111111111 -o json
  $ flowlake query egress-to-internet --engine athena --since 24h --region eu-west-1 --limit 20
  $ flowlake query top-rejected --engine athena --account 111111111111 --print-sql
  $ flowlake query finding-instance-flows --store ./flowlogs    # GuardDuty findings x flows (docs/security-events.md)
  $ flowlake query sign-ins-from-scanners --engine athena --account 111111111111 --since 7d
`;

/** Finds a catalog query by name, or throws a usage error listing near names. */
export function findQuery(name: string): CatalogQuery {
  const q = QUERY_BY_NAME.get(name) ?? SECURITY_QUERY_BY_NAME.get(name);
  if (q) return q;
  const near = [...QUERY_CATALOG, ...SECURITY_QUERY_CATALOG]
    .filter((x) => x.name.includes(name) || name.includes(x.name.split('-')[0]))
    .map((x) => x.name);
  throw new FlowlakeError('UnknownQuery', `no query named '${name}'`, {
    hint: `${near.length ? `did you mean ${near.join(', ')}? ` : ''}run 'flowlake query --list' for the catalog`,
  });
}

/** Time range, scope and limit from the options. Local queries default to the whole store, Athena to 24 hours. */
export async function paramsFromOptions(
  // biome-ignore lint/suspicious/noExplicitAny: commander options
  opts: any,
  local: { store: string } | undefined,
  now = new Date(),
): Promise<QueryParams> {
  let until = opts.until ? parseTime('--until', opts.until, now) : undefined;
  let since = opts.since ? parseTime('--since', opts.since, now) : undefined;
  // Validate the scope before touching the store, so a bad value is reported as such.
  try {
    validateParams({
      since: new Date(0),
      until: new Date(1000),
      accounts: opts.account,
      regions: opts.region,
      vpcs: opts.vpc,
      limit: opts.limit,
    });
  } catch (e) {
    usageError(e);
  }
  if (local && !existsSync(local.store)) {
    throw new FlowlakeError('StoreNotFound', `store directory '${local.store}' not found`, {
      hint: "give --store DIR holding AWSLogs/... (fill it with 'flowlake pull --bucket B --since 24h --store DIR')",
    });
  }
  if ((!since || !until) && local) {
    const files = await scanStore(local.store, { accounts: opts.account, regions: opts.region });
    if (files.length === 0) {
      throw new FlowlakeError('EmptyStore', `no flow-log files under '${local.store}'`, {
        hint: "point --store at a directory holding AWSLogs/... (fill it with 'flowlake pull'), or check --account/--region",
      });
    }
    const spans = files.map((f) =>
      Date.UTC(f.parsed.year, f.parsed.month - 1, f.parsed.day, f.parsed.hour ?? 0),
    );
    since ??= new Date(Math.min(...spans));
    until ??= new Date(
      Math.max(...spans) + (files.some((f) => f.parsed.hour === undefined) ? 86_400_000 : 3_600_000),
    );
  }
  until ??= now;
  since ??= new Date(until.getTime() - 86_400_000);
  return {
    since,
    until,
    accounts: opts.account,
    regions: opts.region,
    vpcs: opts.vpc,
    limit: opts.limit,
  };
}

/** The Athena engine for the options (its SDK clients loaded on demand). */
async function athenaEngine(opts: {
  workgroup: string;
  database: string;
  table: string;
  cloudtrailTable: string;
  guarddutyTable: string;
  perHour: boolean;
}) {
  const [{ AthenaEngine }, { OrganizationsClient }, { listOrgAccounts }] = await Promise.all([
    import('../analysis/athena-engine.js'),
    import('@aws-sdk/client-organizations'),
    import('../audit/org-accounts.js'),
  ]);
  return new AthenaEngine({
    workGroup: opts.workgroup,
    database: opts.database,
    table: opts.table,
    cloudTrailTable: opts.cloudtrailTable,
    guardDutyTable: opts.guarddutyTable,
    perHour: opts.perHour,
    resolveAccounts: async () => (await listOrgAccounts(new OrganizationsClient({}))).map((a) => a.id),
  });
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function listCatalog(io: Io, output: 'table' | 'json' | 'csv'): number {
  const rows = [...QUERY_CATALOG, ...SECURITY_QUERY_CATALOG].map((q) => ({
    name: q.name,
    title: q.title,
    columns: q.columns.join(','),
    ...(output === 'table' ? {} : { purpose: q.purpose }),
  }));
  io.out(renderRows(rows, output));
  return 0;
}

/** `flowlake query`: run the query catalog locally (DuckDB) or on Athena. */
export const queryCommand: CommandSpec = {
  name: 'query',
  summary: 'Run a catalog query (top talkers, scans, egress, rejects...) locally with DuckDB or on Athena',
  configure: (cmd) =>
    cmd
      .description('Run a query of the flowlake catalog over a local store (DuckDB) or Athena.')
      .argument('[name]', "query name (see 'flowlake query --list')")
      .option('--list', 'list the query catalog')
      .addOption(
        new Option('--engine <engine>', 'where to run').choices(['local', 'athena']).default('local'),
      )
      .option('--store <dir>', 'local store directory laid out like the central bucket', '.flowlake/store')
      .option('--since <time>', 'start of the range (default: local store start, Athena 24h ago)')
      .option('--until <time>', 'end of the range, exclusive (default: local store end, Athena now)')
      .option(
        '--account <id>',
        'account ID; repeatable or comma-separated (Athena default: all org accounts)',
        listOption,
      )
      .option('--region <name>', 'region; repeatable or comma-separated', listOption)
      .option('--vpc <id>', 'VPC ID; repeatable or comma-separated', listOption)
      .option('--limit <n>', 'maximum rows', positiveInt('--limit'), 100)
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'),
      )
      .option('--workgroup <name>', 'Athena workgroup', 'flowlake')
      .option('--database <name>', 'Glue database', 'flowlake')
      .option('--table <name>', 'Glue table', 'flows')
      .option(
        '--cloudtrail-table <name>',
        'Glue table of CloudTrail records (security queries)',
        'cloudtrail',
      )
      .option(
        '--guardduty-table <name>',
        'Glue table of GuardDuty findings (security queries)',
        'guardduty_findings',
      )
      .option('--no-per-hour', 'the Athena table has no hour partition (daily layouts)')
      .option('--print-sql', 'print the SQL for the engine instead of running it')
      .addHelpText('after', EXAMPLES),
  run: async (args, opts, io) => {
    if (opts.list) return listCatalog(io, opts.output);
    const name = args[0];
    if (!name) {
      throw new FlowlakeError('MissingQueryName', 'name a query to run', {
        hint: "run 'flowlake query --list' to see the catalog, then e.g. 'flowlake query top-talkers --store DIR'",
      });
    }
    const query = findQuery(name);
    const local = opts.engine === 'local';
    const params = await paramsFromOptions(opts, local ? { store: resolve(io.cwd, opts.store) } : undefined);
    opts.store = resolve(io.cwd, opts.store);
    const controller = new AbortController();
    const onSigint = () => controller.abort(new FlowlakeError('Interrupted', 'interrupted; query cancelled'));
    process.once('SIGINT', onSigint);
    // each engine's SDK / DuckDB is loaded only when it runs (fast start for every other command)
    const engine = local
      ? new (await import('../analysis/local-engine.js')).LocalEngine({ store: opts.store })
      : await athenaEngine(opts);
    try {
      if (opts.printSql) {
        io.out(
          `${'render' in engine ? await engine.render(query, params) : await engine.renderSql(query, params)}\n`,
        );
        return 0;
      }
      const result = await engine.run(query, params, controller.signal).catch(usageError);
      io.out(renderRows(rowObjects(result), opts.output, result.columns));
      const scanned =
        result.bytesScanned !== undefined
          ? `, scanned ${formatBytes(result.bytesScanned)} (~$${(result.costUsd ?? 0).toFixed(4)})`
          : '';
      io.err(
        `${result.rows.length} row(s) in ${(result.elapsedMs / 1000).toFixed(2)} s${scanned}; ` +
          `range ${params.since.toISOString()} .. ${params.until.toISOString()}\n`,
      );
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await engine.close();
    }
  },
};
