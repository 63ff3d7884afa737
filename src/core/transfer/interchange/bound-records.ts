import { boundNesting, mergeCuts, type NestingCut } from '../../model/nesting';

/**
 * Interchange records carry store records one level down — a message's `original`, a session's
 * `metadata` and `original` — so each of those is bounded in nesting from its own root, as its store's
 * reader bounded it, and the rest of the record from the record's root. A value within the bound in
 * its store is then within it in the export too, and an export read back cuts nothing more.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bounds `record` in place with the named members bounded as roots of their own. */
function boundWithParts(record: Json, parts: readonly string[]): NestingCut | null {
  let cut: NestingCut | null = null;
  const held = new Map<string, unknown>();
  for (const key of parts) {
    if (!(key in record)) continue;
    const bounded = boundNesting(record[key]);
    cut = mergeCuts(cut, bounded.cut);
    held.set(key, bounded.value);
    // Held aside while the rest is walked; the key keeps its place in the object.
    record[key] = null;
  }
  cut = mergeCuts(cut, boundNesting(record).cut);
  for (const [key, value] of held) record[key] = value;
  return cut;
}

/** A session object (a header's `session`, a JSON document's `session`). */
export function boundSessionObject(session: unknown): NestingCut | null {
  return isObject(session) ? boundWithParts(session, ['metadata', 'original']) : boundNesting(session).cut;
}

/** A message record. */
export function boundMessageRecord(message: unknown): NestingCut | null {
  return isObject(message) ? boundWithParts(message, ['original']) : boundNesting(message).cut;
}

/** One parsed line of a JSON-lines export: a header, a message, a branch or the end. */
export function boundLine(line: unknown): NestingCut | null {
  if (!isObject(line)) return boundNesting(line).cut;
  if (line.arbor === 'session' && isObject(line.session)) {
    const session = line.session;
    line.session = null;
    const cut = mergeCuts(boundSessionObject(session), boundNesting(line).cut);
    line.session = session;
    return cut;
  }
  return 'arbor' in line ? boundNesting(line).cut : boundMessageRecord(line);
}
