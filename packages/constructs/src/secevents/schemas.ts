/**
 * Column schemas of CloudTrail records and GuardDuty findings, written once and rendered both as Glue (Hive) types
 * for Athena and as DuckDB types for the local engine. Names are AWS's JSON keys (camelCase); Glue columns are their
 * lowercase form (the JSON SerDes match keys case-insensitively), DuckDB reads the exact keys and resolves
 * identifiers case-insensitively, so the same SQL runs on both.
 */

/** A column type. `json` is a nested document kept as text (Athena `string`, DuckDB `JSON`). */
export type EventType =
  | 'string'
  | 'int'
  | 'bigint'
  | 'double'
  | 'boolean'
  | 'json'
  | { readonly struct: readonly EventColumn[] }
  | { readonly array: EventType };

/** A named column or struct field. */
export type EventColumn = readonly [name: string, type: EventType];

const ip: EventType = { struct: [['ipAddressV4', 'string']] };
const port: EventType = {
  struct: [
    ['port', 'int'],
    ['portName', 'string'],
  ],
};

/**
 * CloudTrail record fields (the columns of AWS's Athena CloudTrail table).
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export const CLOUDTRAIL_COLUMNS: readonly EventColumn[] = [
  ['eventVersion', 'string'],
  [
    'userIdentity',
    {
      struct: [
        ['type', 'string'],
        ['principalId', 'string'],
        ['arn', 'string'],
        ['accountId', 'string'],
        ['invokedBy', 'string'],
        ['accessKeyId', 'string'],
        ['userName', 'string'],
      ],
    },
  ],
  ['eventTime', 'string'],
  ['eventSource', 'string'],
  ['eventName', 'string'],
  ['awsRegion', 'string'],
  ['sourceIPAddress', 'string'],
  ['userAgent', 'string'],
  ['errorCode', 'string'],
  ['errorMessage', 'string'],
  ['requestParameters', 'json'],
  ['responseElements', 'json'],
  ['additionalEventData', 'json'],
  ['requestID', 'string'],
  ['eventID', 'string'],
  [
    'resources',
    {
      array: {
        struct: [
          ['arn', 'string'],
          ['accountId', 'string'],
          ['type', 'string'],
        ],
      },
    },
  ],
  ['eventType', 'string'],
  ['apiVersion', 'string'],
  ['readOnly', 'string'],
  ['recipientAccountId', 'string'],
  ['serviceEventDetails', 'json'],
  ['sharedEventID', 'string'],
  ['vpcEndpointId', 'string'],
  ['eventCategory', 'string'],
];

/**
 * GuardDuty finding fields used by the catalog (finding JSON of S3 exports and EventBridge `detail`).
 * @see https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Finding.html
 */
export const GUARDDUTY_COLUMNS: readonly EventColumn[] = [
  ['schemaVersion', 'string'],
  ['accountId', 'string'],
  ['region', 'string'],
  ['id', 'string'],
  ['arn', 'string'],
  ['type', 'string'],
  [
    'resource',
    {
      struct: [
        ['resourceType', 'string'],
        [
          'instanceDetails',
          {
            struct: [
              ['instanceId', 'string'],
              ['instanceType', 'string'],
              [
                'networkInterfaces',
                {
                  array: {
                    struct: [
                      ['networkInterfaceId', 'string'],
                      ['privateIpAddress', 'string'],
                      ['publicIp', 'string'],
                      ['subnetId', 'string'],
                      ['vpcId', 'string'],
                    ],
                  },
                },
              ],
            ],
          },
        ],
      ],
    },
  ],
  [
    'service',
    {
      struct: [
        ['serviceName', 'string'],
        ['detectorId', 'string'],
        [
          'action',
          {
            struct: [
              ['actionType', 'string'],
              [
                'networkConnectionAction',
                {
                  struct: [
                    ['connectionDirection', 'string'],
                    ['protocol', 'string'],
                    ['blocked', 'boolean'],
                    ['localIpDetails', ip],
                    ['localPortDetails', port],
                    ['remoteIpDetails', ip],
                    ['remotePortDetails', port],
                  ],
                },
              ],
              [
                'portProbeAction',
                {
                  struct: [
                    ['blocked', 'boolean'],
                    [
                      'portProbeDetails',
                      {
                        array: {
                          struct: [
                            ['localPortDetails', port],
                            ['localIpDetails', ip],
                            ['remoteIpDetails', ip],
                          ],
                        },
                      },
                    ],
                  ],
                },
              ],
              [
                'awsApiCallAction',
                {
                  struct: [
                    ['api', 'string'],
                    ['callerType', 'string'],
                    ['serviceName', 'string'],
                    ['remoteIpDetails', ip],
                  ],
                },
              ],
            ],
          },
        ],
        ['resourceRole', 'string'],
        ['eventFirstSeen', 'string'],
        ['eventLastSeen', 'string'],
        ['archived', 'boolean'],
        ['count', 'int'],
      ],
    },
  ],
  ['severity', 'double'],
  ['createdAt', 'string'],
  ['updatedAt', 'string'],
  ['title', 'string'],
  ['description', 'string'],
];

/** Glue/Hive type string, e.g. `struct<arn:string,accountid:string>`. */
export function glueType(t: EventType): string {
  if (typeof t === 'string') return t === 'json' ? 'string' : t;
  if ('array' in t) return `array<${glueType(t.array)}>`;
  return `struct<${t.struct.map(([n, c]) => `${n.toLowerCase()}:${glueType(c)}`).join(',')}>`;
}

const DUCK: Record<string, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  json: 'JSON',
};

/** DuckDB type string with AWS's key names, e.g. `STRUCT("arn" VARCHAR, "accountId" VARCHAR)`. */
export function duckDbType(t: EventType): string {
  if (typeof t === 'string') return DUCK[t];
  if ('array' in t) return `${duckDbType(t.array)}[]`;
  return `STRUCT(${t.struct.map(([n, c]) => `"${n}" ${duckDbType(c)}`).join(', ')})`;
}

/** Glue columns (lowercase names) of a schema. */
export function glueColumns(columns: readonly EventColumn[]): { name: string; type: string }[] {
  return columns.map(([name, type]) => ({ name: name.toLowerCase(), type: glueType(type) }));
}

/** DuckDB `columns={...}` argument of `read_json` for a schema. */
export function duckDbColumns(columns: readonly EventColumn[]): string {
  return `{${columns.map(([name, type]) => `'${name}': '${duckDbType(type)}'`).join(', ')}}`;
}
