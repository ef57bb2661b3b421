import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer } from 'aws-cdk-lib';
import type { MemberFlowLogsProps } from '../member/member-flow-logs.js';
import { MemberFlowLogsStack } from '../member/member-flow-logs-stack.js';

/** CloudFormation's limit for an inline `TemplateBody`, in bytes. */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;

/**
 * Synthesizes the member stack on its own (environment-agnostic, no bootstrap parameter, no assets, no metadata)
 * and returns its template as minified JSON, ready to be a StackSet `TemplateBody`.
 * @throws Error when the template exceeds {@link TEMPLATE_BODY_LIMIT_BYTES}.
 */
export function synthesizeMemberTemplate(props: MemberFlowLogsProps): string {
  const outdir = mkdtempSync(join(tmpdir(), 'flowlake-member-'));
  try {
    const app = new App({
      outdir,
      analyticsReporting: false,
      context: { 'aws:cdk:enable-path-metadata': false, 'aws:cdk:version-reporting': false },
    });
    const stack = new MemberFlowLogsStack(app, 'FlowlakeMember', {
      ...props,
      synthesizer: new BootstraplessSynthesizer(),
      description: 'flowlake: VPC flow logs of this account and region to the central archive',
    });
    const body = JSON.stringify(app.synth().getStackByName(stack.stackName).template);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > TEMPLATE_BODY_LIMIT_BYTES) {
      throw new Error(
        `The member template is ${bytes} bytes, over the ${TEMPLATE_BODY_LIMIT_BYTES}-byte limit of a StackSet ` +
          'TemplateBody. Select VPCs with VpcSelection.all() instead of long id lists (one resource per id), or ' +
          'upload the template to S3 and create the StackSet with a TemplateURL.',
      );
    }
    return body;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
