export { withHint } from './hint.js';
export { type ConfigIssue, formatIssues, formatPath } from './issues.js';
export { type LoadResult, loadConfigFile, parseConfig } from './load.js';
export { DEFAULT_LOG_FORMAT } from './log-format.js';
export {
  DELIVERY_PATHS,
  DeliveryPath,
  type FlowlakeConfig,
  FlowlakeConfigSchema,
  type MemberGroupConfig,
  type VpcSelectionConfig,
  VpcSelectionSchema,
} from './schema.js';
