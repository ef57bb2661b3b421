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

/** Creates an in-memory DuckDB instance that never downloads extensions. */
export function createDuckDb(threads?: number): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(threads ? { threads: String(threads) } : {}),
  });
}

/** Opens a connection that keeps Parquet footers across the queries of a session (flow-log objects never change). */
export async function connectDuckDb(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  await connection.run('SET parquet_metadata_cache = true');
  return connection;
}

/** Opens an in-memory DuckDB that never downloads extensions. */
export async function openDuckDb(threads?: number): Promise<DuckDBConnection> {
  return connectDuckDb(await createDuckDb(threads));
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
  private instance?: Promise<DuckDBInstance>;
  private connection?: Promise<DuckDBConnection>;

  /** Column names per Parquet file, read once. */
  private readonly schemas = new Map<string, Promise<string[]>>();
  /** The scope the `flows` view was last built for, and what it read. */
  private prepared?: { key: string; stats: { files: number; bytes: number }; view: string };

  constructor(private readonly options: LocalEngineOptions) {}

  private db(): Promise<DuckDBConnection> {
    this.instance ??= createDuckDb(this.options.threads);
    this.connection ??= this.instance.then(connectDuckDb);
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
    const view = `CREATE OR REPLACE TEMP VIEW flows AS ${select}`;
    await db.run(view);
    const stats = {
      files: files.length + streams.length,
      bytes: files.reduce((n, f) => n + f.size, 0) + streams.reduce((n, f) => n + f.size, 0),
    };
    this.prepared = { key, stats, view };
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

  /**
   * Runs several catalog queries over one scope (a report, a whole-catalog run), `concurrency` at a time (default:
   * DuckDB's thread count) on their own connections to the same DuckDB instance (one Parquet footer and file
   * cache), each query on one thread: every core stays busy through each query's single-threaded phases, and
   * high-cardinality aggregates cost less CPU on one thread than merged from several. Results come back in the
   * order of `queries`; each `elapsedMs` is that query's own wall time (they overlap). `params` is one set for all
   * or one per query (same range and scope; limits may differ). CloudTrail/GuardDuty queries run one at a time
   * afterwards.
   */
  async runAll(
    queries: readonly CatalogQuery[],
    params: QueryParams | readonly QueryParams[],
    options: { concurrency?: number; signal?: AbortSignal } = {},
  ): Promise<QueryResult[]> {
    const paramsOf = (i: number): QueryParams =>
      Array.isArray(params) ? params[i] : (params as QueryParams);
    const scope = (p: QueryParams) => JSON.stringify([p.since, p.until, p.accounts ?? [], p.regions ?? []]);
    if (queries.some((_q, i) => scope(paramsOf(i)) !== scope(paramsOf(0)))) {
      throw new Error(
        'runAll: every query must have the same time range, accounts and regions (only limit and vpcs may differ)',
      );
    }
    const main = await this.db();
    const threads = Number((await main.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
    const concurrency = Math.max(1, options.concurrency ?? threads);
    const results: QueryResult[] = new Array(queries.length);
    const flowsOnly = queries.map((q, i) => [q, i] as const).filter(([q]) => !usesSecurityEvents(q));
    if (concurrency > 1 && flowsOnly.length > 1) {
      await this.prepare(paramsOf(0));
      const instance = await (this.instance as Promise<DuckDBInstance>);
      const view = this.prepared?.view as string;
      const queue = [...flowsOnly];
      const worker = async () => {
        const connection = await connectDuckDb(instance);
        const onAbort = () => connection.interrupt();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await connection.run(view);
          for (let next = queue.shift(); next; next = queue.shift()) {
            options.signal?.throwIfAborted();
            const [query, i] = next;
            const started = performance.now();
            const reader = await connection.runAndReadAll(this.renderSql(query, paramsOf(i)));
            results[i] = {
              columns: reader.columnNames(),
              rows: reader.getRows().map((r) => r.map(toCell)),
              elapsedMs: performance.now() - started,
            };
          }
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
          connection.closeSync();
        }
      };
      // `threads` is instance-wide: one thread per query while they run side by side, then back.
      await main.run('SET threads = 1');
      try {
        await Promise.all(Array.from({ length: Math.min(concurrency, flowsOnly.length) }, worker));
      } finally {
        await main.run(`SET threads = ${threads}`);
      }
    }
    for (const [i, query] of queries.entries()) {
      results[i] ??= await this.run(query, paramsOf(i), options.signal);
    }
    return results;
  }

  async close(): Promise<void> {
    if (this.connection) (await this.connection).closeSync();
    if (this.instance) (await this.instance).closeSync();
    this.connection = undefined;
    this.instance = undefined;
  }
}
