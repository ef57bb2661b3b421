import { fieldsCommand } from './fields.js';
import type { CommandSpec } from './types.js';

/** The command table: every `flowlake` subcommand, in help order. */
export const COMMANDS: readonly CommandSpec[] = [fieldsCommand];
