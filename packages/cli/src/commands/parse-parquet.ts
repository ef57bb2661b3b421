/**
 * `flowlake parse` on Parquet flow-log files (flow logs created with `FileFormat=parquet`, or `flowlake convert`
 * output): read with DuckDB, printed like text records: AWS hyphenated keys (`account_id` -> `account-id`), null for
 * a missing value, integer fields as numbers, every other catalogued field as a string.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBValue } from '@duckdb/node-api';
import { FIELD_BY_NAME, FIELDS, type FieldSpec, type FlowRecord } from '@flowlake/flowlogs';
import { sqlPath } from '../analysis/flows-view.js';
import { openDuckDb, parquetColumns, toCell } from '../analysis/local-engine.js';
import type { Target } from './parse-input.js';

const BY_PARQUET_NAME: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.parquetName, f]));

/** The record key and value conversion of one Parquet column. */
function column(name: string): { key: string; value: (v: DuckDBValue) => string | number | null } {
  const field = BY_PARQUET_NAME.get(name) ?? FIELD_BY_NAME.get(name);
  const key = field?.name ?? name.replaceAll('_', '-');
  if (field?.type === 'string') {
    return { key, value: (v) => (v === null || v === undefined ? null : String(v)) };
  }
  return { key, value: (v) => toCell(v) as string | number | null };
}

function isParquetFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.toString('latin1') === 'PAR1';
  } finally {
    closeSync(fd);
  }
}

/**
 * Prints the rows of a Parquet file. Parquet needs random access: standard input (or a gzip-wrapped file) is first
 * written to a temporary file, removed afterwards.
 */
export async function printParquet(
  path: string | undefined,
  chunks: AsyncIterable<Uint8Array>,
  { name, format, io, result }: Target,
): Promise<void> {
  if (format) io.err(`${name}: a Parquet file names its columns; --format is not used for it\n`);
  let file = path;
  let spool: string | undefined;
  if (!file || !isParquetFile(file)) {
    spool = mkdtempSync(join(tmpdir(), 'flowlake-parse-'));
    file = join(spool, 'input.parquet');
    await pipeline(chunks, createWriteStream(file));
  }
  const db = await openDuckDb(1);
  try {
    let names: string[];
    try {
      names = await parquetColumns(db, file);
    } catch (e) {
      io.err(`${name}: not a readable Parquet file (${(e as Error).message.split('\n')[0]})\n`);
      result.unreadable = true;
      return;
    }
    const columns = names.map(column);
    const select = names.map((n) => `"${n.replaceAll('"', '""')}"`).join(', ');
    const stream = await db.stream(`SELECT ${select} FROM read_parquet(${sqlPath(file)})`);
    for (
      let chunk = await stream.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await stream.fetchChunk()
    ) {
      let text = '';
      for (const row of chunk.getRows()) {
        const record: FlowRecord = {};
        for (let c = 0; c < columns.length; c++) record[columns[c].key] = columns[c].value(row[c]);
        text += `${JSON.stringify(record)}\n`;
      }
      result.records += chunk.rowCount;
      io.out(text);
      if (io.drain && !(await io.drain())) {
        result.closed = true;
        return;
      }
    }
  } finally {
    db.closeSync();
    if (spool) rmSync(spool, { recursive: true, force: true });
  }
}
