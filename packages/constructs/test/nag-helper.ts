import { type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The four cdk-nag packs issue 3 requires. */
export const NAG_PACKS = () => [
  new AwsSolutionsChecks(),
  new NIST80053R5Checks(),
  new HIPAASecurityChecks(),
  new PCIDSS321Checks(),
];

/** Unacknowledged findings of the four packs on a stack, as `<rule> <construct path>` lines. */
export function nagFindings(stack: Stack): string[] {
  Template.fromStack(stack); // synthesize first so L2s have rendered their policies
  const out: string[] = [];
  for (const pack of NAG_PACKS()) {
    for (const v of pack.validateScope(stack).violations) {
      for (const r of v.violatingResources) out.push(`${v.ruleName} ${r.constructPath}`);
    }
  }
  return out;
}

/** Every acknowledgement under `scope` as `{ path, id, reason }`. */
export function acknowledgements(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  const out: Array<{ path: string; id: string; reason: string }> = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        out.push({ path: c.node.path, id, reason: String(reason ?? '') });
      }
    }
  }
  return out;
}
