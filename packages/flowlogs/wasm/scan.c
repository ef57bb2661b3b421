/*
 * flowlake record scanner: the hot loop of FlowLogParser as a WebAssembly SIMD (simd128) kernel.
 *
 * Scans newline-terminated lines of one buffer into columns: integer fields into float64 columns (NaN for '-'),
 * string fields as (start, end) byte offsets. It handles only "plain" lines: exactly n fields separated by single
 * spaces, no byte < 0x20 except the final LF, a first byte other than '#', and integer fields of 1 to 16 digits
 * (value <= 2^53 - 1) or a lone '-'. At the first line that is not plain it stops, so the JavaScript scanner (the
 * reference for blank lines, comments, tabs, CRLF, runs of spaces and every error) handles exactly that line.
 *
 * Build: npm run build:wasm (clang --target=wasm32 -O3 -msimd128; see scripts/build-wasm.mjs).
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

#define MAX_FIELDS 128
#define MAX_SAFE 9007199254740991ULL

/* The plan, written by JavaScript before each call. */
struct plan {
  u32 n;                   /* fields per line */
  u32 kind[MAX_FIELDS];    /* 1 = integer, 0 = string */
  u32 col[MAX_FIELDS];     /* integer: address of its float64 column; string: address of its int32 start column */
  u32 col2[MAX_FIELDS];    /* string: address of its int32 end column */
};

/* Results of a call. */
struct result {
  u32 rows;   /* records stored */
  u32 end;    /* offset (from the input's start) of the first line not consumed */
  u32 status; /* 0: reached the end of the input; 1: row capacity reached; 2: stopped at a line that is not plain */
};

static struct plan PLAN;
static struct result RESULT;

__attribute__((export_name("plan"))) struct plan *plan_addr(void) { return &PLAN; }
__attribute__((export_name("result"))) struct result *result_addr(void) { return &RESULT; }

static inline u64 load64(const u8 *p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}

/* The value of the up-to-8 digits ending just before p (len 1..8); returns 0 in *ok when any is not a digit. */
static inline u64 digits8(const u8 *p, u32 len, u32 *ok) {
  u64 x = load64(p - 8);
  u64 low = (((u64)1) << ((8 - len) * 8)) - 1; /* the bytes before the digits */
  x = (x & ~low) | (0x3030303030303030ULL & low);
  u64 check = (x & 0xF0F0F0F0F0F0F0F0ULL) | (((x + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4);
  *ok &= check == 0x3333333333333333ULL;
  x = (x & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
  x = (x & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
  return (x & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
}

/*
 * Scans buf[0, len) (buf[len - 1] is LF; 16 readable bytes before buf and 64 after it) into at most cap rows.
 * String offsets are stored plus `base` (the caller's offset of buf[0]).
 */
__attribute__((export_name("scan"))) u32 scan(const u8 *buf, u32 len, u32 cap, u32 base) {
  const u32 last = PLAN.n - 1;
  u32 row = 0, field = 0, fstart = 0, lineStart = 0, status = 0;
  const v128_t limit = wasm_u8x16_splat(0x20);
  const v128_t lfv = wasm_u8x16_splat('\n');
  const v128_t spv = wasm_u8x16_splat(' ');
  if (len == 0) goto done;
  if (buf[0] == '#') goto bad;
  for (u32 b = 0; b < len; b += 64) {
    const v128_t v0 = wasm_v128_load(buf + b);
    const v128_t v1 = wasm_v128_load(buf + b + 16);
    const v128_t v2 = wasm_v128_load(buf + b + 32);
    const v128_t v3 = wasm_v128_load(buf + b + 48);
    u64 m = (u64)wasm_i8x16_bitmask(wasm_u8x16_le(v0, limit)) |
            ((u64)wasm_i8x16_bitmask(wasm_u8x16_le(v1, limit)) << 16) |
            ((u64)wasm_i8x16_bitmask(wasm_u8x16_le(v2, limit)) << 32) |
            ((u64)wasm_i8x16_bitmask(wasm_u8x16_le(v3, limit)) << 48);
    const u64 lf = (u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v0, lfv)) |
                   ((u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v1, lfv)) << 16) |
                   ((u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v2, lfv)) << 32) |
                   ((u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v3, lfv)) << 48);
    const u64 sp = (u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v0, spv)) |
                   ((u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v1, spv)) << 16) |
                   ((u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v2, spv)) << 32) |
                   ((u64)wasm_i8x16_bitmask(wasm_i8x16_eq(v3, spv)) << 48);
    if (len - b < 64) m &= (((u64)1) << (len - b)) - 1;
    /* control characters other than LF: the line holding one is not plain */
    const u64 odd = m & ~(lf | sp);
    while (m) {
      const u64 bit = m & (0 - m);
      const u32 p = b + (u32)__builtin_ctzll(m);
      m ^= bit;
      const u32 flen = p - fstart;
      const u32 isLf = (lf & bit) != 0;
      if ((odd & bit) || flen == 0 || isLf != (field == last)) goto bad;
      if (PLAN.kind[field]) {
        double *out = (double *)PLAN.col[field] + row;
        u32 ok = 1;
        if (flen <= 8) {
          const u64 v = digits8(buf + p, flen, &ok);
          if (ok) {
            *out = (double)(int64_t)v;
          } else if (flen == 1 && buf[fstart] == '-') {
            *out = __builtin_nan("");
          } else {
            goto bad;
          }
        } else if (flen <= 16) {
          const u64 v = digits8(buf + p - 8, flen - 8, &ok) * 100000000ULL + digits8(buf + p, 8, &ok);
          if (!ok || v > MAX_SAFE) goto bad;
          *out = (double)(int64_t)v;
        } else {
          goto bad;
        }
      } else {
        ((int32_t *)PLAN.col[field])[row] = (int32_t)(fstart + base);
        ((int32_t *)PLAN.col2[field])[row] = (int32_t)(p + base);
      }
      fstart = p + 1;
      if (isLf) {
        field = 0;
        lineStart = fstart;
        if (++row == cap) {
          status = lineStart < len ? 1 : 0;
          goto done;
        }
        if (buf[fstart] == '#') goto bad;
      } else {
        field++;
      }
    }
  }
  goto done;
bad:
  status = 2;
done:
  RESULT.rows = row;
  RESULT.end = lineStart;
  RESULT.status = status;
  return row;
}
