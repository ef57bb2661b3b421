import { DEFAULT_FIELDS, FIELD_BY_NAME, FIELDS, type FieldSpec, TGW_DEFAULT_FIELDS } from './fields.js';

/** A format string or header names a field AWS does not define, or is otherwise malformed. */
export class FormatError extends Error {
  constructor(
    message: string,
    /** The unknown field name, when that is the problem. */
    readonly field?: string,
    /** Known field names close to it. */
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

const TOKEN = /\$\{([^}]*)\}/g;

/** Edit distance (Levenshtein) between two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Up to three catalog field names close to `name` (typos, underscores, case, substrings). */
export function nearFieldNames(name: string): string[] {
  const lower = name.toLowerCase().replaceAll('_', '-');
  const exact = FIELD_BY_NAME.get(lower);
  if (exact) return [exact.name];
  const limit = Math.max(2, Math.floor(lower.length / 3));
  return FIELDS.map((s) => ({
    name: s.name,
    d: s.name.includes(lower) || lower.includes(s.name) ? 0.5 : distance(lower, s.name),
  }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((c) => c.name);
}

function lookup(name: string, where: string): FieldSpec {
  const spec = FIELD_BY_NAME.get(name);
  if (!spec) {
    const near = nearFieldNames(name);
    const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '';
    throw new FormatError(
      `unknown flow log field '${name}' in ${where}.${hint} Known fields are listed by 'flowlake fields'.`,
      name,
      near,
    );
  }
  return spec;
}

/**
 * An ordered list of flow-log fields: the custom format of a flow log (`${a} ${b} ...`), or the header line of an S3
 * text object (`a b ...`).
 */
export class FlowLogFormat {
  /** AWS's default format (the 14 version-2 fields). */
  static readonly DEFAULT: FlowLogFormat = FlowLogFormat.fromFields(DEFAULT_FIELDS);
  /** The format of a Transit Gateway flow log created without a log format (all 36 Transit Gateway fields). */
  static readonly TGW_DEFAULT: FlowLogFormat = FlowLogFormat.fromFields(TGW_DEFAULT_FIELDS);

  /**
   * Parses a format string such as `${version} ${account-id} ${srcaddr}`.
   * @throws FormatError naming the first unknown field or stray text.
   */
  static parse(format: string): FlowLogFormat {
    const names: string[] = [];
    let last = 0;
    for (const m of format.matchAll(TOKEN)) {
      const between = format.slice(last, m.index);
      if (between.trim() !== '') {
        throw new FormatError(
          `unexpected text '${between.trim()}' in format string; use '\${field-name}' tokens separated by spaces.`,
        );
      }
      names.push(m[1].trim());
      last = m.index + m[0].length;
    }
    const rest = format.slice(last).trim();
    if (rest !== '') {
      throw new FormatError(
        `unexpected text '${rest}' in format string; use '\${field-name}' tokens separated by spaces.`,
      );
    }
    if (names.length === 0) {
      throw new FormatError(`format string '${format}' names no field; give at least one '\${field-name}'.`);
    }
    return new FlowLogFormat(names.map((n) => lookup(n, 'format string')));
  }

  /**
   * Reads the header line of an S3 text object (`version account-id ...`). Underscore names (Parquet/Athena style)
   * are accepted too.
   */
  static fromHeader(line: string): FlowLogFormat {
    const names = line.trim().split(/\s+/).filter(Boolean);
    if (names.length === 0) throw new FormatError('empty header line; expected space-separated field names.');
    return new FlowLogFormat(
      names.map((n) => lookup(n.includes('_') ? n.replaceAll('_', '-') : n, 'header line')),
    );
  }

  /** A format from field names (hyphenated). */
  static fromFields(names: readonly string[]): FlowLogFormat {
    if (names.length === 0) throw new FormatError('a format needs at least one field.');
    return new FlowLogFormat(names.map((n) => lookup(n, 'field list')));
  }

  /** True when a line looks like a header (its first token is a known field name rather than a value). */
  static isHeaderLine(line: string): boolean {
    const first = line.trimStart().split(/\s/, 1)[0] ?? '';
    return FIELD_BY_NAME.has(first) || FIELD_BY_NAME.has(first.replaceAll('_', '-'));
  }

  /** The fields, in record order. */
  readonly fields: readonly FieldSpec[];
  /** Field names, in record order. */
  readonly names: readonly string[];
  /** The format's version: the highest version among its fields. */
  readonly version: number;

  private readonly positions: ReadonlyMap<string, number>;

  private constructor(fields: readonly FieldSpec[]) {
    const seen = new Set<string>();
    for (const s of fields) {
      if (seen.has(s.name)) throw new FormatError(`field '${s.name}' appears twice; list each field once.`);
      seen.add(s.name);
    }
    this.fields = fields;
    this.names = fields.map((s) => s.name);
    this.version = Math.max(...fields.map((s) => s.version));
    this.positions = new Map(this.names.map((n, i) => [n, i]));
  }

  /** Position of a field in the record, or -1 when the format lacks it. */
  indexOf(name: string): number {
    return this.positions.get(name) ?? -1;
  }

  /** True when the format includes the field. */
  has(name: string): boolean {
    return this.positions.has(name);
  }

  /** The format string AWS accepts (`${a} ${b}`). */
  toString(): string {
    return this.names.map((n) => `\${${n}}`).join(' ');
  }

  /** The header line AWS writes at the top of S3 text objects (`a b`). */
  header(): string {
    return this.names.join(' ');
  }

  /** True when both formats list the same fields in the same order. */
  equals(other: FlowLogFormat): boolean {
    return this.names.length === other.names.length && this.names.every((n, i) => n === other.names[i]);
  }
}
