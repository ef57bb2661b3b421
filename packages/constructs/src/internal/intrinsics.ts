/**
 * Renders CloudFormation intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`) in a resolved CDK value to
 * plain strings, using the values given for each logical id and pseudo parameter. Used to measure policy sizes at
 * synth time and, in tests, to turn synthesized policies into concrete documents.
 */
export interface IntrinsicValues {
  /** Value of `{ Ref: id }` for resources and parameters (pseudo parameters like `AWS::AccountId` included). */
  readonly ref: (id: string) => string;
  /** Value of `{ 'Fn::GetAtt': [id, attr] }`. */
  readonly getAtt: (id: string, attr: string) => string;
}

/** Returns a deep copy of `value` with every supported intrinsic replaced by a string. */
export function renderIntrinsics(value: unknown, values: IntrinsicValues): unknown {
  if (Array.isArray(value)) return value.map((v) => renderIntrinsics(v, values));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [k] = keys;
    const arg = obj[k];
    if (k === 'Ref') return values.ref(String(arg));
    if (k === 'Fn::GetAtt') {
      const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
      return values.getAtt(String(id), String(attr));
    }
    if (k === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map((p) => String(renderIntrinsics(p, values))).join(sep);
    }
    if (k === 'Fn::Select') {
      const [index, list] = arg as [number, unknown];
      const rendered = renderIntrinsics(list, values);
      return Array.isArray(rendered) ? rendered[Number(index)] : rendered;
    }
    if (k === 'Fn::Split') {
      const [sep, str] = arg as [string, unknown];
      return String(renderIntrinsics(str, values)).split(sep);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = renderIntrinsics(obj[key], values);
  return out;
}

/** Worst-case stand-ins used when measuring a policy before deployment (longest names AWS allows). */
export const WORST_CASE_VALUES: IntrinsicValues = {
  ref: (id) => {
    if (id === 'AWS::Partition') return 'aws-iso-b';
    if (id === 'AWS::AccountId') return '123456789012';
    if (id === 'AWS::Region') return 'ap-southeast-5';
    if (id === 'AWS::URLSuffix') return 'amazonaws.com.cn';
    return 'x'.repeat(63);
  },
  getAtt: (_id, attr) =>
    attr === 'Arn' ? `arn:aws-iso-b:s3:::${'x'.repeat(63)}` : `${'x'.repeat(63)}-${attr.toLowerCase()}`,
};

/** Byte size of the minified JSON of a policy document after rendering intrinsics with worst-case values. */
export function policySizeBytes(
  resolvedDocument: unknown,
  values: IntrinsicValues = WORST_CASE_VALUES,
): number {
  return Buffer.byteLength(JSON.stringify(renderIntrinsics(resolvedDocument, values)), 'utf8');
}
