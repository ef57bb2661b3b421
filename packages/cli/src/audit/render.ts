import { renderRows } from '../output/table.js';
import { toSarif } from './sarif.js';
import type { AuditReport } from './types.js';

/** Output formats of `flowlake audit`. */
export type AuditOutput = 'table' | 'json' | 'sarif' | 'csv';
export const AUDIT_OUTPUTS: readonly AuditOutput[] = ['table', 'json', 'sarif', 'csv'];

function findingRows(report: AuditReport) {
  return report.findings.map((f) => ({
    rule: f.ruleId,
    severity: f.severity,
    account: f.accountId,
    region: f.region ?? '',
    resource: f.resource ?? '',
    message: f.message,
  }));
}

/** Renders the report: table (accounts, then findings), JSON, SARIF 2.1.0, or CSV (findings). */
export function renderAudit(
  report: AuditReport,
  format: AuditOutput,
  opts: { version: string; configPath?: string },
): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(toSarif(report, opts), null, 2)}\n`;
  const findings = findingRows(report);
  const columns = ['rule', 'severity', 'account', 'region', 'resource', 'message'];
  if (format === 'csv') return renderRows(findings, 'csv', columns);
  const accounts = report.accounts.map((a) => ({
    account: a.accountId,
    name: a.name ?? '',
    path: a.path,
    status: a.status,
    vpcs: a.vpcs,
    covered: a.covered,
    'newest object': a.newestObjectAgeMinutes === undefined ? '-' : `${a.newestObjectAgeMinutes} min ago`,
    findings: a.findings,
  }));
  const parts = [renderRows(accounts, 'table')];
  parts.push(
    findings.length > 0
      ? `\n${renderRows(findings, 'table', columns)}`
      : '\nNo findings: every VPC is covered.\n',
  );
  return parts.join('');
}
