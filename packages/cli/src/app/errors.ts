import { type ConfigIssue, formatIssues } from '../config/index.js';
import { ExitCode, FlowlakeError } from '../errors.js';

/** A config that failed validation: carries every issue (the same ones `flowlake validate` prints). */
export class ConfigInvalidError extends FlowlakeError {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(
      'ConfigInvalid',
      `${errors.length} error${errors.length === 1 ? '' : 's'} in ${file}:\n${formatIssues(file, errors)}`,
      {
        exitCode: ExitCode.USAGE,
        hint: `run 'flowlake validate --config ${file}' and fix every error listed`,
      },
    );
  }
}
