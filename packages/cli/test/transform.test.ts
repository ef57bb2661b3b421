import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { controlMessage, encodeCloudWatchPayload } from '@flowlake/flowlogs';
import { describe, expect, it } from 'vitest';
import { exec, memoryIo } from '../src/index.js';

const line =
  '2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1764496800 1764496860 ACCEPT OK';
const data = encodeCloudWatchPayload({
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: '/flowlake/vpcflowlogs/eu-west-1',
  logStream: 'eni-0a1b2c3d-all',
  subscriptionFilters: ['flowlake'],
  logEvents: [{ id: '1', timestamp: 1_764_496_800_000, message: line }],
}).toString('base64');
const event = {
  invocationId: 'inv',
  deliveryStreamArn: 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/flowlake',
  region: 'eu-west-1',
  records: [
    { recordId: 'a', data: encodeCloudWatchPayload(controlMessage()).toString('base64') },
    { recordId: 'b', data },
    { recordId: 'c', data: gzipSync('not json').toString('base64') },
  ],
};

describe('flowlake transform', () => {
  it('prints the Firehose response for an event file and reports problems on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-transform-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
    const io = memoryIo(undefined, dir);
    expect(await exec(['transform', 'event.json'], io)).toBe(0);
    const res = JSON.parse(io.stdout());
    expect(res.records.map((r: { result: string }) => r.result)).toEqual([
      'Dropped',
      'Ok',
      'ProcessingFailed',
    ]);
    expect(JSON.parse(Buffer.from(res.records[1].data, 'base64').toString())).toMatchObject({
      'account-id': '123456789012',
      bytes: 840,
    });
    expect(res.records[1].metadata.partitionKeys).toEqual({
      dataset: 'vpcflowlogs-stream',
      account: '123456789012',
      region: 'eu-west-1',
      year: '2025',
      month: '11',
      day: '30',
      hour: '10',
    });
    expect(io.stderr()).toMatch(/3 records: 1 Ok, 1 Dropped \(1 control messages\), 1 ProcessingFailed/);
    expect(io.stderr()).toMatch(/c: payload is not valid JSON/);
  });

  it('reads stdin and writes lines with --output lines', async () => {
    const io = memoryIo(Readable.from([JSON.stringify(event)]));
    expect(await exec(['transform', '--output', 'lines'], io)).toBe(0);
    const res = JSON.parse(io.stdout());
    expect(Buffer.from(res.records[1].data, 'base64').toString()).toBe(`${line}\n`);
  });

  it('fails clearly on a bad format, a non-event and a missing file', async () => {
    let io = memoryIo(Readable.from([JSON.stringify(event)]));
    expect(await exec(['transform', '--format', 'version nope'], io)).toBe(2);
    expect(io.stderr()).toMatch(/unknown flow log field 'nope'/);
    io = memoryIo(Readable.from(['{"foo":1}']));
    expect(await exec(['transform'], io)).toBe(2);
    expect(io.stderr()).toMatch(/no "records" array/);
    io = memoryIo();
    expect(await exec(['transform', '/nonexistent/event.json'], io)).toBe(2);
    expect(io.stderr()).toMatch(/cannot read \/nonexistent\/event.json/);
  });

  it('prints the OpenSearch documents with --documents', async () => {
    const io = memoryIo(Readable.from([JSON.stringify(event)]));
    expect(await exec(['transform', '--documents', '--output', 'lines'], io)).toBe(0);
    const docs = io
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(docs).toEqual([
      expect.objectContaining({
        flowlake_dataset: 'vpcflowlogs-stream',
        '@timestamp': '2025-11-30T10:00:00Z',
        srcaddr: '10.0.0.1',
        dstport: 49152,
        action: 'ACCEPT',
      }),
    ]);
    expect(io.stderr()).toMatch(/1 OpenSearch documents, 0 skipped/);
  });

  it('has --help with examples', async () => {
    const io = memoryIo();
    expect(await exec(['transform', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/Examples:\n {2}flowlake transform event.json/);
  });
});
