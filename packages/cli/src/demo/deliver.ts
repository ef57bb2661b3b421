import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  type FirehoseTransformEvent,
  type FlowLogFormat,
  type FlowRecord,
  type Org,
  type PartitionKeys,
  toCloudWatchPayloads,
  toS3Objects,
  transformFirehoseEvent,
} from '@flowlake/flowlogs';
import { convertStore } from '../analysis/convert.js';

/** What one delivery step wrote. */
export interface Delivered {
  readonly accountId: string;
  readonly path: string;
  readonly records: number;
  readonly objects: number;
  readonly bytes: number;
}

async function put(root: string, key: string, body: Buffer): Promise<void> {
  const path = join(root, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

/**
 * Direct-to-S3 and replication delivery, as AWS writes the objects: gzip text files per flow log and 5 minutes
 * (the generator's AWS writer), converted to Parquet with DuckDB `COPY` when the config asks for Parquet. Replicated
 * objects keep their keys, so both paths land under the same layout in the central store.
 */
export async function deliverS3(opts: {
  readonly records: readonly FlowRecord[];
  readonly org: Org;
  readonly accountId: string;
  readonly path: string;
  readonly format: FlowLogFormat;
  readonly fileFormat: 'text' | 'parquet';
  readonly store: string;
  readonly staging: string;
}): Promise<Delivered> {
  const objects = toS3Objects(opts.records, {
    layout: { hive: true, perHour: true },
    fileFormat: 'text',
    format: opts.format,
    org: opts.org,
  });
  const textRoot = opts.fileFormat === 'text' ? opts.store : opts.staging;
  let bytes = 0;
  for (const o of objects) {
    await put(textRoot, o.key, o.body);
    bytes += o.body.length;
  }
  if (opts.fileFormat === 'text') {
    return {
      accountId: opts.accountId,
      path: opts.path,
      records: opts.records.length,
      objects: objects.length,
      bytes,
    };
  }
  await mkdir(opts.store, { recursive: true });
  const converted = await convertStore({
    store: opts.staging,
    out: opts.store,
    accounts: [opts.accountId],
    threads: 2,
    // as AWS delivers Parquet: Hive + hourly files
    perHour: true,
  });
  return {
    accountId: opts.accountId,
    path: opts.path,
    records: converted.records,
    objects: converted.outputFiles,
    bytes: converted.inputBytes,
  };
}

/** `AWSLogs/aws-account-id=A/vpcflowlogs-stream/aws-region=R/year=/month=/day=/hour=/`: the Firehose S3 prefix. */
export type StreamPrefix = (keys: PartitionKeys) => string;

/**
 * The streaming path: CloudWatch Logs subscription payloads (one per Kinesis/Firehose record) through the real
 * Firehose transform, then written the way Firehose dynamic partitioning writes: one gzip object per partition
 * key set and buffer, named `<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>.gz`.
 */
export async function deliverStreaming(opts: {
  readonly records: readonly FlowRecord[];
  readonly accountId: string;
  readonly regions: readonly string[];
  /** Region of a record's interface (NODATA and SKIPDATA records carry no region field). */
  readonly regionOf: (r: FlowRecord) => string;
  readonly format: FlowLogFormat;
  readonly store: string;
  readonly prefix: StreamPrefix;
  readonly deliveryStream: string;
}): Promise<Delivered & { failed: number }> {
  const buffers = new Map<string, { keys: PartitionKeys; parts: Buffer[] }>();
  let failed = 0;
  let records = 0;
  for (const region of opts.regions) {
    const inRegion = opts.records.filter((r) => opts.regionOf(r) === region);
    const payloads = toCloudWatchPayloads(inRegion, {
      format: opts.format,
      logGroup: `/flowlake/vpcflowlogs/${region}`,
    });
    const batchSize = 100;
    for (let i = 0; i < payloads.length; i += batchSize) {
      const event: FirehoseTransformEvent = {
        invocationId: randomUUID(),
        deliveryStreamArn: `arn:aws:firehose:${region}:999999999999:deliverystream/${opts.deliveryStream}`,
        region,
        records: payloads.slice(i, i + batchSize).map((p, j) => ({
          recordId: String(i + j),
          data: p.toString('base64'),
          approximateArrivalTimestamp: Date.now(),
        })),
      };
      const outcome = transformFirehoseEvent(event, {
        format: opts.format,
        output: 'json',
        defaultRegion: region,
      });
      failed += outcome.stats.failed + outcome.reingest.length;
      records += outcome.stats.logEvents;
      for (const r of outcome.response.records) {
        if (r.result !== 'Ok' || !r.data || !r.metadata) continue;
        const keys = r.metadata.partitionKeys;
        const id = opts.prefix(keys);
        let b = buffers.get(id);
        if (!b) {
          b = { keys, parts: [] };
          buffers.set(id, b);
        }
        b.parts.push(Buffer.from(r.data, 'base64'));
      }
    }
  }
  let bytes = 0;
  for (const [prefix, b] of buffers) {
    const k = b.keys;
    const body = gzipSync(Buffer.concat(b.parts));
    const name = `${opts.deliveryStream}-1-${k.year}-${k.month}-${k.day}-${k.hour}-00-00-${randomUUID()}.gz`;
    await put(opts.store, `${prefix}${name}`, body);
    bytes += body.length;
  }
  return {
    accountId: opts.accountId,
    path: 'cloudwatch-firehose',
    records,
    objects: buffers.size,
    bytes,
    failed,
  };
}
