import { FIELD_BY_NAME, FIELDS, type FieldSpec } from '@flowlake/flowlogs';
import { readTextHeader, type StoreFile } from './store.js';

/** DuckDB type of each flow-log field (AWS's Parquet types: INT_32, INT_64, STRING). */
const DUCK_TYPE: Record<FieldSpec['type'], string> = { int32: 'INTEGER', int64: 'BIGINT', string: 'VARCHAR' };

/** The VPC flow-log fields every flows relation exposes (underscore names), in AWS order. */
export const FLOW_COLUMNS: readonly FieldSpec[] = FIELDS.filter((f) => f.scope !== 'transit-gateway');

/** Quotes a path as a SQL string literal. */
export function sqlPath(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Files of one flow log in one account and region and format: they share a record format. */
interface FileGroup {
  readonly accountId: string;
  readonly region: string;
  readonly fileFormat: 'text' | 'parquet';
  readonly flowLogId: string;
  readonly files: StoreFile[];
}

function groupFiles(files: readonly StoreFile[]): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  for (const f of files) {
    const p = f.parsed;
    const id = `${p.accountId}/${p.region}/${p.flowLogId}/${p.fileFormat}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        accountId: p.accountId,
        region: p.region,
        fileFormat: p.fileFormat,
        flowLogId: p.flowLogId,
        files: [],
      };
      groups.set(id, g);
    }
    g.files.push(f);
  }
  return [...groups.values()];
}

function projection(
  present: ReadonlySet<string>,
  source: (parquetName: string) => string | undefined,
): string {
  return FLOW_COLUMNS.map((f) => {
    const src = present.has(f.parquetName) ? source(f.parquetName) : undefined;
    return src
      ? `${src} AS ${ident(f.parquetName)}`
      : `CAST(NULL AS ${DUCK_TYPE[f.type]}) AS ${ident(f.parquetName)}`;
  }).join(', ');
}

/** Reads column names of a Parquet file. */
export type ParquetColumns = (path: string) => Promise<string[]>;

/** The flow-log fields (Parquet names) of a text file's header; throws when the file has no flow-log header. */
async function textFields(path: string): Promise<FieldSpec[]> {
  const header = (await readTextHeader(path)).split(/\s+/).filter(Boolean);
  const unknown = header.filter((h) => !FIELD_BY_NAME.has(h));
  if (header.length === 0 || unknown.length > 0) {
    throw new Error(
      `'${path}' does not start with a flow-log header line (unknown fields: ${unknown.join(', ') || '(empty)'})`,
    );
  }
  return header.map((h) => FIELD_BY_NAME.get(h) as FieldSpec);
}

/** The VPC fields (Parquet names) that at least one of the files' formats has, in AWS order. */
export async function presentColumns(
  files: readonly StoreFile[],
  parquetColumns: ParquetColumns,
): Promise<string[]> {
  const present = new Set<string>();
  for (const g of groupFiles(files)) {
    const first = g.files[0].path;
    const names =
      g.fileFormat === 'parquet'
        ? await parquetColumns(first)
        : (await textFields(first)).map((f) => f.parquetName);
    for (const n of names) present.add(n);
  }
  return FLOW_COLUMNS.filter((f) => present.has(f.parquetName)).map((f) => f.parquetName);
}

/**
 * SQL for the `flows` relation over the given files: every VPC field column (NULL where a file's format lacks
 * it) plus `aws_account_id` and `aws_region` from the key. Text files are read with their own header as format.
 */
export async function flowsSelect(
  files: readonly StoreFile[],
  parquetColumns: ParquetColumns,
  options: { flowLogId?: boolean } = {},
): Promise<string> {
  const parts: string[] = [];
  // Hive-layout Parquet files with the same columns are read in one scan; the account and region come from the
  // path (hive partitioning, kept as text so account IDs keep their leading zeros).
  const hiveScans = new Map<string, { present: Set<string>; files: StoreFile[] }>();
  for (const g of groupFiles(files)) {
    const list = `[${g.files.map((f) => sqlPath(f.path)).join(', ')}]`;
    const scope =
      `${sqlPath(g.accountId)} AS aws_account_id, ${sqlPath(g.region)} AS aws_region` +
      (options.flowLogId ? `, ${sqlPath(g.flowLogId)} AS flow_log_id` : '');
    if (g.fileFormat === 'parquet') {
      const present = new Set(await parquetColumns(g.files[0].path));
      if (!options.flowLogId && g.files.every((f) => f.parsed.layout.hive)) {
        const signature = [...present].sort().join(',');
        const scan = hiveScans.get(signature) ?? { present, files: [] };
        scan.files.push(...g.files);
        hiveScans.set(signature, scan);
        continue;
      }
      parts.push(`SELECT ${projection(present, ident)}, ${scope} FROM read_parquet(${list})`);
      continue;
    }
    const header = await textFields(g.files[0].path);
    const columns = header.map((f) => `${sqlPath(f.name)}: '${DUCK_TYPE[f.type]}'`).join(', ');
    const byParquet = new Map(header.map((f) => [f.parquetName, f.name]));
    const present = new Set(byParquet.keys());
    parts.push(
      `SELECT ${projection(present, (p) => ident(byParquet.get(p) as string))}, ${scope} FROM read_csv(${list}, ` +
        `delim = ' ', header = true, nullstr = '-', quote = '', escape = '', compression = 'gzip', auto_detect = false, columns = {${columns}})`,
    );
  }
  for (const scan of hiveScans.values()) {
    const list = `[${scan.files.map((f) => sqlPath(f.path)).join(', ')}]`;
    parts.push(
      `SELECT ${projection(scan.present, ident)}, "aws-account-id" AS aws_account_id, "aws-region" AS aws_region ` +
        `FROM read_parquet(${list}, hive_partitioning = true, hive_types_autocast = false)`,
    );
  }
  if (parts.length === 0) {
    const id = options.flowLogId ? ', CAST(NULL AS VARCHAR) AS flow_log_id' : '';
    return `SELECT ${projection(new Set(), ident)}, CAST(NULL AS VARCHAR) AS aws_account_id, CAST(NULL AS VARCHAR) AS aws_region${id} WHERE false`;
  }
  return parts.join('\nUNION ALL\n');
}
