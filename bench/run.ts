/**
 * Benchmark runner: `npm run bench -- <name> [args...]` runs `bench/<name>.ts` (its default export receives the
 * remaining arguments). With no name it lists the benchmarks. Results go to `bench/results/<name>.json`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(
    `${name ? `unknown benchmark '${name}'. ` : ''}usage: npm run bench -- <name> [args]\nbenchmarks: ${available.join(', ') || '(none yet)'}\n`,
  );
  process.exitCode = name ? 2 : 0;
} else {
  const mod = (await import(join(here, `${name}.ts`))) as { default: (args: string[]) => Promise<void> };
  await mod.default(rest);
}
