/**
 * zod keeps only a message on format/size checks; flowlake errors also carry a fix hint. Schema messages are built
 * with `withHint(message, hint)` and split again when issues are reported.
 */
const SEP = '\u001f';

/** Joins an error message and its fix hint into one zod error string. */
export function withHint(message: string, hint: string): string {
  return `${message}${SEP}${hint}`;
}

/** Splits a zod error string built by `withHint`. */
export function splitHint(text: string): { message: string; hint?: string } {
  const i = text.indexOf(SEP);
  return i < 0 ? { message: text } : { message: text.slice(0, i), hint: text.slice(i + SEP.length) };
}
