// WebAssembly SIMD kernel of the Firehose transform's JSON mode (embedded by `npm run build:wasm`, packages/flowlogs/wasm/build.ts).
//
// write_json: writes log-event messages (byte ranges of a scanned, gunzipped CloudWatch Logs payload) as JSON lines,
// exactly like compileJsonBytesWriter in src/transform/json-bytes-writer.ts, and stops at the first line it does not
// handle (the JavaScript side then encodes that line and calls again from the next one).
// base64: standard base64 with padding (what Buffer.toString('base64') gives), 12 bytes per SIMD step.
//
// Memory is laid out by the caller (src/transform/json-kernel.ts); every region has 64 bytes of slack after it
// because loads and stores run up to 32 bytes past the data they need.
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define MAX_FIELDS 128
#define KEY_SLOT 48

// Per format: key bytes (`{"version":`, `,"account-id":`...) in 48-byte slots, their lengths, integer flags.
static uint8_t keys[MAX_FIELDS * KEY_SLOT];
static int32_t key_len[MAX_FIELDS];
static uint8_t is_int[MAX_FIELDS];
static int32_t nfields;
static int32_t out_len;

EXPORT("keys_ptr") uint8_t *keys_ptr(void) { return keys; }
EXPORT("key_len_ptr") int32_t *key_len_ptr(void) { return key_len; }
EXPORT("is_int_ptr") uint8_t *is_int_ptr(void) { return is_int; }
EXPORT("set_fields") void set_fields(int32_t n) { nfields = n; }
EXPORT("out_len") int32_t get_out_len(void) { return out_len; }

static inline void copy32(uint8_t *d, const uint8_t *s) {
  wasm_v128_store(d, wasm_v128_load(s));
  wasm_v128_store(d + 16, wasm_v128_load(s + 16));
}

static inline int32_t write_null(uint8_t *out, int32_t t) {
  out[t] = 'n';
  out[t + 1] = 'u';
  out[t + 2] = 'l';
  out[t + 3] = 'l';
  return t + 4;
}

// One line; returns the output position after it, or -1 when the JavaScript encoder must handle it.
static int32_t line(const uint8_t *src, int32_t i, int32_t end, uint8_t *out, int32_t o) {
  const v128_t spaces = wasm_i8x16_splat(' ');
  for (int32_t k = 0; k < nfields; k++) {
    const uint8_t *key = keys + k * KEY_SLOT;
    copy32(out + o, key);
    if (key_len[k] > 32) wasm_v128_store(out + o + 32, wasm_v128_load(key + 32));
    o += key_len[k];
    const int32_t t = o;
    if (!is_int[k]) out[o++] = '"';
    // Copy 16 bytes at a time until the next space (or the end of the line).
    int32_t j = i;
    for (;;) {
      v128_t v = wasm_v128_load(src + j);
      wasm_v128_store(out + o + (j - i), v);
      uint32_t m = wasm_i8x16_bitmask(wasm_i8x16_eq(v, spaces));
      if (m) {
        j += __builtin_ctz(m);
        break;
      }
      j += 16;
      if (j >= end) break;
    }
    if (j > end) j = end;
    const int32_t len = j - i;
    if (is_int[k]) {
      if (len == 1 && src[i] == '-') {
        o = write_null(out, t);
      } else {
        if (len == 0 || len > 15 || (len > 1 && src[i] == '0')) return -1;
        for (int32_t q = i; q < j; q++)
          if ((uint8_t)(src[q] - '0') > 9) return -1;
        o += len;
      }
    } else {
      if (len == 1 && src[i] == '-') {
        o = write_null(out, t);
      } else {
        if (len == 0) return -1;
        o += len;
        out[o++] = '"';
      }
    }
    if (k < nfields - 1) {
      if (j == end) return -1;
    } else if (j != end) {
      return -1;
    }
    i = j + 1;
  }
  out[o++] = '}';
  out[o++] = '\n';
  return o;
}

// Writes events [from, count) at out + out_len (out_len is kept between calls: set it with reset_out / add_out).
// Returns the index of the first event not written (count when all were).
EXPORT("write_json")
int32_t write_json(const uint8_t *src, const int32_t *starts, const int32_t *ends, int32_t from, int32_t count,
                   uint8_t *out) {
  int32_t o = out_len;
  for (int32_t e = from; e < count; e++) {
    int32_t next = line(src, starts[e], ends[e], out, o);
    if (next < 0) {
      out_len = o;
      return e;
    }
    o = next;
  }
  out_len = o;
  return count;
}

EXPORT("set_out_len") void set_out_len(int32_t n) { out_len = n; }

// 1 when in[0, len) is printable ASCII (0x20 to 0x7f) without a backslash: what the payload scanner requires.
EXPORT("plain_ascii")
int32_t plain_ascii(const uint8_t *in, int32_t len) {
  const v128_t space = wasm_i8x16_splat(0x20);
  const v128_t backslash = wasm_i8x16_splat('\\');
  v128_t bad = wasm_i8x16_splat(0);
  int32_t i = 0;
  // Signed compare: bytes from 0x80 are negative, so `< 0x20` catches them along with control bytes.
  for (; i + 16 <= len; i += 16) {
    v128_t v = wasm_v128_load(in + i);
    bad = wasm_v128_or(bad, wasm_v128_or(wasm_i8x16_lt(v, space), wasm_i8x16_eq(v, backslash)));
  }
  if (wasm_v128_any_true(bad)) return 0;
  for (; i < len; i++)
    if ((int8_t)in[i] < 0x20 || in[i] == '\\') return 0;
  return 1;
}

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Base64 of in[0, len) into out; returns the output length.
EXPORT("base64")
int32_t base64(const uint8_t *in, int32_t len, uint8_t *out) {
  const v128_t shuffle = wasm_i8x16_const(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  const v128_t lut = wasm_i8x16_const(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0);
  const v128_t m3f = wasm_i32x4_splat(0x3f);
  const v128_t m3f00 = wasm_i32x4_splat(0x3f00);
  const v128_t m3f0000 = wasm_i32x4_splat(0x3f0000);
  const v128_t m3f000000 = wasm_i32x4_splat(0x3f000000);
  int32_t i = 0;
  int32_t o = 0;
  // 16 bytes are loaded per 12 consumed: stop while 16 remain.
  for (; i + 16 <= len; i += 12, o += 16) {
    v128_t x = wasm_i8x16_swizzle(wasm_v128_load(in + i), shuffle);
    v128_t idx = wasm_v128_or(
        wasm_v128_or(wasm_v128_and(wasm_u32x4_shr(x, 10), m3f), wasm_v128_and(wasm_i32x4_shl(x, 4), m3f00)),
        wasm_v128_or(wasm_v128_and(wasm_u32x4_shr(x, 6), m3f0000), wasm_v128_and(wasm_i32x4_shl(x, 8), m3f000000)));
    v128_t reduced = wasm_u8x16_sub_sat(idx, wasm_i8x16_splat(51));
    reduced = wasm_v128_or(reduced, wasm_v128_and(wasm_u8x16_lt(idx, wasm_i8x16_splat(26)), wasm_i8x16_splat(13)));
    wasm_v128_store(out + o, wasm_i8x16_add(idx, wasm_i8x16_swizzle(lut, reduced)));
  }
  for (; i + 3 <= len; i += 3) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
    out[o++] = ALPHABET[v >> 18];
    out[o++] = ALPHABET[(v >> 12) & 63];
    out[o++] = ALPHABET[(v >> 6) & 63];
    out[o++] = ALPHABET[v & 63];
  }
  if (len - i == 1) {
    uint32_t v = (uint32_t)in[i] << 16;
    out[o++] = ALPHABET[v >> 18];
    out[o++] = ALPHABET[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (len - i == 2) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
    out[o++] = ALPHABET[v >> 18];
    out[o++] = ALPHABET[(v >> 12) & 63];
    out[o++] = ALPHABET[(v >> 6) & 63];
    out[o++] = '=';
  }
  return o;
}
