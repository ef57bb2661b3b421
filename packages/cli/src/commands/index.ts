import { auditCommand } from './audit.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { estimateCommand } from './estimate.js';
import { fieldsCommand } from './fields.js';
import { parseCommand } from './parse.js';
import { pullCommand } from './pull.js';
import { queryCommand } from './query.js';
import { reportCommand } from './report.js';
import { synthCommand } from './synth.js';
import { transformCommand } from './transform.js';
import type { CommandSpec } from './types.js';
import { validateCommand } from './validate.js';

/** The command table: every `flowlake` subcommand, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  fieldsCommand,
  validateCommand,
  synthCommand,
  auditCommand,
  transformCommand,
  parseCommand,
  queryCommand,
  pullCommand,
  convertCommand,
  estimateCommand,
  demoCommand,
  reportCommand,
];
