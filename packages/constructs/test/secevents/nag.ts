import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/** Unacknowledged findings of the four cdk-nag packs on a stack, as `<rule> <construct path>` lines. */
export function nagFindings(stack: Stack): string[] {
  Template.fromStack(stack); // synthesize first so L2s have rendered their policies
  const out: string[] = [];
  for (const pack of [
    new AwsSolutionsChecks(),
    new HIPAASecurityChecks(),
    new NIST80053R5Checks(),
    new PCIDSS321Checks(),
  ]) {
    for (const v of pack.validateScope(stack).violations) {
      for (const r of v.violatingResources) out.push(`${v.ruleName} ${r.constructPath}`);
    }
  }
  return out;
}
