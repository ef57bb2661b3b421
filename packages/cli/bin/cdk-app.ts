// The CDK app for the AWS CDK CLI (see cdk.json): `npx cdk synth -c config=examples/flowlake.yaml`.
import { runCdkApp } from '../src/app/cdk-entry.js';

process.exitCode = await runCdkApp();
