import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import {
  type CatalogQuery,
  type QueryParams,
  renderQuery,
  validateParams,
} from '@flowlake/constructs/analytics/queries';
import { flowsSelect, sqlPath } from './flows-view.js';
import { scanStore } from './store.js';
import type { Cell, QueryEngine, QueryResult } from './types.js';

/** Options of the local (DuckDB) engine. */
export interface LocalEngineOptions {
  /** The store directory, laid out like the central bucket (`AWSLogs/...` below it, any prefix allowed). */
  readonly store: string;
  /** DuckDB worker threads; default: DuckDB's (all cores). */
  readonly threads?: number;
}

/** Opens an in-memory DuckDB that never downloads extensions. */
export async function openDuckDb(threads?: number): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(threads ? { threads: String(threads) } : {}),
  });
  return instance.connect();
}

/** Converts a DuckDB value to a plain cell: integers as numbers (strings beyond 2^53), other values as text. */
export function toCell(v: DuckDBValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  const s = String(v);
  const n = Number(s);
  return s !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(s) ? n : s;
}

/** The catalog on local files with DuckDB: only files whose partitions overlap the range are read. */
export class LocalEngine implements QueryEngine {
  private connection?: Promise<DuckDBConnection>;

  constructor(private readonly options: LocalEngineOptions) {}

  private db(): Promise<DuckDBConnection> {
    this.connection ??= openDuckDb(this.options.threads);
    return this.connection;
  }

  /** Builds the `flows` view over the files that can hold records of the range and scope. */
  async prepare(params: QueryParams): Promise<{ files: number; bytes: number }> {
    validateParams(params);
    const files = await scanStore(this.options.store, {
      since: params.since,
      until: params.until,
      accounts: params.accounts,
      regions: params.regions,
    });
    const db = await this.db();
    const select = await flowsSelect(files, async (path) => {
      const r = await db.runAndReadAll(
        `SELECT name FROM parquet_schema(${sqlPath(path)}) WHERE num_children IS NULL`,
      );
      return r.getRows().map((row) => String(row[0]));
    });
    await db.run(`CREATE OR REPLACE TEMP VIEW flows AS ${select}`);
    return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
  }

  /** Runs SQL against the prepared view. */
  async sql(sql: string): Promise<{ columns: string[]; rows: Cell[][] }> {
    const reader = await (await this.db()).runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRows().map((r) => r.map(toCell)) };
  }

  async run(query: CatalogQuery, params: QueryParams, signal?: AbortSignal): Promise<QueryResult> {
    const started = performance.now();
    await this.prepare(params);
    const sql = renderQuery(query, params, { dialect: 'duckdb', relation: 'flows' });
    const db = await this.db();
    const onAbort = () => db.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      const r = await this.sql(sql);
      return { ...r, elapsedMs: performance.now() - started };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    if (this.connection) (await this.connection).closeSync();
    this.connection = undefined;
  }
}
