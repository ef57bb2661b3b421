import type { CatalogQuery, QueryParams } from '@flowlake/constructs/analytics/queries';

/** One result cell: numbers for numeric columns, strings for text, null for SQL NULL. */
export type Cell = string | number | boolean | null;

/** What every engine returns. */
export interface QueryResult {
  /** Result column names, in order. */
  readonly columns: string[];
  /** Rows as arrays aligned with `columns`. */
  readonly rows: Cell[][];
  /** Bytes the engine scanned (Athena: DataScannedInBytes). */
  readonly bytesScanned?: number;
  /** Estimated cost in US dollars (Athena: $5 per TB scanned, 10 MB minimum). */
  readonly costUsd?: number;
  /** Wall time in milliseconds. */
  readonly elapsedMs: number;
}

/** A query engine: runs catalog queries with parameters. */
export interface QueryEngine {
  run(query: CatalogQuery, params: QueryParams, signal?: AbortSignal): Promise<QueryResult>;
  close(): Promise<void> | void;
}

/** Rows as objects keyed by column, for rendering and tests. */
export function rowObjects(result: Pick<QueryResult, 'columns' | 'rows'>): Record<string, Cell>[] {
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
}
