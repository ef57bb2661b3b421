import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials of an assumed role. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** SDK client settings shared by every audit client. */
export interface ClientSettings {
  /** Attempts per call including the first; the SDK's adaptive retry mode backs off and rate-limits on throttling. */
  readonly maxAttempts: number;
  /** Replaces the HTTP handler (tests); default: the SDK's. */
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's handler type differs per client package.
  readonly requestHandler?: any;
}

/** Creates the SDK clients the audit uses; every client retries throttling in `adaptive` mode. */
export class AuditClients {
  private readonly settings: ClientSettings;
  private readonly sts: STSClient;

  constructor(settings: ClientSettings) {
    this.settings = settings;
    this.sts = new STSClient(this.common());
  }

  private common(): {
    retryMode: 'adaptive';
    maxAttempts: number;
    requestHandler?: ClientSettings['requestHandler'];
  } {
    const c = { retryMode: 'adaptive' as const, maxAttempts: this.settings.maxAttempts };
    return this.settings.requestHandler ? { ...c, requestHandler: this.settings.requestHandler } : c;
  }

  /** Organizations (global endpoint in us-east-1) with the caller's credentials. */
  organizations(): OrganizationsClient {
    return new OrganizationsClient({ ...this.common(), region: 'us-east-1' });
  }

  /** S3 in the central bucket's region with the caller's credentials. */
  s3(region: string): S3Client {
    return new S3Client({ ...this.common(), region });
  }

  /** EC2 in a member account's region with the assumed role's credentials. */
  ec2(region: string, credentials: RoleCredentials): EC2Client {
    return new EC2Client({ ...this.common(), region, credentials });
  }

  /** Assumes `roleArn` (with an external ID when given) and returns its credentials. */
  async assumeRole(roleArn: string, externalId: string | undefined): Promise<RoleCredentials> {
    const out = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'flowlake-audit',
        DurationSeconds: 3600,
        ...(externalId ? { ExternalId: externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
}

/** `Code: message` of an SDK error, for findings. */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { name?: string }).name;
    return code && code !== 'Error' && !e.message.startsWith(code) ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
