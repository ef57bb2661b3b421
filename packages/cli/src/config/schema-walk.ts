import type { z } from 'zod';

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definition objects are untyped across schema kinds.
type Def = any;

function def(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional/default/pipe/preprocess wrappers down to the schema that holds the shape. */
function unwrap(s: z.ZodType): z.ZodType {
  for (let i = 0; i < 20; i++) {
    const d = def(s);
    switch (d.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        s = d.innerType;
        break;
      case 'pipe':
        s = def(d.in).type === 'transform' ? d.out : d.in;
        break;
      default:
        return s;
    }
  }
  return s;
}

/** The keys an object schema accepts at `path`, or [] when the path does not lead to an object. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (!s) return [];
    const d = def(s);
    if (d.type === 'object' && typeof seg === 'string') s = d.shape[seg];
    else if (d.type === 'array' && typeof seg === 'number') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'union') {
      s = (d.options as z.ZodType[]).map(unwrap).find((o) => ['object', 'array'].includes(def(o).type));
      if (s) return keysAt(s, [seg]);
      return [];
    } else return [];
    s = s ? unwrap(s) : undefined;
  }
  if (!s) return [];
  const d = def(s);
  if (d.type === 'union') {
    const obj = (d.options as z.ZodType[]).map(unwrap).find((o) => def(o).type === 'object');
    return obj ? Object.keys(def(obj).shape) : [];
  }
  return d.type === 'object' ? Object.keys(d.shape) : [];
}
