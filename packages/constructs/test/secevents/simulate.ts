import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { type PolicyJson, type SimRequest, simulate as simulatePolicies } from '../template-policies.js';

/** Resolves CDK statements into plain policy JSON (partition `aws`), as IAM would see it. */
export function policyJson(statements: iam.PolicyStatement[]): PolicyJson {
  const resolved = new Stack().resolve(new iam.PolicyDocument({ statements }).toJSON());
  const plain = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.Ref === 'AWS::Partition') return 'aws';
      if (Array.isArray(o['Fn::Join'])) {
        const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
        return parts.map(plain).join(sep);
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
    }
    return v;
  };
  const out = plain(resolved);
  if (JSON.stringify(out).includes('Fn::') || JSON.stringify(out).includes('"Ref"')) {
    throw new Error(`unresolved token in policy: ${JSON.stringify(out)}`);
  }
  return out as PolicyJson;
}

/** `simulate` of template-policies.ts for policies built here or parsed from JSON (typed `unknown`). */
export function simulate(
  req: Omit<SimRequest, 'resourcePolicy' | 'identityPolicy'> & {
    resourcePolicy?: unknown;
    identityPolicy?: unknown;
  },
): Promise<string> {
  return simulatePolicies({
    ...req,
    resourcePolicy: req.resourcePolicy as PolicyJson | undefined,
    identityPolicy: req.identityPolicy as PolicyJson | undefined,
  });
}
