import { buildSync } from 'esbuild';

/**
 * Bundles a Lambda handler with esbuild at synth time (locally, no Docker): minified CommonJS for the newest Node.js
 * runtime, AWS SDK v3 left to the Lambda runtime. `stdin` lets callers pick which exports reach the bundle.
 */
export function bundleHandler(entry: { file: string } | { stdin: string; resolveDir: string }): string {
  const result = buildSync({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.stdin, resolveDir: entry.resolveDir, loader: 'ts' as const } }),
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0].text;
}
