import { createHash } from 'node:crypto';
import { RULE_LIST, type Severity } from './rules.js';
import type { AuditReport, Finding } from './types.js';

const SECURITY_SEVERITY: Record<Severity, string> = { error: '7.0', warning: '4.0', note: '1.0' };

function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.ruleId, f.accountId, f.region ?? '', f.resource ?? ''].join('|'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The report as a SARIF 2.1.0 log for GitHub code scanning: one rule per audit rule, one result per finding, located
 * at the config file (code scanning needs a file location) with the AWS resource as a logical location, and a
 * stable fingerprint per account/region/resource so alerts track across runs.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export function toSarif(report: AuditReport, opts: { version: string; configPath?: string }): object {
  const uri = (opts.configPath ?? 'flowlake.yaml').replaceAll('\\', '/').replace(/^\.\//, '');
  const ruleIndex = new Map(RULE_LIST.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flowlake-audit',
            version: opts.version,
            rules: RULE_LIST.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.title },
              help: { text: r.help, markdown: r.help },
              defaultConfiguration: { level: r.severity },
              properties: {
                tags: ['security', 'logging', 'vpc-flow-logs'],
                'security-severity': SECURITY_SEVERITY[r.severity],
              },
            })),
          },
        },
        automationDetails: { id: 'flowlake-audit/' },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
              logicalLocations: [
                {
                  fullyQualifiedName: ['aws', f.accountId, f.region ?? 'global', f.resource ?? '']
                    .filter(Boolean)
                    .join('/'),
                  kind: 'resource',
                },
              ],
            },
          ],
          partialFingerprints: { 'flowlakeFinding/v1': fingerprint(f) },
          properties: { accountId: f.accountId, region: f.region, resource: f.resource },
        })),
        properties: { generatedAt: report.generatedAt, regions: report.regions },
      },
    ],
  };
}
