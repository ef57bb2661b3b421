/** Where a catalog query runs: Amazon Athena (Trino SQL) or DuckDB (local files). */
export type Dialect = 'athena' | 'duckdb';

/** A parameter a catalog query accepts. Every query takes the time range and the account/region scope. */
export type QueryParameterName = 'since' | 'until' | 'accounts' | 'regions' | 'vpcs' | 'limit';

/**
 * One query of the catalog, written once in a dialect-neutral SQL template (see `render.ts` for the macros):
 * - `{{flows}}` the flow-log relation (an Athena table or the local DuckDB view), optionally `{{flows}} a`;
 * - `{{filter}}` / `{{filter:a}}` the partition, time-range and scope predicate (always applied);
 * - `{{limit}}` the row limit;
 * - `{{internal:col}}` true when the address in `col` is private (RFC 1918, CGNAT, link-local, IPv6 ULA);
 * - `{{hour:col}}` the epoch-second start of the hour containing `col`.
 * Queries name their columns (no `SELECT *`) so that Parquet scans read only those columns.
 */
export interface CatalogQuery {
  /** Kebab-case name used on the command line and as the Athena named query's name. */
  readonly name: string;
  /** Short human title. */
  readonly title: string;
  /** What the query answers and how to read the result. */
  readonly purpose: string;
  /** Parameters beyond the always-present time range and account/region scope. */
  readonly parameters: readonly QueryParameterName[];
  /** The result columns, in order. Both engines return exactly these. */
  readonly columns: readonly string[];
  /** The SQL template. */
  readonly sql: string;
  /**
   * A DuckDB-only template with the same answer as `sql` but a cheaper local plan (materialized CTEs, semi-joins,
   * work on candidate groups only). Absent: `sql` serves both dialects. A test runs both on the same store and
   * requires identical rows.
   */
  readonly duckdbSql?: string;
}
