/**
 * Wall time of the default demo as a user runs it (`npm start` = `flowlake demo`: a fresh Node process, tsx
 * start-up, 1 hour of traffic, 3 accounts x 2 regions). `npm run bench -- demo [runs]`. The target is under 60 s on a
 * 2-core machine. Writes bench/results/demo.json with each run's wall seconds and step times.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'packages', 'cli', 'bin', 'flowlake.mjs');

export default async function bench(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 3);
  const results: { wallSeconds: number; steps: string; found: string }[] = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'flowlake-demo-bench-'));
    try {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [bin, 'demo', '--out', out], { encoding: 'utf8' });
      const wallSeconds = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`demo exited ${r.status}: ${r.stderr}`);
      const steps = /^Steps: (.*)$/m.exec(r.stdout)?.[1] ?? '';
      const found = /(\d+ of \d+ planted incidents found)/.exec(r.stderr)?.[1] ?? '';
      results.push({ wallSeconds: Math.round(wallSeconds * 10) / 10, steps, found });
      process.stderr.write(`run ${i + 1}: ${wallSeconds.toFixed(1)} s (${steps}); ${found}\n`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const walls = results.map((r) => r.wallSeconds);
  const summary = {
    cpus: cpus().length,
    node: process.version,
    runs: results,
    bestWallSeconds: Math.min(...walls),
    worstWallSeconds: Math.max(...walls),
    targetSeconds: 60,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'demo.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
