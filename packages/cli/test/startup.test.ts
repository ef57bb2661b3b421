import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const probe = join(here, 'loaded-packages.mjs');

function loadedBy(module: string): string[] {
  return JSON.parse(
    execFileSync(process.execPath, [probe, join(here, '..', 'src', module)], { encoding: 'utf8' }),
  );
}

describe('startup', () => {
  it('loads no CDK, DuckDB or AWS SDK package for the command table: each command loads its own when it runs', () => {
    expect(loadedBy('main.ts')).toEqual([]);
  });

  it('the probe sees them when a module does load them', () => {
    expect(loadedBy('analysis/local-engine.ts')).toContain('@duckdb/node-api');
    expect(loadedBy('app/build.ts')).toContain('aws-cdk-lib');
  });
});
