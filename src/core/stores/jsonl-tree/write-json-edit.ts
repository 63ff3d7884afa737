import { jsonTextOf } from '../../model/json-text';
import { statSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { commitTemp, removeQuietly, writeTempBeside } from '../../safety/atomic-write';
import type { OwnerMode } from '../../safety/file-owner';
import type { Step } from './write-journal';

/**
 * The JSON halves of a JSONL tree write: what an `index` step does to sessions.json and a `branches`
 * step to branches.json, and the read-change-rename that applies them to the file *as it is then*
 * (the backend may have rewritten it since Arbor read it: its changes stay). A file that is not JSON
 * is never rewritten: Arbor cannot know what it would lose.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** sessions.json after an index step, or undefined when the step changes nothing in it. */
export function editIndex(value: unknown, step: Extract<Step, { op: 'index' }>, path: string): unknown {
  const adds = Object.keys(step.set ?? {}).length + Object.keys(step.addKeys ?? {}).length > 0;
  if (value === undefined && !adds) return undefined;
  const index: Json = value === undefined ? { keys: {}, sessions: {} } : (value as Json);
  if (!isObject(index) || (index.sessions !== undefined && !isObject(index.sessions))) {
    throw new UnreadableJsonError(`${path} has no "sessions" object; Arbor does not rewrite an index it cannot read`);
  }
  const before = jsonTextOf(index);
  if (!isObject(index.sessions)) index.sessions = {};
  if (!isObject(index.keys)) index.keys = {};
  const sessions = index.sessions as Json;
  const keys = index.keys as Json;
  const removed = new Set(step.remove ?? []);
  for (const id of removed) delete sessions[id];
  for (const [key, id] of Object.entries(keys)) if (typeof id === 'string' && removed.has(id)) delete keys[key];
  for (const [id, entry] of Object.entries(step.set ?? {})) sessions[id] = entry;
  for (const [key, id] of Object.entries(step.addKeys ?? {})) if (keys[key] === undefined) keys[key] = id;
  for (const [id, n] of Object.entries(step.lower ?? {})) {
    const meta = sessions[id];
    // The backend's own count, lowered by exactly what went; an earlier drift is repair's business.
    if (isObject(meta) && typeof meta.messageCount === 'number') meta.messageCount = Math.max(0, meta.messageCount - n);
  }
  return jsonTextOf(index) === before ? undefined : index;
}

/** branches.json without the branches whose leaf is gone, or undefined when none of them is. */
export function editBranches(value: unknown, dropLeaves: readonly string[]): unknown {
  const gone = new Set(dropLeaves);
  const keep = (b: unknown) => !(isObject(b) && typeof b.leafMessageId === 'string' && gone.has(b.leafMessageId));
  if (Array.isArray(value)) return value.every(keep) ? undefined : value.filter(keep);
  if (isObject(value)) {
    const entries = Object.entries(value);
    return entries.every(([, b]) => keep(b)) ? undefined : Object.fromEntries(entries.filter(([, b]) => keep(b)));
  }
  return undefined;
}

/** The file is not JSON (or not the object it should be): Arbor leaves it as it is. */
export class UnreadableJsonError extends Error {
  override name = 'UnreadableJsonError';
}

export interface JsonEditOptions {
  /** Where the temp file goes (Arbor's staging folder, on the store's file system). */
  tempDir: string;
  /** Owner and mode when the file does not exist yet. */
  like: OwnerMode | null;
  /** Called with the temp file's inode just before it is renamed over the file. */
  beforeRename?: (tempIno: number) => void;
}

/**
 * Read, change, rename over; when the file changed between the read and the rename, the change is
 * made again on the new content (twice at most). Returns whether the file was replaced.
 */
export function editJsonFile(path: string, change: (value: unknown) => unknown, options: JsonEditOptions): boolean {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const before = stamp(path);
    const text = before === null ? null : readFileSync(path, 'utf8');
    let value: unknown;
    try {
      value = text === null ? undefined : JSON.parse(text);
    } catch (error) {
      throw new UnreadableJsonError(`${path} is not valid JSON (${(error as Error).message}); Arbor does not rewrite a file it cannot read`);
    }
    const next = change(value);
    if (next === undefined) return false;
    // Keep the file's own style: indented or on one line, with or without a final newline.
    const indented = text === null || /\n\s/.test(text);
    const out = jsonTextOf(next, indented ? 2 : 0) + (text !== null && text.endsWith('\n') ? '\n' : '');
    const temp = writeTempBeside(path, out, { dir: options.tempDir, like: options.like });
    options.beforeRename?.(statSync(temp).ino);
    if (stamp(path) !== before) {
      removeQuietly(temp);
      continue;
    }
    commitTemp(temp, path);
    return true;
  }
  throw new Error(`${path} kept changing while Arbor updated it (the backend is writing it); try again when it is idle`);
}

function stamp(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}
