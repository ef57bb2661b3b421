import { Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag, iam5Resource } from '../internal/nag.js';

/** Existing network for the OpenSearch domain and the Firehose ENIs. */
export interface OpenSearchVpcAttributes {
  /** The VPC of the subnets. */
  readonly vpcId: string;
  /** Private subnets (one per Availability Zone; the first `availabilityZoneCount` are used with zone awareness). */
  readonly subnetIds: readonly string[];
  /**
   * Security groups for the domain and the Firehose ENIs; they must admit HTTPS (443) from themselves.
   * @default - flowlake creates a domain group admitting 443 only from a Firehose group
   */
  readonly securityGroupIds?: readonly string[];
}

/** Properties of {@link OpenSearchNetwork}. */
export interface OpenSearchNetworkProps {
  /** Existing VPC, subnets and security groups. @default - a new isolated VPC (2 AZs, no NAT, no internet gateway) */
  readonly vpc?: OpenSearchVpcAttributes;
  /** CIDR of the new VPC, a /24 (two isolated /25 subnets). @default '10.255.0.0/24' */
  readonly cidr?: string;
  /** KMS key for the new VPC's flow log group. */
  readonly key: kms.IKey;
  /** Days the new VPC's flow logs are kept. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Where the private OpenSearch domain and Firehose's VPC delivery ENIs live: an existing VPC (subnets and optional
 * security groups from config) or a small isolated VPC created here (2 AZs, isolated subnets, no NAT, its own flow
 * log), with a domain security group that admits HTTPS only from the Firehose security group.
 */
export class OpenSearchNetwork extends Construct {
  public readonly vpc: ec2.IVpc;
  /** Subnets of the domain and the Firehose ENIs. */
  public readonly subnets: ec2.ISubnet[];
  /** Security groups of the domain. */
  public readonly domainSecurityGroups: ec2.ISecurityGroup[];
  /** Security groups of the Firehose ENIs. */
  public readonly deliverySecurityGroups: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: OpenSearchNetworkProps) {
    super(scope, id);
    const attrs = props.vpc;
    if (attrs) {
      if (attrs.subnetIds.length === 0)
        throw new Error('OpenSearch vpc.subnetIds must list at least one subnet.');
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: attrs.vpcId,
        availabilityZones: attrs.subnetIds.map((_, i) => `az-${i}`),
        privateSubnetIds: [...attrs.subnetIds],
      });
      this.subnets = attrs.subnetIds.map((s, i) => ec2.Subnet.fromSubnetId(this, `Subnet${i}`, s));
    } else {
      // L1 on purpose: the L2 Vpc picks Availability Zones at synth time (a context lookup, dummy AZs offline);
      // Fn::GetAZs picks them at deploy time in whatever account and Region the stack lands.
      const cfnVpc = new ec2.CfnVPC(this, 'Vpc', {
        cidrBlock: props.cidr ?? '10.255.0.0/24',
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: [{ key: 'Name', value: 'flowlake-opensearch' }],
      });
      const azs = [0, 1].map((i) => Fn.select(i, Fn.getAzs()));
      const subnetIds = azs.map((az, i) => {
        const subnet = new ec2.CfnSubnet(this, `IsolatedSubnet${i + 1}`, {
          vpcId: cfnVpc.ref,
          availabilityZone: az,
          cidrBlock: Fn.select(i, Fn.cidr(cfnVpc.attrCidrBlock, 2, '7')),
          mapPublicIpOnLaunch: false,
          tags: [{ key: 'Name', value: `flowlake-opensearch-isolated-${i + 1}` }],
        });
        return subnet.ref;
      });
      const vpc = ec2.Vpc.fromVpcAttributes(this, 'VpcRef', {
        vpcId: cfnVpc.ref,
        availabilityZones: azs,
        isolatedSubnetIds: subnetIds,
      });
      const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
        encryptionKey: props.key,
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Own role with a managed policy (CDK's default role gets an inline policy).
      const flowLogPolicy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        description: 'flowlake: VPC flow logs of the OpenSearch VPC into their log group',
        statements: [
          new iam.PolicyStatement({
            sid: 'WriteFlowLogs',
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [flowLogGroup.logGroupArn, `${flowLogGroup.logGroupArn}:*`],
          }),
        ],
      });
      const flowLogRole = new iam.Role(this, 'FlowLogRole', {
        description: 'flowlake: VPC flow logs of the OpenSearch VPC',
        assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        managedPolicies: [flowLogPolicy],
      });
      vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(
          flowLogGroup,
          flowLogRole.withoutPolicyUpdates(),
        ),
      });
      acknowledgeNag(
        flowLogPolicy,
        [iam5Resource(this, `${flowLogGroup.logGroupArn}:*`)],
        'VPC flow logs create their log streams at run time; the statement is limited to this log group.',
      );
      acknowledgeNag(
        cfnVpc,
        ['VPCDefaultSecurityGroupClosed'],
        'The isolated VPC has no internet or NAT gateway and nothing uses its default security group; closing it needs a custom-resource Lambda.',
      );
      this.vpc = vpc;
      this.subnets = subnetIds.map((subnetId, i) =>
        ec2.Subnet.fromSubnetAttributes(this, `Subnet${i}`, { subnetId, availabilityZone: azs[i] }),
      );
    }
    if (attrs?.securityGroupIds && attrs.securityGroupIds.length > 0) {
      const groups = attrs.securityGroupIds.map((g, i) =>
        ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, g, { mutable: false }),
      );
      this.domainSecurityGroups = groups;
      this.deliverySecurityGroups = groups;
      return;
    }
    const domainGroup = new ec2.SecurityGroup(this, 'DomainSecurityGroup', {
      vpc: this.vpc,
      description: 'flowlake: OpenSearch domain (HTTPS from the Firehose ENIs only)',
      allowAllOutbound: false,
    });
    const deliveryGroup = new ec2.SecurityGroup(this, 'DeliverySecurityGroup', {
      vpc: this.vpc,
      description: 'flowlake: Firehose ENIs delivering to the OpenSearch domain',
      allowAllOutbound: false,
    });
    domainGroup.addIngressRule(deliveryGroup, ec2.Port.tcp(443), 'Firehose delivers documents over HTTPS');
    deliveryGroup.addEgressRule(domainGroup, ec2.Port.tcp(443), 'to the OpenSearch domain over HTTPS');
    this.domainSecurityGroups = [domainGroup];
    this.deliverySecurityGroups = [deliveryGroup];
  }
}
