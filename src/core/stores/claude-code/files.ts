import { readdirSync, readSync, statSync, type Dirent } from 'node:fs';
import { regularFileStat } from '../../files/kind';
import { openPlainFile } from '../../files/open';

/**
 * Every file-system call of the Claude Code layout, in one place: the folders and files of a
 * `~/.claude/projects` tree are only ever listed, stat'ed and read here (never written). Files are
 * opened through Arbor's file module (src/core/files): regular files only — a FIFO or a device named
 * `x.jsonl` must not block or flood a listing — and never a SQLite file.
 */

export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** Largest session file read whole; beyond it the session says so instead of exhausting memory. */
export const MAX_SESSION_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** Size and mtime of a regular file; null when it is missing, unreadable or not a regular file. */
export function statFile(path: string): FileStat | null {
  return regularFileStat(path);
}

export { isDirectoryPath as isDirectory } from '../../files/kind';

/** Entries of a folder; empty when it cannot be listed (gone, no permission). */
export function listDir(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** mtime of a folder or file, -1 when it cannot be stat'ed: a cheap "did this folder change". */
export function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The whole file as bytes (decoded line by line later, so a 100 MB session is never one string). */
export function readWholeFile(path: string): { bytes: Buffer; stat: FileStat } {
  const file = openPlainFile(path, { limit: MAX_SESSION_BYTES, what: 'one session' });
  const { fd } = file;
  try {
    const st = file.stats;
    const bytes = Buffer.allocUnsafe(st.size);
    let done = 0;
    // A file that shrinks while read ends early; one that grows is read up to the size stat'ed.
    while (done < st.size) {
      const n = readSync(fd, bytes, done, st.size - done, done);
      if (n === 0) break;
      done += n;
    }
    return { bytes: done === st.size ? bytes : bytes.subarray(0, done), stat: { size: done, mtimeMs: st.mtimeMs } };
  } finally {
    file.close();
  }
}

/**
 * The first `headBytes` and last `tailBytes` of a regular file, for listing without reading it
 * whole. When the two overlap the whole file is returned as `head` and `whole` is true.
 */
export function readHeadAndTail(path: string, headBytes: number, tailBytes: number): { head: Buffer; tail: Buffer | null; whole: boolean; stat: FileStat } | null {
  let file;
  try {
    file = openPlainFile(path);
  } catch {
    return null;
  }
  const { fd } = file;
  try {
    const st = file.stats;
    const stat = { size: st.size, mtimeMs: st.mtimeMs };
    if (st.size <= headBytes + tailBytes) {
      const head = readAt(fd, 0, st.size);
      return { head, tail: null, whole: head.length === st.size, stat };
    }
    return { head: readAt(fd, 0, headBytes), tail: readAt(fd, st.size - tailBytes, tailBytes), whole: false, stat };
  } catch {
    return null;
  } finally {
    file.close();
  }
}

/** Up to `bytes` from the start of a regular file (detection looks at the first lines only). */
export function readHead(path: string, bytes: number): Buffer | null {
  let file;
  try {
    file = openPlainFile(path);
  } catch {
    return null;
  }
  try {
    return readAt(file.fd, 0, bytes);
  } catch {
    return null;
  } finally {
    file.close();
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}
