import { GUARDDUTY_DATASET } from '@flowlake/flowlogs';
import { Aws } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { locationTemplate, partitionColumns, projectionParameters } from '../analytics/tables.js';
import { normalizePrefix } from '../internal/names.js';
import { DEFAULT_CLOUDTRAIL_PREFIX } from './cloudtrail-policies.js';
import { DEFAULT_GUARDDUTY_PREFIX, guardDutyPrefix } from './guardduty-policies.js';
import { CLOUDTRAIL_COLUMNS, GUARDDUTY_COLUMNS, glueColumns } from './schemas.js';

/** Properties of {@link SecurityEventTables}. */
export interface SecurityEventTablesProps {
  /** Glue database to add the tables to (e.g. `AnalyticsCatalog.databaseName`). */
  readonly databaseName: string;
  /**
   * The database resource, when in the same stack: the tables are created after it.
   * @default - no dependency
   */
  readonly database?: glue.CfnDatabase;
  /** The central archive bucket. */
  readonly bucket: s3.IBucket;
  /** Regions that deliver events (the `aws_region` projection enum). */
  readonly regions: readonly string[];
  /**
   * First and last year of the `year` projection.
   * @default [2024, 2040]
   */
  readonly years?: readonly [number, number];
  /** Organization trail: its organization ID and key prefix; omit for no CloudTrail table. */
  readonly cloudTrail?: {
    readonly organizationId: string;
    /** @default 'cloudtrail' */
    readonly prefix?: string;
    /** @default 'cloudtrail' */
    readonly tableName?: string;
  };
  /** GuardDuty export: the administrator account and key prefix; omit for no GuardDuty table. */
  readonly guardDuty?: {
    readonly adminAccountId: string;
    /** @default 'guardduty' */
    readonly prefix?: string;
    /** @default 'guardduty_findings' */
    readonly tableName?: string;
  };
  /**
   * Streaming path: GuardDuty findings the EventBridge rule puts into the streaming Firehose, read from
   * `AWSLogs/aws-account-id=<acct>/guardduty-stream/aws-region=<r>/year=/month=/day=/hour=/`. Created only
   * together with `guardDuty` (same finding columns).
   * @default - no streamed-findings table
   * @see docs/streaming.md
   */
  readonly guardDutyStream?: {
    /** Folder before `AWSLogs/` where the streaming path writes. @default '' */
    readonly prefix?: string;
    /** @default 'guardduty_findings_stream' */
    readonly tableName?: string;
  };
}

/** Storage of GuardDuty finding JSON lines (gzip): the export and the streaming path write the same finding. */
function guardDutyStorage(location: string): glue.CfnTable.StorageDescriptorProperty {
  return {
    columns: glueColumns(GUARDDUTY_COLUMNS),
    location,
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    compressed: true,
    serdeInfo: {
      serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      parameters: { 'ignore.malformed.json': 'FALSE', 'case.insensitive': 'TRUE' },
    },
  };
}

const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Glue tables over the organization trail's CloudTrail files and the GuardDuty findings export, with partition
 * projection (no crawlers): account `injected` (new member accounts need no table change; queries name their
 * accounts), region `enum`, year/month/day integers.
 * @see https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 */
export class SecurityEventTables extends Construct {
  /** The CloudTrail table, when configured. */
  readonly cloudTrailTable?: glue.CfnTable;
  /** The GuardDuty findings table, when configured. */
  readonly guardDutyTable?: glue.CfnTable;
  /** The streamed GuardDuty findings table, when `guardDuty` and `guardDutyStream` are configured. */
  readonly guardDutyStreamTable?: glue.CfnTable;

  constructor(scope: Construct, id: string, props: SecurityEventTablesProps) {
    super(scope, id);
    if (props.regions.length === 0)
      throw new Error('SecurityEventTables: give at least one region in regions.');
    for (const r of props.regions) {
      if (!REGION_RE.test(r))
        throw new Error(`SecurityEventTables: '${r}' is not a region name; use e.g. 'eu-west-1'.`);
    }
    const years = props.years ?? [2024, 2040];
    const bucket = props.bucket.bucketName;
    const projection = projectionParameters({ perHour: false }, props.regions, years);

    if (props.cloudTrail) {
      const org = props.cloudTrail.organizationId;
      if (!/^o-[a-z0-9]{10,32}$/.test(org)) {
        throw new Error(
          `SecurityEventTables: invalid organizationId '${org}': expected e.g. 'o-a1b2c3d4e5'.`,
        );
      }
      const prefix = (props.cloudTrail.prefix ?? DEFAULT_CLOUDTRAIL_PREFIX).replace(/^\/+|\/+$/g, '');
      const base = `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}AWSLogs/${org}/`;
      this.cloudTrailTable = new glue.CfnTable(this, 'CloudTrail', {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: {
          name: props.cloudTrail.tableName ?? 'cloudtrail',
          description: `Organization trail ${org}: CloudTrail records (partition projection)`,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            classification: 'cloudtrail',
            ...projection,
            'storage.location.template': `${base}\${aws_account_id}/CloudTrail/\${aws_region}/\${year}/\${month}/\${day}/`,
          },
          partitionKeys: partitionColumns(false).map((c) =>
            c.name === 'aws_account_id'
              ? { ...c, comment: 'Member account of the record (injected projection)' }
              : c,
          ),
          storageDescriptor: {
            columns: glueColumns(CLOUDTRAIL_COLUMNS),
            location: base,
            inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            compressed: true,
            serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
          },
        },
      });
    }

    if (props.guardDuty) {
      const admin = props.guardDuty.adminAccountId;
      if (!/^\d{12}$/.test(admin)) {
        throw new Error(`SecurityEventTables: invalid adminAccountId '${admin}': expected 12 digits.`);
      }
      const prefix = guardDutyPrefix(props.guardDuty.prefix ?? DEFAULT_GUARDDUTY_PREFIX);
      const base = `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}AWSLogs/${admin}/GuardDuty/`;
      const gdProjection = Object.fromEntries(
        Object.entries(projection).filter(([k]) => !k.startsWith('projection.aws_account_id.')),
      );
      this.guardDutyTable = new glue.CfnTable(this, 'GuardDuty', {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: {
          name: props.guardDuty.tableName ?? 'guardduty_findings',
          description: `GuardDuty findings exported by administrator ${admin} (partition projection)`,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            classification: 'json',
            ...gdProjection,
            'storage.location.template': `${base}\${aws_region}/\${year}/\${month}/\${day}/`,
          },
          partitionKeys: partitionColumns(false)
            .filter((c) => c.name !== 'aws_account_id')
            .map((c) =>
              c.name === 'aws_region' ? { ...c, comment: 'Region of the exporting detector' } : c,
            ),
          storageDescriptor: guardDutyStorage(base),
        },
      });
    }

    if (props.guardDuty && props.guardDutyStream) {
      const prefix = normalizePrefix(props.guardDutyStream.prefix);
      const source = { hive: true, perHour: true, prefix, service: GUARDDUTY_DATASET };
      this.guardDutyStreamTable = new glue.CfnTable(this, 'GuardDutyStream', {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: {
          name: props.guardDutyStream.tableName ?? 'guardduty_findings_stream',
          description: 'GuardDuty findings from the streaming path (partition projection)',
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            classification: 'json',
            ...projectionParameters(source, props.regions, years),
            'storage.location.template': `s3://${bucket}/${locationTemplate(source)}`,
          },
          partitionKeys: partitionColumns(true).map((c) =>
            c.name === 'aws_region' ? { ...c, comment: 'Region of the finding' } : c,
          ),
          storageDescriptor: guardDutyStorage(`s3://${bucket}/${prefix}AWSLogs/`),
        },
      });
    }
    for (const t of [this.cloudTrailTable, this.guardDutyTable, this.guardDutyStreamTable]) {
      if (t && props.database) t.addResourceDependency(props.database);
    }
  }
}
