import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openWritable, type SqliteDatabase } from '../sqlite/open';
import { HotJournalError, openReader, type SqliteReader } from '../sqlite/reader';
import { fsyncDir } from './atomic-write';
import { StoreLockedError } from './errors';
import { lockWaitMs } from './lock-wait';

/**
 * SQLite copies go through SQLite's online backup API, never a byte copy: a backend may be writing
 * (a WAL file, a commit half on disk), and only SQLite itself reads a consistent snapshot then.
 */

const ALL_PAGES = 0x7fffffff;

const SNAPSHOT_ATTEMPTS = 3;

/**
 * Copies the store at `source` into the new file `dest` and makes the copy one self-contained file.
 * The source is read as every reader reads it (sqlite/reader.ts: nothing is created beside it); a
 * copy taken from a snapshot while the store changed is taken again.
 */
export async function copySqlite(source: string, dest: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const reader = openReadable(source);
    try {
      await runBackup(reader.db, dest, source);
      if (!reader.changed() || attempt >= SNAPSHOT_ATTEMPTS) break;
    } finally {
      reader.close();
    }
    rmSync(dest, { force: true });
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

/**
 * A reader for the backup. A hot journal is not rolled back here: that happens, with its own backup
 * of the files as they are, where Arbor opens the store (scan/hot-journal.ts), and the user is told.
 */
function openReadable(path: string): SqliteReader {
  try {
    return openReader(path);
  } catch (error) {
    if (error instanceof HotJournalError) {
      throw new HotJournalError(path).withAdvice('open (or reload) the store in Arbor first: it backs the files up, rolls the unfinished transaction back and says so; nothing was changed');
    }
    throw error;
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
  const reader = openReader(copy);
  try {
    await runBackup(reader.db, live, live);
  } finally {
    reader.close();
  }
}

/**
 * A store whose file is gone gets the copy back as a new file: written by the backup API beside it
 * and renamed into place, so the copy is never read as plain bytes and a crash leaves no half file.
 */
export async function restoreSqliteAsNew(copy: string, path: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.arbor-tmp`);
  try {
    await restoreSqlite(copy, temp);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
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
