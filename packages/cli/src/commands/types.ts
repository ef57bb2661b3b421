import type { Command } from 'commander';
import type { Io } from '../io.js';

/** One row of the command table: how to declare the command and how to run it. */
export interface CommandSpec {
  /** The subcommand name, e.g. `parse`. */
  readonly name: string;
  /** One line for `flowlake --help`. */
  readonly summary: string;
  /** Declares arguments and options on the commander command (description, examples in help text). */
  readonly configure: (cmd: Command) => void;
  /** Runs the command; returns the exit code. Throw FlowlakeError for user errors. */
  // biome-ignore lint/suspicious/noExplicitAny: commander hands options as a loose record; each command narrows it.
  readonly run: (args: string[], opts: any, io: Io) => Promise<number>;
}
