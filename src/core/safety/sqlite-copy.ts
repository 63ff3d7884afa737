import { statSync } from 'node:fs';
import { openReadOnly, openWritable, type SqliteDatabase } from '../sqlite/open';
import { isHotJournalError, rollBackHotJournal } from '../sqlite/recover';
import { StoreLockedError } from './errors';
import { lockWaitMs } from './lock-wait';

/**
 * SQLite copies go through SQLite's online backup API, never a byte copy: a backend may be writing
 * (a WAL file, a commit half on disk), and only SQLite itself reads a consistent snapshot then.
 */

const ALL_PAGES = 0x7fffffff;

/** Copies the store at `source` into the new file `dest` and makes the copy one self-contained file. */
export async function copySqlite(source: string, dest: string): Promise<number> {
  const db = openReadable(source);
  try {
    await runBackup(db, dest, source);
  } finally {
    db.close();
  }
  // The copy inherits WAL mode from a WAL store; switched to a rollback journal it needs no -wal or
  // -shm beside it, so the trash entry is one file that opens read-only anywhere.
  const copy = openWritable(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return statSync(dest).size;
}

/** A read-only connection, after rolling back a hot journal a crashed writer left (see recover.ts). */
function openReadable(path: string): SqliteDatabase {
  const db = openReadOnly(path);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    if (!isHotJournalError(error)) throw error;
    rollBackHotJournal(path);
    return openReadOnly(path);
  }
}

/**
 * Writes the copy back into the live store through the backup API: SQLite writes the destination
 * in one write transaction under its own locks, so a crash rolls back from the journal, a backend
 * holding the file open sees the restored content at its next read, and its WAL stays coherent.
 * (Temp file + rename would be atomic too, but a backend with the file open would keep writing to
 * the replaced inode, and a stale -wal beside the new file would be replayed into it.)
 */
export async function restoreSqlite(copy: string, live: string): Promise<void> {
  const db = openReadOnly(copy);
  try {
    await runBackup(db, live, live);
  } finally {
    db.close();
  }
}

/**
 * better-sqlite3 retries a busy step on the next tick for ever, except on the very first step: when
 * the source is locked before a page is read it reports a finished copy of 0 pages. So a 0-page
 * result is retried, and the progress callback stops a copy once no page has moved; both give up
 * after lockWaitMs(). Everything is copied in one step after the first, so the destination is
 * written in one transaction and a source written meanwhile does not restart it.
 */
async function runBackup(db: SqliteDatabase, dest: string, lockedPath: string): Promise<void> {
  const wait = lockWaitMs();
  db.pragma(`busy_timeout = ${wait}`);
  const locked = () => new StoreLockedError(`${lockedPath}: another process holds the store's lock (waited ${wait / 1000} s); nothing was changed. Try again when it is idle.`);
  const deadline = Date.now() + wait;
  for (;;) {
    let remaining = -1;
    let stalledSince = Date.now();
    const result = await db.backup(dest, {
      progress: ({ remainingPages }) => {
        const now = Date.now();
        if (remainingPages !== remaining) {
          remaining = remainingPages;
          stalledSince = now;
        } else if (now - stalledSince > wait) {
          throw locked();
        }
        return ALL_PAGES;
      },
    });
    if (result.totalPages > 0) return;
    if (Date.now() > deadline) throw locked();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
