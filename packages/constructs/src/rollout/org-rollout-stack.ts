import { CfnStackSet, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { MemberFlowLogsProps } from '../member/member-flow-logs.js';
import { synthesizeMemberTemplate } from './member-template.js';

/** Properties of {@link OrgRolloutStack}. */
export interface OrgRolloutStackProps extends StackProps {
  /** What every member account/region gets (the member stack's props). */
  readonly member: MemberFlowLogsProps;
  /** Organizational units (`ou-...`) or the root (`r-...`) to deploy to; new accounts there are enrolled automatically. */
  readonly organizationalUnitIds: readonly string[];
  /** Regions of every target account. */
  readonly regions: readonly string[];
  /** Name of the StackSet. @default 'flowlake-member-flow-logs' */
  readonly stackSetName?: string;
  /** Percentage of accounts deployed at once, per region. @default 25 */
  readonly maxConcurrentPercentage?: number;
  /** Percentage of accounts that may fail, per region, before the operation stops. @default 10 */
  readonly failureTolerancePercentage?: number;
  /** Deploy regions one after the other or in parallel. @default 'PARALLEL' */
  readonly regionConcurrency?: 'SEQUENTIAL' | 'PARALLEL';
  /**
   * `SELF` in the management account, `DELEGATED_ADMIN` in a delegated administrator account.
   * @default 'SELF'
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
   */
  readonly callAs?: 'SELF' | 'DELEGATED_ADMIN';
}

const OU_RE = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Rolls the member stack out to every account of the given OUs and regions as a service-managed StackSet with
 * automatic deployment (accounts joining the OUs get it; leaving accounts lose it). Deploy it in the management
 * (or delegated administrator) account after the central archive stack. The StackSet does not reach the
 * management account itself; deploy a per-account `MemberFlowLogsStack` there if it has VPCs.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
export class OrgRolloutStack extends Stack {
  /** The StackSet. */
  public readonly stackSet: CfnStackSet;
  /** The member template body (minified JSON). */
  public readonly templateBody: string;

  constructor(scope: Construct, id: string, props: OrgRolloutStackProps) {
    super(scope, id, props);
    const errors = [
      ...props.organizationalUnitIds
        .filter((o) => !OU_RE.test(o))
        .map((o) => `'${o}' is not an OU id (ou-...) or root id (r-...)`),
      ...props.regions
        .filter((r) => !REGION_RE.test(r))
        .map((r) => `'${r}' is not a region name (e.g. eu-west-1)`),
      ...percent('maxConcurrentPercentage', props.maxConcurrentPercentage, 1),
      ...percent('failureTolerancePercentage', props.failureTolerancePercentage, 0),
    ];
    if (props.organizationalUnitIds.length === 0)
      errors.push('organizationalUnitIds is empty; give at least one OU');
    if (props.regions.length === 0) errors.push('regions is empty; give at least one region');
    if (errors.length > 0) throw new Error(`Invalid org rollout: ${errors.join('; ')}.`);

    this.templateBody = synthesizeMemberTemplate(props.member);
    this.stackSet = new CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName ?? 'flowlake-member-flow-logs',
      description: 'flowlake: VPC flow logs of every member account and region to the central archive',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs ?? 'SELF',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        maxConcurrentPercentage: props.maxConcurrentPercentage ?? 25,
        failureTolerancePercentage: props.failureTolerancePercentage ?? 10,
        regionConcurrencyType: props.regionConcurrency ?? 'PARALLEL',
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
          regions: [...props.regions],
        },
      ],
      templateBody: this.templateBody,
    });
  }
}

function percent(name: string, v: number | undefined, min: number): string[] {
  if (v === undefined || (Number.isInteger(v) && v >= min && v <= 100)) return [];
  return [`${name} must be a whole number from ${min} to 100, got ${v}`];
}
