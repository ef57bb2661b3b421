import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { FLOW_COLUMNS, sqlPath } from './flows-view.js';
import type { StoreFilter } from './store.js';

/**
 * Objects the streaming path writes (Firehose dynamic partitioning, gzip NDJSON from the transform):
 * `[prefix/]AWSLogs/aws-account-id=<acct>/vpcflowlogs-stream/aws-region=<region>/year=/month=/day=/hour=/<name>.gz`.
 */
export interface StreamFile {
  readonly path: string;
  readonly key: string;
  readonly accountId: string;
  readonly region: string;
  /** Start of the object's hour partition (ms). */
  readonly hourStart: number;
  readonly size: number;
}

const STREAM_KEY =
  /(?:^|\/)AWSLogs\/aws-account-id=(\d{12})\/vpcflowlogs-stream\/aws-region=([a-z0-9-]+)\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\/[^/]+\.gz$/;

/** Parses a streaming-path object key; undefined when the key is not one. */
export function parseStreamKey(key: string): Omit<StreamFile, 'path' | 'size'> | undefined {
  const m = STREAM_KEY.exec(key);
  if (!m) return undefined;
  const [, accountId, region, y, mo, d, h] = m;
  return { key, accountId, region, hourStart: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h)) };
}

/** Lists the streaming-path objects under `root` whose hour, account and region match the filter. */
export async function scanStreamStore(root: string, filter: StoreFilter = {}): Promise<StreamFile[]> {
  if (filter.fileFormat) return [];
  const out: StreamFile[] = [];
  async function walk(dir: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const ent of entries) {
      const path = join(dir, ent.name);
      if (ent.isDirectory()) {
        // Direct-delivery folders never hold streaming objects.
        if (ent.name === 'vpcflowlogs' || ent.name === 'aws-service=vpcflowlogs') continue;
        await walk(path);
        continue;
      }
      const parsed = ent.isFile() ? parseStreamKey(relative(root, path).split(sep).join('/')) : undefined;
      if (!parsed) continue;
      if (filter.accounts?.length && !filter.accounts.includes(parsed.accountId)) continue;
      if (filter.regions?.length && !filter.regions.includes(parsed.region)) continue;
      if (filter.since && parsed.hourStart + 3_600_000 <= filter.since.getTime()) continue;
      if (filter.until && parsed.hourStart >= filter.until.getTime()) continue;
      out.push({ ...parsed, path, size: (await stat(path)).size });
    }
  }
  await walk(root);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const JSON_TYPE = { int32: 'INTEGER', int64: 'BIGINT', string: 'VARCHAR' } as const;

/**
 * SQL for the streaming objects as `flows` rows: the transform's NDJSON keys are the hyphenated field names; fields
 * the format lacks read as NULL; account and region come from the key.
 */
export function streamSelect(files: readonly StreamFile[]): string {
  const groups = new Map<string, StreamFile[]>();
  for (const f of files) {
    const id = `${f.accountId}/${f.region}`;
    groups.set(id, [...(groups.get(id) ?? []), f]);
  }
  const columns = FLOW_COLUMNS.map((c) => `${sqlPath(c.name)}: '${JSON_TYPE[c.type]}'`).join(', ');
  const projection = FLOW_COLUMNS.map((c) => `"${c.name}" AS "${c.parquetName}"`).join(', ');
  return [...groups.values()]
    .map(
      (g) =>
        `SELECT ${projection}, ${sqlPath(g[0].accountId)} AS aws_account_id, ${sqlPath(g[0].region)} AS aws_region ` +
        `FROM read_json([${g.map((f) => sqlPath(f.path)).join(', ')}], format = 'newline_delimited', ` +
        `compression = 'gzip', columns = {${columns}})`,
    )
    .join('\nUNION ALL\n');
}
