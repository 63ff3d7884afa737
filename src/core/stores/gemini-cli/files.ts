import { closeSync, readSync, readdirSync } from 'node:fs';
import { guardedOpenSync as openSync, guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { join } from 'node:path';
import { regularFileStat } from '../../files/kind';

/**
 * Every file-system call of the Gemini CLI layout, in one place until Arbor's shared file module
 * owns them: stat first, read only regular files, refuse files over the size guard with a message,
 * never write.
 */

export interface SessionFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Gemini keeps tool outputs under 50 KB each; a session file bigger than this is not read. */
export const MAX_SESSION_BYTES = 512 * 1024 * 1024;
const HEAD_BYTES = 4096;

export function statRegular(path: string): SessionFile | null {
  const st = regularFileStat(path);
  return st ? { path, size: st.size, mtimeMs: st.mtimeMs } : null;
}

export { isDirectoryPath as isDirectory } from '../../files/kind';

export interface Listing {
  files: SessionFile[];
  dirs: string[];
}

/** The regular files and folders directly in `dir` (symbolic links to files count as files). */
export function listDir(dir: string, onProblem?: (path: string, message: string) => void): Listing {
  const out: Listing = { files: [], dirs: [] };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    onProblem?.(dir, (error as Error).message);
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.dirs.push(path);
    else if (entry.isFile() || entry.isSymbolicLink()) {
      const file = statRegular(path);
      if (file) out.files.push(file);
    }
  }
  return out;
}

/** The first bytes of a regular file, for recognising a session by its opening. */
export function readHead(path: string, bytes = HEAD_BYTES): string | null {
  if (!statRegular(path)) return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(bytes);
    const read = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, read).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** A whole file as text; throws a message for people when it cannot or must not be read. */
export function readText(file: SessionFile, limit = MAX_SESSION_BYTES): string {
  const now = statRegular(file.path);
  if (!now) throw new Error(`${file.path} is gone or is not a regular file`);
  if (now.size > limit) throw new Error(`${file.path} is ${Math.round(now.size / 1048576)} MB, more than the ${Math.round(limit / 1048576)} MB Arbor reads`);
  return readFileSync(file.path, 'utf8');
}

/** A small file (logs.json, .project_root) as text, or null when absent, not regular or too big. */
export function readSmall(path: string, limit: number): string | null {
  const file = statRegular(path);
  if (!file || file.size > limit) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
