/** One problem found in a config file. */
export interface ConfigIssue {
  /** error: the config is rejected; warning: accepted, but worth a look. */
  readonly severity: 'error' | 'warning';
  /** Dotted YAML path, e.g. `members[0].regions[1]` (`(root)` for the document). */
  readonly path: string;
  /** 1-based line of the offending node (or of its closest existing parent). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** What is wrong, naming the bad value. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
}

/** Renders a path array as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

/** `file:line:col  path  message` + `  fix: hint` lines, one block per issue. */
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues
    .map((i) => `${file}:${i.line}:${i.column} ${i.severity} ${i.path}: ${i.message}\n  fix: ${i.hint}\n`)
    .join('');
}
