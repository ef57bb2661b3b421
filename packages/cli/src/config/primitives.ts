import { z } from 'zod';
import { withHint } from './hint.js';

/** A 12-digit AWS account id. Unquoted YAML numbers are accepted when they still have 12 digits. */
export const AccountId = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v),
  z
    .string(withHint('an account id must be a string', "write it in quotes, e.g. '111111111111'"))
    .regex(
      /^\d{12}$/,
      withHint(
        'an AWS account id has exactly 12 digits',
        "quote account ids ('012345678901'): unquoted YAML numbers lose leading zeros",
      ),
    ),
);

/** An AWS Organizations organization id (`o-` and 10-32 lowercase letters or digits). */
export const OrganizationId = z
  .string()
  .regex(
    /^o-[a-z0-9]{10,32}$/,
    withHint(
      "an organization id looks like 'o-a1b2c3d4e5'",
      "copy it from 'aws organizations describe-organization --query Organization.Id'",
    ),
  );

/** An organizational unit id (`ou-xxxx-xxxxxxxx`) or the organization root (`r-xxxx`). */
export const OuId = z
  .string()
  .regex(
    /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/,
    withHint(
      "an organizational unit id looks like 'ou-ab12-cd34ef56' (or the root, 'r-ab12')",
      "list them with 'aws organizations list-organizational-units-for-parent --parent-id <root id>'",
    ),
  );

/** An AWS region code (commercial, GovCloud, China, ISO). */
export const Region = z
  .string()
  .regex(
    /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/,
    withHint('not an AWS region code', 'use a region code such as eu-west-1 or us-east-1'),
  );

/** A VPC, subnet or network interface id that a flow log can be attached to. */
export const FlowLogResourceId = z
  .string()
  .regex(
    /^(vpc|subnet|eni)-([0-9a-f]{8}|[0-9a-f]{17})$/,
    withHint(
      'not a VPC, subnet or network interface id',
      "use ids such as 'vpc-0a1b2c3d4e5f67890', 'subnet-0a1b2c3d' or 'eni-0a1b2c3d4e5f67890', or 'all'",
    ),
  );

/** An IAM role ARN. */
export const RoleArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    withHint(
      'not an IAM role ARN',
      "use the full ARN, e.g. 'arn:aws:iam::111111111111:role/LogArchiveAdmin'",
    ),
  );

/** An IAM role name (no path). */
export const RoleName = z
  .string()
  .regex(
    /^[\w+=,.@-]{1,64}$/,
    withHint('not an IAM role name', 'use 1-64 letters, digits and +=,.@_- (no path, no ARN)'),
  );

/** Days, a whole positive number. */
export const Days = z
  .number(withHint('must be a number of days', 'write a whole number such as 30'))
  .int(withHint('must be a whole number of days', 'drop the fraction'))
  .positive(withHint('must be at least 1 day', 'use 1 or more'));

/** The retention periods CloudWatch Logs accepts for a log group. */
export const LOG_GROUP_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A CloudWatch Logs retention in days (one of the values the service accepts). */
export const LogGroupRetentionDays = z
  .number()
  .refine(
    (v) => (LOG_GROUP_RETENTION_DAYS as readonly number[]).includes(v),
    withHint(
      'CloudWatch Logs accepts only specific retention periods',
      `use one of ${LOG_GROUP_RETENTION_DAYS.join(', ')}`,
    ),
  );

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
};

/** Parses `10 GB`, `512MB`, `1073741824` into bytes (binary units); undefined when malformed. */
export function parseBytes(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b)?\s*$/i.exec(v);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]);
}

/** A byte count: a number or a string with a unit (`10 GB`, binary units). */
export const Bytes = z.preprocess(
  (v) => (typeof v === 'string' ? (parseBytes(v) ?? v) : v),
  z
    .number(withHint('must be a size', "write a byte count or a size with a unit, e.g. '10 GB'"))
    .int(withHint('must be a whole number of bytes', "write e.g. '10 GB'")),
);

/** AWS resource tags: keys 1-128 characters, values up to 256, no `aws:` prefix. */
export const Tags = z.record(
  z
    .string()
    .min(1)
    .max(128, withHint('tag keys have at most 128 characters', 'shorten the key'))
    .refine(
      (k) => !k.toLowerCase().startsWith('aws:'),
      withHint("tag keys starting with 'aws:' are reserved by AWS", "rename the key, e.g. 'org:owner'"),
    ),
  z
    .string(withHint('tag values must be strings', "quote the value, e.g. 'true' or '42'"))
    .max(256, withHint('tag values have at most 256 characters', 'shorten the value')),
);
