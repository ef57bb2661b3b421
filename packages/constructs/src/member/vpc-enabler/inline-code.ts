import { fileURLToPath } from 'node:url';
import { bundleHandler } from '../../internal/bundle.js';

/** CloudFormation's limit for inline Lambda code (`Code.ZipFile`), in characters. */
export const INLINE_CODE_LIMIT = 4096;

let cached: string | undefined;

/**
 * The enabler handler, bundled and minified with esbuild (AWS SDK v3 from the Lambda runtime), for
 * `Code.fromInline`. Built once per process.
 * @throws Error when the bundle exceeds {@link INLINE_CODE_LIMIT}.
 */
export function enablerInlineCode(): string {
  if (cached !== undefined) return cached;
  const code = bundleHandler({
    stdin: "export { handler } from './handler.ts';",
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
  }).trim();
  if (code.length > INLINE_CODE_LIMIT) {
    throw new Error(
      `The VPC flow-log enabler bundles to ${code.length} characters, over the ${INLINE_CODE_LIMIT}-character ` +
        'limit for inline Lambda code that keeps member stacks asset-free (StackSet templates). Shrink handler.ts.',
    );
  }
  cached = code;
  return code;
}
