import type { CatalogQuery, Dialect } from './types.js';

/** A query parameter that fails validation, or a template that cannot be rendered. */
export class QueryRenderError extends Error {
  /** The parameter or macro at fault. */
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(message);
    this.name = 'QueryRenderError';
    this.parameter = parameter;
  }
}

/** Values for a query's parameters. The time range is half-open: flows with `end` in [since, until). */
export interface QueryParams {
  readonly since: Date;
  readonly until: Date;
  /** 12-digit account IDs. Required on Athena (the account partition uses `injected` projection). */
  readonly accounts?: readonly string[];
  /** Region names, e.g. `eu-west-1`. */
  readonly regions?: readonly string[];
  /** VPC IDs, e.g. `vpc-0abc1234`. */
  readonly vpcs?: readonly string[];
  /** Maximum rows, 1..100000; default 100. */
  readonly limit?: number;
}

/** Where and how to render: the SQL dialect, the relation holding flows, and (Athena) its time partitions. */
export interface RenderTarget {
  readonly dialect: Dialect;
  /** The flows relation, already quoted, e.g. `"flowlake"."flows_parquet"` or `flows`. */
  readonly relation: string;
  /** Athena only: true when the table has an `hour` partition column (per-hour layouts). */
  readonly perHour?: boolean;
}

/** Default row limit. */
export const DEFAULT_LIMIT = 100;
/** Largest accepted row limit. */
export const MAX_LIMIT = 100_000;

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const VPC_RE = /^vpc-[0-9a-f]{8,17}$/;
const RELATION_RE = /^("[A-Za-z0-9_]+"\.)?"?[A-Za-z0-9_]+"?$/;

/** Private, shared and link-local address ranges: RFC 1918, RFC 6598 (CGNAT), 169.254/16, 127/8, fc00::/7, fe80::/10. */
const INTERNAL_RE =
  '^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.|100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.|169\\.254\\.|127\\.|[fF][cCdD]|[fF][eE][89aAbB])';

/** Quotes a string literal after checking it against the value's own strict pattern (never free text). */
function literal(value: string, re: RegExp, parameter: string, example: string): string {
  if (typeof value !== 'string' || !re.test(value)) {
    throw new QueryRenderError(
      parameter,
      `invalid ${parameter} '${String(value)}': expected a value like ${example}`,
    );
  }
  return `'${value.replaceAll("'", "''")}'`;
}

function list(
  values: readonly string[] | undefined,
  re: RegExp,
  parameter: string,
  example: string,
): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  return [...new Set(values)].sort().map((v) => literal(v, re, parameter, example));
}

function epochSeconds(d: Date, parameter: string): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new QueryRenderError(parameter, `invalid ${parameter}: not a valid date`);
  return Math.floor(ms / 1000);
}

/** Validates the parameters; returns normalized values. */
export function validateParams(params: QueryParams): {
  since: number;
  until: number;
  accounts?: string[];
  regions?: string[];
  vpcs?: string[];
  limit: number;
} {
  const since = epochSeconds(params.since, 'since');
  const until = epochSeconds(params.until, 'until');
  if (until <= since) {
    throw new QueryRenderError(
      'until',
      `empty time range: until (${params.until.toISOString()}) must be after since (${params.since.toISOString()})`,
    );
  }
  const limit = params.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new QueryRenderError(
      'limit',
      `invalid limit '${limit}': expected an integer from 1 to ${MAX_LIMIT}`,
    );
  }
  return {
    since,
    until,
    accounts: list(params.accounts, ACCOUNT_RE, 'account', "'123456789012' (12 digits)"),
    regions: list(params.regions, REGION_RE, 'region', "'eu-west-1'"),
    vpcs: list(params.vpcs, VPC_RE, 'vpc', "'vpc-0abc1234'"),
    limit,
  };
}

const DAY = 86_400;

/** Hour-aligned or day-aligned partition terms that cover [since, until) of `end` times (Athena pruning). */
export function partitionPredicate(since: number, until: number, perHour: boolean, alias = ''): string {
  const c = (name: string) => `${alias}${name}`;
  const last = until - 1;
  const terms: string[] = [];
  const firstDay = Math.floor(since / DAY) * DAY;
  // Whole months collapse into (year, month) terms so long ranges stay short.
  let day = firstDay;
  while (day <= last) {
    const d = new Date(day * 1000);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const monthEnd = Date.UTC(y, m, 1) / 1000;
    if (d.getUTCDate() === 1 && day >= since && monthEnd - 1 <= last) {
      terms.push(`(${c('year')} = ${y} AND ${c('month')} = ${m})`);
      day = monthEnd;
      continue;
    }
    const parts = [`${c('year')} = ${y}`, `${c('month')} = ${m}`, `${c('day')} = ${d.getUTCDate()}`];
    if (perHour) {
      const h1 = since > day ? Math.floor((since - day) / 3600) : 0;
      const h2 = last < day + DAY ? Math.floor((last - day) / 3600) : 23;
      if (h1 > 0) parts.push(`${c('hour')} >= ${h1}`);
      if (h2 < 23) parts.push(`${c('hour')} <= ${h2}`);
    }
    terms.push(`(${parts.join(' AND ')})`);
    day += DAY;
  }
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
}

/** The full WHERE predicate of a query: partitions (Athena), time range on `end`, account/region/VPC scope. */
export function filterPredicate(params: QueryParams, target: RenderTarget, alias?: string): string {
  const p = validateParams(params);
  const a = alias ? `${alias}.` : '';
  const terms: string[] = [];
  if (target.dialect === 'athena') {
    if (!p.accounts) {
      throw new QueryRenderError(
        'account',
        'Athena queries need the account IDs to read: the account partition uses injected projection, so ' +
          'new accounts need no table change but every query names its accounts',
      );
    }
    terms.push(partitionPredicate(p.since, p.until, target.perHour ?? true, a));
  }
  if (p.accounts) terms.push(`${a}aws_account_id IN (${p.accounts.join(', ')})`);
  if (p.regions) terms.push(`${a}aws_region IN (${p.regions.join(', ')})`);
  if (p.vpcs) terms.push(`${a}vpc_id IN (${p.vpcs.join(', ')})`);
  terms.push(`${a}"end" >= ${p.since} AND ${a}"end" < ${p.until}`);
  return terms.join(' AND ');
}

const MACRO_RE = /\{\{([a-z]+)(?::([a-z_.]+))?\}\}/g;
const IDENT_RE = /^[a-z_][a-z0-9_]*$/;
/** A column, optionally qualified by a table alias (`e.srcaddr`). */
const COLUMN_RE = /^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$/;

function column(arg: string | undefined, macro: string): string {
  if (!arg || !COLUMN_RE.test(arg))
    throw new QueryRenderError(macro, `macro {{${macro}}} needs a column name`);
  return arg;
}

/** The template a dialect runs: the DuckDB-only variant when the query has one, else the shared one. */
export function templateFor(query: CatalogQuery, dialect: Dialect): string {
  return dialect === 'duckdb' && query.duckdbSql !== undefined ? query.duckdbSql : query.sql;
}

/** Renders a catalog query for a dialect with validated parameters. Throws QueryRenderError on bad input. */
export function renderQuery(query: CatalogQuery, params: QueryParams, target: RenderTarget): string {
  const { limit } = validateParams(params);
  return expand(query, target, (alias) => `(${filterPredicate(params, target, alias)})`, limit);
}

/** An Athena saved query: SQL with `?` execution parameters, and what each parameter means, in order. */
export interface NamedQuerySql {
  readonly sql: string;
  readonly parameters: readonly string[];
}

/**
 * Renders a catalog query as an Athena named (saved) query for one account and one UTC day: each filter takes
 * execution parameters `?` for the account ID (a string) and the year, month and day (integers): equality
 * predicates, as the injected account projection requires. The Athena console asks for them when the query runs.
 */
export function renderNamedQuery(query: CatalogQuery, relation: string): NamedQuerySql {
  const parameters: string[] = [];
  const sql = expand(
    query,
    { dialect: 'athena', relation },
    (alias) => {
      const a = alias ? `${alias}.` : '';
      const side = alias ? ` (side ${alias})` : '';
      parameters.push(`account ID${side} as a string`, `year${side}`, `month${side}`, `day${side}`);
      return `(${a}aws_account_id = ? AND ${a}year = ? AND ${a}month = ? AND ${a}day = ?)`;
    },
    DEFAULT_LIMIT,
  );
  return { sql, parameters };
}

function expand(
  query: CatalogQuery,
  target: RenderTarget,
  filter: (alias: string | undefined) => string,
  limit: number,
): string {
  if (!RELATION_RE.test(target.relation)) {
    throw new QueryRenderError(
      'relation',
      `invalid relation '${target.relation}': expected "database"."table"`,
    );
  }
  return templateFor(query, target.dialect).replace(
    MACRO_RE,
    (_m, macro: string, arg: string | undefined) => {
      switch (macro) {
        case 'flows':
          return target.relation;
        case 'filter':
          if (arg !== undefined && !IDENT_RE.test(arg))
            throw new QueryRenderError('filter', `bad alias '${arg}'`);
          return filter(arg);
        case 'limit':
          return String(limit);
        case 'internal': {
          const col = column(arg, macro);
          return target.dialect === 'athena'
            ? `coalesce(regexp_like(${col}, '${INTERNAL_RE}'), false)`
            : `coalesce(regexp_matches(${col}, '${INTERNAL_RE}'), false)`;
        }
        case 'hour': {
          const col = column(arg, macro);
          return target.dialect === 'athena' ? `((${col} / 3600) * 3600)` : `((${col} // 3600) * 3600)`;
        }
        default:
          throw new QueryRenderError(macro, `unknown macro {{${macro}}} in query '${query.name}'`);
      }
    },
  );
}
