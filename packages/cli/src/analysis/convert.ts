import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { buildObjectKey } from '@flowlake/flowlogs';
import { flowsSelect, presentColumns, sqlPath } from './flows-view.js';
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
  /**
   * Rows per Parquet row group. Rows are sorted by the hour of `end` within a file, so row-group min/max statistics
   * let a query of a shorter range skip the other groups of a daily file. @default 10240
   */
  readonly rowGroupSize?: number;
  /** One file per flow log and hour (AWS's Hive + per-hour layout) instead of one per flow log and day. @default false */
  readonly perHour?: boolean;
  /** Parquet compression codec. @default 'zstd' */
  readonly compression?: 'zstd' | 'snappy';
  /**
   * What to read: the store's text files, or its Parquet files (compaction: e.g. AWS's hourly Parquet files from
   * `flowlake pull` into one file per flow log and day). @default 'text'
   */
  readonly from?: 'text' | 'parquet';
  /** DuckDB threads. */
  readonly threads?: number;
}

/** What a conversion did. */
export interface ConvertSummary {
  readonly inputFiles: number;
  readonly inputBytes: number;
  readonly outputFiles: number;
  readonly outputBytes: number;
  readonly records: number;
}

/**
 * Converts the text files of a store into Parquet (zstd, sorted by hour of end time) in the Hive-compatible layout AWS uses
 * for Parquet delivery: by default one file per flow log and day (`--per-hour`: per hour, as AWS delivers), named
 * like AWS names its files (`<acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHH00Z>_<hash>.log.parquet`). Records go
 * to the day (hour) of their `end` time, as delivery does. Columns use AWS's Parquet names and types (`log_status`,
 * INT_64 `bytes`), and only the fields of the source files' formats are written, as AWS does. With
 * `from: 'parquet'` it compacts the store's Parquet files instead (and, in place, removes the files it compacted
 * once the new ones are written).
 */
export async function convertStore(options: ConvertOptions): Promise<ConvertSummary> {
  const from = options.from ?? 'text';
  const perHour = options.perHour ?? false;
  const files = await scanStore(options.store, { ...options, fileFormat: from });
  if (files.length === 0) return { inputFiles: 0, inputBytes: 0, outputFiles: 0, outputBytes: 0, records: 0 };
  const db = await openDuckDb(options.threads);
  await mkdir(options.out, { recursive: true });
  const staging = await mkdtemp(join(options.out, '.flowlake-convert-'));
  try {
    const columnsOf = (p: string) => parquetColumns(db, p);
    const select = await flowsSelect(files, columnsOf, { flowLogId: true });
    // Only the fields the source formats have, as AWS writes them: no all-NULL columns (smaller footers).
    // Sorted by the hour of `end` (row groups cover whole hours, so their min/max prune a shorter range), then by
    // addresses within the hour: about 20 % smaller files, and group-bys on addresses find their keys together.
    const fields = (await presentColumns(files, columnsOf)).map((c) => `"${c}"`);
    const ts = `epoch_ms(coalesce("end", start) * 1000)`;
    const hour = perHour ? `, strftime(${ts}, '%H') AS h` : '';
    const copy = `COPY (
      SELECT ${fields.join(', ')}, aws_account_id AS acct, aws_region AS rgn, flow_log_id AS flid,
        strftime(${ts}, '%Y') AS y, strftime(${ts}, '%m') AS m, strftime(${ts}, '%d') AS d${hour}
      FROM (${select})
      ORDER BY acct, rgn, flid, "end" // 3600, srcaddr, dstaddr, "end", start
    ) TO ${sqlPath(staging)} (FORMAT parquet, COMPRESSION ${options.compression ?? 'zstd'},
      ROW_GROUP_SIZE ${options.rowGroupSize ?? 10_240},
      PARTITION_BY (acct, rgn, flid, y, m, d${perHour ? ', h' : ''}), OVERWRITE_OR_IGNORE true)`;
    const result = await db.run(copy);
    const records = Number(result.rowsChanged);
    const written = new Set<string>();
    let outputBytes = 0;
    for (const file of await walk(staging)) {
      const parts = Object.fromEntries(
        relative(staging, file)
          .split(sep)
          .slice(0, -1)
          .map((seg) => seg.split('=', 2) as [string, string]),
      );
      const time = new Date(
        Date.UTC(Number(parts.y), Number(parts.m) - 1, Number(parts.d), perHour ? Number(parts.h) : 0),
      );
      const key = buildObjectKey({
        prefix: options.prefix,
        accountId: parts.acct,
        region: parts.rgn,
        flowLogId: parts.flid,
        time,
        hash: createHash('sha256').update(relative(staging, file)).digest('hex').slice(0, 8),
        layout: { hive: true, perHour },
        fileFormat: 'parquet',
      });
      const target = join(options.out, ...key.split('/'));
      await mkdir(dirname(target), { recursive: true });
      outputBytes += (await stat(file)).size;
      await rename(file, target);
      written.add(resolve(target));
    }
    // Compaction in place: the compacted files' rows now live in the new files.
    if (from === 'parquet' && resolve(options.out) === resolve(options.store)) {
      for (const f of files) if (!written.has(resolve(f.path))) await rm(f.path);
    }
    return {
      inputFiles: files.length,
      inputBytes: files.reduce((n, f) => n + f.size, 0),
      outputFiles: written.size,
      outputBytes,
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
