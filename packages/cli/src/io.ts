import type { Readable } from 'node:stream';

/** Where a command reads and writes: results to `out`, progress and diagnostics to `err`. */
export interface Io {
  /** Results (table, JSON, CSV). */
  readonly out: (text: string) => void;
  /** Progress, warnings, errors. */
  readonly err: (text: string) => void;
  /** Standard input, for commands that read it. */
  readonly stdin: Readable;
  /** True when stderr is an interactive terminal outside CI: spinners and progress bars allowed. */
  readonly interactive: boolean;
  /** Current working directory for relative paths. */
  readonly cwd: string;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdin: process.stdin,
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    cwd: process.cwd(),
  };
}

/** An Io that captures output in memory, for tests. */
export function memoryIo(
  stdin?: Readable,
  cwd = process.cwd(),
): Io & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => {
      out.push(t);
    },
    err: (t) => {
      err.push(t);
    },
    stdin: stdin ?? (process.stdin as Readable),
    interactive: false,
    cwd,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
