import type { ByteSource } from './byte-source';

/**
 * Finds the byte range of every element of a top-level JSON array (or of one top-level object)
 * in one streaming pass, without parsing: the bytes are read in chunks, and a small state machine
 * tracks strings (with their escapes) and nesting depth. Each element's bytes are handed to the
 * caller as soon as it closes, so a 500 MB export is parsed one conversation at a time and never
 * held whole. The scanner does not validate JSON; `JSON.parse` of each element does.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

const CHUNK = 4 * 1024 * 1024;

export interface ElementPlace {
  /** 0-based position in the array. */
  index: number;
  /** Byte offsets in the source: [start, end). */
  start: number;
  end: number;
}

export type ScanProblem =
  /** The source does not start with `[` or `{` (after whitespace and a UTF-8 byte-order mark). */
  | { kind: 'not-json-array'; offset: number }
  /** The source ends inside element `index`, which starts at `offset`: a cut-off file. */
  | { kind: 'truncated'; index: number; offset: number }
  /** The array's closing `]` is missing after the last complete element. */
  | { kind: 'unclosed'; offset: number }
  /** Element `index` at `offset` is a string, number, boolean or null, not an object. */
  | { kind: 'not-an-object'; index: number; offset: number }
  /** Something other than whitespace follows the array. */
  | { kind: 'trailing-data'; offset: number }
  /** The source is empty or only whitespace. */
  | { kind: 'empty'; offset: number };

export interface ScanOptions {
  chunkSize?: number;
  /** Told after every chunk: bytes done of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ScanResult {
  elements: number;
  /** True for a top-level object (one conversation), false for an array. */
  single: boolean;
  problems: ScanProblem[];
}

/**
 * Calls `onElement` with each object or array element's bytes (a view valid during the call) and
 * its place. Problems are reported, never thrown: everything before a cut is still delivered.
 */
export function scanArray(source: ByteSource, onElement: (bytes: Buffer, place: ElementPlace) => void, options: ScanOptions = {}): ScanResult {
  const chunkSize = options.chunkSize ?? CHUNK;
  const problems: ScanProblem[] = [];
  const total = source.size;
  let single = false;
  let started = false; // Saw the top-level `[` (or `{`).
  let finished = false; // Saw the closing `]`.
  let trailingReported = false;
  let depth = 0; // 1 = directly inside the top-level array.
  let inString = false;
  // The chunk ended on a backslash inside a string: the next chunk's first byte is escaped.
  let escapePending = false;
  let elementStart = -1;
  let primitiveStart = -1;
  let index = 0;
  let bom = 0;

  for (let base = 0; base < total; base += chunkSize) {
    const chunk = source.read(base, chunkSize);
    const n = chunk.length;
    if (n === 0) break;
    let i = 0;
    if (base === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = bom = 3;
    while (i < n) {
      if (inString) {
        if (escapePending) {
          escapePending = false;
          i++;
        }
        // Jump quote to quote natively: even for short keys one indexOf (a memchr) beats a JS loop.
        i = stringEnd(chunk, i, n);
        if (i >= n) {
          // The string goes on in the next chunk; an unpaired backslash at the end escapes its first byte.
          escapePending = i > n;
          break;
        }
        inString = false;
        i++;
        continue;
      }
      if (depth > 1) {
        // Inside an element only strings and nesting matter: one tight loop over everything else,
        // until a string starts or the element's own closing bracket (depth 2) comes.
        let d = depth;
        while (i < n) {
          const c = chunk[i];
          if (c === QUOTE) break;
          if (c === OPEN_BRACE || c === OPEN_BRACKET) d++;
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (d === 2) break;
            d--;
          }
          i++;
        }
        depth = d;
        if (i >= n) break;
        if (chunk[i] === QUOTE) {
          inString = true;
          i++;
          continue;
        }
      }
      const c = chunk[i];
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && elementStart < 0 && primitiveStart < 0) primitiveStart = base + i;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (!started) {
          started = true;
          if (c === OPEN_BRACE) {
            single = true;
            elementStart = base + i;
          }
          depth = 1;
          if (single) depth = 2;
        } else if (finished) {
          if (!trailingReported) problems.push({ kind: 'trailing-data', offset: base + i });
          trailingReported = true;
          break;
        } else {
          if (depth === 1) {
            if (primitiveStart >= 0) primitiveStart = -1; // Malformed; JSON.parse of the element says how.
            elementStart = base + i;
          }
          depth++;
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (!started || finished) {
          if (!trailingReported) problems.push(started ? { kind: 'trailing-data', offset: base + i } : { kind: 'not-json-array', offset: base + i });
          trailingReported = true;
          if (!started) return { elements: 0, single, problems };
          break;
        }
        depth--;
        if (depth === 1 && elementStart >= 0) {
          const end = base + i + 1;
          deliver(elementStart, end, chunk, base);
          elementStart = -1;
          if (single) {
            finished = true;
            depth = 0;
          }
        } else if (depth === 0) {
          if (primitiveStart >= 0) endPrimitive();
          finished = true;
        }
      } else if (c === COMMA) {
        if (depth === 1 && primitiveStart >= 0) endPrimitive();
      } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        if (!started) {
          problems.push({ kind: 'not-json-array', offset: base + i });
          return { elements: 0, single, problems };
        }
        if (finished) {
          if (!trailingReported) problems.push({ kind: 'trailing-data', offset: base + i });
          trailingReported = true;
          break;
        }
        if (depth === 1 && elementStart < 0 && primitiveStart < 0) primitiveStart = base + i;
      }
      i++;
    }
    options.onProgress?.(Math.min(total, base + n), total);
    if (trailingReported) break;
  }

  if (!started) problems.push({ kind: 'empty', offset: bom });
  else if (!finished) {
    if (elementStart >= 0) problems.push({ kind: 'truncated', index, offset: elementStart });
    else if (primitiveStart >= 0) problems.push({ kind: 'truncated', index, offset: primitiveStart });
    else problems.push({ kind: 'unclosed', offset: total });
  }
  return { elements: index, single, problems };

  function deliver(start: number, end: number, chunk: Buffer, base: number): void {
    // Inside this chunk: a view. Across chunks: read again (page-cached, and rare with 4 MB chunks).
    const bytes = start >= base ? chunk.subarray(start - base, end - base) : source.read(start, end - start);
    onElement(bytes, { index, start, end });
    index++;
  }

  function endPrimitive(): void {
    problems.push({ kind: 'not-an-object', index, offset: primitiveStart });
    primitiveStart = -1;
    index++;
  }
}

/**
 * The index of the quote closing a string, from `i` (which no pending escape precedes), found by
 * jumping quote to quote natively: a quote after an odd run of backslashes is escaped. When the
 * string runs past the chunk, returns `n`, or `n + 1` if the chunk ends on an unpaired backslash.
 */
function stringEnd(chunk: Buffer, i: number, n: number): number {
  for (;;) {
    const q = chunk.indexOf(QUOTE, i);
    // Nearly every quote found closes its string: check the byte before it before counting a run.
    if (q > i && chunk[q - 1] !== BACKSLASH) return q;
    if (q === i) return q;
    const end = q < 0 ? n : q;
    let k = end - 1;
    while (k >= i && chunk[k] === BACKSLASH) k--;
    const odd = (end - 1 - k) % 2 === 1;
    if (q < 0) return odd ? n + 1 : n;
    if (!odd) return q;
    i = q + 1;
  }
}
