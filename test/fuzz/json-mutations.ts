import { JSON_HOSTILE, randomJsonText, type JsonHostile } from './hostile';
import { pick } from './random';

/**
 * Mutations of one JSON record as a backend that crashed, a newer version of the tool or a hostile
 * user could leave it: one value somewhere inside replaced by a hostile one (wrong type, odd
 * string, 100,000-deep nesting), a key dropped, or the record's text itself broken (cut off,
 * garbage). The hostile text is spliced in as text: the deepest values cannot be built as JS values
 * and serialised, which is exactly what overflows a reader.
 */

export interface Mutation {
  /** What was done, for the case name: `messages[3].content = deep-array`. */
  name: string;
  /** The record's new text, or null when the record is removed. */
  text: string | null;
  /** The record was cut off: a file ends there (a half-written or half-downloaded file). */
  cutOff?: boolean;
}

const MARK = '\u0000ARBOR-FUZZ\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** Every place in a value: its path and the value there (bounded, so a huge record stays cheap). */
function places(value: unknown, limit = 4000): Array<{ path: Array<string | number>; value: unknown }> {
  const found: Array<{ path: Array<string | number>; value: unknown }> = [];
  const stack: Array<{ path: Array<string | number>; value: unknown }> = [{ path: [], value }];
  while (stack.length && found.length < limit) {
    const item = stack.pop()!;
    found.push(item);
    if (Array.isArray(item.value)) item.value.forEach((v, i) => stack.push({ path: [...item.path, i], value: v }));
    else if (item.value && typeof item.value === 'object') for (const [k, v] of Object.entries(item.value)) stack.push({ path: [...item.path, k], value: v });
  }
  return found;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (!path.length) return value;
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
  return root;
}

function dropAt(root: unknown, path: Array<string | number>): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (Array.isArray(at) && typeof last === 'number') at.splice(last, 1);
  else delete at[last];
}

const show = (path: Array<string | number>) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(record)';

/** The values a mutation puts in; the heavy ones only now and then (they cost a second each to read). */
function hostileValue(rnd: () => number): JsonHostile {
  if (rnd() < 0.15) return { kind: 'random', text: randomJsonText(rnd) };
  const light = JSON_HOSTILE.filter((v) => !v.heavy);
  return rnd() < 0.05 ? pick(rnd, JSON_HOSTILE) : pick(rnd, light);
}

/**
 * One mutation of one record's JSON text, chosen by `rnd`. `breaksText` false keeps the record
 * valid JSON: inside one JSON document (an export's array) only the last record can be cut off, as a
 * download or a write stopped there; a record broken in the middle of a document written whole by a
 * server is not something a tool leaves behind.
 */
export function mutateRecord(text: string, rnd: () => number, breaksText = true, forced?: JsonHostile): Mutation {
  // A forced value always replaces a value somewhere inside the record.
  const r = forced ? 1 : rnd();
  if (breaksText && r < 0.06) return { name: 'record cut off', text: text.slice(0, Math.floor(rnd() * text.length)), cutOff: true };
  if (breaksText && r < 0.1) return { name: 'record is garbage', text: 'not json {[' + text.slice(0, 20) };
  if (r < 0.14) return { name: 'record removed', text: null };
  const value = JSON.parse(text) as unknown;
  // Leaves of the record's own shape are the places a reader looks at; the root is one of them.
  const all = places(value);
  const place = pick(rnd, all.length > 1 ? all.slice(1) : all);
  if (r < 0.24 && place.path.length) {
    dropAt(value, place.path);
    return { name: `${show(place.path)} removed`, text: JSON.stringify(value) };
  }
  const hostile = forced ?? hostileValue(rnd);
  const marked = JSON.stringify(setAt(value, place.path, MARK));
  return { name: `${show(place.path)} = ${hostile.kind}`, text: marked.replace(MARK_JSON, () => hostile.text) };
}
