import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { buildObjectKey, FIELDS } from '@flowlake/flowlogs';
import { flowsSelect, sqlPath } from './flows-view.js';
import { openDuckDb, parquetColumns } from './local-engine.js';
import { type StoreFilter, scanStore } from './store.js';

/** Options of {@link convertStore}. */
export interface ConvertOptions extends StoreFilter {
  /** Source store (text files). */
  readonly store: string;
  /** Destination store; may be the source (Parquet files then sit beside the text files). */
  readonly out: string;
  /** Folder before `AWSLogs/` in the destination. @default '' */
  readonly prefix?: string;
  /** Rows per Parquet row group. @default 122880 */
  readonly rowGroupSize?: number;
  /** DuckDB threads. */
  readonly threads?: number;
}

/** What a conversion did. */
export interface ConvertSummary {
  readonly inputFiles: number;
  readonly inputBytes: number;
  readonly outputFiles: number;
  readonly records: number;
}

const FIELD_COLUMNS = FIELDS.filter((f) => f.scope !== 'transit-gateway').map((f) => `"${f.parquetName}"`);

/**
 * Converts the text files of a store into Parquet (zstd, sorted by end time) in the Hive-compatible, per-hour layout
 * AWS uses for Parquet delivery: one file per flow log and hour, named like AWS names its files
 * (`<acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHH00Z>_<hash>.log.parquet`). Records go to the hour of their
 * `end` time, as delivery does. Columns use AWS's Parquet names and types (`log_status`, INT_64 `bytes`).
 */
export async function convertStore(options: ConvertOptions): Promise<ConvertSummary> {
  const files = await scanStore(options.store, { ...options, fileFormat: 'text' });
  if (files.length === 0) return { inputFiles: 0, inputBytes: 0, outputFiles: 0, records: 0 };
  const db = await openDuckDb(options.threads);
  const staging = await mkdtemp(join(options.out, '.flowlake-convert-'));
  try {
    const select = await flowsSelect(files, (p) => parquetColumns(db, p), { flowLogId: true });
    const ts = `epoch_ms(coalesce("end", start) * 1000)`;
    const copy = `COPY (
      SELECT ${FIELD_COLUMNS.join(', ')}, aws_account_id AS acct, aws_region AS rgn, flow_log_id AS flid,
        strftime(${ts}, '%Y') AS y, strftime(${ts}, '%m') AS m, strftime(${ts}, '%d') AS d, strftime(${ts}, '%H') AS h
      FROM (${select})
      ORDER BY acct, rgn, flid, "end", start
    ) TO ${sqlPath(staging)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${options.rowGroupSize ?? 122_880},
      PARTITION_BY (acct, rgn, flid, y, m, d, h), OVERWRITE_OR_IGNORE true)`;
    const result = await db.run(copy);
    const records = Number(result.rowsChanged);
    let outputFiles = 0;
    for (const file of await walk(staging)) {
      const parts = Object.fromEntries(
        relative(staging, file)
          .split(sep)
          .slice(0, -1)
          .map((seg) => seg.split('=', 2) as [string, string]),
      );
      const time = new Date(Date.UTC(Number(parts.y), Number(parts.m) - 1, Number(parts.d), Number(parts.h)));
      const key = buildObjectKey({
        prefix: options.prefix,
        accountId: parts.acct,
        region: parts.rgn,
        flowLogId: parts.flid,
        time,
        hash: createHash('sha256').update(relative(staging, file)).digest('hex').slice(0, 8),
        layout: { hive: true, perHour: true },
        fileFormat: 'parquet',
      });
      const target = join(options.out, ...key.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await rename(file, target);
      outputFiles++;
    }
    return {
      inputFiles: files.length,
      inputBytes: files.reduce((n, f) => n + f.size, 0),
      outputFiles,
      records,
    };
  } finally {
    db.closeSync();
    await rm(staging, { recursive: true, force: true });
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await walk(p)));
    else if (ent.name.endsWith('.parquet')) out.push(p);
  }
  return out;
}
