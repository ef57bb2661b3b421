import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** Fixed test identities. */
export const CENTRAL = '999999999999';
export const ORG_ID = 'o-a1b2c3d4e5';
export const MEMBER_A = '111111111111';
export const MEMBER_B = '222222222222';
export const OUTSIDER = '333333333333';
export const REGION = 'eu-west-1';

/** A stack with a fixed env (the usual CDK test shape). */
export function getTestStack(id = 'Test'): Stack {
  return new Stack(new App(), id, { env: { account: CENTRAL, region: REGION } });
}

/** The template of a stack. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}
