/** Service principal of CloudWatch Logs log delivery (vended logs, including VPC Flow Logs to S3). */
export const LOG_DELIVERY_PRINCIPAL = 'delivery.logs.amazonaws.com';

/** Name prefix of the replication role that every member account creates (one per region). */
export const REPLICATION_ROLE_PREFIX = 'flowlake-replication-';

/** Alias of the central archive's KMS key; lets member stacks name the key before its ARN is known. */
export const ARCHIVE_KEY_ALIAS = 'alias/flowlake-flowlogs';

/** Tag put on every flow log that flowlake creates, so they can be found and removed again. */
export const MANAGED_TAG_KEY = 'flowlake:managed';

/** The two key layouts AWS writes under: `AWSLogs/<acct>/` and `AWSLogs/aws-account-id=<acct>/`. */
export function accountPrefixes(prefix: string, account: string): string[] {
  const p = normalizePrefix(prefix);
  return [`${p}AWSLogs/${account}/`, `${p}AWSLogs/aws-account-id=${account}/`];
}

/** `''` or `folder/` (AWS puts an optional folder before `AWSLogs/`). */
export function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

const ACCOUNT_RE = /^\d{12}$/;
const ORG_RE = /^o-[a-z0-9]{10,32}$/;

/** Throws a clear error for a malformed AWS account id. */
export function checkAccountId(account: string, what: string): void {
  if (!ACCOUNT_RE.test(account)) {
    throw new Error(
      `${what}: '${account}' is not an AWS account id; use the 12-digit id, e.g. '111111111111'.`,
    );
  }
}

/** Throws a clear error for a malformed organization id. */
export function checkOrganizationId(orgId: string): void {
  if (!ORG_RE.test(orgId)) {
    throw new Error(
      `organizationId: '${orgId}' is not an AWS Organizations id; expected 'o-' and 10-32 lowercase letters or digits.`,
    );
  }
}
