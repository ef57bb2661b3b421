import { ALL_VPC_FIELDS_V2_V8, FIELD_BY_NAME, type FieldSpec } from '@flowlake/flowlogs';

/** Glue column type of each flow-log field: AWS's Parquet types (INT_32, INT_64, STRING). */
const GLUE_TYPE: Record<FieldSpec['type'], string> = { int32: 'int', int64: 'bigint', string: 'string' };

/** Which objects a table reads: direct S3 delivery (text or Parquet, one of four key layouts) or streaming JSON. */
export interface FlowTableSource {
  /** `text` (gzip, space-delimited, header line), `parquet`, or `json` (the streaming path's NDJSON, gzip). */
  readonly format: 'text' | 'parquet' | 'json';
  /** Hive-compatible prefixes (`aws-account-id=...`). */
  readonly hive: boolean;
  /** An hour partition below the day. */
  readonly perHour: boolean;
  /** Folder before `AWSLogs/` (`''` or `folder/`). */
  readonly prefix: string;
}

/** Partition columns of every flow table; `hour` only on per-hour layouts. */
export function partitionColumns(perHour: boolean): { name: string; type: string; comment: string }[] {
  return [
    {
      name: 'aws_account_id',
      type: 'string',
      comment: 'Account that delivered the file (injected projection)',
    },
    { name: 'aws_region', type: 'string', comment: 'Region of the flow log' },
    { name: 'year', type: 'int', comment: 'UTC year of the file' },
    { name: 'month', type: 'int', comment: 'UTC month of the file' },
    { name: 'day', type: 'int', comment: 'UTC day of the file' },
    ...(perHour ? [{ name: 'hour', type: 'int', comment: 'UTC hour of the file' }] : []),
  ];
}

/** Data columns for the record fields, in the given (format) order; unknown names throw. */
export function dataColumns(fields: readonly string[] = ALL_VPC_FIELDS_V2_V8): {
  name: string;
  type: string;
  comment: string;
}[] {
  return fields.map((name) => {
    const spec = FIELD_BY_NAME.get(name);
    if (!spec)
      throw new Error(`fields: unknown flow-log field '${name}'; run 'flowlake fields' for the list.`);
    return { name: spec.parquetName, type: GLUE_TYPE[spec.type], comment: spec.description.slice(0, 255) };
  });
}

/**
 * The S3 location template for partition projection (`${...}` are Athena placeholders, not JavaScript ones),
 * relative to the bucket: it mirrors the key layouts in `@flowlake/flowlogs` keys.ts.
 */
export function locationTemplate(
  source: Pick<FlowTableSource, 'hive' | 'perHour' | 'prefix'> & { service?: string },
): string {
  const v = (name: string) => `\${${name}}`;
  const base = `${source.prefix}AWSLogs/`;
  if (source.hive) {
    return (
      `${base}aws-account-id=${v('aws_account_id')}/${source.service ?? 'aws-service=vpcflowlogs'}/aws-region=${v('aws_region')}/` +
      `year=${v('year')}/month=${v('month')}/day=${v('day')}/${source.perHour ? `hour=${v('hour')}/` : ''}`
    );
  }
  return (
    `${base}${v('aws_account_id')}/vpcflowlogs/${v('aws_region')}/${v('year')}/${v('month')}/${v('day')}/` +
    `${source.perHour ? `${v('hour')}/` : ''}`
  );
}

/**
 * Table parameters that turn on partition projection. The account uses the `injected` type: Athena takes its
 * values from the query's equality/IN predicate, so accounts that join the organization later are queryable with no
 * table change (an `enum` would need an edit per account).
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
 */
export function projectionParameters(
  source: Pick<FlowTableSource, 'perHour'>,
  regions: readonly string[],
  years: readonly [number, number],
): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.aws_account_id.type': 'injected',
    'projection.aws_region.type': 'enum',
    'projection.aws_region.values': regions.join(','),
    'projection.year.type': 'integer',
    'projection.year.range': `${years[0]},${years[1]}`,
    'projection.month.type': 'integer',
    'projection.month.range': '1,12',
    'projection.month.digits': '2',
    'projection.day.type': 'integer',
    'projection.day.range': '1,31',
    'projection.day.digits': '2',
    ...(source.perHour
      ? { 'projection.hour.type': 'integer', 'projection.hour.range': '0,23', 'projection.hour.digits': '2' }
      : {}),
  };
}

/** SerDe and input/output formats per file format. */
export function storageFormat(format: FlowTableSource['format'], fields: readonly string[]) {
  if (format === 'parquet') {
    return {
      classification: 'parquet',
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: {
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        parameters: { 'serialization.format': '1' },
      },
      tableParameters: { 'parquet.compression': 'GZIP' },
    };
  }
  const text = {
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  };
  if (format === 'json') {
    const mapping: Record<string, string> = {};
    for (const name of fields) {
      const spec = FIELD_BY_NAME.get(name);
      if (spec && spec.parquetName !== name) mapping[`mapping.${spec.parquetName}`] = name;
    }
    return {
      classification: 'json',
      ...text,
      serdeInfo: {
        serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
        parameters: { 'ignore.malformed.json': 'FALSE', 'case.insensitive': 'TRUE', ...mapping },
      },
      tableParameters: {},
    };
  }
  return {
    classification: 'csv',
    ...text,
    serdeInfo: {
      serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      parameters: { 'field.delim': ' ', 'serialization.format': ' ', 'serialization.null.format': '-' },
    },
    tableParameters: { 'skip.header.line.count': '1' },
  };
}
