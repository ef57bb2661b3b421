import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FlowlakeConfig } from '../config/index.js';
import { type BuildOptions, buildApp } from './build.js';
import type { AppPlan } from './plan.js';

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
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return { plan, outdir: target };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
