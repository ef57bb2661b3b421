/** Test helper: splits bytes into chunks of the given sizes (the rest as one last chunk). */
export function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of cuts) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, Math.min(bytes.length, at + c)));
    at += c;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}
