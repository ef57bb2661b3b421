import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { renderIntrinsics } from '../src/internal/intrinsics.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A policy document as IAM sees it (no intrinsics). */
export type PolicyJson = { Version: string; Statement: Array<Record<string, unknown>> };

/**
 * Policies taken from a synthesized template, with `Ref`/`Fn::GetAtt`/`Fn::Join` resolved to the concrete names and
 * ARNs they get in the stack's account and region (buckets by their BucketName, keys `key/<logicalId>`).
 */
export class TemplatePolicies {
  private readonly resources: Resources;

  constructor(
    stack: Stack,
    private readonly account: string,
    private readonly region: string,
  ) {
    this.resources = Template.fromStack(stack).toJSON().Resources as Resources;
  }

  /** Renders any template value with intrinsics resolved. */
  render(value: unknown): unknown {
    const rendered = renderIntrinsics(value, {
      ref: (id) => this.ref(id),
      getAtt: (id, attr) => this.getAtt(id, attr),
    });
    const text = JSON.stringify(rendered) ?? '';
    if (text.includes('"Fn::') || text.includes('"Ref"')) throw new Error(`unresolved intrinsic in ${text}`);
    return rendered;
  }

  /** The bucket policy of the bucket whose name contains `nameIncludes`. */
  bucketPolicy(nameIncludes: string): PolicyJson {
    const bucketId = this.findId('AWS::S3::Bucket', (p) =>
      String(this.render(p.BucketName)).includes(nameIncludes),
    );
    const policyId = this.findId(
      'AWS::S3::BucketPolicy',
      (p) => (p.Bucket as { Ref?: string }).Ref === bucketId,
    );
    return this.render(this.resources[policyId].Properties?.PolicyDocument) as PolicyJson;
  }

  /** The key policy of the only (or first matching) KMS key. */
  keyPolicy(): { arn: string; policy: PolicyJson } {
    const id = this.findId('AWS::KMS::Key', () => true);
    return {
      arn: this.getAtt(id, 'Arn'),
      policy: this.render(this.resources[id].Properties?.KeyPolicy) as PolicyJson,
    };
  }

  /** The document of the managed policy that has a statement with `sid`. */
  managedPolicyWithSid(sid: string): PolicyJson {
    const id = this.findId('AWS::IAM::ManagedPolicy', (p) =>
      JSON.stringify(p.PolicyDocument).includes(`"Sid":"${sid}"`),
    );
    return this.render(this.resources[id].Properties?.PolicyDocument) as PolicyJson;
  }

  /** The rendered name of the only role with a RoleName. */
  roleName(): string {
    const id = this.findId('AWS::IAM::Role', (p) => p.RoleName !== undefined);
    return String(this.render(this.resources[id].Properties?.RoleName));
  }

  private findId(type: string, pred: (props: Record<string, unknown>) => boolean): string {
    const hit = Object.entries(this.resources).find(([, r]) => r.Type === type && pred(r.Properties ?? {}));
    if (!hit) throw new Error(`no ${type} matching in template`);
    return hit[0];
  }

  private ref(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::AccountId': this.account,
      'AWS::Region': this.region,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (pseudo[id]) return pseudo[id];
    const r = this.resources[id];
    if (r?.Type === 'AWS::S3::Bucket' && r.Properties?.BucketName)
      return String(this.render(r.Properties.BucketName));
    return id.toLowerCase();
  }

  private getAtt(id: string, attr: string): string {
    const r = this.resources[id];
    if (attr !== 'Arn' || !r) throw new Error(`unsupported GetAtt ${id}.${attr}`);
    if (r.Type === 'AWS::S3::Bucket') return `arn:aws:s3:::${this.ref(id)}`;
    if (r.Type === 'AWS::KMS::Key')
      return `arn:aws:kms:${this.region}:${this.account}:key/${id.toLowerCase()}`;
    if (r.Type === 'AWS::IAM::Role')
      return `arn:aws:iam::${this.account}:role/${this.render(r.Properties?.RoleName)}`;
    if (r.Type === 'AWS::Logs::LogGroup')
      return `arn:aws:logs:${this.region}:${this.account}:log-group:${id}`;
    throw new Error(`unsupported GetAtt on ${r.Type}`);
  }
}

/** One simulated request. */
export interface SimRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly resourcePolicy?: PolicyJson;
  readonly identityPolicy?: PolicyJson;
  readonly context: Record<string, string | string[]>;
}

/** Runs one request through iam-simulate (S3 Block Public Access on); returns the overall result. */
export async function simulate(req: SimRequest): Promise<string> {
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
      additionalSettings: { s3: { blockPublicAccess: true } },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`unexpected result type ${result.resultType}`);
  return result.overallResult;
}

/** Condition keys iam-simulate 0.1.x cannot evaluate: it only recognizes `/`-style variable keys, not `:`-style. */
const UNSUPPORTED_KEY = /^kms:EncryptionContext:/i;

/**
 * Returns the policy without the `kms:EncryptionContext:<key>` conditions that iam-simulate ignores (it treats them
 * as missing, so no statement using them could ever match), plus the removed conditions so tests can assert them.
 */
export function withoutSimulatorUnsupportedKeys(policy: PolicyJson): {
  policy: PolicyJson;
  removed: Array<{ sid: string; operator: string; key: string; value: unknown }>;
} {
  const removed: Array<{ sid: string; operator: string; key: string; value: unknown }> = [];
  const Statement = policy.Statement.map((s) => {
    const cond = s.Condition as Record<string, Record<string, unknown>> | undefined;
    if (!cond) return s;
    const next: Record<string, Record<string, unknown>> = {};
    for (const [operator, keys] of Object.entries(cond)) {
      const kept = Object.fromEntries(
        Object.entries(keys).filter(([key, value]) => {
          if (!UNSUPPORTED_KEY.test(key)) return true;
          removed.push({ sid: String(s.Sid ?? ''), operator, key, value });
          return false;
        }),
      );
      if (Object.keys(kept).length > 0) next[operator] = kept;
    }
    return { ...s, Condition: next };
  });
  return { policy: { ...policy, Statement }, removed };
}
