import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { COMMANDS } from './commands/index.js';
import { ExitCode, FlowlakeError } from './errors.js';
import { type Io, processIo } from './io.js';

export const VERSION = '0.1.0';

function buildProgram(io: Io, onRun: (code: number) => void): Command {
  const program = new Command('flowlake')
    .description(
      'Centralize AWS VPC Flow Logs from every account of an AWS Organization into one log-archive account,\n' +
        'keep them safe and cheap, and make them answer security questions.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name).summary(spec.summary).exitOverride();
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    spec.configure(cmd);
    cmd.action(async (...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      onRun(await spec.run(command.args, command.opts(), io));
    });
  }
  return program;
}

/** Runs `flowlake` with the given arguments (without node and script path) and returns the exit code. */
export async function exec(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = ExitCode.OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return ExitCode.USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit with 0; parse errors were already printed by commander.
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (FlowlakeError.isFlowlakeError(e)) {
      io.err(`${pc.red(`error [${e.code}]`)}: ${e.message}\n`);
      if (e.hint) io.err(`${pc.yellow('fix')}: ${e.hint}\n`);
      return e.exitCode;
    }
    io.err(`${pc.red('internal error')}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.FAILURE;
  }
}

/** Process entry: runs exec and sets process.exitCode (never calls process.exit). */
export async function cli(argv: readonly string[]): Promise<void> {
  process.exitCode = await exec(argv);
}
