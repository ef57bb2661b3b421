import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { type FileFormat, type ParsedObjectKey, tryParseObjectKey } from '@flowlake/flowlogs';

/** A flow-log file in a local store laid out like the central bucket. */
export interface StoreFile {
  /** Absolute path. */
  readonly path: string;
  /** Key relative to the store root (`/`-separated), as in the bucket. */
  readonly key: string;
  readonly parsed: ParsedObjectKey;
  readonly size: number;
}

/** Which files to read: partition pruning by time range, account and region. */
export interface StoreFilter {
  /** Start of the range (inclusive). */
  readonly since?: Date;
  /** End of the range (exclusive). */
  readonly until?: Date;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  /** Only this file format. */
  readonly fileFormat?: FileFormat;
}

/** Start and end (ms) of the partition a key sits in: its hour, or its day in daily layouts. */
export function partitionSpan(p: ParsedObjectKey): [number, number] {
  const start = Date.UTC(p.year, p.month - 1, p.day, p.hour ?? 0);
  return [start, start + (p.hour === undefined ? 86_400_000 : 3_600_000)];
}

/** True when a parsed key's partition overlaps the filter (so its records may fall in the range). */
export function keyMatches(p: ParsedObjectKey, f: StoreFilter): boolean {
  if (f.fileFormat && p.fileFormat !== f.fileFormat) return false;
  if (f.accounts?.length && !f.accounts.includes(p.accountId)) return false;
  if (f.regions?.length && !f.regions.includes(p.region)) return false;
  const [s, e] = partitionSpan(p);
  if (f.since && e <= f.since.getTime()) return false;
  if (f.until && s >= f.until.getTime()) return false;
  return true;
}

/**
 * Calls `onFile(path, key)` for every file below `root` (`key` is its `/`-separated path relative to `root`, as in
 * the bucket), not descending into directories `skipDir` rules out. A missing root throws; directories that vanish
 * during the walk are skipped.
 */
export async function walkStore(
  root: string,
  skipDir: (name: string) => boolean,
  onFile: (path: string, key: string) => Promise<void> | void,
): Promise<void> {
  async function walk(dir: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && dir !== root) return;
      throw e;
    }
    await Promise.all(
      entries.map(async (ent) => {
        const path = join(dir, ent.name);
        if (ent.isDirectory()) {
          if (!skipDir(ent.name)) await walk(path);
          return;
        }
        if (ent.isFile()) await onFile(path, relative(root, path).split(sep).join('/'));
      }),
    );
  }
  await walk(root);
}

/**
 * Lists the flow-log files under `root` that match the filter. Directories whose partition values rule them out
 * (account, region) are not descended into; files whose name is not a flow-log key are ignored.
 */
export async function scanStore(root: string, filter: StoreFilter = {}): Promise<StoreFile[]> {
  const out: StoreFile[] = [];
  const skipDir = (name: string): boolean => {
    const acct = /^(?:aws-account-id=)?(\d{12})$/.exec(name);
    if (acct && filter.accounts?.length && !filter.accounts.includes(acct[1])) return true;
    const region = /^aws-region=(.+)$/.exec(name);
    return Boolean(region && filter.regions?.length && !filter.regions.includes(region[1]));
  };
  await walkStore(root, skipDir, async (path, key) => {
    const parsed = tryParseObjectKey(key);
    if (!parsed || !keyMatches(parsed, filter)) return;
    out.push({ path, key, parsed, size: (await stat(path)).size });
  });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Reads the first line (the field-name header) of a gzip text flow-log file without reading the rest. */
export function readTextHeader(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = createReadStream(path, { highWaterMark: 16 * 1024 });
    const gunzip = createGunzip();
    let text = '';
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      input.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolve(text.split('\n', 1)[0].trim());
    };
    gunzip.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n') || text.length > 64 * 1024) finish();
    });
    gunzip.on('end', () => finish());
    gunzip.on('error', (e) => finish(new Error(`cannot read '${path}' as gzip text: ${e.message}`)));
    input.on('error', (e) => finish(e));
    input.pipe(gunzip);
  });
}
