import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlMessage, encodeCloudWatchPayload } from '@flowlake/flowlogs';
import { describe, expect, it, vi } from 'vitest';
import { transformBundleDir } from '../../src/streaming/transform-function.js';

describe('transform Lambda bundle', () => {
  it('is a self-contained CommonJS bundle whose handler answers a Firehose event', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('FLOWLAKE_OUTPUT', 'lines');
    const dir = transformBundleDir();
    expect(transformBundleDir()).toBe(dir); // built once per process
    // The AWS SDK v3 is external (the Lambda runtime has it): load a copy from where node_modules resolves it.
    const here = fileURLToPath(
      new URL('../../../../node_modules/.cache/flowlake-bundle-test/', import.meta.url),
    );
    mkdirSync(here, { recursive: true });
    copyFileSync(join(dir, 'index.js'), join(here, 'index.js'));
    const require = createRequire(import.meta.url);
    const mod = require(join(here, 'index.js')) as {
      handler: (
        e: unknown,
        c: unknown,
      ) => Promise<{ records: { recordId: string; result: string; data?: string }[] }>;
    };
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
    const res = await mod.handler(
      {
        records: [
          { recordId: 'c', data: encodeCloudWatchPayload(controlMessage()).toString('base64') },
          { recordId: 'd', data },
          { recordId: 'x', data: 'bm90IGd6aXA=' },
        ],
      },
      { functionName: 'f', awsRequestId: 'r' },
    );
    vi.unstubAllEnvs();
    expect(res.records.map((r) => r.result)).toEqual(['Dropped', 'Ok', 'ProcessingFailed']);
    expect(Buffer.from(res.records[1].data ?? '', 'base64').toString()).toBe(`${line}\n`);
  });
});
