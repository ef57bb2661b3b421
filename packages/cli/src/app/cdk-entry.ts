import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatIssues, loadConfigFile } from '../config/index.js';
import { ExitCode, FlowlakeError } from '../errors.js';
import { buildApp } from './build.js';
import { stripMetadataTraces } from './synth.js';

/** The context the CDK CLI hands the app: CDK_CONTEXT_JSON, or a file when it is too large for the environment. */
function cliContext(): Record<string, unknown> {
  const overflow = process.env.CONTEXT_OVERFLOW_LOCATION_ENV;
  const json = process.env.CDK_CONTEXT_JSON;
  return {
    ...(json ? JSON.parse(json) : {}),
    ...(overflow ? JSON.parse(readFileSync(overflow, 'utf8')) : {}),
  };
}

/**
 * The CDK CLI entry (`cdk.json` -> `bin/cdk-app.ts`): `npx cdk synth -c config=flowlake.yaml`. Reads the config path
 * from the `config` context (or FLOWLAKE_CONFIG), validates it before creating any stack, and synthesizes into the
 * directory the CLI asks for (CDK_OUTDIR). Returns the exit code; messages go to `err`.
 */
export async function runCdkApp(
  err: (text: string) => void = (t) => process.stderr.write(t),
): Promise<number> {
  const file = (cliContext().config as string | undefined) ?? process.env.FLOWLAKE_CONFIG;
  if (!file) {
    err('error [ConfigRequired]: no config given\nfix: npx cdk synth -c config=flowlake.yaml\n');
    return ExitCode.USAGE;
  }
  const { config, issues } = await loadConfigFile(resolve(file));
  if (!config) {
    err(formatIssues(file, issues));
    err(`${issues.filter((i) => i.severity === 'error').length} errors in ${file}\n`);
    return ExitCode.USAGE;
  }
  try {
    const { app } = buildApp(config);
    stripMetadataTraces(app.synth().directory);
    return ExitCode.OK;
  } catch (e) {
    if (!FlowlakeError.isFlowlakeError(e)) throw e;
    err(`error [${e.code}]: ${e.message}\n${e.hint ? `fix: ${e.hint}\n` : ''}`);
    return e.exitCode;
  }
}
