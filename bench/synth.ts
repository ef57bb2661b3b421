/**
 * `npm run bench -- synth`: synth wall time and peak memory of generated organizations, each scenario in a fresh
 * Node process with the default heap: 10, 100 and 1,000 listed accounts x 4 regions as per-account stacks (the worst
 * case: one stack per account and region), and a 1,000-account organization rolled out through StackSets (10 OUs).
 * Writes bench/results/synth.json. Targets: accounts_1000_s < 120, stacksets_1000_s < 10, within the default heap.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

interface Measurement {
  stacks: number;
  validate_s: number;
  synth_s: number;
  peak_rss_mb: number;
  heap_used_mb: number;
  heap_limit_mb: number;
  max_template_bytes: number;
  max_resources: number;
}

function measure(accounts: number, mode: 'stacks' | 'stacksets'): Measurement & { process_s: number } {
  const dir = mkdtempSync(join(tmpdir(), 'flowlake-bench-synth-'));
  const started = performance.now();
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(here, '_synth-worker.ts'), String(accounts), mode, join(dir, 'cdk.out')],
      { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const m = JSON.parse(out.trim().split('\n').pop()!) as Measurement;
    return { ...m, process_s: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number, d = 2) => Number(n.toFixed(d));

export default async function synthBench(args: string[]): Promise<void> {
  const only = args[0];
  const scenarios: [string, number, 'stacks' | 'stacksets'][] = [
    ['accounts_10', 10, 'stacks'],
    ['accounts_100', 100, 'stacks'],
    ['accounts_1000', 1000, 'stacks'],
    ['stacksets_1000', 1000, 'stacksets'],
  ];
  const result: Record<string, number | string> = {};
  for (const [name, accounts, mode] of scenarios) {
    if (only && only !== name) continue;
    process.stderr.write(`synth ${name} (${accounts} accounts, ${mode}) ... `);
    const m = measure(accounts, mode);
    process.stderr.write(
      `${m.stacks} stacks in ${m.synth_s.toFixed(1)} s, peak RSS ${m.peak_rss_mb.toFixed(0)} MB\n`,
    );
    result[`${name}_s`] = round(m.synth_s);
    result[`${name}_process_s`] = round(m.process_s);
    result[`${name}_stacks`] = m.stacks;
    result[`${name}_peak_rss_mb`] = round(m.peak_rss_mb, 0);
    result[`${name}_heap_used_mb`] = round(m.heap_used_mb, 0);
    result[`${name}_max_template_bytes`] = m.max_template_bytes;
    result[`${name}_max_resources`] = m.max_resources;
    result.heap_limit_mb = round(m.heap_limit_mb, 0);
  }
  result.regions = 4;
  result.node = process.version;
  result.note =
    'X_s: config text -> validated -> cloud assembly on disk, in a fresh process with the default heap; ' +
    'X_process_s adds Node/tsx start-up and module loading.';
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'synth.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
