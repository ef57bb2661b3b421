const BRAND = Symbol.for('flowlake.FlowlakeError');

/** Exit codes of the `flowlake` command. */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** The command ran but found problems (bad records with --strict, non-compliant audit). */
  FINDINGS: 1,
  /** Bad usage or invalid input (options, config). */
  USAGE: 2,
  /** An unexpected internal or environment failure. */
  FAILURE: 3,
} as const;

/** A typed error with a stable PascalCase code, a message that names the bad value, and a fix hint. */
export class FlowlakeError extends Error {
  /** True for any FlowlakeError, even across duplicated module copies. */
  static isFlowlakeError(e: unknown): e is FlowlakeError {
    return typeof e === 'object' && e !== null && BRAND in e;
  }

  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'FlowlakeError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.USAGE;
    this.hint = options.hint;
    Object.defineProperty(this, BRAND, { value: true });
  }
}
