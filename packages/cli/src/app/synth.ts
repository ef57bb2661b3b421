import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FlowlakeConfig } from '../config/index.js';
import { type BuildOptions, buildApp } from './build.js';
import type { AppPlan } from './plan.js';

type MetadataEntry = { type: string; data?: unknown; trace?: string[] };

/**
 * Removes the stack traces that some constructs record in the assembly metadata even with stack traces disabled
 * (e.g. `Validations.acknowledge`): they hold absolute paths and the caller's stack, so the same config would
 * otherwise give different bytes from `flowlake synth` and `npx cdk synth`, or from two checkouts.
 */
export function stripMetadataTraces(assemblyDir: string): void {
  for (const f of readdirSync(assemblyDir)) {
    if (!f.endsWith('.metadata.json')) continue;
    const path = join(assemblyDir, f);
    const text = readFileSync(path, 'utf8');
    if (!text.includes('"trace"')) continue;
    const meta = JSON.parse(text) as Record<string, MetadataEntry[]>;
    for (const entries of Object.values(meta)) for (const e of entries) delete e.trace;
    writeFileSync(path, JSON.stringify(meta, undefined, 2));
  }
}

/** Result of {@link synthAssembly}. */
export interface SynthResult {
  readonly plan: AppPlan;
  /** Absolute path of the cloud assembly. */
  readonly outdir: string;
}

/**
 * Synthesizes a validated config into `outdir`, atomically: the assembly is written next to it and renamed into
 * place only when synthesis succeeded, so a failure never leaves a partial assembly behind.
 */
export function synthAssembly(
  c: FlowlakeConfig,
  outdir: string,
  opts: Omit<BuildOptions, 'outdir'> = {},
): SynthResult {
  const target = resolve(outdir);
  const staging = join(dirname(target), `.${target.split('/').pop()}.flowlake-tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const { app, plan } = buildApp(c, { ...opts, outdir: staging });
    app.synth();
    stripMetadataTraces(staging);
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return { plan, outdir: target };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
