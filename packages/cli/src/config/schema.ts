import { z } from 'zod';
import { crossCheck, effectiveRolloutMode } from './checks.js';
import { withHint } from './hint.js';
import { DEFAULT_LOG_FORMAT, LogFormat } from './log-format.js';
import {
  AccountId,
  Bytes,
  Days,
  FlowLogResourceId,
  LogGroupRetentionDays,
  OrganizationId,
  OuId,
  Region,
  RoleArn,
  RoleName,
  Tags,
} from './primitives.js';

/** The four ways flow logs travel from a member account to the central archive. */
export const DELIVERY_PATHS = [
  'direct-s3',
  'replication',
  'cloudwatch-firehose',
  'cloudwatch-kinesis',
] as const;
export const DeliveryPath = z.enum(DELIVERY_PATHS, {
  error: withHint(
    `unknown delivery path`,
    `use one of ${DELIVERY_PATHS.join(', ')} (see docs/config.md#delivery)`,
  ),
});
export type DeliveryPath = z.infer<typeof DeliveryPath>;

/** `all` VPCs of the account/region (existing and future), or an explicit list of VPC/subnet/ENI ids. */
export const VpcSelectionSchema = z.union([z.literal('all'), z.array(FlowLogResourceId).min(1)], {
  error: withHint(
    "vpcs must be 'all' or a list of vpc-, subnet- or eni- ids",
    "write 'vpcs: all' or a YAML list such as [vpc-0a1b2c3d4e5f67890]",
  ),
});
export type VpcSelectionConfig = z.infer<typeof VpcSelectionSchema>;

const Organization = z.strictObject({
  /** The organization id (`o-...`). */
  id: OrganizationId,
  /** The management account: where StackSets and the organization trail are deployed from. */
  managementAccount: AccountId.optional(),
});

const Central = z.strictObject({
  /** The log-archive account that owns the central bucket. */
  account: AccountId,
  /** The central account's home region (bucket, KMS key, Athena). */
  region: Region,
  /** Roles allowed to administer (delete objects, change policies of) the archive. */
  archiveAdminRoleArns: z.array(RoleArn).default([]),
  /**
   * ARN of the central bucket's KMS key (the `KeyArn` output of the central stack). Needed by the replication path,
   * whose member stacks encrypt replicas with it; KMS key ids are only known after the central stack is deployed.
   */
  keyArn: z
    .string()
    .regex(
      /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/,
      withHint(
        'not a KMS key ARN',
        "copy the central stack's KeyArn output (arn:aws:kms:<region>:<account>:key/<id>)",
      ),
    )
    .optional(),
  /**
   * Scope log delivery by `aws:SourceOrgID` (constant-size policy) instead of listing accounts. Unverified on a live
   * account for log delivery; set false to list the accounts instead. Default true with an organization.
   */
  useSourceOrgId: z.boolean().optional(),
  /**
   * Require the `bucket-owner-full-control` ACL header on log-delivery writes (as AWS documents for flow logs).
   * Unverified whether delivery sends it to a bucket with ACLs disabled; set false if delivery fails.
   */
  requireBucketOwnerFullControl: z.boolean().default(true),
  /** Explicit bucket name; default `<name>-flowlogs-<account>-<region>`. */
  bucketName: z
    .string()
    .regex(
      /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      withHint('not a valid S3 bucket name', 'use 3-63 lowercase letters, digits, dots and hyphens'),
    )
    .optional(),
});

const MemberGroup = z.strictObject({
  /** A label for the group (used in stack names and the summary). */
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, withHint('not a valid group name', 'use letters, digits and -'))
    .optional(),
  /** Listed member accounts (per-account stacks or StackSet account targets). */
  accounts: z.array(AccountId).default([]),
  /** Organizational units (StackSets with automatic deployment to new accounts). */
  ous: z.array(OuId).default([]),
  /** Regions to cover in each account. */
  regions: z
    .array(Region)
    .min(1, withHint('a member group needs at least one region', 'add regions: [eu-west-1]')),
  /** Which VPCs get flow logs. */
  vpcs: VpcSelectionSchema.default('all'),
  /** Override of the top-level delivery path for this group. */
  delivery: DeliveryPath.optional(),
});

const FlowLogs = z.strictObject({
  /** Format string or list of fields. */
  format: LogFormat.default(DEFAULT_LOG_FORMAT),
  /** Which traffic is logged. */
  trafficType: z
    .enum(['ALL', 'ACCEPT', 'REJECT'], {
      error: withHint('unknown traffic type', 'use ALL (recommended), ACCEPT or REJECT'),
    })
    .default('ALL'),
  /** Maximum aggregation interval in seconds. */
  aggregationInterval: z
    .union([z.literal(60), z.literal(600)], {
      error: withHint('the aggregation interval is 60 or 600 seconds', 'use 60 (default) or 600'),
    })
    .default(60),
  /** S3 file format. */
  fileFormat: z
    .enum(['parquet', 'text'], { error: withHint('unknown file format', 'use parquet (default) or text') })
    .default('parquet'),
  /** Hive-compatible S3 prefixes (`aws-account-id=...`). */
  hivePartitions: z.boolean().default(true),
  /** Hourly partitions. */
  perHourPartitions: z.boolean().default(true),
});

const ObjectLock = z.strictObject({
  mode: z.enum(['GOVERNANCE', 'COMPLIANCE'], {
    error: withHint('unknown Object Lock mode', 'use GOVERNANCE or COMPLIANCE'),
  }),
  days: Days,
});

const Retention = z
  .strictObject({
    /** Days before transition to S3 Standard-IA (at least 30); false for no IA tier. */
    infrequentAccessDays: z
      .union([
        z.literal(false),
        Days.min(30, withHint('S3 allows a Standard-IA transition only after 30 days', 'use 30 or more')),
      ])
      .default(30),
    /** Days before transition to S3 Glacier Flexible Retrieval; false for no Glacier tier. */
    glacierDays: z.union([z.literal(false), Days]).default(90),
    /** Days before current objects expire. */
    expireDays: Days.default(400),
    /** Days before noncurrent (overwritten or deleted) versions expire. */
    noncurrentExpireDays: Days.default(30),
    /** Optional S3 Object Lock default retention (WORM). */
    objectLock: ObjectLock.optional(),
  })
  .superRefine((r, ctx) => {
    const ia = r.infrequentAccessDays;
    const gl = r.glacierDays;
    if (ia !== false && gl !== false && gl <= ia) {
      ctx.addIssue({
        code: 'custom',
        path: ['glacierDays'],
        message: withHint(
          `glacierDays (${gl}) must be greater than infrequentAccessDays (${ia})`,
          `set glacierDays to ${ia + 30} or more, or infrequentAccessDays: false`,
        ),
      });
    }
    const last = gl !== false ? gl : ia;
    if (last !== false && r.expireDays <= last) {
      const which = gl !== false ? 'glacierDays' : 'infrequentAccessDays';
      ctx.addIssue({
        code: 'custom',
        path: ['expireDays'],
        message: withHint(
          `expireDays (${r.expireDays}) must be greater than ${which} (${last})`,
          `set expireDays above ${last}, or lower ${which}`,
        ),
      });
    }
  });

const Replication = z.strictObject({
  /** S3 Replication Time Control (15-minute SLA, extra cost). */
  rtc: z.boolean().default(false),
  /** Days the member-side copy is kept before it expires. */
  localExpireDays: Days.default(7),
});

const Kinesis = z
  .strictObject({
    mode: z
      .enum(['on-demand', 'provisioned'], {
        error: withHint('unknown stream mode', 'use on-demand or provisioned'),
      })
      .default('on-demand'),
    /** Shard count (provisioned mode only). */
    shards: z.number().int().min(1).max(10_000).optional(),
    /** Record retention in hours (24-8760). */
    retentionHours: z
      .number()
      .int()
      .min(24, withHint('Kinesis keeps records at least 24 hours', 'use 24 to 8760'))
      .max(8760, withHint('Kinesis keeps records at most 8760 hours (365 days)', 'use 24 to 8760'))
      .default(24),
  })
  .superRefine((k, ctx) => {
    if (k.mode === 'provisioned' && k.shards === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['shards'],
        message: withHint(
          'a provisioned stream needs a shard count',
          'add shards: N (1 MB/s ingest per shard)',
        ),
      });
    }
    if (k.mode === 'on-demand' && k.shards !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['shards'],
        message: withHint(
          'shards applies only to provisioned streams',
          'remove shards or set mode: provisioned',
        ),
      });
    }
  });

const Firehose = z.strictObject({
  /** S3 buffer size in MiB; dynamic partitioning requires 64-128. */
  bufferMb: z
    .number()
    .int()
    .min(64, withHint('Firehose dynamic partitioning needs a buffer of at least 64 MB', 'use 64 to 128'))
    .max(128, withHint('Firehose buffers at most 128 MB', 'use 64 to 128'))
    .default(128),
  /** S3 buffer interval in seconds (60-900). */
  bufferSeconds: z
    .number()
    .int()
    .min(60, withHint('Firehose buffer interval must be at least 60 s here', 'use 60 to 900'))
    .max(900, withHint('Firehose buffers at most 900 s', 'use 60 to 900'))
    .default(300),
});

const OpenSearchVpc = z.strictObject({
  /** VPC of the subnets (security groups are created in it unless listed). */
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, withHint('not a VPC id', "e.g. 'vpc-0a1b2c3d4e5f67890'")),
  /** Private subnets in different Availability Zones (2 when instanceCount >= 2). */
  subnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, withHint('not a subnet id', "e.g. 'subnet-0a1b2c3d'")))
    .min(1, withHint('list at least one subnet', 'subnetIds: [subnet-..., subnet-...] in two AZs')),
  /** Security groups of the domain and the Firehose ENIs (must admit 443 among themselves). */
  securityGroupIds: z
    .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, withHint('not a security group id', "e.g. 'sg-0a1b2c3d'")))
    .optional(),
});

const OpenSearch = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Data node instance type. */
    instanceType: z
      .string()
      .endsWith('.search', withHint('not an OpenSearch instance type', "e.g. 'r6g.large.search'"))
      .default('r6g.large.search'),
    /** Data node count (2 or more: zone awareness over 2 AZs, so an even number). */
    instanceCount: z.number().int().min(1).max(80).default(2),
    /** EBS volume per data node in GiB. */
    volumeGb: z.number().int().min(10).default(100),
    /** Dedicated master nodes (0, 3 or 5). */
    dedicatedMasterCount: z
      .union([z.literal(0), z.literal(3), z.literal(5)], {
        error: withHint('dedicated masters come in 0, 3 or 5', 'use 0, 3 or 5'),
      })
      .default(0),
    /** Fine-grained access control master: an IAM principal ARN (else flowlake creates an IAM admin role). */
    masterUserArn: z
      .string()
      .regex(
        /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/,
        withHint('not an IAM role or user ARN', "e.g. 'arn:aws:iam::111111111111:role/SearchAdmin'"),
      )
      .optional(),
    /** Index name; Firehose appends the rotation date (`flowlogs-2026-11-30`). */
    indexName: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,79}$/,
        withHint('not a valid index name', 'use lowercase letters, digits, _ and -, e.g. flowlogs'),
      )
      .default('flowlogs'),
    /** How often Firehose starts a new index. */
    indexRotation: z
      .enum(['NoRotation', 'OneHour', 'OneDay', 'OneWeek', 'OneMonth'], {
        error: withHint('unknown index rotation', 'use NoRotation, OneHour, OneDay, OneWeek or OneMonth'),
      })
      .default('OneDay'),
    /** Existing VPC to use; without it flowlake creates an isolated VPC (2 AZs, no NAT). */
    vpc: OpenSearchVpc.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.instanceCount >= 2 && o.instanceCount % 2 !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceCount'],
        message: withHint(
          `instanceCount ${o.instanceCount} cannot spread evenly over the 2 Availability Zones of zone awareness`,
          `use ${o.instanceCount + 1} (or 1 for a single-node domain without zone awareness)`,
        ),
      });
    }
    if (o.instanceCount >= 2 && o.vpc && o.vpc.subnetIds.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['vpc', 'subnetIds'],
        message: withHint(
          `instanceCount ${o.instanceCount} uses zone awareness, which needs 2 subnets in different AZs`,
          'list a second subnet in another AZ, or set instanceCount: 1',
        ),
      });
    }
    if (o.dedicatedMasterCount > 0 && o.instanceCount === 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['dedicatedMasterCount'],
        message: withHint(
          `${o.dedicatedMasterCount} dedicated masters for a single data node cost more than they protect`,
          'set dedicatedMasterCount: 0, or instanceCount: 2 or more',
        ),
      });
    }
  });

const Streaming = z.strictObject({
  kinesis: Kinesis.prefault({}),
  firehose: Firehose.prefault({}),
  /** What the transform writes: newline-delimited JSON records or the original flow-log lines. */
  output: z
    .enum(['json', 'lines'], { error: withHint('unknown output', 'use json or lines') })
    .default('json'),
  /** Retention of the member-side CloudWatch Logs log group. */
  logGroupRetentionDays: LogGroupRetentionDays.default(7),
  opensearch: OpenSearch.optional(),
  /** How `all` VPCs are enrolled on the CloudWatch paths: flowlake's Lambda or the AWS organization telemetry rule. */
  enrollment: z
    .enum(['lambda', 'telemetry-rule'], {
      error: withHint('unknown enrollment', 'use lambda or telemetry-rule'),
    })
    .default('lambda'),
});

const Analytics = z.strictObject({
  enabled: z.boolean().default(true),
  /** Per-query bytes-scanned limit of the Athena workgroup (at least 10 MB). */
  athenaBytesScannedCutoff: Bytes.pipe(
    z.number().min(10 * 1024 ** 2, withHint('Athena needs a cutoff of at least 10 MB', "use e.g. '10 GB'")),
  ).default(10 * 1024 ** 3),
  workgroup: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, withHint('not a valid workgroup name', 'use letters, digits, . _ -'))
    .default('flowlake'),
  database: z
    .string()
    .regex(
      /^[a-z0-9_]{1,255}$/,
      withHint('not a valid Glue database name', 'use lowercase letters, digits, _'),
    )
    .default('flowlake'),
});

const Audit = z.strictObject({
  /** Read-only role assumed in each member account by `flowlake audit`. */
  roleName: RoleName.default('FlowlakeAudit'),
  externalId: z
    .string()
    .regex(
      /^[\w+=,.@:/-]{2,1224}$/,
      withHint('not a valid external id', 'use 2-1224 characters of [\\w+=,.@:/-]'),
    )
    .optional(),
});

function optionalFeature<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'boolean' ? { enabled: v } : v), schema);
}

const CloudTrail = optionalFeature(
  z.strictObject({
    enabled: z.boolean().default(true),
    /** Key prefix in the central archive bucket. */
    prefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/)
      .default('cloudtrail'),
    /** Also deliver to CloudWatch Logs in the trail's account. */
    cloudWatchLogs: z.boolean().default(false),
    cloudWatchLogsRetentionDays: LogGroupRetentionDays.default(90),
  }),
);

const GuardDuty = optionalFeature(
  z.strictObject({
    enabled: z.boolean().default(true),
    /** Delegated administrator account; default the central account. */
    delegatedAdminAccount: AccountId.optional(),
    autoEnable: z
      .enum(['ALL', 'NEW', 'NONE'], { error: withHint('unknown auto-enable', 'use ALL, NEW or NONE') })
      .default('ALL'),
    findingFrequency: z
      .enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'], {
        error: withHint('unknown finding frequency', 'use FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS'),
      })
      .default('FIFTEEN_MINUTES'),
  }),
);

const Percentage = (min: number) =>
  z
    .number()
    .int()
    .min(min, withHint(`must be at least ${min}`, `use ${min}-100`))
    .max(100, withHint('must be at most 100', `use ${min}-100`));

const Rollout = z.strictObject({
  /** stacksets: service-managed StackSets (needs an organization); stacks: one stack per account and region. */
  mode: z
    .enum(['stacksets', 'stacks'], { error: withHint('unknown rollout mode', 'use stacksets or stacks') })
    .optional(),
  /** Deploy StackSets as the management account (SELF) or a delegated administrator. */
  callAs: z
    .enum(['SELF', 'DELEGATED_ADMIN'], { error: withHint('unknown callAs', 'use SELF or DELEGATED_ADMIN') })
    .default('SELF'),
  /** The StackSets delegated administrator (callAs DELEGATED_ADMIN); default the central account. */
  delegatedAdminAccount: AccountId.optional(),
  maxConcurrentPercentage: Percentage(1).default(25),
  failureTolerancePercentage: Percentage(0).default(10),
  /** Keep member stacks when an account leaves a target OU. */
  retainStacksOnAccountRemoval: z.boolean().default(false),
});

/** The whole `flowlake.yaml` before cross-field checks. */
const BaseConfig = z.strictObject({
  /** Prefix of stack and resource names. */
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,19}$/,
      withHint('not a valid name', 'use 1-20 lowercase letters, digits and -, starting with a letter'),
    )
    .default('flowlake'),
  organization: Organization.optional(),
  central: Central,
  members: z
    .array(MemberGroup)
    .min(1, withHint('no member groups', 'add at least one group with accounts or ous and regions')),
  delivery: DeliveryPath.default('direct-s3'),
  flowLogs: FlowLogs.prefault({}),
  retention: Retention.prefault({}),
  replication: Replication.prefault({}),
  streaming: Streaming.prefault({}),
  analytics: Analytics.prefault({}),
  audit: Audit.prefault({}),
  cloudtrail: CloudTrail.prefault(false),
  guardduty: GuardDuty.prefault(false),
  rollout: Rollout.prefault({}),
  tags: Tags.default({}),
});

/** The `flowlake.yaml` schema: every key, default and cross-field rule. */
export const FlowlakeConfigSchema = BaseConfig.superRefine(crossCheck).transform((c) => ({
  ...c,
  rollout: {
    ...c.rollout,
    mode: effectiveRolloutMode(c),
  },
}));

/** A validated flowlake config with every default applied. */
export type FlowlakeConfig = z.infer<typeof FlowlakeConfigSchema>;
/** The config before cross-field checks (what `crossCheck` sees). */
export type BaseFlowlakeConfig = z.infer<typeof BaseConfig>;
/** One member group of a validated config. */
export type MemberGroupConfig = FlowlakeConfig['members'][number];

/** The schema object, for tooling that walks it (suggestions, docs). */
export const BASE_CONFIG_SCHEMA = BaseConfig;
