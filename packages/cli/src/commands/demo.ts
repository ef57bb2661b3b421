import type { DemoResult } from '../demo/run.js';
import { FlowlakeError } from '../errors.js';
import { renderRows } from '../output/table.js';
import type { CommandSpec } from './types.js';

function positive(name: string, integer: boolean) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      throw new FlowlakeError(
        'BadOption',
        `${name} '${v}' is not a positive ${integer ? 'whole ' : ''}number.`,
        {
          hint: `Use e.g. ${name} ${integer ? 3 : 1}.`,
        },
      );
    }
    return n;
  };
}

const EXAMPLES = `
Runs the whole system on this machine with no AWS account and no network: writes an example flowlake.yaml
(one account per delivery path) and synthesizes it, generates traffic with planted incidents (SSH brute force,
port scans, a large egress transfer), delivers it through each path's real code into a local store laid out
like the central bucket (direct-s3 and replication as AWS writes Parquet; the streaming path through the Firehose
transform), runs the query catalog with DuckDB, and writes the HTML report. Progress goes to stderr; the summary
to stdout. 'npm start' runs 'flowlake demo'.

Examples:
  $ flowlake demo
  $ flowlake demo --hours 3 --accounts 6 --out /tmp/flowlake-demo
  $ flowlake query top-talkers --store .flowlake/demo/store     # query the demo store afterwards
`;

/** The end-of-run summary: records per account and path, findings, where things are. */
export function renderDemoSummary(r: DemoResult): string {
  const accounts = r.delivered.map((d) => ({
    account: d.accountId,
    name: r.accounts.find((a) => a.id === d.accountId)?.name ?? '',
    path: d.path,
    records: d.records,
    objects: d.objects,
  }));
  const findings = r.findings.map((f) => ({
    incident: f.kind,
    account: f.accountId,
    query: f.query,
    found: f.found ? 'yes' : 'NO',
    evidence: f.evidence,
  }));
  const steps = r.steps.map((s) => ({ step: s.name, seconds: s.seconds.toFixed(1) }));
  const total = r.steps.reduce((n, s) => n + s.seconds, 0);
  return [
    'Delivered',
    renderRows(accounts, 'table'),
    '\nFindings (query catalog on the local store)',
    renderRows(findings, 'table'),
    `\nSteps: ${steps.map((s) => `${s.step} ${s.seconds} s`).join(', ')}; total ${total.toFixed(1)} s`,
    `Config:   ${r.configPath}`,
    r.assemblyPath ? `Assembly: ${r.assemblyPath}` : undefined,
    `Store:    ${r.storePath}`,
    r.reportPath ? `Report:   ${r.reportPath}` : undefined,
    '',
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}

/** `flowlake demo`: the whole system end to end, locally. */
export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'Run the whole system locally (no AWS): config, synth, traffic, delivery, queries, report',
  configure: (cmd) =>
    cmd
      .description(
        'Show flowlake working end to end on this machine, with the real code paths and no AWS account.',
      )
      .option('--hours <n>', 'hours of traffic to generate', positive('--hours', false), 1)
      .option(
        '--accounts <n>',
        'member accounts (delivery paths assigned in turn)',
        positive('--accounts', true),
        3,
      )
      .option('--out <dir>', 'output directory', '.flowlake/demo')
      .option('--seed <seed>', 'generator seed (same seed, same traffic)', 'flowlake-demo')
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const { runDemo } = await import('../demo/run.js'); // aws-cdk-lib and DuckDB: loaded only to run
    const result = await runDemo(
      { hours: opts.hours, accounts: opts.accounts, out: opts.out, seed: opts.seed },
      io,
    );
    io.out(renderDemoSummary(result));
    const missed = result.findings.filter((f) => !f.found);
    return missed.length === 0 ? 0 : 1;
  },
};
