import { Option } from 'commander';
import { summarizeConfig } from '../config/summary.js';
import { ExitCode } from '../errors.js';
import { renderRows } from '../output/table.js';
import { printIssues, readConfigOption } from './config-io.js';
import type { CommandSpec } from './types.js';

/** `flowlake validate`: checks a flowlake.yaml and reports every problem at once. */
export const validateCommand: CommandSpec = {
  name: 'validate',
  summary: 'Check a flowlake.yaml: every error with its YAML path, line:col and a fix',
  configure: (cmd) =>
    cmd
      .description(
        'Validate a flowlake.yaml against the schema and the cross-field rules. Reports every error at once,\n' +
          'each with its YAML path, line:column and a fix hint; exits 2 when there is any error.',
      )
      .requiredOption('-c, --config <file>', 'the config file (flowlake.yaml)')
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
      )
      .addHelpText(
        'after',
        '\nExamples:\n  flowlake validate --config flowlake.yaml\n  flowlake validate -c examples/org-1000.yaml --output json\n',
      ),
  run: async (_args, opts: { config: string; output: 'table' | 'json' }, io) => {
    const { config, issues } = await readConfigOption(opts.config, io);
    const summary = config ? summarizeConfig(config) : undefined;
    if (opts.output === 'json') {
      io.out(
        `${JSON.stringify({ valid: config !== undefined, file: opts.config, issues, summary }, null, 2)}\n`,
      );
      return config ? ExitCode.OK : ExitCode.USAGE;
    }
    if (issues.length > 0) printIssues(opts.config, issues, io);
    if (!summary) return ExitCode.USAGE;
    io.out(`${opts.config}: valid\n`);
    io.out(
      renderRows(
        Object.entries(summary).map(([key, v]) => ({
          key,
          value: Array.isArray(v) ? v.join(', ') : String(v),
        })),
        'table',
      ),
    );
    return ExitCode.OK;
  },
};
