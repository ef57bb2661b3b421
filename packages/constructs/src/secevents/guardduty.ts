import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { logGroupKeyPolicyStatement } from './cloudtrail-policies.js';
import {
  type GuardDutyBucketPolicyProps,
  type GuardDutyPublisher,
  guardDutyBucketPolicyStatements,
  guardDutyKeyPolicyStatement,
  guardDutyPrefix,
} from './guardduty-policies.js';
import { addOwnedResourceStatements, sdkCall } from './sdk-call.js';

/** EventBridge pattern of GuardDuty findings (the administrator account receives its members' findings too). */
export const GUARDDUTY_FINDING_EVENT_PATTERN: events.EventPattern = {
  source: ['aws.guardduty'],
  detailType: ['GuardDuty Finding'],
};

/** Default name of the EventBridge rule routing findings (fixed: role trust policies name it). */
export const GUARDDUTY_FINDINGS_RULE_NAME = 'flowlake-guardduty-findings';
/** Default name of the findings log group. */
export const GUARDDUTY_FINDINGS_LOG_GROUP = '/flowlake/guardduty/findings';

// ---------------------------------------------------------------------------------------------------------------
// Management account: delegated administrator
// ---------------------------------------------------------------------------------------------------------------

/** Properties of {@link GuardDutyDelegatedAdmin}. */
export interface GuardDutyDelegatedAdminProps {
  /** Account to designate as the delegated GuardDuty administrator (the log-archive or security account). */
  readonly adminAccountId: string;
}

/**
 * Designates the delegated GuardDuty administrator of the organization in this stack's Region
 * (`guardduty:EnableOrganizationAdminAccount`, which has no CloudFormation type). Deployed in the management
 * account, once per Region; GuardDuty also enables a detector in the admin account. Removing it calls
 * `DisableOrganizationAdminAccount`.
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html
 */
export class GuardDutyDelegatedAdmin extends Construct {
  /** The account designated. */
  readonly adminAccountId: string;

  constructor(scope: Construct, id: string, props: GuardDutyDelegatedAdminProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.adminAccountId) && !/^\d{12}$/.test(props.adminAccountId)) {
      throw new Error(
        `GuardDutyDelegatedAdmin: invalid adminAccountId '${props.adminAccountId}': expected 12 digits like '123456789012'`,
      );
    }
    this.adminAccountId = props.adminAccountId;
    const services = ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'];
    sdkCall(this, 'Resource', {
      onCreate: {
        service: 'GuardDuty',
        action: 'enableOrganizationAdminAccount',
        parameters: { AdminAccountId: props.adminAccountId },
        physicalResourceId: cr.PhysicalResourceId.of(`guardduty-admin-${props.adminAccountId}`),
      },
      onDelete: {
        service: 'GuardDuty',
        action: 'disableOrganizationAdminAccount',
        parameters: { AdminAccountId: props.adminAccountId },
      },
      statements: [
        new iam.PolicyStatement({
          actions: [
            'guardduty:EnableOrganizationAdminAccount',
            'guardduty:DisableOrganizationAdminAccount',
            'guardduty:ListOrganizationAdminAccounts',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          actions: [
            'organizations:EnableAWSServiceAccess',
            'organizations:RegisterDelegatedAdministrator',
            'organizations:DeregisterDelegatedAdministrator',
          ],
          resources: ['*'],
          conditions: { StringEquals: { 'organizations:ServicePrincipal': services } },
        }),
        new iam.PolicyStatement({
          actions: [
            'organizations:ListDelegatedAdministrators',
            'organizations:ListAWSServiceAccessForOrganization',
            'organizations:DescribeOrganization',
            'organizations:DescribeAccount',
            'organizations:DescribeOrganizationalUnit',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [
            `arn:${Stack.of(this).partition}:iam::${Stack.of(this).account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
          ],
          conditions: { StringEquals: { 'iam:AWSServiceName': 'guardduty.amazonaws.com' } },
        }),
      ],
      wildcardReason:
        'GuardDuty organization-admin actions and the Organizations read/delegation actions support no resource-level permissions; delegation actions are bound to the GuardDuty service principals by organizations:ServicePrincipal.',
    });
  }
}

/** Stack for the management account: {@link GuardDutyDelegatedAdmin} (construct ID `DelegatedAdmin`). */
export class GuardDutyDelegationStack extends Stack {
  /** The designation. */
  readonly delegatedAdmin: GuardDutyDelegatedAdmin;

  constructor(scope: Construct, id: string, props: StackProps & GuardDutyDelegatedAdminProps) {
    super(scope, id, props);
    this.delegatedAdmin = new GuardDutyDelegatedAdmin(this, 'DelegatedAdmin', props);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Administrator account: detector, organization auto-enable, publishing, event routing
// ---------------------------------------------------------------------------------------------------------------

/** How the administrator's detector is obtained. */
export abstract class GuardDutyDetector {
  /**
   * Look up the detector GuardDuty enabled when the account was designated administrator (`ListDetectors`).
   * Deploy after the delegation stack.
   */
  static lookup(): GuardDutyDetector {
    return new LookupDetector();
  }
  /** Use a known detector ID. */
  static fromDetectorId(detectorId: string): GuardDutyDetector {
    return new KnownDetector(detectorId);
  }
  /** Create a detector (`AWS::GuardDuty::Detector`); only for accounts where GuardDuty is not enabled yet. */
  static create(options: { findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS' } = {}) {
    return new CreatedDetector(options.findingPublishingFrequency ?? 'FIFTEEN_MINUTES');
  }
  /** @internal */
  abstract _bind(scope: Construct): string;
}

class LookupDetector extends GuardDutyDetector {
  _bind(scope: Construct): string {
    const lookup = sdkCall(scope, 'DetectorLookup', {
      onCreate: {
        service: 'GuardDuty',
        action: 'listDetectors',
        parameters: {},
        physicalResourceId: cr.PhysicalResourceId.fromResponse('DetectorIds.0'),
        outputPaths: ['DetectorIds.0'],
      },
      statements: [new iam.PolicyStatement({ actions: ['guardduty:ListDetectors'], resources: ['*'] })],
      wildcardReason: 'guardduty:ListDetectors supports no resource-level permissions.',
    });
    return lookup.getResponseField('DetectorIds.0');
  }
}

class KnownDetector extends GuardDutyDetector {
  constructor(private readonly id: string) {
    super();
    if (!Token.isUnresolved(id) && !/^[0-9a-z]{32}$/.test(id)) {
      throw new Error(`GuardDutyDetector: invalid detector ID '${id}': expected 32 lowercase hex characters`);
    }
  }
  _bind(): string {
    return this.id;
  }
}

class CreatedDetector extends GuardDutyDetector {
  constructor(private readonly frequency: string) {
    super();
  }
  _bind(scope: Construct): string {
    return new guardduty.CfnDetector(scope, 'Detector', {
      enable: true,
      findingPublishingFrequency: this.frequency,
    }).ref;
  }
}

/** Properties of {@link GuardDutyFindingsHub}. */
export interface GuardDutyFindingsHubProps {
  /** The central archive bucket (import it with `s3.Bucket.fromBucketAttributes`). */
  readonly bucket: s3.IBucket;
  /**
   * KMS key (same Region as the bucket) GuardDuty encrypts exported findings with; its policy must contain
   * `guardDutyKeyPolicyStatement(...)`.
   */
  readonly publishingKey: kms.IKey;
  /**
   * Key prefix of the findings in the archive bucket.
   * @default 'guardduty'
   */
  readonly keyPrefix?: string;
  /**
   * The administrator's detector.
   * @default GuardDutyDetector.lookup()
   */
  readonly detector?: GuardDutyDetector;
  /**
   * Auto-enable GuardDuty for organization members: `ALL` (new and existing), `NEW` (accounts that join later), or
   * `NONE` (leave the organization configuration alone).
   * @default 'ALL'
   */
  readonly autoEnable?: 'ALL' | 'NEW' | 'NONE';
  /**
   * How often updated findings are exported and sent to EventBridge (set on the administrator's detector).
   * @default - the detector's setting (GuardDuty's default: SIX_HOURS; `GuardDutyDetector.create()`: FIFTEEN_MINUTES)
   */
  readonly findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  /**
   * GuardDuty protection plans to auto-enable for all members (each is billed), e.g. `S3_DATA_EVENTS`,
   * `EKS_AUDIT_LOGS`, `EBS_MALWARE_PROTECTION`, `RDS_LOGIN_EVENTS`, `LAMBDA_NETWORK_LOGS`, `RUNTIME_MONITORING`.
   * @default - foundational detection only
   * @see https://docs.aws.amazon.com/guardduty/latest/APIReference/API_OrganizationFeatureConfiguration.html
   */
  readonly features?: string[];
  /**
   * Retention of the findings log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * ARN of the streaming path's Firehose stream (same account as this stack): findings (the event's `detail`,
   * i.e. the GuardDuty finding JSON) are also put there, so they land next to the flow logs.
   * @default - findings go only to CloudWatch Logs and the S3 export
   */
  readonly firehoseStreamArn?: string;
}

/**
 * The GuardDuty administrator side: the detector, organization auto-enable (all members), findings export to the
 * central archive (SSE-KMS), and an EventBridge rule routing every finding to a KMS-encrypted CloudWatch Logs
 * group and, optionally, to the streaming path's Firehose.
 */
export class GuardDutyFindingsHub extends Construct {
  /** The administrator's detector ID. */
  readonly detectorId: string;
  /** The publishing destination (construct ID `Resource`). */
  readonly publishingDestination: guardduty.CfnPublishingDestination;
  /** Log group receiving every finding event. */
  readonly logGroup: logs.LogGroup;
  /** Key encrypting the log group. */
  readonly logKey: kms.Key;
  /** Rule routing findings. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: GuardDutyFindingsHubProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.detectorId = (props.detector ?? GuardDutyDetector.lookup())._bind(this);

    const autoEnable = props.autoEnable ?? 'ALL';
    if (props.findingPublishingFrequency) {
      sdkCall(this, 'DetectorSettings', {
        onCreate: {
          service: 'GuardDuty',
          action: 'updateDetector',
          parameters: {
            DetectorId: this.detectorId,
            FindingPublishingFrequency: props.findingPublishingFrequency,
          },
          physicalResourceId: cr.PhysicalResourceId.of('guardduty-detector-settings'),
        },
        statements: [
          new iam.PolicyStatement({
            actions: ['guardduty:UpdateDetector'],
            resources: [
              stack.formatArn({ service: 'guardduty', resource: 'detector', resourceName: this.detectorId }),
            ],
          }),
        ],
      });
    }
    if (autoEnable !== 'NONE') {
      const features = (props.features ?? []).map((name) => {
        if (!/^[A-Z][A-Z0-9_]+$/.test(name)) {
          throw new Error(
            `GuardDutyFindingsHub: invalid feature '${name}': expected a name like 'S3_DATA_EVENTS'`,
          );
        }
        return { Name: name, AutoEnable: 'ALL' };
      });
      sdkCall(this, 'OrganizationConfiguration', {
        onCreate: {
          service: 'GuardDuty',
          action: 'updateOrganizationConfiguration',
          parameters: {
            DetectorId: this.detectorId,
            AutoEnableOrganizationMembers: autoEnable,
            ...(features.length > 0
              ? { Features: features.map((f) => ({ ...f, AutoEnable: autoEnable })) }
              : {}),
          },
          physicalResourceId: cr.PhysicalResourceId.of('guardduty-organization-configuration'),
        },
        onDelete: {
          service: 'GuardDuty',
          action: 'updateOrganizationConfiguration',
          parameters: { DetectorId: this.detectorId, AutoEnableOrganizationMembers: 'NEW' },
        },
        statements: [
          new iam.PolicyStatement({
            actions: ['guardduty:UpdateOrganizationConfiguration'],
            resources: [
              stack.formatArn({ service: 'guardduty', resource: 'detector', resourceName: this.detectorId }),
            ],
          }),
          new iam.PolicyStatement({
            actions: ['organizations:DescribeOrganization', 'organizations:ListAccounts'],
            resources: ['*'],
          }),
        ],
        wildcardReason:
          'organizations:DescribeOrganization/ListAccounts support no resource-level permissions.',
      });
    }

    const prefix = guardDutyPrefix(props.keyPrefix);
    this.publishingDestination = new guardduty.CfnPublishingDestination(this, 'Resource', {
      detectorId: this.detectorId,
      destinationType: 'S3',
      destinationProperties: {
        destinationArn: prefix === '' ? props.bucket.bucketArn : `${props.bucket.bucketArn}/${prefix}/`,
        kmsKeyArn: props.publishingKey.keyArn,
      },
    });

    this.logKey = new kms.Key(this, 'LogKey', {
      description: 'flowlake: encrypts the GuardDuty findings log group',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.logKey.addToResourcePolicy(
      logGroupKeyPolicyStatement({
        region: stack.region,
        accountId: stack.account,
        logGroupName: GUARDDUTY_FINDINGS_LOG_GROUP,
        partition: stack.partition,
      }),
    );
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: GUARDDUTY_FINDINGS_LOG_GROUP,
      encryptionKey: this.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: GUARDDUTY_FINDINGS_LOG_GROUP,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const ruleArn = stack.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: GUARDDUTY_FINDINGS_RULE_NAME,
    });
    // EventBridge writes to CloudWatch Logs under the log group's resource policy (one per account and Region).
    new logs.ResourcePolicy(this, 'LogGroupPolicy', {
      resourcePolicyName: 'flowlake-guardduty-findings-events',
      policyStatements: [
        new iam.PolicyStatement({
          sid: 'EventBridgeToGuardDutyFindingsLogGroup',
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('delivery.logs.amazonaws.com'),
          ],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroupArn}:*`],
        }),
      ],
    });

    this.rule = new events.Rule(this, 'Rule', {
      ruleName: GUARDDUTY_FINDINGS_RULE_NAME,
      description:
        'flowlake: GuardDuty findings to CloudWatch Logs (and the streaming Firehose when enabled)',
      eventPattern: GUARDDUTY_FINDING_EVENT_PATTERN,
    });
    this.rule.addTarget({ bind: () => ({ arn: logGroupArn }) });

    if (props.firehoseStreamArn) {
      const streamArn = props.firehoseStreamArn;
      if (!Token.isUnresolved(streamArn)) {
        const parts = Arn.split(streamArn, ArnFormat.SLASH_RESOURCE_NAME);
        if (parts.service !== 'firehose' || parts.resource !== 'deliverystream') {
          throw new Error(
            `GuardDutyFindingsHub: invalid firehoseStreamArn '${streamArn}': expected arn:aws:firehose:<region>:<account>:deliverystream/<name>`,
          );
        }
        if (!Token.isUnresolved(stack.account) && parts.account !== stack.account) {
          throw new Error(
            `GuardDutyFindingsHub: firehoseStreamArn '${streamArn}' is in account ${parts.account}, but EventBridge can put to Firehose only in its own account (${stack.account}). Deploy the GuardDuty admin stack in the streaming account, or omit firehoseStreamArn.`,
          );
        }
      }
      const role = new iam.Role(this, 'FirehoseTargetRole', {
        description: 'flowlake: lets the GuardDuty findings rule put findings into the streaming Firehose',
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnEquals: { 'aws:SourceArn': ruleArn },
          },
        }),
      });
      role.addManagedPolicy(
        new iam.ManagedPolicy(this, 'FirehoseTargetPolicy', {
          statements: [
            new iam.PolicyStatement({
              actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
              resources: [streamArn],
            }),
          ],
        }),
      );
      this.rule.addTarget({
        bind: () => ({ arn: streamArn, role, input: events.RuleTargetInput.fromEventPath('$.detail') }),
      });
    }
  }
}

/** Properties of {@link GuardDutyAdminStack}. */
export interface GuardDutyAdminStackProps
  extends StackProps,
    Omit<GuardDutyFindingsHubProps, 'bucket' | 'publishingKey'> {
  /** Name of the central archive bucket. */
  readonly archiveBucketName: string;
  /** Log-archive account (owner of the bucket). */
  readonly archiveAccountId: string;
  /** ARN of the KMS key for exported findings (the archive key). */
  readonly publishingKeyArn: string;
}

/** Stack for the delegated GuardDuty administrator account: {@link GuardDutyFindingsHub} (ID `FindingsHub`). */
export class GuardDutyAdminStack extends Stack {
  /** The hub. */
  readonly hub: GuardDutyFindingsHub;

  constructor(scope: Construct, id: string, props: GuardDutyAdminStackProps) {
    super(scope, id, props);
    const bucket = s3.Bucket.fromBucketAttributes(this, 'ArchiveBucket', {
      bucketName: props.archiveBucketName,
      account: props.archiveAccountId,
    });
    const publishingKey = kms.Key.fromKeyArn(this, 'PublishingKey', props.publishingKeyArn);
    this.hub = new GuardDutyFindingsHub(this, 'FindingsHub', { ...props, bucket, publishingKey });
  }
}

/**
 * Archive side: adds the documented GuardDuty publishing statements to the archive bucket and key (both must
 * belong to the calling stack). Deploy before the GuardDuty admin stack.
 */
export function addGuardDutyPublishingAccess(
  bucket: s3.IBucket,
  key: kms.IKey,
  props: GuardDutyPublisher & Pick<GuardDutyBucketPolicyProps, 'keyPrefix'>,
): iam.PolicyStatement[] {
  const statements = guardDutyBucketPolicyStatements({
    ...props,
    bucketArn: bucket.bucketArn,
    kmsKeyArn: key.keyArn,
  });
  addOwnedResourceStatements('addGuardDutyPublishingAccess', bucket, 'bucket', statements);
  const keyStatement = guardDutyKeyPolicyStatement(props);
  addOwnedResourceStatements('addGuardDutyPublishingAccess', key, 'key', [keyStatement]);
  return [...statements, keyStatement];
}
