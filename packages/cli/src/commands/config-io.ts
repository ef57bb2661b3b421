import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { type ConfigIssue, formatIssues, type LoadResult, loadConfigFile } from '../config/index.js';
import { FlowlakeError } from '../errors.js';
import type { Io } from '../io.js';

/** Reads and validates `--config FILE` (relative to io.cwd). Throws FlowlakeError when the file is missing. */
export async function readConfigOption(
  file: string | undefined,
  io: Io,
): Promise<LoadResult & { path: string }> {
  if (!file) {
    throw new FlowlakeError('ConfigRequired', 'no config file given', {
      hint: 'pass --config flowlake.yaml (start from examples/flowlake.yaml)',
    });
  }
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) {
    throw new FlowlakeError('ConfigNotFound', `config file '${file}' does not exist`, {
      hint: 'check the path, or copy examples/flowlake.yaml',
    });
  }
  return { ...(await loadConfigFile(path)), path };
}

/** Prints issues as `file:line:col severity path: message` + fix lines on stderr (colored on a TTY). */
export function printIssues(file: string, issues: readonly ConfigIssue[], io: Io): void {
  const text = formatIssues(file, issues);
  io.err(
    io.interactive
      ? text.replace(/ (error|warning) /g, (_m, s: string) => ` ${s === 'error' ? pc.red(s) : pc.yellow(s)} `)
      : text,
  );
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (errors > 0) io.err(`${errors} error${errors === 1 ? '' : 's'} in ${file}\n`);
}
