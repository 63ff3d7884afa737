import { FileAccessError } from '../files/errors';
import { describeKind, kindOf, statPath } from '../files/kind';
import { sqliteSidecarOwner } from '../files/sidecar';
import { connectReadOnly, type SqliteDatabase } from './open';

/**
 * Asking SQLite what a file is, before anything else opens it. An `immutable` connection takes no
 * lock, reads nothing but page 1, creates no journal, WAL or index file, and its descriptor goes
 * through SQLite's own per-file bookkeeping (a close while another connection of this process holds
 * a lock is deferred), so this is safe on a store another connection of this process is writing.
 * The file's kind is known before any `fs` descriptor is opened on it: that is what keeps plain file
 * reads away from SQLite databases without a registry of open stores (which would not cover other
 * threads of the process, while POSIX locks belong to the whole process).
 */

export type SqliteFileKind = 'database' | 'not-a-database' | 'empty';

function assertProbeable(path: string): void {
  // Never ask SQLite about a sidecar: its descriptor on a -shm would not be tracked (see files/sidecar).
  if (sqliteSidecarOwner(path)) throw new Error(`${path}: SQLite sidecar files are opened only by SQLite, as part of their database`);
  const kind = kindOf(statPath(path));
  // SQLite would block opening a FIFO; callers stat first, this is the last line of defence.
  if (kind !== 'file') throw new Error(`${path} is ${describeKind(kind)}, not a regular file`);
}

/** 'empty' for a zero-byte file (SQLite would call it an empty database; nobody's data is in it). */
export function sqliteFileKind(path: string, size: number): SqliteFileKind {
  if (size === 0) return 'empty';
  assertProbeable(path);
  let db: SqliteDatabase | undefined;
  try {
    db = connectReadOnly(path, { immutable: '1' });
    db.pragma('schema_version', { simple: true });
    return 'database';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') return 'not-a-database';
    if (code === 'SQLITE_CANTOPEN') throw new FileAccessError(path, 'unreadable', `${path}: cannot be opened for reading (${(error as Error).message})`);
    // Corrupt or otherwise failing: a database in trouble is still a database; its reader reports it.
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return 'database';
    throw error;
  } finally {
    db?.close();
  }
}

/**
 * How a database keeps its journal, without creating or changing a file: a `nolock` connection
 * reads page 1 and refuses WAL-mode databases (WAL needs the locks it has switched off) before
 * opening or creating a -wal, and reports a hot journal as SQLITE_READONLY_ROLLBACK.
 */
export type JournalState = 'rollback' | 'wal' | 'hot-journal';

export function journalState(path: string): JournalState {
  assertProbeable(path);
  let db: SqliteDatabase | undefined;
  try {
    db = connectReadOnly(path, { nolock: '1' });
    db.pragma('schema_version', { simple: true });
    return 'rollback';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_READONLY_ROLLBACK') return 'hot-journal';
    if (code === 'SQLITE_CANTOPEN') return 'wal';
    throw error;
  } finally {
    db?.close();
  }
}
