import { ALL_VPC_FIELDS_V2_V8, FIELD_BY_NAME, FlowLogFormat, FormatError } from '@flowlake/flowlogs';
import { z } from 'zod';
import { withHint } from './hint.js';

/** The default flow-log format: every VPC field of versions 2-8 (no Transit Gateway fields). */
export const DEFAULT_LOG_FORMAT: string = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8).toString();

function toFormat(v: string | readonly string[]): FlowLogFormat {
  return typeof v === 'string' ? FlowLogFormat.parse(v) : FlowLogFormat.fromFields(v);
}

/**
 * The flow-log format: a format string (`${version} ${account-id} ...`) or a list of field names. Checked against the
 * field catalog; Transit Gateway-only fields are rejected. Normalized to the format string AWS accepts.
 */
export const LogFormat = z
  .union([z.string(), z.array(z.string()).min(1)], {
    error: withHint(
      'the format must be a format string or a list of field names',
      `write e.g. '\${version} \${account-id} \${srcaddr}' or a YAML list of field names`,
    ),
  })
  .transform((v, ctx) => {
    let format: FlowLogFormat;
    try {
      format = toFormat(v);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      ctx.addIssue({
        code: 'custom',
        message: withHint(e.message, "run 'flowlake fields' for the catalog of field names"),
      });
      return z.NEVER;
    }
    const tgw = format.fields.filter((s) => s.scope === 'transit-gateway').map((s) => s.name);
    if (tgw.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: withHint(
          `Transit Gateway fields cannot be used in a VPC flow log format: ${tgw.join(', ')}`,
          'remove them; VPC, subnet and ENI flow logs reject Transit Gateway fields',
        ),
      });
      return z.NEVER;
    }
    return format.toString();
  });

/** Field names of a normalized format string that the catalog marks as unverified. */
export function unverifiedFields(format: string): string[] {
  return FlowLogFormat.parse(format)
    .names.filter((n) => FIELD_BY_NAME.get(n)?.unverified)
    .map((n) => n);
}
