/**
 * The catalogue of hostile values the fuzz cases put into one column, field or line of a store.
 * SQL values keep their storage class (the fuzz stores declare no column types, so SQLite converts
 * nothing); JSON values are JSON text, because the deepest ones cannot be built as JS values and
 * serialised (that is exactly what overflows).
 */

export const DEEP = 100_000;
export const MIDDLE_DEEP = 3_000;
/** Tool results are 53 bytes a level: 20,000 levels is a megabyte, far past any stack (3,000 broke it). */
export const DEEP_TOOL_RESULTS = 20_000;
/** "Several megabytes": big enough to show quadratic work, small enough for a test run. */
export const HUGE_BYTES = 3 * 1024 * 1024;

export interface SqlHostile {
  kind: string;
  /** The bound parameter. */
  value: unknown;
  /** How it goes into the VALUES list: `?`, or a cast that makes a storage class JS cannot bind directly. */
  expr?: string;
  /** Costly to build and to read: the default run uses it in fewer places. */
  heavy?: boolean;
}

const INVALID_UTF8 = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0xe2, 0x82, 0x41]);

export const SQL_HOSTILE: readonly SqlHostile[] = [
  { kind: 'blob-utf8', value: Buffer.from('a BLOB that holds text', 'utf8') },
  { kind: 'blob-binary', value: INVALID_UTF8 },
  { kind: 'blob-empty', value: Buffer.alloc(0) },
  { kind: 'integer', value: 42 },
  { kind: 'integer-huge', value: 9_223_372_036_854_775_807n },
  { kind: 'integer-negative', value: -1 },
  { kind: 'real', value: 3.75 },
  { kind: 'real-infinite', value: Number.POSITIVE_INFINITY },
  { kind: 'null', value: null },
  { kind: 'text-empty', value: '' },
  { kind: 'text-nul', value: 'before\u0000after' },
  { kind: 'text-invalid-utf8', value: INVALID_UTF8, expr: 'CAST(? AS TEXT)' },
  { kind: 'text-garbage', value: 'not a time, not a number, not JSON {[' },
  { kind: 'text-deep-json', value: '['.repeat(DEEP) + ']'.repeat(DEEP) },
  { kind: 'text-huge', value: 'x'.repeat(HUGE_BYTES), heavy: true },
];

export interface JsonHostile {
  kind: string;
  text: string;
  heavy?: boolean;
}

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
/** Tool results inside tool results, as a backend that nests agent calls could write them. */
export const deepToolResult = (n: number) =>
  '{"type":"tool_result","tool_use_id":"t","content":['.repeat(n) + '"bottom"' + ']}'.repeat(n);

export const JSON_HOSTILE: readonly JsonHostile[] = [
  { kind: 'number', text: '42' },
  { kind: 'number-float', text: '-1.5e300' },
  { kind: 'number-overflow', text: '1e999' },
  { kind: 'string', text: '"a string"' },
  { kind: 'string-empty', text: '""' },
  { kind: 'string-nul', text: '"a\\u0000b"' },
  { kind: 'string-lone-surrogate', text: '"\\ud800x"' },
  { kind: 'string-html', text: '"<script>alert(1)</script><img src=x onerror=alert(1)>"' },
  { kind: 'null', text: 'null' },
  { kind: 'boolean', text: 'true' },
  { kind: 'object', text: '{"unexpected":{"shape":[1,2,3]}}' },
  { kind: 'object-empty', text: '{}' },
  { kind: 'array', text: '[1,"two",null,{"three":3}]' },
  { kind: 'array-empty', text: '[]' },
  { kind: 'deep-array', text: deepArray(DEEP) },
  { kind: 'deep-object', text: deepObject(DEEP) },
  { kind: 'deep-array-3000', text: deepArray(MIDDLE_DEEP) },
  { kind: 'deep-tool-result', text: deepToolResult(DEEP_TOOL_RESULTS) },
  { kind: 'deep-tool-result-3000', text: deepToolResult(MIDDLE_DEEP) },
  { kind: 'string-huge', text: JSON.stringify('y'.repeat(HUGE_BYTES)), heavy: true },
  { kind: 'array-wide', text: JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)), heavy: true },
];

/** A random JSON value of a random shape, with deep or odd parts now and then. */
export function randomJsonText(rnd: () => number, depth = 0): string {
  const r = rnd();
  if (depth > 4 || r < 0.3) {
    const leaves = ['0', '-7', '1e308', '"s"', '""', 'null', 'true', 'false', '"\\u0000"', '"<b>x</b>"', '"\\ud83d"'];
    return leaves[Math.floor(rnd() * leaves.length)];
  }
  if (r < 0.4) return JSON_HOSTILE[Math.floor(rnd() * JSON_HOSTILE.length)].text;
  const n = Math.floor(rnd() * 4);
  const parts = Array.from({ length: n }, () => randomJsonText(rnd, depth + 1));
  if (r < 0.7) return `[${parts.join(',')}]`;
  const keys = ['type', 'text', 'content', 'role', 'id', 'name', 'input', 'source', 'data', 'tool_use_id', 'metadata', 'x'];
  return `{${parts.map((p, i) => `${JSON.stringify(keys[Math.floor(rnd() * keys.length)] + (i ? i : ''))}:${p}`).join(',')}}`;
}
