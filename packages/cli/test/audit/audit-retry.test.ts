import { Readable } from 'node:stream';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditClients } from '../../src/audit/clients.js';
import { runAudit } from '../../src/audit/run.js';
import type { AuditPlan } from '../../src/audit/types.js';

/**
 * EC2 answers through a fake HTTP handler (not a mocked `send`), so the SDK's real retry middleware runs: throttled
 * responses (HTTP 503 RequestLimitExceeded) must be retried by the adaptive retry mode the audit configures.
 */
function throttlingEc2Handler(throttles: number) {
  const seen: string[] = [];
  const reply = (statusCode: number, xml: string) => ({
    response: {
      statusCode,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: Readable.from([Buffer.from(xml)]),
    },
  });
  return {
    seen,
    handler: {
      metadata: { handlerProtocol: 'http/1.1' },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      destroy: () => {},
      handle: async (request: { body?: string }) => {
        const action = /Action=(\w+)/.exec(String(request.body))?.[1] ?? '?';
        seen.push(action);
        if (seen.length <= throttles) {
          return reply(
            503,
            '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>',
          );
        }
        if (action === 'DescribeVpcs') {
          return reply(
            200,
            '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><vpcSet><item><vpcId>vpc-0aaa</vpcId></item></vpcSet></DescribeVpcsResponse>',
          );
        }
        return reply(
          200,
          '<DescribeFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r3</requestId><flowLogSet/></DescribeFlowLogsResponse>',
        );
      },
    },
  };
}

const plan = (account: string): AuditPlan => ({
  accounts: [
    {
      id: account,
      expect: {
        path: 'direct-s3',
        destination: { type: 's3', bucketArn: 'arn:aws:s3:::central', prefix: '' },
      },
    },
  ],
  regions: ['eu-west-1'],
  roleName: 'FlowlakeAudit',
  partition: 'aws',
  maxAgeMinutes: 60,
});

describe('audit retries throttling through the SDK (adaptive mode)', () => {
  const sts = mockClient(STSClient);
  beforeEach(() => {
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
    });
  });
  afterAll(() => sts.restore());

  it('retries RequestLimitExceeded and completes the account', async () => {
    const fake = throttlingEc2Handler(1);
    const clients = new AuditClients({ maxAttempts: 5, requestHandler: fake.handler });
    const report = await runAudit(plan('111111111111'), { clients, concurrency: 1, now: new Date() });
    expect(fake.seen).toEqual(['DescribeVpcs', 'DescribeVpcs', 'DescribeFlowLogs']);
    expect(report.accounts[0]).toMatchObject({ status: 'ok', vpcs: 1, covered: 0 });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['FLA001']);
  });

  it('reports the region (FLA009) when throttling outlasts maxAttempts, and keeps going', async () => {
    const fake = throttlingEc2Handler(100);
    const clients = new AuditClients({ maxAttempts: 2, requestHandler: fake.handler });
    const report = await runAudit(plan('222222222222'), { clients, concurrency: 1, now: new Date() });
    expect(fake.seen).toEqual(['DescribeVpcs', 'DescribeVpcs']);
    expect(report.accounts[0].status).toBe('partial');
    expect(report.findings[0]).toMatchObject({ ruleId: 'FLA009', region: 'eu-west-1' });
    expect(report.findings[0].message).toContain('RequestLimitExceeded');
  });
});
