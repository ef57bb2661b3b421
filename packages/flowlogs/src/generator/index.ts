export { AWS_SERVICE_RANGES, type AwsServiceRange, azIdPrefix } from './addresses.js';
export {
  type GeneratedFlowLogs,
  type GenerateOptions,
  generateFlowLogs,
  generateRecords,
} from './generate.js';
export type { IncidentKind, PlantedIncident } from './incidents.js';
export {
  type Account,
  type AccountSpec,
  type EcsTask,
  type Eni,
  type EniRole,
  generateOrganization,
  type Org,
  type OrganizationOptions,
  ROLE_ORDER,
  type Subnet,
  type Vpc,
} from './org.js';
export {
  type CloudWatchPayloadOptions,
  type FormatLike,
  type LineOptions,
  lines,
  type PlannedS3Object,
  planS3Objects,
  projectRecord,
  type S3Object,
  type S3ObjectOptions,
  textChunks,
  toCloudWatchMessages,
  toCloudWatchPayloads,
  toLines,
  toS3Objects,
  type WriteFileOptions,
  type WrittenFile,
  writeFlowLogFile,
} from './output.js';
export { mixSeed, Prng } from './prng.js';
export { GENERATED_RECORD_VERSION } from './records.js';
