import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOrgConfig, ORG_1000_PATH } from '../../../../examples/generate-org.js';
import { parseConfig } from '../../src/config/index.js';

describe('examples', () => {
  it('examples/flowlake.yaml is valid: 3 accounts, documented, no warnings', () => {
    const r = parseConfig(readFileSync('examples/flowlake.yaml', 'utf8'));
    expect(r.issues).toEqual([]);
    expect(r.config!.members.flatMap((m) => m.accounts)).toHaveLength(3);
  });

  it('examples/streaming-opensearch.yaml is valid and turns on the OpenSearch copy', () => {
    const r = parseConfig(readFileSync('examples/streaming-opensearch.yaml', 'utf8'));
    expect(r.issues).toEqual([]);
    expect(r.config!.streaming.opensearch).toMatchObject({
      enabled: true,
      instanceCount: 2,
      indexName: 'flowlogs',
    });
  });

  it('examples/org-1000.yaml is exactly what examples/generate-org.ts generates', () => {
    expect(readFileSync(ORG_1000_PATH, 'utf8')).toBe(generateOrgConfig());
  });

  it('the generated 1,000-account configs are valid in both rollout modes', () => {
    const stacks = parseConfig(generateOrgConfig());
    expect(stacks.issues).toEqual([]);
    expect(new Set(stacks.config!.members.flatMap((m) => m.accounts)).size).toBe(1000);
    const sets = parseConfig(generateOrgConfig({ rollout: 'stacksets' }));
    expect(sets.issues).toEqual([]);
    expect(sets.config!.rollout.mode).toBe('stacksets');
    expect(sets.config!.members.flatMap((m) => m.ous)).toHaveLength(10);
  });
});
