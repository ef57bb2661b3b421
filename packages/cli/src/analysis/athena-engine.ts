import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  type CatalogQuery,
  type QueryParams,
  renderSecurityQuery,
} from '@flowlake/constructs/analytics/queries';
import { ExitCode, FlowlakeError } from '../errors.js';
import type { Cell, QueryEngine, QueryResult } from './types.js';

/** Athena price: $5 per TB (10^12 bytes) scanned, rounded up to the MB, 10 MB minimum per query. */
export function athenaCostUsd(bytesScanned: number): number {
  const mb = 1024 * 1024;
  const billed = Math.max(Math.ceil(bytesScanned / mb) * mb, 10 * mb);
  return (billed / 1e12) * 5;
}

/** Options of the Athena engine. */
export interface AthenaEngineOptions {
  /** The Athena client (region and credentials). @default a client from the environment */
  readonly client?: AthenaClient;
  /** Workgroup (its enforced settings give the result location and encryption). @default 'flowlake' */
  readonly workGroup?: string;
  /** Glue database. @default 'flowlake' */
  readonly database?: string;
  /** Table. @default 'flows' */
  readonly table?: string;
  /** CloudTrail table (security-event queries). @default 'cloudtrail' */
  readonly cloudTrailTable?: string;
  /** GuardDuty findings table (security-event queries). @default 'guardduty_findings' */
  readonly guardDutyTable?: string;
  /** True when the table has an hour partition. @default true */
  readonly perHour?: boolean;
  /** Account IDs to query when the parameters name none (e.g. every active account of the organization). */
  readonly resolveAccounts?: () => Promise<string[]>;
  /** First and largest poll interval in ms. @default [300, 5000] */
  readonly pollMs?: readonly [number, number];
  /** Waits between polls (tests replace it). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,128}$/;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const NUMERIC = new Set([
  'tinyint',
  'smallint',
  'integer',
  'int',
  'bigint',
  'double',
  'float',
  'real',
  'decimal',
]);

/** Converts Athena's text cell to a typed cell using the column's type. */
export function athenaCell(value: string | undefined, column: ColumnInfo | undefined): Cell {
  if (value === undefined) return null;
  const type = (column?.Type ?? 'varchar').toLowerCase();
  if (NUMERIC.has(type)) {
    const n = Number(value);
    return Number.isFinite(n) &&
      (type === 'double' || type === 'float' || type === 'real' || Number.isSafeInteger(n))
      ? n
      : value;
  }
  if (type === 'boolean') return value === 'true';
  return value;
}

/** The catalog on Amazon Athena: start, poll with backoff, page through results; stops the query on abort. */
export class AthenaEngine implements QueryEngine {
  private readonly client: AthenaClient;
  private readonly workGroup: string;
  private readonly database: string;
  private readonly table: string;
  private readonly cloudTrailTable: string;
  private readonly guardDutyTable: string;

  constructor(private readonly options: AthenaEngineOptions = {}) {
    this.client = options.client ?? new AthenaClient({});
    this.workGroup = options.workGroup ?? 'flowlake';
    this.database = options.database ?? 'flowlake';
    this.table = options.table ?? 'flows';
    this.cloudTrailTable = options.cloudTrailTable ?? 'cloudtrail';
    this.guardDutyTable = options.guardDutyTable ?? 'guardduty_findings';
    for (const [what, v] of [
      ['workgroup', this.workGroup],
      ['database', this.database],
      ['table', this.table],
      ['table', this.cloudTrailTable],
      ['table', this.guardDutyTable],
    ] as const) {
      if (!NAME_RE.test(v)) {
        throw new FlowlakeError('BadAthenaName', `invalid ${what} '${v}'`, {
          hint: `use letters, digits, '_' or '-' (the ${what} flowlake deploys is 'flowlake'${what === 'table' ? " / 'flows'" : ''})`,
        });
      }
    }
  }

  /** The SQL that would run for these parameters. */
  async render(query: CatalogQuery, params: QueryParams): Promise<string> {
    let accounts = params.accounts;
    if (!accounts?.length && this.options.resolveAccounts) accounts = await this.options.resolveAccounts();
    if (!accounts?.length) {
      throw new FlowlakeError('AccountsRequired', 'Athena queries must name the accounts to read', {
        hint: 'pass --account 123456789012 (repeatable), or run with credentials that may call organizations:ListAccounts',
      });
    }
    return renderSecurityQuery(
      query,
      { ...params, accounts },
      {
        dialect: 'athena',
        relation: `"${this.database}"."${this.table}"`,
        perHour: this.options.perHour ?? true,
        cloudtrail: `"${this.database}"."${this.cloudTrailTable}"`,
        guardduty: `"${this.database}"."${this.guardDutyTable}"`,
      },
    );
  }

  async run(query: CatalogQuery, params: QueryParams, signal?: AbortSignal): Promise<QueryResult> {
    const started = performance.now();
    const sql = await this.render(query, params);
    signal?.throwIfAborted();
    const start = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.workGroup,
        QueryExecutionContext: { Database: this.database },
      }),
    );
    const id = start.QueryExecutionId;
    if (!id)
      throw new FlowlakeError('AthenaError', 'Athena returned no query execution id', {
        exitCode: ExitCode.FAILURE,
      });
    const stop = () => {
      void this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const execution = await this.wait(id, signal);
      const { columns, rows } = await this.results(id, signal);
      const bytes = execution.Statistics?.DataScannedInBytes ?? 0;
      return {
        columns,
        rows,
        bytesScanned: bytes,
        costUsd: athenaCostUsd(bytes),
        elapsedMs: performance.now() - started,
      };
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  private async wait(id: string, signal?: AbortSignal): Promise<QueryExecution> {
    const [first, max] = this.options.pollMs ?? [300, 5000];
    const sleep = this.options.sleep ?? abortableSleep;
    let delay = first;
    for (;;) {
      const r = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const execution = r.QueryExecution ?? {};
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED') return execution;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = execution.Status?.StateChangeReason ?? 'no reason given';
        throw new FlowlakeError('AthenaQueryFailed', `Athena query ${id} ${state.toLowerCase()}: ${reason}`, {
          exitCode: ExitCode.FAILURE,
          hint: /bytes scanned|BytesScannedCutoff/i.test(reason)
            ? 'narrow --since/--until or --account, or raise the workgroup scan limit (analytics.bytesScannedCutoffPerQuery)'
            : 'check the table and workgroup names (--database, --workgroup) and your permissions',
        });
      }
      await sleep(delay, signal);
      delay = Math.min(Math.round(delay * 1.6), max);
    }
  }

  private async results(id: string, signal?: AbortSignal): Promise<{ columns: string[]; rows: Cell[][] }> {
    let token: string | undefined;
    let info: ColumnInfo[] | undefined;
    const rows: Cell[][] = [];
    let first = true;
    do {
      signal?.throwIfAborted();
      const page = await this.client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }),
      );
      info ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const data = page.ResultSet?.Rows ?? [];
      // The first row of the first page repeats the column names (SELECT results).
      for (const [i, row] of data.entries()) {
        if (first && i === 0) continue;
        rows.push((row.Data ?? []).map((d, c) => athenaCell(d.VarCharValue, info?.[c])));
      }
      first = false;
      token = page.NextToken;
    } while (token);
    return { columns: (info ?? []).map((c) => c.Name ?? ''), rows };
  }

  close(): void {}
}
