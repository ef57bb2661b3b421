import { describe, expect, it } from 'vitest';
import {
  partitionPredicate,
  QUERY_CATALOG,
  QueryRenderError,
  renderQuery,
} from '../../src/analytics/queries/index.js';

const since = new Date('2026-11-30T10:00:00Z');
const until = new Date('2026-11-30T12:00:00Z');
const athena = { dialect: 'athena', relation: '"flowlake"."flows"', perHour: true } as const;
const duck = { dialect: 'duckdb', relation: 'flows' } as const;
const accounts = ['111111111111'];

describe('query catalog', () => {
  it('has at least 12 queries with unique kebab-case names, columns and purpose', () => {
    expect(QUERY_CATALOG.length).toBeGreaterThanOrEqual(12);
    const names = QUERY_CATALOG.map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    for (const q of QUERY_CATALOG) {
      expect(q.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(q.columns.length).toBeGreaterThan(0);
      expect(q.purpose.length).toBeGreaterThan(20);
    }
  });

  it('never selects * and always applies the filter macro (partition pruning)', () => {
    for (const q of QUERY_CATALOG) {
      expect(q.sql, q.name).not.toMatch(/select\s+\*/i);
      expect(q.sql, q.name).toContain('{{filter');
      // every reference to the flows relation is filtered
      const froms = q.sql.match(/\{\{flows\}\}/g)?.length ?? 0;
      const filters = q.sql.match(/\{\{filter(:[a-z]+)?\}\}/g)?.length ?? 0;
      expect(filters, q.name).toBe(froms);
    }
  });

  it('DuckDB-only templates follow the same rules, and Athena never sees them', () => {
    for (const q of QUERY_CATALOG.filter((x) => x.duckdbSql !== undefined)) {
      const t = q.duckdbSql as string;
      expect(t, q.name).not.toMatch(/select\s+\*/i);
      const froms = t.match(/\{\{flows\}\}/g)?.length ?? 0;
      expect(t.match(/\{\{filter(:[a-z]+)?\}\}/g)?.length ?? 0, q.name).toBe(froms);
      expect(froms, q.name).toBeGreaterThan(0);
      expect(renderQuery(q, { since, until }, duck)).toMatch(/MATERIALIZED/);
      const remote = renderQuery(q, { since, until, accounts }, athena);
      expect(remote, q.name).not.toMatch(/MATERIALIZED|SEMI JOIN/);
      expect(remote, q.name).toContain('(year = 2026 AND month = 11 AND day = 30');
    }
  });

  it('covers the questions the issue lists', () => {
    const names = QUERY_CATALOG.map((q) => q.name);
    for (const n of [
      'top-talkers',
      'top-rejected',
      'inbound-sensitive-ports',
      'port-scan-horizontal',
      'port-scan-vertical',
      'egress-to-internet',
      'aws-service-traffic',
      'nat-gateway-top-users',
      'bpa-rejects',
      'ipv6-share',
      'delivery-health',
      'first-seen-external-peers',
      'cross-account-traffic',
    ]) {
      expect(names).toContain(n);
    }
  });
});

describe('renderQuery', () => {
  it('renders every query for both dialects with no macro left', () => {
    for (const q of QUERY_CATALOG) {
      for (const target of [athena, duck]) {
        const sql = renderQuery(q, { since, until, accounts, limit: 10 }, target);
        expect(sql, `${q.name} ${target.dialect}`).not.toMatch(/\{\{|\}\}/);
      }
    }
  });

  it('adds Athena partition predicates, the account list and the exact time range', () => {
    const q = QUERY_CATALOG.find((x) => x.name === 'top-talkers');
    if (!q) throw new Error('missing');
    const sql = renderQuery(q, { since, until, accounts: ['222222222222', '111111111111'] }, athena);
    expect(sql).toContain('(year = 2026 AND month = 11 AND day = 30 AND hour >= 10 AND hour <= 11)');
    expect(sql).toContain("aws_account_id IN ('111111111111', '222222222222')");
    expect(sql).toContain(`"end" >= ${since.getTime() / 1000} AND "end" < ${until.getTime() / 1000}`);
    const egress = QUERY_CATALOG.find((x) => x.name === 'egress-to-internet');
    if (!egress) throw new Error('missing');
    expect(renderQuery(egress, { since, until, accounts }, athena)).toContain('regexp_like(dstaddr');
    expect(renderQuery(egress, { since, until }, duck)).toContain('regexp_matches(dstaddr');
    expect(sql).toContain('LIMIT 100');
    const local = renderQuery(q, { since, until }, duck);
    expect(local).not.toContain('year =');
    expect(local).not.toContain('aws_account_id IN');
  });

  it('requires accounts on Athena (injected account projection) but not locally', () => {
    const q = QUERY_CATALOG[0];
    expect(() => renderQuery(q, { since, until }, athena)).toThrow(/account/);
    expect(() => renderQuery(q, { since, until }, duck)).not.toThrow();
  });

  it('includes an account the catalog has never seen: no table change per account', () => {
    const sql = renderQuery(QUERY_CATALOG[0], { since, until, accounts: ['999999999999'] }, athena);
    expect(sql).toContain("aws_account_id IN ('999999999999')");
  });

  it.each([
    ['accounts', { accounts: ["1' OR '1'='1"] }, /invalid account/],
    ['regions', { regions: ["eu-west-1'; DROP TABLE x; --"] }, /invalid region/],
    ['vpcs', { vpcs: ['vpc-1 OR 1=1'] }, /invalid vpc/],
    ['limit', { limit: 0 }, /invalid limit/],
    ['limit', { limit: 1.5 }, /invalid limit/],
    ['until', { until: since }, /empty time range/],
    ['since', { since: new Date('nope') }, /invalid since/],
  ])('rejects a bad %s value instead of injecting it', (_name, bad, message) => {
    const params = { since, until, accounts, ...bad };
    expect(() => renderQuery(QUERY_CATALOG[0], params, duck)).toThrow(QueryRenderError);
    expect(() => renderQuery(QUERY_CATALOG[0], params, duck)).toThrow(message);
  });

  it('rejects an unsafe relation name', () => {
    expect(() =>
      renderQuery(QUERY_CATALOG[0], { since, until }, { dialect: 'duckdb', relation: 'flows; DROP x' }),
    ).toThrow(/invalid relation/);
  });
});

describe('partitionPredicate', () => {
  const s = (iso: string) => Date.parse(iso) / 1000;
  it('spans days with hour bounds only on the edges', () => {
    expect(partitionPredicate(s('2026-11-29T22:00:00Z'), s('2026-12-01T03:00:00Z'), true)).toBe(
      '((year = 2026 AND month = 11 AND day = 29 AND hour >= 22) OR (year = 2026 AND month = 11 AND day = 30) OR ' +
        '(year = 2026 AND month = 12 AND day = 1 AND hour <= 2))',
    );
  });
  it('collapses whole months and omits hours on daily tables', () => {
    expect(partitionPredicate(s('2026-10-31T00:00:00Z'), s('2026-12-01T00:00:00Z'), false)).toBe(
      '((year = 2026 AND month = 10 AND day = 31) OR (year = 2026 AND month = 11))',
    );
  });
  it('prefixes an alias', () => {
    expect(partitionPredicate(s('2026-11-30T00:00:00Z'), s('2026-12-01T00:00:00Z'), true, 'e.')).toBe(
      '(e.year = 2026 AND e.month = 11 AND e.day = 30)',
    );
  });
});
