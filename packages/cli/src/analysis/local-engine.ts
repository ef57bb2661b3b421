import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import {
  type CatalogQuery,
  type QueryParams,
  renderSecurityQuery,
  validateParams,
} from '@flowlake/constructs/analytics/queries';
import { flowsSelect, sqlPath } from './flows-view.js';
import { prepareSecurityViews, usesSecurityEvents } from './security-views.js';
import { scanStore } from './store.js';
import { scanStreamStore, streamSelect } from './stream-store.js';
import type { Cell, QueryEngine, QueryResult } from './types.js';

/** Options of the local (DuckDB) engine. */
export interface LocalEngineOptions {
  /** The store directory, laid out like the central bucket (`AWSLogs/...` below it, any prefix allowed). */
  readonly store: string;
  /** DuckDB worker threads; default: DuckDB's (all cores). */
  readonly threads?: number;
  /** Read only this format. @default Parquet when the range holds any Parquet file (after `convert`), else text */
  readonly fileFormat?: 'text' | 'parquet';
}

/** Opens an in-memory DuckDB that never downloads extensions. */
export async function openDuckDb(threads?: number): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(threads ? { threads: String(threads) } : {}),
  });
  const connection = await instance.connect();
  // Flow-log objects never change once written: keep Parquet footers across the queries of a session.
  await connection.run('SET parquet_metadata_cache = true');
  return connection;
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

/** Top-level column names of a Parquet file. */
export async function parquetColumns(db: DuckDBConnection, path: string): Promise<string[]> {
  const r = await db.runAndReadAll(
    `SELECT name FROM parquet_schema(${sqlPath(path)}) WHERE num_children IS NULL OR num_children = 0`,
  );
  return r.getRows().map((row) => String(row[0]));
}

/** The catalog on local files with DuckDB: only files whose partitions overlap the range are read. */
export class LocalEngine implements QueryEngine {
  private connection?: Promise<DuckDBConnection>;

  /** Column names per Parquet file, read once. */
  private readonly schemas = new Map<string, Promise<string[]>>();
  /** The scope the `flows` view was last built for, and what it read. */
  private prepared?: { key: string; stats: { files: number; bytes: number } };

  constructor(private readonly options: LocalEngineOptions) {}

  private db(): Promise<DuckDBConnection> {
    this.connection ??= openDuckDb(this.options.threads);
    return this.connection;
  }

  /** Builds the `flows` view over the files that can hold records of the range and scope. */
  async prepare(params: QueryParams): Promise<{ files: number; bytes: number }> {
    validateParams(params);
    // Catalog runs repeat the same scope: build the view once per scope.
    const key = JSON.stringify([params.since, params.until, params.accounts ?? [], params.regions ?? []]);
    if (this.prepared?.key === key) return this.prepared.stats;
    const all = await scanStore(this.options.store, {
      since: params.since,
      until: params.until,
      accounts: params.accounts,
      regions: params.regions,
      fileFormat: this.options.fileFormat,
    });
    // After an in-place `convert` the store holds both formats: read Parquet only.
    const files = all.some((f) => f.parsed.fileFormat === 'parquet')
      ? all.filter((f) => f.parsed.fileFormat === 'parquet')
      : all;
    // Streaming-path objects (gzip NDJSON from the Firehose transform) join the same view.
    const streams = await scanStreamStore(this.options.store, {
      since: params.since,
      until: params.until,
      accounts: params.accounts,
      regions: params.regions,
      fileFormat: this.options.fileFormat,
    });
    const db = await this.db();
    const direct = await flowsSelect(files, (path) => {
      let cols = this.schemas.get(path);
      if (!cols) {
        cols = parquetColumns(db, path);
        this.schemas.set(path, cols);
      }
      return cols;
    });
    const select = streams.length > 0 ? `${direct}\nUNION ALL\n${streamSelect(streams)}` : direct;
    await db.run(`CREATE OR REPLACE TEMP VIEW flows AS ${select}`);
    const stats = {
      files: files.length + streams.length,
      bytes: files.reduce((n, f) => n + f.size, 0) + streams.reduce((n, f) => n + f.size, 0),
    };
    this.prepared = { key, stats };
    return stats;
  }

  /** Runs SQL against the prepared view. */
  async sql(sql: string): Promise<{ columns: string[]; rows: Cell[][] }> {
    const reader = await (await this.db()).runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRows().map((r) => r.map(toCell)) };
  }

  /** The DuckDB SQL of a catalog query (over the `flows`, `cloudtrail` and `guardduty` views). */
  renderSql(query: CatalogQuery, params: QueryParams): string {
    return renderSecurityQuery(query, params, {
      dialect: 'duckdb',
      relation: 'flows',
      cloudtrail: 'cloudtrail',
      guardduty: 'guardduty',
    });
  }

  async run(query: CatalogQuery, params: QueryParams, signal?: AbortSignal): Promise<QueryResult> {
    const started = performance.now();
    const sql = this.renderSql(query, params);
    await this.prepare(params);
    if (usesSecurityEvents(query)) await prepareSecurityViews(this, this.options.store, params);
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
