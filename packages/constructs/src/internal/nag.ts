import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { renderIntrinsics } from './intrinsics.js';

/** The three compliance packs that share rule names (NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1). */
const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/**
 * Acknowledges cdk-nag findings on `scope` (and its children) with one reason. `rules` are full ids
 * (`AwsSolutions-S1`, `AwsSolutions-IAM5[Resource::...]`) or bare compliance rule names (`LambdaDLQ`), which are
 * expanded to the NIST, HIPAA and PCI packs.
 */
export function acknowledgeNag(scope: IConstruct, rules: readonly string[], reason: string): void {
  if (reason.trim().length < 20)
    throw new Error(`a cdk-nag acknowledgement needs a real reason, got '${reason}'`);
  for (const rule of rules) {
    const ids = rule.includes('-') ? [rule] : COMPLIANCE_PACKS.map((p) => `${p}-${rule}`);
    for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * The cdk-nag finding id of an IAM5 wildcard resource, as cdk-nag renders it (`<LogicalId.Arn>`, `<AWS::Region>`).
 */
export function iam5Resource(scope: IConstruct, resource: string): string {
  const rendered = renderIntrinsics(Stack.of(scope).resolve(resource), {
    ref: (id) => `<${id}>`,
    getAtt: (id, attr) => `<${id}.${attr}>`,
  });
  return `AwsSolutions-IAM5[Resource::${String(rendered)}]`;
}
