// Test helper (run by startup.test.ts in a child process): imports the module named by argv[2] and prints, as JSON,
// which heavy packages (aws-cdk-lib, cdk-nag, the CDK toolkit, DuckDB, the AWS SDK) that import loaded.
import { createRequire } from 'node:module';
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
const cache = createRequire(import.meta.url)('node:module')._cache;
const heavy =
  /node_modules\/((?:aws-cdk-lib|cdk-nag|@aws-cdk\/toolkit-lib|@duckdb\/[^/]+|@aws-sdk\/[^/]+))\//;
const names = new Set();
for (const path of Object.keys(cache)) {
  const m = heavy.exec(path);
  if (m) names.add(m[1]);
}
process.stdout.write(JSON.stringify([...names].sort()));
