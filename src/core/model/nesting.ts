/**
 * The one bound on how deeply a value read from a store may nest. JSON.parse reads any depth, but
 * almost everything after it recurses — JSON.stringify (the HTTP transport, exports), structured
 * clone (Electron's IPC), content normalisation, canonical comparison — and a value nested a few
 * thousand levels deep overflows the stack of all of them. So the bound is applied once, where values
 * enter the model (the readers, right after parsing), and everything downstream may recurse freely:
 * no value in the model nests deeper than MAX_NESTING + 1 levels.
 *
 * What lies deeper is not dropped silently: it is replaced by a marker value that says how deep the
 * original went, `{"…": "nested 100,000 levels deep; cut at 100"}`, and the reader reports a warning
 * on the record. The marker is an ordinary value from then on (shown, exported, imported as it is).
 */

/** Levels of objects and arrays kept, counted from the record (a message line, a message, an index entry). */
export const MAX_NESTING = 100;

/** The key of the marker object that stands in for a part cut at the bound. */
export const CUT_KEY = '…';

export interface NestingCut {
  /** The deepest level the original value reached, from its root (1 = the root itself). */
  depth: number;
  /** How many parts were replaced by a marker. */
  parts: number;
}

export interface Bounded<T = unknown> {
  value: T;
  /** What was cut; null when the value was within the bound (and is returned unchanged). */
  cut: NestingCut | null;
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

export function cutMarker(depth: number, limit = MAX_NESTING): Record<string, string> {
  return { [CUT_KEY]: `nested ${depth.toLocaleString('en')} levels deep; cut at ${limit}` };
}

/** True when a value is a marker made by cutMarker (the import preview names them). */
export function isCutMarker(value: unknown): boolean {
  if (!isContainer(value) || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === CUT_KEY && typeof value[CUT_KEY] === 'string';
}

/**
 * A JSON text can nest at most as deep as it has opening brackets, so a text with no more than
 * `limit` of them needs no walk after parsing. Counting them with indexOf is native work, a few
 * percent of JSON.parse's own time; most records are settled by it.
 */
export function mayNestDeeper(text: string, limit = MAX_NESTING): boolean {
  let n = 0;
  for (let at = text.indexOf('{'); at >= 0; at = text.indexOf('{', at + 1)) if (++n > limit) return true;
  for (let at = text.indexOf('['); at >= 0; at = text.indexOf('[', at + 1)) if (++n > limit) return true;
  return false;
}

/**
 * How deep a part cut at level `level` went: the deepest level under it (walked without recursion),
 * or, when it holds a marker of an earlier cut (a value moved deeper by a wrapper, e.g. an export's
 * `original`), the depth that marker says, whichever is more: a second cut still names the original.
 */
function depthBelow(root: Container, level: number): number {
  const stack: Container[] = [root];
  const depths: number[] = [level];
  let deepest = level;
  while (stack.length > 0) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    if (d > deepest) deepest = d;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (!isContainer(c)) continue;
      const marked = markedDepth(c);
      if (marked !== null) deepest = Math.max(deepest, d + 1, marked);
      else {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return deepest;
}

/** The depth a marker says its original had; null for anything that is not a marker. */
function markedDepth(value: unknown): number | null {
  if (!isCutMarker(value)) return null;
  const m = /^nested ([\d,]+) levels deep/.exec((value as Record<string, string>)[CUT_KEY]);
  return m ? Number(m[1].replace(/,/g, '')) : 0;
}

/**
 * Cuts every object or array nested deeper than `limit` levels, in place, replacing it by a marker.
 * For values the caller owns — fresh from JSON.parse — so nothing is copied; a value within the bound
 * is returned as it is. A marker already in the value is a leaf: it is never cut again by itself.
 * Iterative: the walk itself cannot overflow.
 */
export function boundNesting<T>(root: T, limit = MAX_NESTING): Bounded<T> {
  if (!isContainer(root)) return { value: root, cut: null };
  const stack: Container[] = [root];
  const depths: number[] = [1];
  let parts = 0;
  let deepest = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    const keys: Array<string | number> = Array.isArray(v) ? [...v.keys()] : Object.keys(v);
    for (const k of keys) {
      const c = (v as Record<string | number, unknown>)[k];
      if (!isContainer(c) || isCutMarker(c)) continue;
      if (d < limit) {
        stack.push(c);
        depths.push(d + 1);
        continue;
      }
      const depth = depthBelow(c, d + 1);
      if (depth > deepest) deepest = depth;
      // An own data property (JSON.parse makes `__proto__` one too): plain assignment replaces it.
      (v as Record<string | number, unknown>)[k] = cutMarker(depth, limit);
      parts++;
    }
  }
  return { value: root, cut: parts > 0 ? { depth: deepest, parts } : null };
}

/** JSON.parse with the bound applied (throws what JSON.parse throws). */
export function parseJsonBounded(text: string, limit = MAX_NESTING): Bounded {
  const value: unknown = JSON.parse(text);
  return mayNestDeeper(text, limit) ? boundNesting(value, limit) : { value, cut: null };
}

/** The words every reader uses for a cut, after "what" (e.g. `Message "m1" (line 3)`). */
export function cutSentence(what: string, cut: NestingCut, limit = MAX_NESTING): string {
  const parts = cut.parts === 1 ? 'a part' : `${cut.parts.toLocaleString('en')} parts`;
  return `${what} nests ${cut.depth.toLocaleString('en')} levels deep; ${parts} below level ${limit} ${cut.parts === 1 ? 'is' : 'are'} replaced by a marker {"${CUT_KEY}": "nested … levels deep; cut at ${limit}"}.`;
}

/** Combines the cuts of several values of one record. */
export function mergeCuts(a: NestingCut | null, b: NestingCut | null): NestingCut | null {
  if (!a) return b;
  if (!b) return a;
  return { depth: Math.max(a.depth, b.depth), parts: a.parts + b.parts };
}
