import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ALL_VPC_FIELDS_V2_V8,
  decodeCloudWatchPayload,
  FlowLogFormat,
  fileWindowStart,
  generateFlowLogs,
  generateOrganization,
  generateRecords,
  KEY_LAYOUTS,
  parseObjectKey,
  planS3Objects,
  projectRecord,
  toCloudWatchPayloads,
  toLines,
  toS3Objects,
  writeFlowLogFile,
} from '../src/index.js';

const START = new Date('2026-03-01T10:03:00Z');
const org = generateOrganization({ seed: 11, accounts: 2, regions: ['us-east-1', 'eu-central-1'] });
const { records } = generateRecords({ org, start: START, hours: 0.25, seed: 11 });
// AWS's example format for service name, traffic path and flow direction (the header line of its example).
const V5 = FlowLogFormat.fromHeader(
  'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status',
);

describe('toLines', () => {
  it('writes the default format with the version of the format and - for nulls', () => {
    const out = toLines(records.slice(0, 50), FlowLogFormat.DEFAULT, { header: true });
    expect(out[0]).toBe(
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    );
    for (const line of out.slice(1)) {
      expect(line).toMatch(/^2 \d{12} eni-[0-9a-f]{17} /);
      expect(line.split(' ')).toHaveLength(14);
    }
    const nodata = records.find((r) => r['log-status'] === 'NODATA')!;
    expect(toLines([nodata], FlowLogFormat.DEFAULT)[0]).toMatch(
      /^2 \d{12} eni-\w+ - - - - - - - \d+ \d+ - NODATA$/,
    );
    expect(toLines([records[0]], V5)[0].startsWith('5 ')).toBe(true);
  });

  it('projectRecord keeps only the format fields', () => {
    const p = projectRecord(records[0], FlowLogFormat.DEFAULT);
    expect(Object.keys(p)).toEqual(FlowLogFormat.DEFAULT.names);
    expect(p.version).toBe(2);
  });
});

describe('toS3Objects', () => {
  it.each(KEY_LAYOUTS.map((l) => [l] as const))('groups per flow log and 5-minute window (%o)', (layout) => {
    const objects = toS3Objects(records, { layout, fileFormat: 'text', format: V5, prefix: 'central', org });
    let total = 0;
    const keys = new Set<string>();
    for (const o of objects) {
      const k = parseObjectKey(o.key);
      keys.add(o.key);
      expect(k.prefix).toBe('central');
      expect(k.layout).toEqual(layout);
      expect(k.fileFormat).toBe('text');
      expect([k.accountId, k.region, k.flowLogId]).toEqual([o.accountId, o.region, o.flowLogId]);
      const text = gunzipSync(o.body).toString('utf8');
      const lines = text.split('\n');
      expect(lines.at(-1)).toBe('');
      expect(lines[0]).toBe(V5.header());
      expect(lines.length - 2).toBe(o.records);
      total += o.records;
      const endIdx = V5.indexOf('end');
      for (const line of lines.slice(1, -1)) {
        const end = Number(line.split(' ')[endIdx]);
        expect(fileWindowStart(new Date(end * 1000)).getTime()).toBe(k.time.getTime());
      }
    }
    expect(keys.size).toBe(objects.length);
    expect(total).toBe(records.length);
    // 15 minutes from 10:03 -> windows 10:00, 10:05, 10:10, 10:15 for each of the 4 VPCs
    expect(new Set(objects.map((o) => o.time.toISOString())).size).toBe(4);
    expect(new Set(objects.map((o) => o.flowLogId))).toEqual(new Set(org.vpcs.map((v) => v.flowLogId)));
  });

  it('splits large windows and works without the org', () => {
    const split = toS3Objects(records, {
      layout: KEY_LAYOUTS[0],
      fileFormat: 'text',
      format: FlowLogFormat.DEFAULT,
      maxRecordsPerObject: 100,
    });
    expect(split.every((o) => o.records <= 100)).toBe(true);
    expect(split.reduce((s, o) => s + o.records, 0)).toBe(records.length);
  });

  it('refuses Parquet bodies with a clear message, and plans Parquet keys', () => {
    expect(() => toS3Objects(records, { layout: KEY_LAYOUTS[0], fileFormat: 'parquet', format: V5 })).toThrow(
      /use 'text', or planS3Objects\(\)/,
    );
    const planned = planS3Objects(records, { layout: KEY_LAYOUTS[3], fileFormat: 'parquet', org });
    const text = toS3Objects(records, { layout: KEY_LAYOUTS[3], fileFormat: 'text', format: V5, org });
    expect(planned.map((p) => p.key.replace('.log.parquet', '.log.gz'))).toEqual(text.map((t) => t.key));
    expect(planned.every((p) => parseObjectKey(p.key).fileFormat === 'parquet')).toBe(true);
    expect(planned.reduce((n, p) => n + p.records.length, 0)).toBe(records.length);
  });
});

describe('toCloudWatchPayloads', () => {
  it('one log stream per interface, events in time order, every record once', () => {
    const payloads = toCloudWatchPayloads(records, {
      format: V5,
      logGroup: '/flowlake/vpc',
      maxEventsPerMessage: 50,
    });
    let events = 0;
    for (const p of payloads) {
      const m = decodeCloudWatchPayload(p.toString('base64'));
      expect(m.messageType).toBe('DATA_MESSAGE');
      expect(m.logGroup).toBe('/flowlake/vpc');
      expect(m.logStream).toMatch(/^eni-[0-9a-f]{17}$/);
      expect(org.eniById.get(m.logStream)!.accountId).toBe(m.owner);
      expect(m.logEvents.length).toBeLessThanOrEqual(50);
      for (let i = 0; i < m.logEvents.length; i++) {
        const e = m.logEvents[i];
        expect(e.id).toMatch(/^\d{56}$/);
        if (i > 0) expect(e.timestamp).toBeGreaterThanOrEqual(m.logEvents[i - 1].timestamp);
        expect(e.message.split(' ')[V5.indexOf('interface-id')]).toBe(m.logStream);
      }
      events += m.logEvents.length;
    }
    expect(events).toBe(records.length);
  });
});

describe('writeFlowLogFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlake-gen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a gzip file with a header', async () => {
    const path = join(dir, 'x.log.gz');
    const format = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);
    const written = await writeFlowLogFile(path, records, { format });
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    expect(written.records).toBe(records.length);
    expect(written.textBytes).toBe(Buffer.byteLength(text));
    expect(text.split('\n')[0]).toBe(format.header());
    expect(text.split('\n')).toHaveLength(records.length + 2);
    expect(written.fileBytes).toBe(readFileSync(path).length);
  });

  it('stops near maxFileBytes with whole lines', async () => {
    const path = join(dir, 'sized.log.gz');
    const long = generateFlowLogs({ org, start: START, hours: 24, seed: 1, recordsPerEniPerInterval: 20 });
    const written = await writeFlowLogFile(path, long.records, {
      format: FlowLogFormat.DEFAULT,
      maxFileBytes: 300_000,
    });
    const size = readFileSync(path).length;
    expect(written.fileBytes).toBe(size);
    expect(size).toBeGreaterThanOrEqual(300_000);
    expect(size).toBeLessThan(400_000);
    const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(written.records);
    expect(lines.slice(1, -1).every((l) => l.split(' ').length === 14)).toBe(true);
  });
});
