import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { normalizePrefix, partitionPrefix, tryParseObjectKey } from '@flowlake/flowlogs';
import { keyMatches, type StoreFilter } from './store.js';

/** Options of {@link pullStore}. */
export interface PullOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Folder before `AWSLogs/`. */
  readonly prefix?: string;
  readonly since: Date;
  readonly until: Date;
  /** Accounts to pull; default: every account folder under `AWSLogs/`. */
  readonly accounts?: readonly string[];
  /** Regions to pull; default: all. */
  readonly regions?: readonly string[];
  /** Local store directory (keys are written below it unchanged). */
  readonly store: string;
  /** Parallel downloads. @default 8 */
  readonly concurrency?: number;
  /** Called after each file (downloaded or skipped). */
  readonly onProgress?: (p: PullProgress) => void;
  readonly signal?: AbortSignal;
}

/** Progress of a pull. */
export interface PullProgress {
  readonly total: number;
  readonly done: number;
  readonly downloaded: number;
  readonly skipped: number;
  readonly bytes: number;
}

/** An object to fetch. */
interface Remote {
  readonly key: string;
  readonly size: number;
}

async function listPrefix(o: PullOptions, prefix: string, delimiter?: string) {
  const keys: Remote[] = [];
  const prefixes: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client: o.client },
    { Bucket: o.bucket, Prefix: prefix, Delimiter: delimiter },
  )) {
    for (const c of page.Contents ?? []) if (c.Key) keys.push({ key: c.Key, size: c.Size ?? 0 });
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
  }
  return { keys, prefixes };
}

/** Account folders under AWSLogs/ (both layouts): `[acct, hive]` pairs. */
async function discoverAccounts(o: PullOptions, base: string): Promise<{ account: string; hive: boolean }[]> {
  const { prefixes } = await listPrefix(o, `${base}AWSLogs/`, '/');
  const out: { account: string; hive: boolean }[] = [];
  for (const p of prefixes) {
    const m = /AWSLogs\/(aws-account-id=)?(\d{12})\/$/.exec(p);
    if (m && (!o.accounts?.length || o.accounts.includes(m[2])))
      out.push({ account: m[2], hive: Boolean(m[1]) });
  }
  return out;
}

/** Region folders of an account. */
async function discoverRegions(o: PullOptions, accountPrefix: string, hive: boolean): Promise<string[]> {
  const service = hive ? 'aws-service=vpcflowlogs/' : 'vpcflowlogs/';
  const { prefixes } = await listPrefix(o, `${accountPrefix}${service}`, '/');
  return prefixes
    .map((p) =>
      p
        .slice(`${accountPrefix}${service}`.length)
        .replace(/\/$/, '')
        .replace(/^aws-region=/, ''),
    )
    .filter((r) => !o.regions?.length || o.regions.includes(r));
}

/** Lists the flow-log objects of the range: one listing per account, region and day (no full-bucket scan). */
export async function listRange(o: PullOptions): Promise<Remote[]> {
  const base = normalizePrefix(o.prefix);
  const withSlash = base === '' ? '' : `${base}/`;
  const filter: StoreFilter = { since: o.since, until: o.until, accounts: o.accounts, regions: o.regions };
  const out: Remote[] = [];
  for (const { account, hive } of await discoverAccounts(o, withSlash)) {
    const acctPrefix = `${withSlash}AWSLogs/${hive ? 'aws-account-id=' : ''}${account}/`;
    for (const region of await discoverRegions(o, acctPrefix, hive)) {
      for (
        let day = Math.floor(o.since.getTime() / 86_400_000);
        day * 86_400_000 < o.until.getTime();
        day++
      ) {
        const prefix = partitionPrefix({
          prefix: o.prefix,
          accountId: account,
          region,
          time: new Date(day * 86_400_000),
          layout: { hive, perHour: false },
        });
        for (const r of (await listPrefix(o, prefix)).keys) {
          const parsed = tryParseObjectKey(r.key);
          if (parsed && keyMatches(parsed, filter)) out.push(r);
        }
      }
    }
  }
  return out;
}

/**
 * Downloads the flow-log objects of a time range into a local store with the same keys. Resumable: a file that is
 * already present with the object's size is skipped; downloads go to a temporary name and are renamed when complete.
 */
export async function pullStore(o: PullOptions): Promise<PullProgress> {
  const remotes = await listRange(o);
  const progress = { total: remotes.length, done: 0, downloaded: 0, skipped: 0, bytes: 0 };
  let next = 0;
  const worker = async () => {
    while (next < remotes.length) {
      o.signal?.throwIfAborted();
      const r = remotes[next++];
      const target = join(o.store, ...r.key.split('/'));
      const existing = await stat(target).catch(() => undefined);
      if (existing?.size === r.size) {
        progress.skipped++;
      } else {
        await mkdir(dirname(target), { recursive: true });
        const tmp = `${target}.part`;
        try {
          const got = await o.client.send(new GetObjectCommand({ Bucket: o.bucket, Key: r.key }), {
            abortSignal: o.signal,
          });
          await pipeline(got.Body as Readable, createWriteStream(tmp));
          await rename(tmp, target);
        } catch (e) {
          await rm(tmp, { force: true });
          throw e;
        }
        progress.downloaded++;
        progress.bytes += r.size;
      }
      progress.done++;
      o.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 8) }, worker));
  return progress;
}
