import { describe, expect, it } from 'vitest';
import {
  QUERY_CATALOG,
  QueryRenderError,
  renderSecurityQuery,
  SECURITY_QUERY_CATALOG,
} from '../../src/analytics/queries/index.js';

const params = {
  since: new Date('2026-11-30T08:00:00Z'),
  until: new Date('2026-11-30T11:00:00Z'),
  accounts: ['111111111111'],
  regions: ['eu-west-1'],
};
const athena = {
  dialect: 'athena' as const,
  relation: '"flowlake"."flows_parquet"',
  cloudtrail: '"flowlake"."cloudtrail"',
  guardduty: '"flowlake"."guardduty_findings"',
};

describe('SECURITY_QUERY_CATALOG', () => {
  it('has at least four uniquely named join queries that use flows and a security relation', () => {
    expect(SECURITY_QUERY_CATALOG.length).toBeGreaterThanOrEqual(4);
    const names = [...SECURITY_QUERY_CATALOG, ...QUERY_CATALOG].map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    for (const q of SECURITY_QUERY_CATALOG) {
      expect(q.sql).toContain('{{flows}}');
      expect(q.sql).toMatch(/\{\{(cloudtrail|guardduty)\}\}/);
    }
  });

  it.each(SECURITY_QUERY_CATALOG.map((q) => [q.name, q] as const))(
    '%s renders for Athena with partition pruning',
    (_n, q) => {
      const sql = renderSecurityQuery(q, params, athena);
      expect(sql).not.toMatch(/\{\{|\}\}/);
      expect(sql).toContain('"flowlake"."flows_parquet"');
      expect(sql).toMatch(/year = 2026 AND \w*\.?month = 11 AND \w*\.?day = 30/);
      if (q.sql.includes('{{cloudtrail}}')) {
        expect(sql).toContain('"flowlake"."cloudtrail"');
        expect(sql).toContain("c.aws_account_id IN ('111111111111')");
        expect(sql).toContain('to_unixtime(from_iso8601_timestamp(c.eventtime))');
      } else {
        expect(sql).toContain('"flowlake"."guardduty_findings"');
        expect(sql).toContain('element_at(g.');
        // GuardDuty exports are dated when written: the following day is read too
        expect(sql).toContain('g.day = 1)');
      }
    },
  );

  it('renders DuckDB functions for the local engine', () => {
    const sql = renderSecurityQuery(SECURITY_QUERY_CATALOG[1], params, {
      dialect: 'duckdb',
      relation: 'flows',
      cloudtrail: 'cloudtrail',
      guardduty: 'guardduty',
    });
    expect(sql).toContain('string_agg(DISTINCT c.eventname');
    expect(sql).toContain('epoch(CAST(c.eventtime AS TIMESTAMPTZ))');
    expect(sql).not.toContain('c.aws_account_id');
    expect(sql).toContain("c.recipientaccountid IN ('111111111111')");
  });

  it('rejects Athena queries without accounts and bad relations, naming the value', () => {
    expect(() =>
      renderSecurityQuery(SECURITY_QUERY_CATALOG[1], { ...params, accounts: undefined }, athena),
    ).toThrow(QueryRenderError);
    expect(() =>
      renderSecurityQuery(SECURITY_QUERY_CATALOG[0], params, { ...athena, cloudtrail: 'x; DROP' }),
    ).toThrow(/invalid cloudtrail relation 'x; DROP'/);
  });
});
