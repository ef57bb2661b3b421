import type { Readable } from 'node:stream';

/** Where a command reads and writes: results to `out`, progress and diagnostics to `err`. */
export interface Io {
  /** Results (table, JSON, CSV): text, or UTF-8 bytes (not reused by the caller afterwards). */
  readonly out: (text: string | Uint8Array) => void;
  /** Progress, warnings, errors. */
  readonly err: (text: string) => void;
  /** Standard input, for commands that read it. */
  readonly stdin: Readable;
  /** True when stderr is an interactive terminal outside CI: spinners and progress bars allowed. */
  readonly interactive: boolean;
  /** Current working directory for relative paths. */
  readonly cwd: string;
  /**
   * Waits until `out` can take more (stdout backpressure). Resolves false once stdout is closed (EPIPE, e.g.
   * `flowlake parse x.gz | head`): stop producing. Absent: output never blocks.
   */
  readonly drain?: () => Promise<boolean>;
}

/** Tracks stdout: closed after EPIPE (so `| head` ends quietly instead of crashing). */
function stdoutState(): { closed: boolean } {
  const state = { closed: false };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    state.closed = true;
  });
  return state;
}

function drainStdout(state: { closed: boolean }): Promise<boolean> {
  if (state.closed) return Promise.resolve(false);
  if (!process.stdout.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      process.stdout.off('drain', done);
      process.stdout.off('close', done);
      process.stdout.off('error', done);
      resolve(!state.closed);
    };
    process.stdout.on('drain', done);
    process.stdout.on('close', done);
    process.stdout.on('error', done);
  });
}

/** The process's own streams. */
export function processIo(): Io {
  const state = stdoutState();
  return {
    out: (t) => {
      if (!state.closed) process.stdout.write(t);
    },
    drain: () => drainStdout(state),
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
      out.push(typeof t === 'string' ? t : Buffer.from(t.buffer, t.byteOffset, t.length).toString('utf8'));
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
