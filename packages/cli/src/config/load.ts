import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { splitHint } from './hint.js';
import { type ConfigIssue, formatPath } from './issues.js';
import { unverifiedFields } from './log-format.js';
import { BASE_CONFIG_SCHEMA, type FlowlakeConfig, FlowlakeConfigSchema } from './schema.js';
import { keysAt } from './schema-walk.js';
import { closest } from './suggest.js';

/** The outcome of reading a config: the config when valid, and every issue found. */
export interface LoadResult {
  /** The validated config with defaults applied; undefined when any error was found. */
  readonly config?: FlowlakeConfig;
  /** Errors first, then warnings, each in document order. */
  readonly issues: readonly ConfigIssue[];
}

type Path = readonly PropertyKey[];

interface Located {
  line: number;
  column: number;
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'remove one of the two keys (each key may appear once per mapping)',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'align the key with its siblings (spaces only)',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line; did you forget a ':' or a quote?",
  BLOCK_AS_IMPLICIT_KEY: "a key must fit on one line; did you forget a ':' or a quote?",
};

/** Locates the YAML node at `path` (or, with `asKey`, the key of its last segment). Falls back to the closest parent. */
function locate(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: Path, asKey = false): Located {
  let node: unknown = doc.contents;
  let best: [number, number] | undefined = (doc.contents as Node | null)?.range as
    | [number, number]
    | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) best = key.range as unknown as [number, number];
      if (last && asKey) break;
      node = pair.value;
      const v = node as Node | null;
      if (v?.range && !(isMap(v) || isSeq(v))) best = v.range as unknown as [number, number];
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      if (item.range) best = item.range as unknown as [number, number];
      node = item;
    } else break;
  }
  const pos = lc.linePos(best?.[0] ?? 0);
  return { line: pos.line, column: pos.col };
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  return typeof v;
}

const EXPECTED: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string' };

/** Flattens union, record-key and element issues into leaf issues with absolute paths. */
function leaves(issues: readonly z.core.$ZodIssue[], prefix: Path = []): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const i of issues) {
    const path = [...prefix, ...i.path];
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      // A branch whose issues are deeper than the union itself matched the value's type: report its issues.
      const matched = i.errors.filter(
        (branch) =>
          !branch.some((b) => b.path.length === 0 && ['invalid_type', 'invalid_value'].includes(b.code)),
      );
      if (matched.length === 1) {
        out.push(...leaves(matched[0], path));
        continue;
      }
    }
    if (i.code === 'invalid_key' || i.code === 'invalid_element') {
      out.push(...leaves(i.issues, path));
      continue;
    }
    out.push({ ...i, path } as z.core.$ZodIssue);
  }
  return out;
}

function toConfigIssues(
  zodIssues: readonly z.core.$ZodIssue[],
  doc: ReturnType<typeof parseDocument>,
  lc: LineCounter,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const i of leaves(zodIssues)) {
    const { message, hint } = splitHint(i.message);
    if (i.code === 'unrecognized_keys') {
      const allowed = keysAt(BASE_CONFIG_SCHEMA, i.path);
      for (const k of i.keys) {
        const guess = closest(k, allowed);
        out.push({
          severity: 'error',
          path: formatPath([...i.path, k]),
          ...locate(doc, lc, [...i.path, k], true),
          message: guess ? `unknown key '${k}' - did you mean '${guess}'?` : `unknown key '${k}'`,
          hint: guess
            ? `rename '${k}' to '${guess}'`
            : `allowed keys here: ${allowed.join(', ') || '(none)'}`,
        });
      }
      continue;
    }
    const where = { path: formatPath(i.path), ...locate(doc, lc, i.path) };
    const key = String(i.path[i.path.length - 1] ?? 'value');
    if (i.code === 'invalid_type' && i.input === undefined) {
      out.push({
        severity: 'error',
        ...where,
        message: `missing required key '${key}'`,
        hint: hint ?? `add '${key}:' here (see docs/config.md)`,
      });
      continue;
    }
    let text = message;
    let fix = hint;
    if (i.code === 'invalid_type' && !hint) {
      text = `expected ${EXPECTED[i.expected] ?? i.expected}, got ${typeName(i.input)}`;
    }
    if (i.code === 'invalid_value' && typeof i.input === 'string') {
      const guess = closest(
        i.input,
        i.values.map((v) => String(v)),
      );
      if (guess) fix = `did you mean '${guess}'? ${fix ?? ''}`.trim();
      else fix ??= `use one of ${i.values.map((v) => String(v)).join(', ')}`;
    }
    if (i.input !== undefined && !['unrecognized_keys', 'custom'].includes(i.code)) {
      text = `${text} (got ${show(i.input)})`;
    }
    out.push({ severity: 'error', ...where, message: text, hint: fix ?? 'see docs/config.md for this key' });
  }
  return out;
}

function warnings(c: FlowlakeConfig, doc: ReturnType<typeof parseDocument>, lc: LineCounter): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const warn = (path: Path, message: string, hint: string) =>
    out.push({ severity: 'warning', path: formatPath(path), ...locate(doc, lc, path), message, hint });
  const unverified = unverifiedFields(c.flowLogs.format);
  if (unverified.length > 0) {
    warn(
      ['flowLogs', 'format'],
      `fields not yet verified against a live account: ${unverified.join(', ')}`,
      'check that CreateFlowLogs accepts them in your regions before deploying',
    );
  }
  const replicating = c.members.findIndex((m) => (m.delivery ?? c.delivery) === 'replication');
  if (replicating >= 0 && !c.central.keyArn) {
    warn(
      ['central'],
      `members[${replicating}] uses the replication path, which needs central.keyArn before synth`,
      'deploy the central stack first, then set central.keyArn to its KeyArn output (see docs/deploy.md)',
    );
  }
  const lock = c.retention.objectLock;
  if (lock && lock.days > c.retention.expireDays) {
    warn(
      ['retention', 'objectLock', 'days'],
      `Object Lock keeps versions ${lock.days} days, longer than expireDays (${c.retention.expireDays})`,
      'expired objects stay (as locked noncurrent versions) until the lock ends; align the two',
    );
  }
  if (lock?.mode === 'COMPLIANCE') {
    warn(
      ['retention', 'objectLock', 'mode'],
      'COMPLIANCE mode cannot be shortened or removed by anyone, including the root user',
      'use GOVERNANCE until the retention period is final',
    );
  }
  return out;
}

function order(a: ConfigIssue, b: ConfigIssue): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/** Validates config text (YAML). Never throws for bad input: every problem is an issue. */
export function parseConfig(text: string): LoadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const syntax: ConfigIssue[] = doc.errors.map((e) => {
    const pos = lc.linePos(e.pos[0]);
    return {
      severity: 'error',
      path: '(yaml)',
      line: pos.line,
      column: pos.col,
      message: e.message.split('\n')[0],
      hint: YAML_HINTS[e.code] ?? 'fix the YAML syntax at this position',
    };
  });
  if (syntax.length > 0) return { issues: syntax };
  // Integers written with a leading zero (account ids) keep their digits.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.range) {
        const src = text.slice(node.range[0], node.range[1]);
        if (/^0\d+$/.test(src)) node.value = src;
      }
    },
  });
  const raw = doc.toJS({ maxAliasCount: 1000 });
  if (raw === null || raw === undefined) {
    return {
      issues: [
        {
          severity: 'error',
          path: '(root)',
          line: 1,
          column: 1,
          message: 'the config is empty',
          hint: 'start from examples/flowlake.yaml',
        },
      ],
    };
  }
  const parsed = FlowlakeConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { issues: toConfigIssues(parsed.error.issues, doc, lc).sort(order) };
  return { config: parsed.data, issues: warnings(parsed.data, doc, lc).sort(order) };
}

/** Reads and validates a config file. Throws only when the file cannot be read. */
export async function loadConfigFile(file: string): Promise<LoadResult> {
  return parseConfig(await readFile(file, 'utf8'));
}
