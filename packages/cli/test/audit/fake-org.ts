/**
 * A fake AWS organization for audit tests: aws-sdk-client-mock fakes for Organizations, STS, EC2 and S3 that answer
 * from an in-memory model. The assumed-role access key carries the account ID, so EC2 calls know their account.
 */
import { DescribeFlowLogsCommand, DescribeVpcsCommand, EC2Client, type FlowLog } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeRegion {
  vpcs: string[];
  flowLogs: FlowLog[];
  /** Error name thrown by DescribeVpcs in this region. */
  describeError?: string;
}

export interface FakeAccount {
  id: string;
  name: string;
  state?: 'ACTIVE' | 'SUSPENDED';
  /** Error name thrown by AssumeRole. */
  assumeError?: string;
  regions: Record<string, FakeRegion>;
}

export interface FakeObject {
  key: string;
  lastModified: Date;
}

function awsError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Installs the fakes; returns the mocks (call `restore()` on each after the test) and call counters. */
export function installFakeOrg(accounts: FakeAccount[], objects: FakeObject[], pageSize = 2) {
  const orgs = mockClient(OrganizationsClient);
  const sts = mockClient(STSClient);
  const ec2 = mockClient(EC2Client);
  const s3 = mockClient(S3Client);
  const calls = {
    assumeRole: [] as { RoleArn: string; ExternalId?: string }[],
    listObjects: 0,
    describeVpcs: 0,
  };

  orgs.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const page = accounts.slice(start, start + 20);
    return {
      Accounts: page.map((a) => ({ Id: a.id, Name: a.name, State: a.state ?? 'ACTIVE' })),
      NextToken: start + 20 < accounts.length ? String(start + 20) : undefined,
    };
  });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string; ExternalId?: string }) => {
    calls.assumeRole.push(input);
    const id = input.RoleArn.split(':')[4];
    const account = accounts.find((a) => a.id === id);
    if (!account) throw awsError('AccessDenied', `no such account ${id}`);
    if (account.assumeError) {
      throw awsError(
        account.assumeError,
        `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      );
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${id}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(),
      },
    };
  });

  async function regionOf(getClient: () => { config: unknown }): Promise<FakeRegion> {
    const config = getClient().config as {
      region: () => Promise<string>;
      credentials: () => Promise<{ accessKeyId: string }>;
    };
    const region = await config.region();
    const { accessKeyId } = await config.credentials();
    const account = accounts.find((a) => a.id === accessKeyId.slice(4));
    if (!account) throw new Error(`EC2 called with unknown credentials ${accessKeyId}`);
    return account.regions[region] ?? { vpcs: [], flowLogs: [] };
  }
  const paged = <T>(items: T[], token: string | undefined) => {
    const start = Number(token ?? 0);
    return {
      items: items.slice(start, start + pageSize),
      next: start + pageSize < items.length ? String(start + pageSize) : undefined,
    };
  };
  ec2.on(DescribeVpcsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
    calls.describeVpcs++;
    const r = await regionOf(getClient);
    if (r.describeError) throw awsError(r.describeError, 'You are not authorized to perform this operation.');
    const { items, next } = paged(r.vpcs, input.NextToken);
    return { Vpcs: items.map((VpcId) => ({ VpcId })), NextToken: next };
  });
  ec2.on(DescribeFlowLogsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
    const r = await regionOf(getClient);
    const { items, next } = paged(r.flowLogs, input.NextToken);
    return { FlowLogs: items, NextToken: next };
  });
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; ContinuationToken?: string }) => {
    calls.listObjects++;
    const matching = objects.filter((o) => o.key.startsWith(input.Prefix));
    const { items, next } = paged(matching, input.ContinuationToken);
    return {
      Contents: items.map((o) => ({ Key: o.key, LastModified: o.lastModified })),
      IsTruncated: next !== undefined,
      NextContinuationToken: next,
    };
  });
  return { mocks: [orgs, sts, ec2, s3], calls };
}
