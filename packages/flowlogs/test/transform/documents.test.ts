import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATASET_FIELD,
  documentBatches,
  type FirehoseOutputRecord,
  FLOWLOG_DATASET,
  FlowLogFormat,
  GUARDDUTY_DATASET,
  MAX_BYTES_PER_CALL,
  MAX_DOCUMENT_BYTES,
  partitionKeys,
  type SearchDocument,
  searchDocuments,
  TIMESTAMP_FIELD,
  transformFirehoseEvent,
} from '../../src/index.js';
import {
  control,
  corruptGzip,
  DELIVERY_ARN,
  dataMessage,
  encode,
  fhRecord,
  guardDutyEvent,
  nonJson,
  plainJson,
  rng,
} from './fixtures.js';

const FORMAT = FlowLogFormat.DEFAULT;
const formatOf = (names: string[]) => FlowLogFormat.parse(names.map((n) => `\${${n}}`).join(' '));

function parsed(docs: readonly SearchDocument[]): Record<string, unknown>[] {
  return docs.map((d) => JSON.parse(d.data.toString('utf8')) as Record<string, unknown>);
}

describe('searchDocuments', () => {
  const r = rng(7);
  const a = dataMessage(FORMAT, 5, r);
  const b = dataMessage(FORMAT, 3, r);
  const event = {
    deliveryStreamArn: DELIVERY_ARN,
    records: [
      fhRecord('ctl', control()),
      fhRecord('a', encode(a.msg)),
      fhRecord('bad', corruptGzip()),
      fhRecord('b', encode(b.msg)),
      fhRecord('gd', plainJson(guardDutyEvent(1))),
      fhRecord('nj', nonJson()),
    ],
  };

  it('yields one document per flow record of each Ok record and one per finding, in order', () => {
    const outcome = transformFirehoseEvent(event, { format: FORMAT });
    const { documents, skipped } = searchDocuments(outcome.response.records, { format: FORMAT });
    expect(skipped).toEqual([]);
    expect(documents.map((d) => d.recordId)).toEqual([...Array(5).fill('a'), ...Array(3).fill('b'), 'gd']);
    const docs = parsed(documents);
    const flows = [...a.records, ...b.records];
    for (let i = 0; i < flows.length; i++) {
      const { [DATASET_FIELD]: ds, [TIMESTAMP_FIELD]: ts, ...rest } = docs[i];
      expect(ds).toBe(FLOWLOG_DATASET);
      expect(rest).toEqual(flows[i]);
      const start = flows[i].start;
      // Records past year 9999 (the fixtures draw random int64 values) have no ISO form: the partition hour.
      expect(ts).toBe(
        typeof start === 'number' && start <= 253_402_300_799
          ? new Date(start * 1000).toISOString().replace('.000Z', 'Z')
          : '2026-11-30T09:00:00Z',
      );
    }
    const finding = docs[8];
    expect(finding[DATASET_FIELD]).toBe(GUARDDUTY_DATASET);
    expect(finding[TIMESTAMP_FIELD]).toBe('2026-11-30T09:00:00Z');
    expect(finding.type).toBe('Recon:EC2/PortProbeUnprotectedPort');
    expect(finding.title).toMatch(/is being probed "1"$/);
  });

  it('encodes JSON documents in lines mode too (same documents as JSON mode)', () => {
    const json = searchDocuments(transformFirehoseEvent(event, { format: FORMAT }).response.records, {
      format: FORMAT,
    });
    const lines = searchDocuments(
      transformFirehoseEvent(event, { format: FORMAT, output: 'lines' }).response.records,
      { format: FORMAT, output: 'lines' },
    );
    expect(parsed(lines.documents)).toEqual(parsed(json.documents));
  });

  it('skips lines-mode lines that do not fit the format, naming them, and keeps the rest', () => {
    const keys = partitionKeys('111122223333', 'eu-west-1', Date.UTC(2026, 10, 30, 10));
    const good = '2 111122223333 eni-1 10.0.0.1 10.0.0.2 443 40000 6 1 40 1764496800 1764496860 ACCEPT OK';
    const records: FirehoseOutputRecord[] = [
      {
        recordId: 'x',
        result: 'Ok',
        data: Buffer.from(`${good}\n2 too few fields\n${good}\n`).toString('base64'),
        metadata: { partitionKeys: keys },
      },
    ];
    const { documents, skipped } = searchDocuments(records, { output: 'lines' });
    expect(documents).toHaveLength(2);
    expect(skipped).toEqual([
      { recordId: 'x', reason: expect.stringMatching(/^line 2: expected 14 fields/) },
    ]);
    expect(parsed(documents)[0][TIMESTAMP_FIELD]).toBe('2025-11-30T10:00:00Z');
  });

  it('falls back to the partition hour without a start field, and keeps an empty object valid', () => {
    const keys = partitionKeys('111122223333', 'eu-west-1', Date.UTC(2026, 0, 2, 3, 45));
    const data = Buffer.from('{"srcaddr":"10.0.0.1","nested-start":1}\n{}\n{"start":null}\n').toString(
      'base64',
    );
    const { documents } = searchDocuments([
      { recordId: 'x', result: 'Ok', data, metadata: { partitionKeys: keys } },
    ]);
    expect(parsed(documents).map((d) => d[TIMESTAMP_FIELD])).toEqual([
      '2026-01-02T03:00:00Z',
      '2026-01-02T03:00:00Z',
      '2026-01-02T03:00:00Z',
    ]);
    expect(parsed(documents)[1]).toEqual({
      [DATASET_FIELD]: FLOWLOG_DATASET,
      [TIMESTAMP_FIELD]: '2026-01-02T03:00:00Z',
    });
  });

  it('ignores Dropped and ProcessingFailed records and skips documents above the record limit', () => {
    const keys = partitionKeys('111122223333', 'eu-west-1', 0, GUARDDUTY_DATASET);
    const big = JSON.stringify({ schemaVersion: '2.0', description: 'x'.repeat(MAX_DOCUMENT_BYTES) });
    const { documents, skipped } = searchDocuments([
      { recordId: 'd', result: 'Dropped' },
      { recordId: 'f', result: 'ProcessingFailed' },
      {
        recordId: 'big',
        result: 'Ok',
        data: Buffer.from(`${big}\n`).toString('base64'),
        metadata: { partitionKeys: keys },
      },
    ]);
    expect(documents).toEqual([]);
    expect(skipped).toEqual([
      { recordId: 'big', reason: expect.stringMatching(/exceeds Firehose's record limit/) },
    ]);
  });

  it('JSON mode: skips oversized documents and lines that are not objects, keeps the rest byte-exact', () => {
    const keys = partitionKeys('111122223333', 'eu-west-1', Date.UTC(2026, 10, 30, 10));
    const data = Buffer.from(
      `{"srcaddr":"${'x'.repeat(300)}"}\nnot json\n{ }\n{"dstport":443,"start":1764496800,"end":1764496860}`,
    ).toString('base64');
    const { documents, skipped } = searchDocuments(
      [{ recordId: 'x', result: 'Ok', data, metadata: { partitionKeys: keys } }],
      { maxDocumentBytes: 200 },
    );
    expect(skipped.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^document of \d+ bytes exceeds Firehose's record limit of 200 bytes$/),
      'line is not a JSON object',
    ]);
    expect(documents.map((d) => d.data.toString())).toEqual([
      `{"${DATASET_FIELD}":"${FLOWLOG_DATASET}","${TIMESTAMP_FIELD}":"2026-11-30T10:00:00Z"}`,
      `{"${DATASET_FIELD}":"${FLOWLOG_DATASET}","${TIMESTAMP_FIELD}":"2025-11-30T10:00:00Z","dstport":443,"start":1764496800,"end":1764496860}`,
    ]);
  });
});

describe('documentBatches', () => {
  const doc = (i: number, bytes: number): SearchDocument => ({
    recordId: `r${i}`,
    data: Buffer.alloc(bytes, 97),
  });

  it('caps calls at 500 records', () => {
    const batches = documentBatches(Array.from({ length: 1201 }, (_, i) => doc(i, 100)));
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
  });

  it('caps calls at 4 MiB of data', () => {
    const docs = Array.from({ length: 40 }, (_, i) => doc(i, 300 * 1024));
    const batches = documentBatches(docs);
    for (const b of batches)
      expect(b.reduce((n, d) => n + d.data.length, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(batches.flat()).toEqual(docs);
    expect(batches.map((b) => b.length)).toEqual([13, 13, 13, 1]);
  });
});

describe('searchDocuments property', () => {
  const formats = [
    FORMAT,
    formatOf(['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'action', 'log-status']),
    formatOf(['start', 'end', 'region', 'vpc-id', 'pkt-srcaddr', 'flow-direction', 'tcp-flags', 'bytes']),
  ];
  it('every flow record of every Ok record yields exactly one document equal to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: formats.length - 1 }),
        fc.constantFrom<'json' | 'lines'>('json', 'lines'),
        fc.array(
          fc.tuple(fc.constantFrom('data', 'control', 'corrupt', 'finding'), fc.integer({ min: 0, max: 12 })),
          {
            maxLength: 12,
          },
        ),
        fc.integer(),
        (fi, output, kinds, seed) => {
          const format = formats[fi];
          const r = rng(seed);
          const expected = new Map<string, Record<string, unknown>[]>();
          const records = kinds.map(([kind, n], i) => {
            const id = `r${i}`;
            if (kind === 'control') return fhRecord(id, control());
            if (kind === 'corrupt') return fhRecord(id, corruptGzip());
            if (kind === 'finding') return fhRecord(id, plainJson(guardDutyEvent(i)));
            const m = dataMessage(format, n, r);
            expected.set(id, m.records);
            return fhRecord(id, encode(m.msg));
          });
          const outcome = transformFirehoseEvent(
            { deliveryStreamArn: DELIVERY_ARN, records },
            { format, output },
          );
          const { documents, skipped } = searchDocuments(outcome.response.records, { format, output });
          expect(skipped).toEqual([]);
          const docs = parsed(documents);
          let k = 0;
          for (const out of outcome.response.records) {
            if (out.result !== 'Ok') continue;
            const flows = expected.get(out.recordId);
            const want: Record<string, unknown>[] = flows ?? [
              guardDutyEvent(Number(out.recordId.slice(1))).detail as Record<string, unknown>,
            ];
            for (const w of want) {
              expect(documents[k].recordId).toBe(out.recordId);
              const { [DATASET_FIELD]: ds, [TIMESTAMP_FIELD]: ts, ...rest } = docs[k];
              expect(ds).toBe(flows ? FLOWLOG_DATASET : GUARDDUTY_DATASET);
              expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
              expect(rest).toEqual(w);
              k++;
            }
          }
          expect(k).toBe(documents.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
