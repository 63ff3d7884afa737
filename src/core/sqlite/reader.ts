import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileInChildProcess } from '../files/child-copy';
import { statRegularFile } from '../files/kind';
import { connectReadOnly, openWritable, type SqliteDatabase } from './open';
import { journalState } from './probe';

/**
 * Reading a store without creating or changing a file, in every journal mode and in read-only
 * folders:
 *
 * - rollback journal, or WAL with its -wal and -shm present (a live writer, or one that crashed):
 *   an ordinary read-only connection. It sees every commit of a live backend and creates nothing.
 * - WAL mode and no -wal beside the file (nobody has it open; the last connection checkpointed and
 *   removed the WAL): an ordinary reader would create -wal and -shm, or fail in a read-only folder
 *   ("attempt to write a readonly database"). Everything is in the database file, so it is read
 *   `immutable` (no locks, no sidecars) as a snapshot; `changed()` turns true as soon as a writer
 *   appears (its -wal) or the file changes, and the source then reopens (see scan/sqlite-source).
 * - a -wal without its -shm, or a WAL the read-only connection cannot use (a read-only folder where
 *   the -shm cannot be made): the database and its WAL are copied by a child process into a
 *   private temp folder and read there, the WAL replayed into the copy; also a snapshot.
 *
 * A hot journal (a writer died mid-transaction in rollback mode) is reported as HotJournalError:
 * rolling it back writes the store, which is the caller's decision (safety/hot-journal.ts backs the
 * files up first).
 */

export type ReaderMode = 'live' | 'snapshot' | 'copy';

export interface SqliteReader {
  readonly path: string;
  readonly db: SqliteDatabase;
  readonly mode: ReaderMode;
  /** True when what a snapshot or copy was taken from has changed since; always false for live readers. */
  changed(): boolean;
  close(): void;
}

export class HotJournalError extends Error {
  override name = 'HotJournalError';
  readonly code = 'SQLITE_READONLY_ROLLBACK';

  constructor(readonly path: string) {
    super(`${path} has a hot journal: a writer died in the middle of a transaction, and SQLite must roll it back before anyone can read the store`);
  }

  withAdvice(advice: string): this {
    this.message = `${this.message}; ${advice}`;
    return this;
  }
}

export function isHotJournalError(error: unknown): boolean {
  return error instanceof HotJournalError || (error as { code?: unknown })?.code === 'SQLITE_READONLY_ROLLBACK';
}

/** What a snapshot depends on: the database file and whether a WAL exists beside it. */
function stamp(path: string): string {
  const wal = `${path}-wal`;
  try {
    const s = statSync(path, { bigint: true });
    const w = existsSync(wal) ? statSync(wal, { bigint: true }) : null;
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}|${w ? `${w.size}:${w.mtimeNs}` : '-'}`;
  } catch {
    return 'gone';
  }
}

/** A read-only connection that has read page 1 (so a failure to use the WAL shows here, not mid-list). */
function touched(db: SqliteDatabase): SqliteDatabase {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const live = (path: string, db: SqliteDatabase): SqliteReader => ({ path, db, mode: 'live', changed: () => false, close: () => db.close() });

/** Errors of a read-only connection that cannot use a WAL without writing (it may not create or write the -shm). */
function walUnusable(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  return code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY');
}

export function openReader(path: string): SqliteReader {
  statRegularFile(path);
  if (existsSync(`${path}-wal`)) {
    if (existsSync(`${path}-shm`)) {
      try {
        return live(path, touched(connectReadOnly(path)));
      } catch (error) {
        if (!walUnusable(error)) throw error;
      }
    }
    return privateCopy(path, '-wal');
  }
  switch (journalState(path)) {
    case 'hot-journal':
      throw new HotJournalError(path);
    case 'wal':
      return snapshot(path);
    case 'rollback':
      try {
        return live(path, touched(connectReadOnly(path)));
      } catch (error) {
        if (isHotJournalError(error)) throw new HotJournalError(path);
        throw error;
      }
  }
}

/** For short reads (planning estimates, digests): the connection of openReader. */
export function openReadOnly(path: string): SqliteDatabase {
  return openReader(path).db;
}

function snapshot(path: string): SqliteReader {
  const at = stamp(path);
  const db = touched(connectReadOnly(path, { immutable: '1' }));
  return { path, db, mode: 'snapshot', changed: () => stamp(path) !== at, close: () => db.close() };
}

const COPY_ATTEMPTS = 3;

/**
 * A hot journal in a store Arbor may not write: the database and its journal copied into a private
 * folder and rolled back there, so the store reads as its last committed state and is not touched.
 */
export function openRolledBackCopy(path: string): SqliteReader {
  return privateCopy(path, '-journal');
}

function privateCopy(path: string, sidecar: '-wal' | '-journal'): SqliteReader {
  for (let attempt = 1; ; attempt++) {
    const at = stamp(path);
    const dir = mkdtempSync(join(tmpdir(), 'arbor-wal-copy-'));
    const copy = join(dir, 'store.db');
    try {
      copyFileInChildProcess(path, copy);
      if (existsSync(`${path}${sidecar}`)) copyFileInChildProcess(`${path}${sidecar}`, `${copy}${sidecar}`);
      // A file that changed while it was copied may be torn: copy again.
      if (stamp(path) !== at && attempt < COPY_ATTEMPTS) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      // Opening the copy for writing replays its WAL (or rolls its journal back); a rollback journal
      // then leaves the copy one self-contained file.
      const writer = openWritable(copy, { mustExist: true });
      try {
        writer.pragma('journal_mode = DELETE');
      } finally {
        writer.close();
      }
      const db = touched(connectReadOnly(copy));
      let cleaned = false;
      const clean = () => {
        if (!cleaned) rmSync(dir, { recursive: true, force: true });
        cleaned = true;
      };
      // POSIX keeps an open file readable after its name is gone: nothing is left behind even if
      // the process dies. Windows cannot remove an open file; there the folder goes at close.
      if (process.platform !== 'win32') clean();
      return {
        path,
        db,
        mode: 'copy',
        changed: () => stamp(path) !== at,
        close: () => {
          db.close();
          clean();
        },
      };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
}
