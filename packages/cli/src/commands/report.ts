import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { listOption, usageError } from '../analysis/options.js';
import { renderReportHtml } from '../report/html.js';
import { paramsFromOptions } from './query.js';
import type { CommandSpec } from './types.js';

const EXAMPLES = `
One self-contained HTML file (charts drawn with echarts, inlined; works offline): traffic over time (accepted vs
rejected), top talkers, rejected ports, port-scan suspects, egress to the internet by account, and a per-account
coverage and delivery-health table. The time range defaults to the whole store.

Examples:
  $ flowlake report --store ./flowlogs --out report.html
  $ flowlake report --store ./flowlogs --since 2026-11-30 --until 2026-12-01 --account 111111111111 --out day.html
`;

/** `flowlake report`: an HTML report over a local store. */
export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'Write a self-contained HTML report (charts, coverage table) from a local store',
  configure: (cmd) =>
    cmd
      .description('Write a self-contained HTML report of a local store.')
      .option('--store <dir>', 'local store directory laid out like the central bucket', '.flowlake/store')
      .option('--out <file>', 'HTML file to write', 'flowlake-report.html')
      .option('--since <time>', 'start of the range (default: store start)')
      .option('--until <time>', 'end of the range, exclusive (default: store end)')
      .option('--account <id>', 'account ID; repeatable or comma-separated', listOption)
      .option('--region <name>', 'region; repeatable or comma-separated', listOption)
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const store = resolve(io.cwd, opts.store);
    const params = await paramsFromOptions(opts, { store });
    const { collectReportData } = await import('../report/data.js'); // DuckDB: loaded only to run
    const data = await collectReportData(store, params).catch(usageError);
    const out = resolve(io.cwd, opts.out);
    await writeFile(out, renderReportHtml(data));
    io.err(`report written to ${out} (${data.coverage.length} account/region pair(s))\n`);
    return 0;
  },
};
