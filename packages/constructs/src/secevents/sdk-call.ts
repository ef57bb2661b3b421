import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';

/** One AWS API call made by CloudFormation on create/update/delete (for APIs without a CloudFormation type). */
export interface SdkCallProps {
  /** Call on create and update. */
  readonly onCreate: cr.AwsSdkCall;
  /** Call on delete. @default - none */
  readonly onDelete?: cr.AwsSdkCall;
  /** The least-privilege statements the calls need. */
  readonly statements: iam.PolicyStatement[];
  /** Why any wildcard resource in `statements` cannot be narrowed (required when one is present). */
  readonly wildcardReason?: string;
}

const PROVIDER_REASON =
  'Singleton provider function of aws-cdk-lib AwsCustomResource: invoked only by CloudFormation during deployment, no network access needed, no concurrency or DLQ semantics (CloudFormation retries and reports failures).';

/**
 * An `AwsCustomResource` (no latest-SDK download) with its cdk-nag acknowledgements, each with its reason.
 * The construct's own policy is inline by design of aws-cdk-lib (one statement set per call site).
 */
export function sdkCall(scope: Construct, id: string, props: SdkCallProps): cr.AwsCustomResource {
  const resource = new cr.AwsCustomResource(scope, id, {
    onCreate: props.onCreate,
    onUpdate: props.onCreate,
    onDelete: props.onDelete,
    policy: cr.AwsCustomResourcePolicy.fromStatements(props.statements),
    installLatestAwsSdk: false,
  });
  const inline =
    'AwsCustomResource attaches its call-specific statements inline to the provider role; they are listed in this construct and scoped per call.';
  Validations.of(resource).acknowledge(
    { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: inline },
    { id: 'HIPAA.Security-IAMNoInlinePolicy', reason: inline },
    { id: 'PCI.DSS.321-IAMNoInlinePolicy', reason: inline },
  );
  if (props.wildcardReason) {
    Validations.of(resource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: props.wildcardReason,
    });
  }
  const provider = Stack.of(scope).node.tryFindChild(
    `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
  );
  if (provider) {
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${PROVIDER_REASON} The AWS managed basic execution role only lets it write its own logs.`,
      },
      { id: 'AwsSolutions-L1', reason: `${PROVIDER_REASON} Its runtime is chosen by aws-cdk-lib.` },
      ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((p) => ({
        id: `${p}-LambdaInsideVPC`,
        reason: PROVIDER_REASON,
      })),
      ...['NIST.800.53.R5', 'HIPAA.Security'].flatMap((p) => [
        { id: `${p}-LambdaConcurrency`, reason: PROVIDER_REASON },
        { id: `${p}-LambdaDLQ`, reason: PROVIDER_REASON },
      ]),
    );
  }
  return resource;
}

/**
 * Adds statements to a resource policy of the calling stack (archive-side helpers); throws, naming the construct,
 * when the resource is imported (its policy belongs to another stack).
 */
export function addOwnedResourceStatements(
  helper: string,
  resource: {
    node: { path: string };
    addToResourcePolicy(s: iam.PolicyStatement): { statementAdded: boolean };
  },
  what: 'bucket' | 'key',
  statements: readonly iam.PolicyStatement[],
): void {
  for (const s of statements) {
    if (!resource.addToResourcePolicy(s).statementAdded) {
      throw new Error(
        `${helper}: cannot add statement ${s.sid ?? ''} to ${what} ${resource.node.path}: it is imported. Call this in the stack that owns the archive ${what}.`,
      );
    }
  }
}
