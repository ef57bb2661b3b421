/** CloudFormation `ResourceType` of a flow log. */
export type FlowLogResourceKind = 'VPC' | 'Subnet' | 'NetworkInterface';

/** One resource that gets a flow log. */
export interface SelectedResource {
  /** `vpc-...`, `subnet-...` or `eni-...`. */
  readonly id: string;
  /** Its flow-log resource type. */
  readonly kind: FlowLogResourceKind;
}

const KINDS: ReadonlyArray<[RegExp, FlowLogResourceKind]> = [
  [/^vpc-[0-9a-f]{8,17}$/, 'VPC'],
  [/^subnet-[0-9a-f]{8,17}$/, 'Subnet'],
  [/^eni-[0-9a-f]{8,17}$/, 'NetworkInterface'],
];

/**
 * Which VPCs, subnets or network interfaces of a member account/region get flow logs.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
 */
export class VpcSelection {
  /** Every VPC of the account/region, existing and future (a small Lambda creates the flow logs). */
  static all(): VpcSelection {
    return new VpcSelection(true, []);
  }

  /**
   * The listed VPC (`vpc-`), subnet (`subnet-`) and network interface (`eni-`) ids.
   * @throws Error naming every id that is not one of these kinds.
   */
  static ids(ids: readonly string[]): VpcSelection {
    if (ids.length === 0)
      throw new Error('VpcSelection.ids: give at least one id, or use VpcSelection.all().');
    const bad = ids.filter((id) => !KINDS.some(([re]) => re.test(id)));
    if (bad.length > 0) {
      throw new Error(
        `VpcSelection.ids: ${bad.map((b) => `'${b}'`).join(', ')} is not a VPC, subnet or network interface id ` +
          "(expected 'vpc-', 'subnet-' or 'eni-' followed by 8 or 17 hex digits).",
      );
    }
    const unique = [...new Set(ids)];
    return new VpcSelection(
      false,
      unique.map((id) => ({ id, kind: KINDS.find(([re]) => re.test(id))?.[1] ?? 'VPC' })),
    );
  }

  private constructor(
    /** True for every VPC, existing and future. */
    public readonly isAll: boolean,
    /** The explicit resources (empty when `isAll`). */
    public readonly resources: readonly SelectedResource[],
  ) {}
}
