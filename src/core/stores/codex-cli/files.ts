import { closeSync, readSync, readdirSync } from 'node:fs';
import { guardedOpenSync as openSync, guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { join } from 'node:path';
import { regularFileStat } from '../../files/kind';

/**
 * Every file-system call of the Codex CLI layout, in one place, opened through Arbor's file module
 * (src/core/files: never a SQLite file, regular files only): each file is stat'ed first and only regular files are read, a rollout bigger than the
 * guard is refused with a message instead of filling memory, and nothing is ever written.
 */

export interface RolloutFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A rollout bigger than this is listed but not read (the largest real ones are tens of MB). */
export const MAX_ROLLOUT_BYTES = 1024 * 1024 * 1024;
/** `session_meta` carries the base instructions (20+ KB); detection reads its first line up to this. */
const FIRST_LINE_LIMIT = 4 * 1024 * 1024;
const CHUNK = 64 * 1024;

export function statRollout(path: string): RolloutFile | null {
  const st = regularFileStat(path);
  return st ? { path, size: st.size, mtimeMs: st.mtimeMs } : null;
}

export { isDirectoryPath as isDirectory } from '../../files/kind';

/**
 * Every `.jsonl` file at or below `root`, `depth` folder levels deep (sessions/YYYY/MM/DD is three).
 * Symbolic links to folders are not followed: a link cycle must not hang a listing. Unreadable
 * folders are reported, the rest is listed.
 */
export function listJsonlFiles(root: string, depth: number, onProblem: (path: string, message: string) => void): RolloutFile[] {
  const found: RolloutFile[] = [];
  const walk = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onProblem(dir, (error as Error).message);
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (level < depth && !entry.name.startsWith('.')) walk(path, level + 1);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.jsonl')) {
        const file = statRollout(path);
        if (file) found.push(file);
      }
    }
  };
  walk(root, 0);
  return found;
}

/**
 * A few `.jsonl` files below `root` for detection, newest folders first, reading at most `budget`
 * folders: enough to judge a sessions folder by its content without walking all of it.
 */
export function sampleJsonlFiles(root: string, depth: number, budget = 12, want = 3): string[] {
  const found: string[] = [];
  let reads = 0;
  const walk = (dir: string, level: number) => {
    if (reads >= budget || found.length >= want) return;
    reads++;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = entries.map((e) => e.name).sort().reverse();
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const name of names) {
      const entry = byName.get(name)!;
      if ((entry.isFile() || entry.isSymbolicLink()) && name.endsWith('.jsonl')) {
        found.push(join(dir, name));
        if (found.length >= want) return;
      }
    }
    if (level >= depth) return;
    for (const name of names) {
      const entry = byName.get(name)!;
      if (entry.isDirectory() && !name.startsWith('.')) walk(join(dir, name), level + 1);
      if (reads >= budget || found.length >= want) return;
    }
  };
  walk(root, 0);
  return found;
}

/** The first line of a regular file (without its newline), or null when it is not one or has none readable. */
export function readFirstLine(path: string, limit = FIRST_LINE_LIMIT): string | null {
  if (!statRollout(path)) return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const read = readSync(fd, buf, 0, CHUNK, total);
      if (read <= 0) break;
      const nl = buf.subarray(0, read).indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(buf.subarray(0, nl));
        break;
      }
      chunks.push(buf.subarray(0, read));
      total += read;
      if (total >= limit) return null;
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The whole rollout as text; throws a message for people when it cannot or must not be read. */
export function readRollout(file: RolloutFile): string {
  const now = statRollout(file.path);
  if (!now) throw new Error(`${file.path} is gone or is not a regular file`);
  if (now.size > MAX_ROLLOUT_BYTES) {
    throw new Error(`${file.path} is ${Math.round(now.size / 1048576)} MB, more than the ${MAX_ROLLOUT_BYTES / 1048576} MB Arbor reads`);
  }
  return readFileSync(file.path, 'utf8');
}
