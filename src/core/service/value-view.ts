import type { PathBlock, ValuePath, ValueView } from '../../shared/dto';
import type { ContentBlock, MessageNode } from '../model/types';

/**
 * Values as they cross the API to be shown. A message may hold 20 MB in one string, an array of a
 * million rows or a value nested 100,000 levels deep; sent whole, it stalls the transport and the
 * window (the inspector took 20 s). A view carries the first page of each string, array and
 * object within a budget, says how long each really is, and stops at a depth; `message.value`
 * pages further on request. Every walk here is depth-limited or iterative.
 */
export const VIEW_LIMITS = {
  /** Characters of one string in a view. */
  string: 4_000,
  /** Items of an array, entries of an object. */
  items: 100,
  /** Levels below the value a view starts at; deeper values come as `deep`. */
  depth: 24,
  /** Characters one view carries in all (strings, keys, and a few per value). */
  budget: 200_000,
  /** The most one page of message.value may ask for: characters of a string, items of an array or object. */
  pageChars: 1_000_000,
  pageItems: 1_000,
};

/** Characters of a text block the transcript gets at once; more is paged with message.value. */
export const TEXT_CUT = 200_000;
/** A tool input or unknown block estimated above this many characters of JSON comes as a view. */
export const VALUE_CUT = 64_000;
/** Tool results inside tool results beyond this depth come as a `deep` view. */
const BLOCK_DEPTH = 32;

interface Budget {
  left: number;
}

function summarize(value: object): string {
  if (Array.isArray(value)) return `array of ${value.length} items`;
  return `object with ${Object.keys(value).length} keys`;
}

/** The view of `value`, its children from `from` on (at most `limit`), within `budget`. */
function view(value: unknown, budget: Budget, depth: number, from = 0, limit?: number): ValueView {
  budget.left -= 8;
  const start = from ? { from } : {};
  if (value === null) return { type: 'null' };
  switch (typeof value) {
    case 'boolean':
      return { type: 'boolean', value };
    case 'number':
      return Number.isFinite(value) ? { type: 'number', value } : { type: 'other', text: String(value) };
    case 'string': {
      const take = Math.max(0, Math.min(limit ?? VIEW_LIMITS.string, budget.left, value.length - from));
      budget.left -= take;
      return { type: 'string', value: value.slice(from, from + take), length: value.length, ...start };
    }
    case 'bigint':
      return { type: 'other', text: `${value.toString()} (integer)` };
    case 'undefined':
      return { type: 'other', text: 'undefined' };
    case 'object':
      break;
    default:
      return { type: 'other', text: typeof value };
  }
  if (ArrayBuffer.isView(value)) return { type: 'other', text: `binary data, ${value.byteLength} bytes` };
  if (depth >= VIEW_LIMITS.depth) return { type: 'deep', summary: summarize(value) };
  if (Array.isArray(value)) {
    const end = Math.min(value.length, from + (limit ?? VIEW_LIMITS.items));
    const items: ValueView[] = [];
    for (let i = from; i < end && budget.left > 0; i++) items.push(view(value[i], budget, depth + 1));
    return { type: 'array', items, length: value.length, ...start };
  }
  const keys = Object.keys(value);
  const end = Math.min(keys.length, from + (limit ?? VIEW_LIMITS.items));
  const entries: Array<[string, ValueView]> = [];
  for (let i = from; i < end && budget.left > 0; i++) {
    const key = keys[i];
    budget.left -= key.length;
    entries.push([key, view((value as Record<string, unknown>)[key], budget, depth + 1)]);
  }
  return { type: 'object', entries, size: keys.length, ...start };
}

/** The first page of a value, as the inspector opens it. */
export function viewOf(value: unknown): ValueView {
  return view(value, { left: VIEW_LIMITS.budget }, 0);
}

/** The value at `path` inside a message (`content`, `metadata` or `raw` first), or undefined when there is none. */
function valueAt(message: MessageNode, path: ValuePath): { found: boolean; value: unknown } {
  const roots: Record<string, unknown> = { content: message.content, metadata: message.metadata, raw: message.raw };
  const [root, ...rest] = path;
  if (typeof root !== 'string' || !Object.hasOwn(roots, root)) return { found: false, value: undefined };
  let value = roots[root];
  for (const key of rest) {
    if (Array.isArray(value) && typeof key === 'number' && key < value.length) value = value[key];
    // Own keys only: a path must never walk into a prototype.
    else if (value && typeof value === 'object' && !Array.isArray(value) && typeof key === 'string' && Object.hasOwn(value, key)) value = (value as Record<string, unknown>)[key];
    else return { found: false, value: undefined };
  }
  return { found: true, value };
}

/** One page of the value at `path`: `limit` characters of a string, or items of an array or object, from `offset`. */
export function pageOf(message: MessageNode, path: ValuePath, offset: number, limit: number): ValueView | null {
  const { found, value } = valueAt(message, path);
  if (!found) return null;
  const isString = typeof value === 'string';
  const max = isString ? VIEW_LIMITS.pageChars : VIEW_LIMITS.pageItems;
  return view(value, { left: isString ? VIEW_LIMITS.pageChars : VIEW_LIMITS.budget }, 0, offset, Math.min(limit, max));
}

/**
 * Whether a value's JSON would be longer than `limit` characters or nest deeper than the view's
 * depth; iterative, and it stops as soon as it knows.
 */
export function exceeds(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v === 'string') size += v.length + 2;
    else if (v && typeof v === 'object') {
      if (depth >= VIEW_LIMITS.depth) return true;
      if (ArrayBuffer.isView(v)) size += v.byteLength;
      else if (Array.isArray(v)) {
        size += 2 + v.length;
        if (size > limit) return true;
        for (const item of v) stack.push({ value: item, depth: depth + 1 });
      } else {
        const keys = Object.keys(v);
        size += 2 + keys.length * 4;
        if (size > limit) return true;
        for (const key of keys) {
          size += key.length;
          stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1 });
        }
      }
    } else size += 6;
    if (size > limit) return true;
  }
  return false;
}

/** A message's content as the transcript gets it: long texts cut to their first part, big values as views. */
export function pathBlocks(blocks: readonly ContentBlock[], depth = 0): PathBlock[] {
  return blocks.map((b): PathBlock => {
    switch (b.type) {
      case 'text':
      case 'thinking':
        return b.text.length > TEXT_CUT ? { ...b, text: b.text.slice(0, TEXT_CUT), fullLength: b.text.length } : b;
      case 'tool_call':
        return exceeds(b.input, VALUE_CUT) ? { ...b, input: null, inputView: viewOf(b.input) } : b;
      case 'unknown':
        return exceeds(b.raw, VALUE_CUT) ? { ...b, raw: null, rawView: viewOf(b.raw) } : b;
      case 'tool_result':
        if (depth >= BLOCK_DEPTH) return { type: 'unknown', raw: null, rawView: { type: 'deep', summary: `tool result nested more than ${BLOCK_DEPTH} levels` } };
        return { ...b, content: pathBlocks(b.content, depth + 1) };
      default:
        return b;
    }
  });
}
