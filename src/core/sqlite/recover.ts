import { openWritable } from './open';

/**
 * A writer that died in the middle of a transaction in rollback-journal mode (a backend, or an
 * Arbor cleanup killed -9) leaves a hot journal beside the store. SQLite rolls it back at the next
 * open, but only on a connection allowed to write; read-only connections fail with
 * SQLITE_READONLY_ROLLBACK until then, so the store would look unreadable. Rolling back changes no
 * committed content: it returns the file to its last committed state, as the backend's own next
 * open would. Callers back the files up first (safety/hot-journal.ts).
 */
export { HotJournalError, isHotJournalError } from './reader';

export function rollBackHotJournal(path: string): void {
  const db = openWritable(path, { mustExist: true });
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } finally {
    db.close();
  }
}
