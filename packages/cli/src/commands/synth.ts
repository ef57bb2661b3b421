import { resolve } from 'node:path';
import { Option } from 'commander';
import { renderPlanSummary } from '../app/summary.js';
import { ExitCode } from '../errors.js';
import { printIssues, readConfigOption } from './config-io.js';
import type { CommandSpec } from './types.js';

/** `flowlake synth`: config -> CDK cloud assembly, offline and deterministic. */
export const synthCommand: CommandSpec = {
  name: 'synth',
  summary: 'Synthesize the CDK cloud assembly (central + member stacks) from a flowlake.yaml, offline',
  configure: (cmd) =>
    cmd
      .description(
        'Validate a flowlake.yaml, then write the AWS CDK cloud assembly (CloudFormation templates of the central\n' +
          'archive stack and every member stack or StackSet) offline and deterministically, and print which stack\n' +
          'goes to which account/region, what each creates, and the deploy order. An invalid config exits 2 with the\n' +
          "same messages as 'flowlake validate' and writes nothing.",
      )
      .requiredOption('-c, --config <file>', 'the config file (flowlake.yaml)')
      .option('--out <dir>', 'cloud assembly directory', 'cdk.out')
      .option('-q, --quiet', 'print nothing but errors')
      .option('--cfn-validate', "also run CloudFormation's template validation on every stack (slower)")
      .addOption(
        new Option('-o, --output <format>', 'summary format').choices(['table', 'json']).default('table'),
      )
      .addHelpText(
        'after',
        '\nExamples:\n  flowlake synth --config flowlake.yaml\n  flowlake synth -c examples/flowlake.yaml --out build/cdk.out --quiet\n' +
          '  npx cdk deploy --app cdk.out flowlake-central   # then the member stacks (see docs/deploy.md)\n',
      ),
  run: async (
    _args,
    opts: { config: string; out: string; quiet?: boolean; cfnValidate?: boolean; output: 'table' | 'json' },
    io,
  ) => {
    const { config, issues } = await readConfigOption(opts.config, io);
    if (!config) {
      printIssues(opts.config, issues, io);
      return ExitCode.USAGE;
    }
    if (issues.length > 0 && !opts.quiet) printIssues(opts.config, issues, io);
    const started = performance.now();
    if (!opts.quiet) io.err(`synthesizing ${opts.config} ...\n`);
    const { synthAssembly } = await import('../app/index.js'); // aws-cdk-lib: loaded only to synthesize
    const { plan, outdir } = synthAssembly(config, resolve(io.cwd, opts.out), {
      validateTemplates: opts.cfnValidate === true,
    });
    const seconds = (performance.now() - started) / 1000;
    if (opts.quiet) return ExitCode.OK;
    if (opts.output === 'json') {
      io.out(
        `${JSON.stringify({ outdir, stacks: plan.stacks, seconds: Number(seconds.toFixed(2)) }, null, 2)}\n`,
      );
    } else {
      io.out(renderPlanSummary(plan, opts.out));
      io.err(`synthesized ${plan.stacks.length} stacks in ${seconds.toFixed(1)} s\n`);
    }
    return ExitCode.OK;
  },
};
