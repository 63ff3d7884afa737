import { closeSync, openSync, readSync, type Dirent } from 'node:fs';
import { isSqliteHeader, openReadOnly, type SqliteDatabase } from '../sqlite/open';
import { isHotJournalError, rollBackHotJournal } from '../sqlite/recover';
import { readSchema, type SqliteSchema } from '../sqlite/schema';

/**
 * What detection looks at. A SQLite probe carries the open read-only handle and its schema, so the
 * adapter that claims it reuses the handle instead of opening the file twice.
 */
export type Probe =
  | { kind: 'sqlite'; path: string; db: SqliteDatabase; schema: SqliteSchema }
  | { kind: 'directory'; path: string; entries: Dirent[] }
  | { kind: 'file'; path: string; head: Buffer };

const HEAD_BYTES = 4096;

export function readHead(path: string, bytes = HEAD_BYTES): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const read = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Opens a file's probe: SQLite files get a read-only handle and their schema. */
export function probeFile(path: string, recovered = false): Probe {
  const head = readHead(path);
  if (isSqliteHeader(head)) {
    const db = openReadOnly(path);
    try {
      return { kind: 'sqlite', path, db, schema: readSchema(db) };
    } catch (error) {
      db.close();
      // A writer died mid-transaction: roll its journal back once (see recover.ts), then read.
      if (!recovered && isHotJournalError(error)) {
        rollBackHotJournal(path);
        return probeFile(path, true);
      }
      throw error;
    }
  }
  return { kind: 'file', path, head };
}

export function releaseProbe(probe: Probe): void {
  if (probe.kind === 'sqlite' && probe.db.open) probe.db.close();
}
