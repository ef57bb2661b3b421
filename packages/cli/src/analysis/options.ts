import { ExitCode, FlowlakeError } from '../errors.js';

const RELATIVE_RE = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a time option: ISO 8601 (`2026-11-30`, `2026-11-30T10:00Z`; dates without a zone are UTC), `now`, or a
 * duration before `now` (`90m`, `24h`, `7d`, `2w`).
 */
export function parseTime(option: string, value: string, now: Date = new Date()): Date {
  const v = value.trim();
  if (v === 'now') return now;
  const rel = RELATIVE_RE.exec(v);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2]]);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?)?$/.test(v)
    ? `${v}${v.length === 10 ? 'T00:00' : v.length === 13 ? ':00' : ''}Z`
    : v;
  const d = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) {
    throw new FlowlakeError('BadTime', `${option} '${value}' is not a time`, {
      hint: `use ISO 8601 (2026-11-30 or 2026-11-30T10:00Z, UTC when no zone is given), 'now', or a duration ago like 24h or 7d`,
    });
  }
  return d;
}

/** Splits repeatable, comma-separated list options (`--account a,b --account c`). */
export function listOption(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Parses a positive integer option. */
export function positiveInt(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new FlowlakeError('BadOption', `${option} '${value}' is not a positive integer`, {
        hint: `use e.g. ${option} 10`,
      });
    }
    return n;
  };
}

/** Wraps a renderer/engine validation error as a usage error naming the value. */
export function usageError(e: unknown): never {
  if (e instanceof Error && e.name === 'QueryRenderError') {
    throw new FlowlakeError('BadQueryParameter', e.message, {
      hint: 'accounts are 12 digits, regions look like eu-west-1, VPCs like vpc-0abc1234, --limit is 1-100000',
      cause: e,
    });
  }
  if (
    e instanceof Error &&
    !(e as { code?: string }).code &&
    /duckdb|IO Error|Parser Error|Binder Error/i.test(e.message)
  ) {
    throw new FlowlakeError('LocalQueryFailed', e.message, { exitCode: ExitCode.FAILURE, cause: e });
  }
  throw e;
}
