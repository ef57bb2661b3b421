/**
 * S3 object keys and file names that VPC Flow Logs writes, in all four layouts (default, per-hour partitions,
 * Hive-compatible prefixes, Hive + per-hour), for plain-text (`.log.gz`) and Parquet (`.log.parquet`) files.
 *
 * ```
 * [prefix/]AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]<file>
 * [prefix/]AWSLogs/aws-account-id=<acct>/aws-service=vpcflowlogs/aws-region=<region>/year=YYYY/month=MM/day=DD/[hour=HH/]<file>
 * <file> = <acct>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz | .log.parquet
 * ```
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
import { createHash } from 'node:crypto';

/** How partitions are spelled in the key: `DestinationOptions.HiveCompatiblePartitions` / `PerHourPartition`. */
export interface KeyLayout {
  /** Hive-compatible prefixes (`aws-account-id=`, `aws-region=`, `year=`...). */
  readonly hive: boolean;
  /** An hour partition below the day. */
  readonly perHour: boolean;
}

/** `DestinationOptions.FileFormat`: `plain-text` (gzip text with a header line) or `parquet`. */
export type FileFormat = 'text' | 'parquet';

/** The four layouts AWS can write. */
export const KEY_LAYOUTS: readonly KeyLayout[] = [
  { hive: false, perHour: false },
  { hive: false, perHour: true },
  { hive: true, perHour: false },
  { hive: true, perHour: true },
];

/** Both file formats. */
export const FILE_FORMATS: readonly FileFormat[] = ['text', 'parquet'];

/** File name suffix AWS uses for each file format. */
export const FILE_SUFFIX: Readonly<Record<FileFormat, string>> = { text: '.log.gz', parquet: '.log.parquet' };

/** Minutes covered by one delivered file: AWS publishes files at 5-minute intervals. */
export const FILE_WINDOW_MINUTES = 5;

/** A key that is not a VPC Flow Logs object key, or inputs that cannot form one. */
export class KeyLayoutError extends Error {
  /** The offending key or value. */
  readonly key: string;
  /** What was expected instead. */
  readonly expected: string;

  /** `detail` says what is wrong; `input` marks a bad value given to a builder rather than a bad key. */
  constructor(key: string, expected: string, detail?: string, input = false) {
    super(
      input
        ? `${detail ?? 'invalid value'} '${key}': expected ${expected}.`
        : `'${key}' is not a VPC flow log S3 key: ${detail ? `${detail}; ` : ''}expected ${expected}.`,
    );
    this.name = 'KeyLayoutError';
    this.key = key;
    this.expected = expected;
  }
}

/** Inputs of {@link buildObjectKey}. */
export interface ObjectKeyInput {
  /** Optional folder inside the bucket (`my-logs` or `my/logs/`); may not contain an `AWSLogs` segment. */
  readonly prefix?: string;
  /** 12-digit account ID (a string: it may start with zeros). */
  readonly accountId: string;
  /** Region of the flow log, e.g. `eu-west-1`. */
  readonly region: string;
  /** Any instant inside the file's 5-minute window (records whose end time falls in it). */
  readonly time: Date;
  /** Flow log ID, e.g. `fl-1234abcd`. */
  readonly flowLogId: string;
  /** The random-looking suffix AWS appends; default: 8 hex chars derived from the other inputs. */
  readonly hash?: string;
  /** Partition layout. */
  readonly layout: KeyLayout;
  /** File format. */
  readonly fileFormat: FileFormat;
}

/** Everything a flow-log object key tells. */
export interface ParsedObjectKey {
  /** The key as given. */
  readonly key: string;
  /** The folder before `AWSLogs/`, without slashes; `''` when there is none. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Partition values (UTC). */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Hour partition; present only in per-hour layouts. */
  readonly hour?: number;
  readonly layout: KeyLayout;
  readonly fileFormat: FileFormat;
  readonly flowLogId: string;
  /** Start of the file's 5-minute window, from the file name (`YYYYMMDDTHHmmZ`). */
  readonly time: Date;
  readonly hash: string;
  /** The last key segment. */
  readonly fileName: string;
}

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const FLOW_LOG_ID_RE = /^fl-[0-9a-z]+$/;
const HASH_RE = /^[0-9A-Za-z]+$/;
const FILE_RE =
  /^(\d{12})_vpcflowlogs_([a-z]{2}(?:-[a-z]+)+-\d{1,2})_(fl-[0-9a-z]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_([0-9A-Za-z]+)(\.log\.gz|\.log\.parquet|\.parquet)$/;
const FILE_PATTERN = '<acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz|.log.parquet';

const PLACEHOLDER: Record<string, string> = { year: 'YYYY', month: 'MM', day: 'DD', hour: 'HH' };

const pad2 = (n: number): string => String(n).padStart(2, '0');

function checkInput(value: string, re: RegExp, what: string, example: string): void {
  if (!re.test(value)) throw new KeyLayoutError(value, `${what} like '${example}'`, `invalid ${what}`, true);
}

/** Normalizes a user prefix: no leading/trailing slashes, no empty or reserved `AWSLogs` segment. */
export function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return '';
  const p = prefix.replace(/^\/+|\/+$/g, '');
  if (p === '') return '';
  const segments = p.split('/');
  if (segments.some((s) => s === '')) {
    throw new KeyLayoutError(
      prefix,
      "a prefix without empty segments ('a/b', not 'a//b')",
      'invalid prefix',
      true,
    );
  }
  if (segments.includes('AWSLogs')) {
    throw new KeyLayoutError(
      prefix,
      "a prefix without an 'AWSLogs' folder (AWS reserves it)",
      'invalid prefix',
      true,
    );
  }
  return p;
}

function withPrefix(prefix: string | undefined, rest: string): string {
  const p = normalizePrefix(prefix);
  return p === '' ? rest : `${p}/${rest}`;
}

/** Start of the 5-minute delivery window that contains `time`. */
export function fileWindowStart(time: Date): Date {
  const ms = time.getTime();
  if (!Number.isFinite(ms)) throw new KeyLayoutError(String(time), 'a valid Date', 'invalid time', true);
  const w = FILE_WINDOW_MINUTES * 60_000;
  return new Date(Math.floor(ms / w) * w);
}

/**
 * The per-account folder delivery writes below, as used in bucket policies: `[prefix/]AWSLogs/<acct>/` or, with
 * Hive-compatible prefixes, `[prefix/]AWSLogs/aws-account-id=<acct>/`.
 */
export function accountPrefix(prefix: string | undefined, accountId: string, layout: KeyLayout): string {
  checkInput(accountId, ACCOUNT_RE, 'account ID (12 digits)', '123456789012');
  return withPrefix(prefix, `AWSLogs/${layout.hive ? 'aws-account-id=' : ''}${accountId}/`);
}

/** Inputs of {@link partitionPrefix}. */
export interface PartitionInput {
  readonly prefix?: string;
  readonly accountId: string;
  readonly region: string;
  readonly time: Date;
  readonly layout: KeyLayout;
}

/** The folder holding a partition's files, ending in `/`: day, or hour in per-hour layouts (UTC). */
export function partitionPrefix(input: PartitionInput): string {
  const { accountId, region, time, layout } = input;
  checkInput(region, REGION_RE, 'region', 'us-east-1');
  const account = accountPrefix(input.prefix, accountId, layout);
  const t = fileWindowStart(time);
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  const m = pad2(t.getUTCMonth() + 1);
  const d = pad2(t.getUTCDate());
  const h = pad2(t.getUTCHours());
  if (layout.hive) {
    return `${account}aws-service=vpcflowlogs/aws-region=${region}/year=${y}/month=${m}/day=${d}/${layout.perHour ? `hour=${h}/` : ''}`;
  }
  return `${account}vpcflowlogs/${region}/${y}/${m}/${d}/${layout.perHour ? `${h}/` : ''}`;
}

function stamp(t: Date): string {
  return `${String(t.getUTCFullYear()).padStart(4, '0')}${pad2(t.getUTCMonth() + 1)}${pad2(t.getUTCDate())}T${pad2(t.getUTCHours())}${pad2(t.getUTCMinutes())}Z`;
}

/** The object's file name: `<acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`. */
export function buildFileName(input: Omit<ObjectKeyInput, 'prefix' | 'layout'>): string {
  const { accountId, region, flowLogId, fileFormat } = input;
  checkInput(accountId, ACCOUNT_RE, 'account ID (12 digits)', '123456789012');
  checkInput(region, REGION_RE, 'region', 'us-east-1');
  checkInput(flowLogId, FLOW_LOG_ID_RE, 'flow log ID', 'fl-1234abcd');
  const t = fileWindowStart(input.time);
  const hash =
    input.hash ??
    createHash('sha256')
      .update(`${accountId}/${region}/${flowLogId}/${t.toISOString()}/${fileFormat}`)
      .digest('hex')
      .slice(0, 8);
  checkInput(hash, HASH_RE, 'hash (letters and digits)', 'fe123456');
  const suffix = FILE_SUFFIX[fileFormat];
  if (suffix === undefined)
    throw new KeyLayoutError(String(fileFormat), "'text' or 'parquet'", 'invalid file format', true);
  return `${accountId}_vpcflowlogs_${region}_${flowLogId}_${stamp(t)}_${hash}${suffix}`;
}

/** The full object key AWS writes for a flow log file (without the bucket). */
export function buildObjectKey(input: ObjectKeyInput): string {
  return partitionPrefix(input) + buildFileName(input);
}

function describeLayout(hive: boolean): string {
  return hive
    ? 'AWSLogs/aws-account-id=<acct>/aws-service=vpcflowlogs/aws-region=<region>/year=YYYY/month=MM/day=DD/[hour=HH/]<file>'
    : 'AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]<file>';
}

function num(
  key: string,
  seg: string | undefined,
  name: string,
  hive: boolean,
  digits: number,
  max: number,
): number {
  const label = hive ? `${name}=` : '';
  const what = `'${label}${PLACEHOLDER[name]}' (${name}, ${digits} digits)`;
  if (seg === undefined || !seg.startsWith(label)) {
    throw new KeyLayoutError(key, `${what} in ${describeLayout(hive)}`, `found '${seg ?? '(end)'}'`);
  }
  const v = seg.slice(label.length);
  if (!new RegExp(`^\\d{${digits}}$`).test(v) || Number(v) > max || (name !== 'hour' && Number(v) === 0)) {
    throw new KeyLayoutError(key, what, `bad ${name} '${v}'`);
  }
  return Number(v);
}

/**
 * Parses a VPC Flow Logs object key (any of the four layouts, text or Parquet, with or without a prefix). A leading
 * `s3://bucket/` is not part of a key: strip it first.
 * @throws KeyLayoutError naming the first segment that does not fit.
 */
export function parseObjectKey(key: string): ParsedObjectKey {
  if (/^s3:\/\//i.test(key)) {
    throw new KeyLayoutError(
      key,
      'the object key alone, without the bucket',
      "an s3:// URI, not a key; drop 's3://<bucket>/'",
    );
  }
  const segments = key.split('/');
  const at = segments.indexOf('AWSLogs');
  if (at < 0)
    throw new KeyLayoutError(key, `a key containing ${describeLayout(false)}`, "no 'AWSLogs' folder");
  const prefix = segments.slice(0, at).join('/');
  if (segments.slice(0, at).some((s) => s === '')) {
    throw new KeyLayoutError(key, 'a prefix without empty segments', 'empty folder name before AWSLogs');
  }
  let i = at + 1;
  const acctSeg = segments[i++] ?? '';
  const hive = acctSeg.startsWith('aws-account-id=');
  const accountId = hive ? acctSeg.slice('aws-account-id='.length) : acctSeg;
  if (!ACCOUNT_RE.test(accountId)) {
    throw new KeyLayoutError(
      key,
      `'<acct>' or 'aws-account-id=<acct>' (12 digits) after AWSLogs/`,
      `found '${acctSeg}'`,
    );
  }
  const service = segments[i++];
  const wantService = hive ? 'aws-service=vpcflowlogs' : 'vpcflowlogs';
  if (service !== wantService) {
    throw new KeyLayoutError(
      key,
      `'${wantService}' in ${describeLayout(hive)}`,
      `found '${service ?? '(end)'}'`,
    );
  }
  const regionSeg = segments[i++] ?? '';
  const regionLabel = hive ? 'aws-region=' : '';
  const region = regionSeg.startsWith(regionLabel) ? regionSeg.slice(regionLabel.length) : '';
  if (!REGION_RE.test(region)) {
    throw new KeyLayoutError(
      key,
      `'${regionLabel}<region>' in ${describeLayout(hive)}`,
      `found '${regionSeg}'`,
    );
  }
  const year = num(key, segments[i++], 'year', hive, 4, 9999);
  const month = num(key, segments[i++], 'month', hive, 2, 12);
  const day = num(key, segments[i++], 'day', hive, 2, 31);
  const remaining = segments.length - i;
  if (remaining !== 1 && remaining !== 2) {
    throw new KeyLayoutError(
      key,
      `[${hive ? 'hour=' : ''}HH/]<file> after the day folder, file = ${FILE_PATTERN}`,
      remaining === 0 ? 'no file name' : 'too many folders',
    );
  }
  const perHour = remaining === 2;
  const hour = perHour ? num(key, segments[i++], 'hour', hive, 2, 23) : undefined;
  const fileName = segments[i];
  const m = FILE_RE.exec(fileName);
  if (!m) throw new KeyLayoutError(key, `a file name ${FILE_PATTERN}`, `bad file name '${fileName}'`);
  const [, fAcct, fRegion, flowLogId, fy, fmo, fd, fh, fmi, hash, ext] = m;
  if (fAcct !== accountId || fRegion !== region) {
    throw new KeyLayoutError(
      key,
      `the file name's account and region to match the folders (${accountId}, ${region})`,
      `file name says ${fAcct}, ${fRegion}`,
    );
  }
  const time = new Date(Date.UTC(Number(fy), Number(fmo) - 1, Number(fd), Number(fh), Number(fmi)));
  if (
    time.getUTCFullYear() !== Number(fy) ||
    time.getUTCMonth() + 1 !== Number(fmo) ||
    time.getUTCDate() !== Number(fd) ||
    time.getUTCHours() !== Number(fh) ||
    time.getUTCMinutes() !== Number(fmi)
  ) {
    throw new KeyLayoutError(
      key,
      'a real UTC date and time in the file name',
      `bad time '${fy}${fmo}${fd}T${fh}${fmi}Z'`,
    );
  }
  if (
    Number(fy) !== year ||
    Number(fmo) !== month ||
    Number(fd) !== day ||
    (hour !== undefined && Number(fh) !== hour)
  ) {
    throw new KeyLayoutError(
      key,
      "the file name's date/hour to match the partition folders",
      `file time ${fy}-${fmo}-${fd}T${fh} vs folders ${year}-${pad2(month)}-${pad2(day)}${hour === undefined ? '' : `T${pad2(hour)}`}`,
    );
  }
  return {
    key,
    prefix,
    accountId,
    region,
    year,
    month,
    day,
    ...(hour === undefined ? {} : { hour }),
    layout: { hive, perHour },
    fileFormat: ext === '.log.gz' ? 'text' : 'parquet',
    flowLogId,
    time,
    hash,
    fileName,
  };
}

/** Like {@link parseObjectKey}, but returns undefined for keys that are not flow-log objects. */
export function tryParseObjectKey(key: string): ParsedObjectKey | undefined {
  try {
    return parseObjectKey(key);
  } catch (e) {
    if (e instanceof KeyLayoutError) return undefined;
    throw e;
  }
}

/** Short name of a layout: `default`, `per-hour`, `hive`, `hive+per-hour`. */
export function layoutName(layout: KeyLayout): string {
  if (layout.hive) return layout.perHour ? 'hive+per-hour' : 'hive';
  return layout.perHour ? 'per-hour' : 'default';
}
