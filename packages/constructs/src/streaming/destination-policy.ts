/**
 * Access policy of a CloudWatch Logs destination: who may subscribe log groups to it (`logs:PutSubscriptionFilter`).
 * CloudWatch Logs caps it at 5,120 bytes, so an explicit account list fits only a few hundred accounts; the
 * organization form (`aws:PrincipalOrgID`) has a constant size.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDestinationPolicy.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateDestination.html
 */

/** CloudWatch Logs' limit on a destination's access policy, in bytes. */
export const DESTINATION_POLICY_LIMIT = 5120;

/** Who may subscribe: the whole organization, or listed accounts. */
export interface DestinationSenders {
  /** Organization id (`o-...`): every account of the organization may subscribe. */
  readonly organizationId?: string;
  /** Accounts that may subscribe (used when no organization id is given). */
  readonly accounts?: readonly string[];
}

/** The access policy document (minified JSON) for a destination ARN. */
export function destinationPolicy(destinationArn: string, senders: DestinationSenders): string {
  const statement: Record<string, unknown> = {
    Sid: 'AllowMembersToSubscribe',
    Effect: 'Allow',
    Action: 'logs:PutSubscriptionFilter',
    Resource: destinationArn,
  };
  if (senders.organizationId) {
    statement.Principal = '*';
    statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': senders.organizationId } };
  } else {
    const accounts = [...new Set(senders.accounts ?? [])].sort();
    if (accounts.length === 0) {
      throw new Error('a CloudWatch Logs destination needs senders: set organizationId or list accounts.');
    }
    statement.Principal = { AWS: accounts.length === 1 ? accounts[0] : accounts };
  }
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  const size = Buffer.byteLength(doc);
  if (size > DESTINATION_POLICY_LIMIT) {
    throw new Error(
      `the destination access policy for ${senders.accounts?.length} listed accounts is ${size} bytes, over ` +
        `CloudWatch Logs' ${DESTINATION_POLICY_LIMIT}-byte limit; set organizationId (aws:PrincipalOrgID, constant size) ` +
        'instead of listing accounts.',
    );
  }
  return doc;
}
