/**
 * The keys of the first object in a JSON prefix (a top-level array's first element, or the
 * top-level object itself), each with the first character of its value — enough to tell a ChatGPT
 * conversation (`"mapping": {`) from a claude.ai one (`"chat_messages": [`) from the first
 * kilobytes of a file, without parsing the rest. A cut-off prefix is fine: the keys seen so far
 * are returned and `complete` says whether the object ended.
 */

export interface LeadingKeys {
  /** Key → first character of its value (`{`, `[`, `"`, a digit, `t`, `f`, `n`). */
  keys: Map<string, string>;
  /** The first object closed within the bytes. */
  complete: boolean;
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

export function leadingKeys(bytes: Buffer): LeadingKeys {
  const keys = new Map<string, string>();
  const n = bytes.length;
  let i = 0;
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const skipWs = () => {
    while (i < n && WS.has(bytes[i])) i++;
  };
  skipWs();
  if (bytes[i] === 0x5b) {
    i++;
    skipWs();
  }
  if (bytes[i] !== 0x7b) return { keys, complete: false };
  i++;
  for (;;) {
    skipWs();
    if (i >= n) return { keys, complete: false };
    if (bytes[i] === 0x7d) return { keys, complete: true };
    if (bytes[i] === 0x2c) {
      i++;
      continue;
    }
    if (bytes[i] !== 0x22) return { keys, complete: false };
    const keyEnd = stringEnd(bytes, i);
    if (keyEnd < 0) return { keys, complete: false };
    let key: string;
    try {
      key = JSON.parse(bytes.toString('utf8', i, keyEnd)) as string;
    } catch {
      return { keys, complete: false };
    }
    i = keyEnd;
    skipWs();
    if (bytes[i] !== 0x3a) return { keys, complete: false };
    i++;
    skipWs();
    if (i >= n) return { keys, complete: false };
    keys.set(key, String.fromCharCode(bytes[i]));
    i = valueEnd(bytes, i);
    if (i < 0) return { keys, complete: false };
  }
}

/** Index just past the closing quote of the string starting at `at`, or -1 when it is cut off. */
function stringEnd(bytes: Buffer, at: number): number {
  for (let i = at + 1; i < bytes.length; i++) {
    if (bytes[i] === 0x5c) i++;
    else if (bytes[i] === 0x22) return i + 1;
  }
  return -1;
}

/** Index just past the value starting at `at` (any JSON value), or -1 when it is cut off. */
function valueEnd(bytes: Buffer, at: number): number {
  let depth = 0;
  for (let i = at; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      const end = stringEnd(bytes, i);
      if (end < 0) return -1;
      if (depth === 0) return end;
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i; // The enclosing object closes: a scalar ended just before.
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || WS.has(c))) return i;
  }
  return -1;
}
