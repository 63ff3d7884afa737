import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatBytes } from '../files/limits';
import type { FormatName, StoreWarning } from '../model/types';
import { backUpAndRollBackHotJournal } from '../safety/hot-journal';
import { trashRoot } from '../safety/trash-dir';
import { assertWritable } from '../safety/writable';
import { connectReadOnly } from '../sqlite/open';
import { HotJournalError, openReader, openRolledBackCopy, type SqliteReader } from '../sqlite/reader';
import { readSchema } from '../sqlite/schema';
import type { Probe } from './probe';

export interface HotJournalOptions {
  /** Where the backup taken before rolling back a hot journal goes (the safety module's trash by default). */
  trashDir?: string;
  /**
   * The SQLite layout Arbor knows that a probe of the file shows, or null (discovery answers from the
   * layouts it was handed). Without it no file counts as a known store and none is rolled back.
   */
  knownLayout?: (probe: Extract<Probe, { kind: 'sqlite' }>) => FormatName | null;
}

/**
 * Opens a store's reader; a hot journal a crashed writer left is dealt with here, where it is met,
 * and said in a warning on the source:
 * - a writable store of a layout Arbor knows: its files go to the trash as they are, then the
 *   unfinished transaction is rolled back (safety/hot-journal.ts), as the backend's next open would;
 * - a read-only store, or one whose backup cannot be taken: nothing is written; it is read from a
 *   private copy rolled back there;
 * - a SQLite file of no layout Arbor knows is not Arbor's to repair: it is left alone.
 */
export function openStoreReader(path: string, options: HotJournalOptions = {}): { reader: SqliteReader; warnings: StoreWarning[] } {
  try {
    return { reader: openReader(path), warnings: [] };
  } catch (error) {
    if (!(error instanceof HotJournalError)) throw error;
  }
  const journal = `${path}-journal`;
  const bytes = existsSync(journal) ? statSync(journal).size : 0;
  const what = `A writer died in the middle of a transaction and left a hot journal (${basename(journal)}, ${formatBytes(bytes)})`;
  const format = layoutAsLeft(path, options);
  if (format === null) throw new HotJournalError(path);
  try {
    assertWritable([path, journal]);
  } catch {
    return {
      reader: openRolledBackCopy(path),
      warnings: [{ code: 'hot-journal-read-only', message: `${what}. The store is read-only, so Arbor did not roll it back: it shows the last committed state, read from a private copy. The backend rolls it back when it next opens the store.`, file: path }],
    };
  }
  let recovery;
  try {
    recovery = backUpAndRollBackHotJournal(path, format, options.trashDir ?? trashRoot());
  } catch (error) {
    // No backup (the trash cannot be written), or the rollback failed: the store is not touched.
    return {
      reader: openRolledBackCopy(path),
      warnings: [{ code: 'hot-journal-not-rolled-back', message: `${what}. Arbor did not roll it back (${(error as Error).message}): it shows the last committed state, read from a private copy.`, file: path }],
    };
  }
  const warnings: StoreWarning[] = recovery.backup
    ? [
        {
          code: 'hot-journal-rolled-back',
          message: `${what}. Arbor rolled that unfinished transaction back, as SQLite requires before anyone can read the store: it now holds its last committed state. The database and the journal as they were are in the trash (${recovery.backup.id}).`,
          file: path,
        },
      ]
    : [];
  return { reader: openReader(path), warnings };
}

/** The layout of a store with a hot journal, read lock-free from the file as it is; null when none fits. */
function layoutAsLeft(path: string, options: HotJournalOptions): FormatName | null {
  if (!options.knownLayout) return null;
  let db;
  try {
    db = connectReadOnly(path, { immutable: '1' });
    const schema = readSchema(db);
    const probe = { kind: 'sqlite' as const, path, db, schema, reader: null as never, warnings: [] };
    return options.knownLayout(probe);
  } catch {
    return null;
  } finally {
    db?.close();
  }
}
