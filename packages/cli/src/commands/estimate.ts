import { Option } from 'commander';
import { FlowlakeError } from '../errors.js';
import { type EstimateInput, estimate } from '../estimate/model.js';
import { loadPricing } from '../estimate/pricing.js';
import { ESTIMATE_OUTPUTS, renderEstimate } from '../estimate/render.js';
import type { CommandSpec } from './types.js';

function number(name: string, opts: { min?: number; integer?: boolean; allowFalse?: boolean } = {}) {
  return (v: string): number | false => {
    if (opts.allowFalse && (v === 'false' || v === 'none')) return false;
    const n = Number(v);
    const min = opts.min ?? 0;
    if (v.trim() === '' || !Number.isFinite(n) || n < min || (opts.integer && !Number.isInteger(n))) {
      throw new FlowlakeError(
        'BadOption',
        `${name} '${v}' is not ${opts.integer ? 'a whole number' : 'a number'} >= ${min}.`,
        { hint: `Use e.g. ${name} ${Math.max(min, 1)}${opts.allowFalse ? ` (or ${name} none)` : ''}.` },
      );
    }
    return n;
  };
}

const EXAMPLES = `
Prices every delivery path side by side for the same traffic: vended-log delivery (tiered, to S3 or to CloudWatch
Logs), Parquet conversion, CloudWatch Logs storage, Kinesis, Firehose ingestion (5 KB record rounding) and dynamic
partitioning, the transform Lambda, S3 storage classes with lifecycle transitions, Athena, and with --opensearch
the OpenSearch copy (fan-out ingestion at one 5 KB-billed record per flow record, data nodes, gp3 storage).
Prices come from the dated table packages/cli/src/estimate/pricing/us-east-1.json; volume assumptions are printed
with --output json.

Examples:
  $ flowlake estimate --gb-per-day 50
  $ flowlake estimate --gb-per-day 2000 --accounts 300 --regions 3 --retention-days 400 --query-tb-month 20
  $ flowlake estimate --gb-per-day 50 --ia-days none --glacier-days 30 --retention-days 365 -o json
  $ flowlake estimate --gb-per-day 20 --opensearch --opensearch-instance r6g.xlarge.search --opensearch-nodes 4
`;

/** `flowlake estimate`: monthly cost of each delivery path. */
export const estimateCommand: CommandSpec = {
  name: 'estimate',
  summary: 'Monthly cost of each delivery path for your flow-log volume, side by side, and the cheapest',
  configure: (cmd) =>
    cmd
      .description(
        'Estimate the monthly AWS cost of each flowlake delivery path for a given flow-log volume.',
      )
      .requiredOption(
        '--gb-per-day <gb>',
        'raw flow-log volume of the whole organization, GB per day',
        number('--gb-per-day'),
      )
      .option('--accounts <n>', 'member accounts', number('--accounts', { min: 1, integer: true }), 1)
      .option('--regions <n>', 'regions per account', number('--regions', { min: 1, integer: true }), 1)
      .option(
        '--vpcs <n>',
        'flow logs (VPCs) per account and region',
        number('--vpcs', { min: 1, integer: true }),
        1,
      )
      .option(
        '--retention-days <days>',
        'days objects stay in the central bucket',
        number('--retention-days', { min: 1, integer: true }),
        400,
      )
      .option(
        '--ia-days <days>',
        "days before S3 Standard-IA, or 'none'",
        number('--ia-days', { min: 30, integer: true, allowFalse: true }),
        30,
      )
      .option(
        '--glacier-days <days>',
        "days before S3 Glacier Flexible Retrieval, or 'none'",
        number('--glacier-days', { min: 1, integer: true, allowFalse: true }),
        90,
      )
      .option(
        '--cwl-retention-days <days>',
        'member log group retention on the CloudWatch Logs paths',
        number('--cwl-retention-days', { min: 1, integer: true }),
        7,
      )
      .option(
        '--local-retention-days <days>',
        'member-side copy on the replication path',
        number('--local-retention-days', { min: 1, integer: true }),
        7,
      )
      .option('--query-tb-month <tb>', 'TB scanned by Athena per month', number('--query-tb-month'), 0)
      .addOption(
        new Option('--kinesis <mode>', 'Kinesis capacity mode')
          .choices(['on-demand', 'provisioned'])
          .default('on-demand'),
      )
      .option('--opensearch', 'add the OpenSearch copy (streaming.opensearch) to the streaming paths')
      .option('--opensearch-instance <type>', 'OpenSearch data node instance type', 'r6g.large.search')
      .option(
        '--opensearch-nodes <n>',
        'OpenSearch data nodes',
        number('--opensearch-nodes', { min: 1, integer: true }),
        2,
      )
      .option(
        '--opensearch-volume-gb <gb>',
        'EBS gp3 volume per OpenSearch data node, GB',
        number('--opensearch-volume-gb', { min: 10, integer: true }),
        100,
      )
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(ESTIMATE_OUTPUTS).default('table'),
      )
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const input: EstimateInput = {
      gbPerDay: opts.gbPerDay,
      accounts: opts.accounts,
      regions: opts.regions,
      flowLogsPerAccountRegion: opts.vpcs,
      retentionDays: opts.retentionDays,
      iaDays: opts.iaDays,
      glacierDays: opts.glacierDays,
      cwlRetentionDays: opts.cwlRetentionDays,
      localRetentionDays: opts.localRetentionDays,
      queryTbMonth: opts.queryTbMonth,
      kinesisMode: opts.kinesis,
      ...(opts.opensearch
        ? {
            opensearch: {
              instanceType: opts.opensearchInstance,
              instanceCount: opts.opensearchNodes,
              volumeGb: opts.opensearchVolumeGb,
            },
          }
        : {}),
    };
    if (input.iaDays !== false && input.glacierDays !== false && input.glacierDays <= input.iaDays) {
      throw new FlowlakeError(
        'BadLifecycle',
        `--glacier-days ${input.glacierDays} must be after --ia-days ${input.iaDays}.`,
        {
          hint: `Use --glacier-days ${input.iaDays + 30} or more, or --ia-days none.`,
        },
      );
    }
    const pricing = loadPricing('us-east-1');
    const priced = pricing.opensearch.instanceUsdPerHour;
    if (input.opensearch && priced[input.opensearch.instanceType] === undefined) {
      throw new FlowlakeError(
        'BadOption',
        `--opensearch-instance '${input.opensearch.instanceType}' has no recorded price.`,
        { hint: `Use one of ${Object.keys(priced).join(', ')} (or add it to the pricing table).` },
      );
    }
    io.out(renderEstimate(input, pricing, estimate(input, pricing), opts.output));
    return 0;
  },
};
