import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { partitionPrefix } from '@flowlake/flowlogs';

/** Newest object found under an account's partitions. */
export interface Newest {
  readonly key: string;
  readonly lastModified: Date;
}

/**
 * The day-partition prefixes of today and yesterday (UTC) for one account and region, newest first: only these are
 * listed, so freshness costs a few LIST calls however old the bucket is.
 */
export function recentDayPrefixes(
  prefix: string,
  accountId: string,
  region: string,
  hive: boolean,
  now: Date,
): string[] {
  const layout = { hive, perHour: false };
  const yesterday = new Date(now.getTime() - 86_400_000);
  return [now, yesterday].map((time) => partitionPrefix({ prefix, accountId, region, time, layout }));
}

/** Lists the prefixes in order (all pages) and returns the newest object of the first prefix that has any. */
export async function newestObject(
  s3: S3Client,
  bucket: string,
  prefixes: readonly string[],
): Promise<Newest | undefined> {
  for (const p of prefixes) {
    let newest: Newest | undefined;
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: p })) {
      for (const o of page.Contents ?? []) {
        if (o.Key && o.LastModified && (!newest || o.LastModified > newest.lastModified)) {
          newest = { key: o.Key, lastModified: o.LastModified };
        }
      }
    }
    if (newest) return newest;
  }
  return undefined;
}
