/** Test fixtures: flow records, CloudWatch Logs payloads and Firehose records built from them. */
import { gzipSync } from 'node:zlib';
import {
  type CloudWatchLogsMessage,
  controlMessage,
  encodeCloudWatchPayload,
  type FirehoseInputRecord,
  type FlowLogFormat,
  type FlowRecord,
  formatRecord,
} from '../../src/index.js';

/** A deterministic pseudo-random source. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A record under the format with plausible values, nulls and oddities (`-`, leading-zero account IDs). */
export function makeRecord(format: FlowLogFormat, r: () => number): FlowRecord {
  const rec: FlowRecord = {};
  const nodata = r() < 0.05;
  for (const f of format.fields) {
    if (nodata && !['version', 'account-id', 'interface-id', 'start', 'end', 'log-status'].includes(f.name)) {
      rec[f.name] = null;
    } else if (f.name === 'log-status') rec[f.name] = nodata ? 'NODATA' : 'OK';
    else if (f.name === 'account-id') rec[f.name] = `0${String(Math.floor(r() * 1e11)).padStart(11, '0')}`;
    else if (f.name === 'region') rec[f.name] = 'eu-central-1';
    else if (f.type === 'string')
      rec[f.name] = r() < 0.1 ? null : `${f.name.slice(0, 3)}-${Math.floor(r() * 1e8).toString(16)}`;
    else rec[f.name] = r() < 0.05 ? null : Math.floor(r() * (f.type === 'int64' ? 2 ** 40 : 65536));
  }
  return rec;
}

export const OWNER = '111122223333';
export const T0 = Date.UTC(2026, 10, 30, 9, 59, 30);

/** A DATA_MESSAGE with `n` records under the format. */
export function dataMessage(
  format: FlowLogFormat,
  n: number,
  r: () => number,
  extra: Partial<CloudWatchLogsMessage> = {},
): { msg: CloudWatchLogsMessage; records: FlowRecord[] } {
  const records = Array.from({ length: n }, () => makeRecord(format, r));
  const msg: CloudWatchLogsMessage = {
    messageType: 'DATA_MESSAGE',
    owner: OWNER,
    logGroup: '/flowlake/vpcflowlogs/eu-west-1',
    logStream: 'eni-0123456789abcdef0-all',
    subscriptionFilters: ['flowlake'],
    logEvents: records.map((rec, i) => ({
      id: String(i),
      timestamp: T0 + i * 1000,
      message: formatRecord(rec, format),
    })),
    ...extra,
  };
  return { msg, records };
}

export function fhRecord(
  recordId: string,
  data: Buffer | string,
  partitionKey?: string,
): FirehoseInputRecord {
  return {
    recordId,
    data: typeof data === 'string' ? data : data.toString('base64'),
    approximateArrivalTimestamp: T0,
    ...(partitionKey ? { kinesisRecordMetadata: { partitionKey, shardId: 'shardId-000000000000' } } : {}),
  };
}

export const encode = encodeCloudWatchPayload;
export const control = (): Buffer => encodeCloudWatchPayload(controlMessage(T0));
/** Valid gzip header, then garbage / truncated deflate data. */
export const corruptGzip = (): Buffer => {
  const good = gzipSync(Buffer.from('{"messageType":"DATA_MESSAGE"}'));
  return Buffer.concat([good.subarray(0, 12), Buffer.from('not deflate data at all')]);
};
export const nonJson = (): Buffer => gzipSync(Buffer.from('this is not json {'));
export const wrongShape = (): Buffer => gzipSync(Buffer.from('{"messageType":"DATA_MESSAGE","owner":1}'));

export const DELIVERY_ARN = 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/flowlake-flowlogs';
export const KINESIS_ARN = 'arn:aws:kinesis:eu-west-1:999999999999:stream/flowlake-flowlogs';

export function decodeData(data: string | undefined): string {
  return Buffer.from(data ?? '', 'base64').toString('utf8');
}

/** An EventBridge `GuardDuty Finding` event (the shape GuardDuty sends; detail trimmed to common fields). */
export function guardDutyEvent(
  i: number,
  overrides: Record<string, unknown> = {},
  detail: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: `c8c4daa7-a20c-2f03-0070-b7393dd542a${i % 10}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: '444455556666',
    time: '2026-11-30T10:15:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: '444455556666',
      region: 'eu-west-1',
      partition: 'aws',
      id: `16afba5c5c43e07c9e3e5e2e54${i}`,
      arn: `arn:aws:guardduty:eu-west-1:444455556666:detector/12abc34d567e8fa901bc2d34e56789f0/finding/16afba5c5c43e07c9e3e5e2e54${i}`,
      type: 'Recon:EC2/PortProbeUnprotectedPort',
      resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0123456789abcdef0' } },
      service: { serviceName: 'guardduty', count: 1 + i, eventFirstSeen: '2026-11-30T08:00:00.000Z' },
      severity: 2,
      createdAt: '2026-11-30T08:00:00.000Z',
      updatedAt: '2026-11-30T09:45:12.345Z',
      title: `Unprotected port on EC2 instance i-0123456789abcdef0 is being probed "${i}"`,
      description: 'EC2 instance has an unprotected port which is being probed by a known malicious host.',
      ...detail,
    },
    ...overrides,
  };
}

/** Base64 of an object as plain JSON (how EventBridge puts events into Firehose). */
export function plainJson(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64');
}
