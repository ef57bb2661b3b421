import { ALL_VPC_FIELDS_V2_V8, FlowLogFormat } from '@flowlake/flowlogs';

/**
 * The flow-log format of a construct's `logFormat` prop: the given format string, or by default every VPC field of
 * versions 2 to 8 (no Transit Gateway fields), the same default as `flowlake.yaml`.
 */
export function resolveLogFormat(logFormat: string | undefined): FlowLogFormat {
  return logFormat ? FlowLogFormat.parse(logFormat) : FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);
}
