import { describe, expect, it } from 'vitest';
import { batchEntries, MAX_BYTES_PER_CALL, type ReingestEntry, reingestAll } from '../../src/index.js';

const entry = (i: number, bytes: number): ReingestEntry => ({ recordId: `r${i}`, data: Buffer.alloc(bytes) });

describe('batchEntries', () => {
  it('keeps every call within 500 entries and 4 MiB, in order, losing nothing', () => {
    const entries = [
      ...Array.from({ length: 1100 }, (_, i) => entry(i, 10)),
      ...Array.from({ length: 9 }, (_, i) => entry(2000 + i, 900 * 1024)),
    ];
    const batches = batchEntries(entries);
    expect(batches.flat()).toEqual(entries);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(500);
      expect(b.reduce((a, e) => a + e.data.length, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    }
    expect(batches.map((b) => b.length)).toEqual([500, 500, 104, 4, 1]);
  });
});

describe('reingestAll', () => {
  it('reports a record failed when any of its payloads fails, and counts calls', async () => {
    const entries = [entry(1, 1), { ...entry(1, 2) }, entry(2, 1)];
    const report = await reingestAll(
      entries,
      async (batch) => ({ failedIndexes: batch.length === 3 ? [1] : [0] }),
      {
        maxAttempts: 3,
        sleep: async () => {},
      },
    );
    expect(report.calls).toBe(3);
    expect(report.accepted).toBe(2);
    expect([...report.failedRecordIds]).toEqual(['r1']);
  });
});
