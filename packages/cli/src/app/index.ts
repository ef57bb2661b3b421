export {
  APP_CONTEXT,
  assertBuildable,
  type BuildOptions,
  buildApp,
  MEMBER_DELIVERIES,
  type MemberBuildContext,
  type MemberDeliveryBuilder,
  memberFlowLogsProps,
} from './build.js';
export { runCdkApp } from './cdk-entry.js';
export { ConfigInvalidError } from './errors.js';
export {
  type AppPlan,
  centralBucketName,
  deliveryOf,
  type PlannedStack,
  type PlannedStackSet,
  planApp,
  rolloutAccount,
  type StackKind,
} from './plan.js';
export { deployCommands, planRows, renderPlanSummary } from './summary.js';
export { type SynthResult, synthAssembly } from './synth.js';
