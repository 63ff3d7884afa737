import { statSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { basename, join } from 'node:path';
import { parseJsonlText } from '../../jsonl/read-jsonl';
import { treeMessageFromRecord } from '../../jsonl/tree-message';
import { CleanupError } from '../../cleanup/errors';

/** The files of a FORMATS.md §2 store as cleanup reads and names them; shared by its planning and its writes. */

export const MESSAGES = 'messages.jsonl';
export const BRANCHES = 'branches.json';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A session id names a folder: one that could reach outside the store (a path, "..") is refused. */
export function sessionFolder(root: string, id: string): string {
  if (id === '' || id === '.' || id === '..' || /[/\\\0]/.test(id) || basename(id) !== id) {
    throw new CleanupError(`session id ${JSON.stringify(id)} is not a folder name; Arbor will not touch a path it names`);
  }
  return join(root, id);
}

/** Counts and times of a messages file, for a new index entry or a corrected count. */
export function scanMessages(file: string): { count: number; first: number | null; last: number | null } {
  const ids = new Set<string>();
  let first: number | null = null;
  let last: number | null = null;
  parseJsonlText(
    readFileSync(file, 'utf8'),
    (value, line) => {
      const node = treeMessageFromRecord(value, line, []);
      if (!node || ids.has(node.id)) return;
      ids.add(node.id);
      if (node.timestamp !== null) {
        first = first === null ? node.timestamp : Math.min(first, node.timestamp);
        last = last === null ? node.timestamp : Math.max(last, node.timestamp);
      }
    },
    [],
  );
  return { count: ids.size, first, last };
}

export function indexEntryFor(id: string, file: string): Json {
  const scan = scanMessages(file);
  const mtime = Math.round(statSync(file).mtimeMs);
  return { sessionId: id, createdAt: scan.first ?? mtime, updatedAt: scan.last ?? mtime, messageCount: scan.count };
}

export function sessionsOf(index: unknown, path: string): Json {
  const sessions = isObject(index) ? index.sessions : undefined;
  if (!isObject(sessions)) throw new CleanupError(`${path} has no "sessions" object; Arbor does not rewrite an index it cannot read`);
  return sessions;
}

export function dropKeysOf(index: Json, ids: Set<string>): void {
  if (!isObject(index.keys)) return;
  for (const [key, id] of Object.entries(index.keys)) if (typeof id === 'string' && ids.has(id)) delete index.keys[key];
}
