/**
 * One synth measurement in a fresh process (so peak RSS and heap belong to this scenario alone), run by
 * bench/synth.ts: `tsx bench/_synth-worker.ts <accounts> <stacks|stacksets> <outdir>`. Prints one JSON line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { generateOrgConfig } from '../examples/generate-org.js';
import { synthAssembly } from '../packages/cli/src/app/index.js';
import { parseConfig } from '../packages/cli/src/config/index.js';

const [accountsArg, mode, outdir] = process.argv.slice(2);
const text = generateOrgConfig({ accounts: Number(accountsArg), rollout: mode as 'stacks' | 'stacksets' });
const started = performance.now();
const { config, issues } = parseConfig(text);
if (!config) throw new Error(`generated config invalid: ${JSON.stringify(issues)}`);
const validated = performance.now();
const { plan } = synthAssembly(config, outdir);
const done = performance.now();
const heap = getHeapStatistics();
let maxTemplateBytes = 0;
let maxResources = 0;
for (const f of readdirSync(outdir)) {
  if (!f.endsWith('.template.json')) continue;
  const path = join(outdir, f);
  maxTemplateBytes = Math.max(maxTemplateBytes, statSync(path).size);
  maxResources = Math.max(
    maxResources,
    Object.keys(JSON.parse(readFileSync(path, 'utf8')).Resources ?? {}).length,
  );
}
process.stdout.write(
  `${JSON.stringify({
    stacks: plan.stacks.length,
    validate_s: (validated - started) / 1000,
    synth_s: (done - started) / 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    heap_used_mb: heap.used_heap_size / 2 ** 20,
    heap_limit_mb: heap.heap_size_limit / 2 ** 20,
    max_template_bytes: maxTemplateBytes,
    max_resources: maxResources,
  })}\n`,
);
