import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { renderIntrinsics } from '../../src/internal/intrinsics.js';
import {
  OpenSearchDelivery,
  type OpenSearchDeliveryProps,
  StreamingDelivery,
  StreamingSource,
} from '../../src/streaming/index.js';
import { CENTRAL, ORG_ID, REGION } from '../helpers.js';
import { nagFindings } from '../nag-helper.js';
import { simulate } from '../secevents/simulate.js';
import type { PolicyJson } from '../template-policies.js';

const BUCKET = `flowlake-flowlogs-${CENTRAL}-${REGION}`;
const DOMAIN_ARN = `arn:aws:es:${REGION}:${CENTRAL}:domain/flowlake-flowlogs`;
const FIREHOSE_ROLE = `arn:aws:iam::${CENTRAL}:role/flowlake-opensearch-firehose-${REGION}`;
const ADMIN = `arn:aws:iam::${CENTRAL}:role/search-admin`;

function build(extra: Partial<OpenSearchDeliveryProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Central', { env: { account: CENTRAL, region: REGION } });
  const bucketKey = kms.Key.fromKeyArn(
    stack,
    'BucketKey',
    `arn:aws:kms:${REGION}:${CENTRAL}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  );
  const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', BUCKET);
  const delivery = new StreamingDelivery(stack, 'Streaming', {
    bucket,
    bucketKey,
    senders: { organizationId: ORG_ID },
    source: StreamingSource.directPut(),
  });
  const search = new OpenSearchDelivery(stack, 'OpenSearch', { bucket, bucketKey, ...extra });
  search.connect(delivery.transform);
  return { stack, search, template: Template.fromStack(stack) };
}

/** Template values with intrinsics rendered as IAM sees them. */
/** How the rendering below names the generated admin role (its ARN is a deploy-time attribute). */
const GENERATED_ADMIN = `arn:aws:iam::${CENTRAL}:role/generated-admin`;

function render(template: Template, value: unknown): unknown {
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  return renderIntrinsics(value, {
    ref: (id) => (id === 'AWS::Partition' ? 'aws' : id === 'AWS::Region' ? REGION : id.toLowerCase()),
    getAtt: (id, attr) => {
      const type = resources[id]?.Type;
      if (type === 'AWS::OpenSearchService::Domain') return DOMAIN_ARN;
      if (type === 'AWS::KMS::Key') return `arn:aws:kms:${REGION}:${CENTRAL}:key/${id.toLowerCase()}`;
      if (type === 'AWS::IAM::Role') return id.includes('AdminRole') ? GENERATED_ADMIN : FIREHOSE_ROLE;
      return `arn:aws:${type}:${REGION}:${CENTRAL}:${id}.${attr}`;
    },
  });
}

function policyWithSid(template: Template, sid: string): PolicyJson {
  const p = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((r) =>
    JSON.stringify(r).includes(`"Sid":"${sid}"`),
  ) as { Properties: { PolicyDocument: unknown } };
  return render(template, p.Properties.PolicyDocument) as PolicyJson;
}

describe('OpenSearchDelivery (defaults: new isolated VPC, generated IAM admin role as master)', () => {
  const { stack, template } = build();

  it('is a private, encrypted, HTTPS-only domain with fine-grained access control and zone awareness', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      DomainName: 'flowlake-flowlogs',
      EngineVersion: Match.stringLikeRegexp('^OpenSearch_3\\.'),
      EncryptionAtRestOptions: { Enabled: true, KmsKeyId: Match.anyValue() },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      AdvancedSecurityOptions: {
        Enabled: true,
        InternalUserDatabaseEnabled: false,
        MasterUserOptions: { MasterUserARN: Match.anyValue() },
      },
      ClusterConfig: Match.objectLike({
        InstanceCount: 2,
        InstanceType: 'r6g.large.search',
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
        DedicatedMasterEnabled: false,
      }),
      EBSOptions: Match.objectLike({ EBSEnabled: true, VolumeSize: 100, VolumeType: 'gp3' }),
      VPCOptions: { SubnetIds: Match.anyValue(), SecurityGroupIds: [Match.anyValue()] },
      LogPublishingOptions: {
        SEARCH_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        INDEX_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        ES_APPLICATION_LOGS: Match.objectLike({ Enabled: true }),
      },
    });
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0] as {
      Properties: { VPCOptions: { SubnetIds: unknown[] }; AccessPolicies: PolicyJson };
    };
    expect(domain.Properties.VPCOptions.SubnetIds).toHaveLength(2);
    const access = render(template, domain.Properties.AccessPolicies) as PolicyJson;
    expect(access.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: [FIREHOSE_ROLE, GENERATED_ADMIN] },
        Resource: `${DOMAIN_ARN}/*`,
      }),
    ]);
    expect(JSON.stringify(access)).not.toMatch(/"\*"/);
    // No internal user (its basic-auth requests are unsigned): the master is an IAM role of this account.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL}:root`]] },
            },
          }),
        ],
      }),
      MaxSessionDuration: 3600,
    });
    // Isolated VPC: no NAT, no internet gateway; the domain admits HTTPS from the Firehose ENIs only.
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC' });
    // AZs are chosen at deploy time (Fn::GetAZs), not by a synth-time context lookup that falls back to dummies.
    template.hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
      MapPublicIpOnLaunch: false,
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/dummy/);
    expect((stack.node.root as App).synth().manifest.missing ?? []).toEqual([]);
  });

  it('indexes through a Direct PUT Firehose stream with S3 backup of failed documents', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'flowlake-opensearch',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
      AmazonopensearchserviceDestinationConfiguration: Match.objectLike({
        IndexName: 'flowlogs',
        IndexRotationPeriod: 'OneDay',
        S3BackupMode: 'FailedDocumentsOnly',
        RetryOptions: { DurationInSeconds: 300 },
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 5 },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true, LogStreamName: 'DestinationDelivery' }),
        S3Configuration: Match.objectLike({
          Prefix:
            'flowlake-errors/opensearch/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
          ErrorOutputPrefix: Match.stringLikeRegexp(
            '^flowlake-errors/opensearch/!\\{firehose:error-output-type\\}/',
          ),
          CompressionFormat: 'GZIP',
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        }),
        VpcConfiguration: {
          RoleARN: Match.anyValue(),
          SubnetIds: Match.anyValue(),
          SecurityGroupIds: [Match.anyValue()],
        },
      }),
    });
    const stream = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream')).find((r) =>
      JSON.stringify(r).includes('flowlake-opensearch'),
    ) as { Properties: { AmazonopensearchserviceDestinationConfiguration: { DomainARN: unknown } } };
    expect(
      render(template, stream.Properties.AmazonopensearchserviceDestinationConfiguration.DomainARN),
    ).toBe(DOMAIN_ARN);
  });

  it('sets the fan-out stream on the transform Lambda', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          OPENSEARCH_DELIVERY_STREAM: 'flowlake-opensearch',
          OPENSEARCH_DELIVERY_STREAM_REGION: REGION,
        }),
      },
    });
  });

  it('has zero unacknowledged cdk-nag findings (four packs)', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('least privilege (iam-simulate)', () => {
    const firehose = policyWithSid(template, 'IndexDocuments');
    const transform = policyWithSid(template, 'FanOutToOpenSearch');
    const can = (identityPolicy: PolicyJson, principal: string) => (action: string, resource: string) =>
      simulate({ identityPolicy, principal, action, resource, resourceAccount: CENTRAL, context: {} });
    const fh = can(firehose, FIREHOSE_ROLE);
    const fn = can(transform, `arn:aws:iam::${CENTRAL}:role/transform`);

    it('lets the Firehose role index into the domain, and nothing else', async () => {
      expect(await fh('es:ESHttpPost', `${DOMAIN_ARN}/_bulk`)).toBe('Allowed');
      expect(await fh('es:ESHttpPut', `${DOMAIN_ARN}/flowlogs-2026-11-30`)).toBe('Allowed');
      expect(await fh('es:DescribeDomain', DOMAIN_ARN)).toBe('Allowed');
      expect(await fh('es:ESHttpGet', `${DOMAIN_ARN}/_cluster/stats`)).toBe('Allowed');
      expect(await fh('es:ESHttpPost', `arn:aws:es:${REGION}:${CENTRAL}:domain/other/_bulk`)).toBe(
        'ImplicitlyDenied',
      );
      expect(await fh('es:ESHttpDelete', `${DOMAIN_ARN}/flowlogs-2026-11-30`)).toBe('ImplicitlyDenied');
      expect(await fh('es:ESHttpGet', `${DOMAIN_ARN}/flowlogs-2026-11-30/_search`)).toBe('ImplicitlyDenied');
      expect(await fh('es:UpdateDomainConfig', DOMAIN_ARN)).toBe('ImplicitlyDenied');
    });

    it('lets the Firehose role back up failed documents under its prefix only', async () => {
      expect(
        await fh(
          's3:PutObject',
          `arn:aws:s3:::${BUCKET}/flowlake-errors/opensearch/year=2026/month=11/day=30/x.gz`,
        ),
      ).toBe('Allowed');
      expect(await fh('s3:PutObject', `arn:aws:s3:::${BUCKET}/AWSLogs/x.gz`)).toBe('ImplicitlyDenied');
      expect(await fh('s3:PutObject', `arn:aws:s3:::${BUCKET}/flowlake-errors/vpcflowlogs-stream/x.gz`)).toBe(
        'ImplicitlyDenied',
      );
      expect(await fh('s3:PutObject', 'arn:aws:s3:::other-bucket/flowlake-errors/opensearch/x.gz')).toBe(
        'ImplicitlyDenied',
      );
      expect(await fh('s3:DeleteObject', `arn:aws:s3:::${BUCKET}/flowlake-errors/opensearch/x.gz`)).toBe(
        'ImplicitlyDenied',
      );
    });

    it("admits only the Firehose role through the domain's access policy", async () => {
      const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0] as {
        Properties: { AccessPolicies: unknown };
      };
      const access = render(template, domain.Properties.AccessPolicies) as PolicyJson;
      const via = (principal: string, resource: string) =>
        simulate({
          resourcePolicy: access,
          principal,
          action: 'es:ESHttpPost',
          resource,
          resourceAccount: CENTRAL,
          context: {},
        });
      expect(await via(FIREHOSE_ROLE, `${DOMAIN_ARN}/_bulk`)).toBe('Allowed');
      expect(await via(`arn:aws:iam::${CENTRAL}:role/someone-else`, `${DOMAIN_ARN}/_bulk`)).toBe(
        'ImplicitlyDenied',
      );
      expect(
        await via(
          `arn:aws:iam::333333333333:role/flowlake-opensearch-firehose-${REGION}`,
          `${DOMAIN_ARN}/_bulk`,
        ),
      ).toBe('ImplicitlyDenied');
    });

    it('lets the transform role put records into the OpenSearch stream only', async () => {
      const os = `arn:aws:firehose:${REGION}:${CENTRAL}:deliverystream/flowlake-opensearch`;
      expect(await fn('firehose:PutRecordBatch', os)).toBe('Allowed');
      expect(
        await fn('firehose:PutRecordBatch', `arn:aws:firehose:${REGION}:${CENTRAL}:deliverystream/other`),
      ).toBe('ImplicitlyDenied');
      expect(await fn('firehose:DeleteDeliveryStream', os)).toBe('ImplicitlyDenied');
      expect(await fn('es:ESHttpPost', `${DOMAIN_ARN}/_bulk`)).toBe('ImplicitlyDenied');
    });
  });
});

describe('OpenSearchDelivery (existing VPC, IAM master, one node, dedicated masters)', () => {
  const { stack, template } = build({
    vpc: {
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      securityGroupIds: ['sg-0123456789abcdef0'],
    },
    masterUserArn: ADMIN,
    instanceCount: 1,
    dedicatedMasterCount: 3,
    indexName: 'flows',
    indexRotation: 'OneWeek',
  });

  it('uses the given subnet and security group, the IAM master, and no zone awareness for one node', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      VPCOptions: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], SecurityGroupIds: ['sg-0123456789abcdef0'] },
      AdvancedSecurityOptions: {
        Enabled: true,
        InternalUserDatabaseEnabled: false,
        MasterUserOptions: { MasterUserARN: ADMIN },
      },
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        ZoneAwarenessEnabled: false,
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
      }),
      AccessPolicies: {
        Statement: [Match.objectLike({ Principal: { AWS: [Match.anyValue(), ADMIN] } })],
      },
    });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      AmazonopensearchserviceDestinationConfiguration: Match.objectLike({
        IndexName: 'flows',
        IndexRotationPeriod: 'OneWeek',
        VpcConfiguration: Match.objectLike({
          SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'],
          SecurityGroupIds: ['sg-0123456789abcdef0'],
        }),
      }),
    });
  });

  it('has zero unacknowledged cdk-nag findings (four packs)', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('refuses an odd node count above one and a zone-aware domain with one subnet', () => {
    expect(() => build({ instanceCount: 3 })).toThrow(
      /instanceCount 3 cannot spread evenly over 2 Availability Zones/,
    );
    expect(() =>
      build({ vpc: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] } }),
    ).toThrow(/list 2 subnets/);
  });
});
