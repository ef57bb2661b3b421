import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Resolves CDK statements into plain policy JSON (partition `aws`), as IAM would see it. */
export function policyJson(statements: iam.PolicyStatement[]): unknown {
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
  return out;
}

/** One request against a resource policy (plus optional identity policy); returns the overall result. */
export async function simulate(req: {
  resourcePolicy: unknown;
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
  identityPolicy?: unknown;
}): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: req.identityPolicy ? [{ name: 'identity', policy: req.identityPolicy }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: req.resourcePolicy,
      request: {
        principal: req.principal,
        action: req.action,
        resource: { resource: req.resource, accountId: req.resourceAccount },
        contextVariables: req.context,
      },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`unexpected result type ${result.resultType}`);
  return result.overallResult;
}
