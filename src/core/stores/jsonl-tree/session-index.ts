import { FileAccessError } from '../../files/errors';
import { READ_LIMITS } from '../../files/limits';
import { readTextFile } from '../../files/read';
import { join } from 'node:path';
import { boundNesting, cutSentence, mayNestDeeper } from '../../model/nesting';
import type { StoreWarning } from '../../model/types';

/** The `sessions.json` index of a seed-001 store, read leniently. */
export interface SessionIndexFile {
  /** External key → session id. */
  keys: Map<string, string>;
  /** Session id → its metadata record as stored. */
  sessions: Map<string, Record<string, unknown>>;
  present: boolean;
  warnings: StoreWarning[];
}

export const INDEX_FILE = 'sessions.json';

export function readSessionIndexFile(root: string): SessionIndexFile {
  const result: SessionIndexFile = { keys: new Map(), sessions: new Map(), present: false, warnings: [] };
  const path = join(root, INDEX_FILE);
  let text: string;
  try {
    text = readTextFile(path, { limit: READ_LIMITS.index, what: `${INDEX_FILE} indexes` });
  } catch (error) {
    // Missing: a store without an index. Anything else (a FIFO, too large) is said, and the folders list the sessions.
    if (error instanceof FileAccessError && error.refusal !== 'missing') {
      result.present = true;
      result.warnings.push({ code: 'bad-index', message: `${error.message}; sessions are listed from their folders.`, file: path });
    }
    return result;
  }
  result.present = true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    result.warnings.push({ code: 'bad-index', message: `${INDEX_FILE} is not valid JSON (${(error as Error).message}); sessions are listed from their folders.`, file: path });
    return result;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    result.warnings.push({ code: 'bad-index', message: `${INDEX_FILE} is not an object; sessions are listed from their folders.`, file: path });
    return result;
  }
  const { keys, sessions } = parsed as { keys?: unknown; sessions?: unknown };
  if (typeof keys === 'object' && keys !== null) {
    for (const [key, id] of Object.entries(keys)) {
      if (typeof id === 'string') result.keys.set(key, id);
      else result.warnings.push({ code: 'bad-index-key', message: `${INDEX_FILE}: key "${key}" does not map to a session id.`, file: path });
    }
  }
  // Only session entries are kept as values (keys map to ids, strings): each is bounded in nesting.
  const deep = mayNestDeeper(text);
  if (typeof sessions === 'object' && sessions !== null) {
    for (const [id, meta] of Object.entries(sessions)) {
      if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) {
        const bounded = deep ? boundNesting(meta) : { value: meta, cut: null };
        if (bounded.cut) {
          result.warnings.push({ code: 'deep-nesting', message: cutSentence(`${INDEX_FILE}: the entry for session "${id}"`, bounded.cut), file: path, sessionId: id });
        }
        result.sessions.set(id, bounded.value as Record<string, unknown>);
      } else {
        result.sessions.set(id, {});
        result.warnings.push({ code: 'bad-index-entry', message: `${INDEX_FILE}: the entry for session "${id}" is not an object.`, file: path, sessionId: id });
      }
    }
  }
  return result;
}

/** True when a parsed sessions.json looks like the seed-001 index (content, not name, decides). */
export function looksLikeSessionIndex(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
    const p = parsed as Record<string, unknown>;
    const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    return isMap(p.sessions) && (p.keys === undefined || isMap(p.keys));
  } catch {
    return false;
  }
}
