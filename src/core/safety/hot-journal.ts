import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { copyFileInChildProcess } from '../files/child-copy';
import { formatBytes } from '../files/limits';
import type { FormatName } from '../model/types';
import { rollBackHotJournal } from '../sqlite/recover';
import { FILES_DIR, newBackupId, writeManifest, type TrashFile, type TrashManifest } from './manifest';
import { trashRoot } from './trash-dir';

/**
 * A hot journal (a writer died mid-transaction in rollback-journal mode) must be rolled back before
 * the store can be read: SQLite does it at the next open by anyone allowed to write. Arbor does it
 * too when it opens such a store, and says so, but only after the database and its journal are in
 * the trash exactly as the crashed writer left them. Those copies cannot go through SQLite (it would
 * roll back first) and must not be plain reads in this process (closing a descriptor of the
 * database drops the locks this process holds on it), so a child process copies them
 * (files/child-copy.ts). After the copy both files are checked unchanged: a backend that rolled the
 * journal back meanwhile would have made the copy torn, and then there is nothing left to do.
 */

export interface HotJournalRecovery {
  /** Trash entry with the files as they were; null when another process rolled it back first. */
  backup: TrashManifest | null;
  journalBytes: number;
}

function fileStamp(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return 'gone';
  }
}

export function backUpAndRollBackHotJournal(storePath: string, format: FormatName, root: string = trashRoot(), now: () => number = Date.now): HotJournalRecovery {
  const store = resolve(storePath);
  const journal = `${store}-journal`;
  const journalBytes = existsSync(journal) ? statSync(journal).size : 0;
  const before = `${fileStamp(store)}|${fileStamp(journal)}`;
  const id = newBackupId(now());
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const partial = join(root, `.partial-${id}`);
  mkdirSync(join(partial, FILES_DIR), { recursive: true, mode: 0o700 });
  try {
    const files: TrashFile[] = [];
    for (const original of [store, journal]) {
      const copy = join(FILES_DIR, basename(original));
      copyFileInChildProcess(original, join(partial, copy));
      files.push({ original, copy, bytes: statSync(join(partial, copy)).size, kind: 'raw' });
    }
    if (`${fileStamp(store)}|${fileStamp(journal)}` !== before) {
      // Someone else (the backend) recovered it while it was copied: nothing to roll back, no backup to keep.
      rmSync(partial, { recursive: true, force: true });
      return { backup: null, journalBytes };
    }
    const manifest: TrashManifest = {
      version: 1,
      id,
      createdAt: new Date(now()).toISOString(),
      storePath: store,
      format,
      operation: 'hot-journal-rollback',
      summary: `${basename(store)} and its hot journal (${formatBytes(journalBytes)}) as a crashed writer left them, before Arbor rolled the unfinished transaction back`,
      files,
    };
    writeManifest(partial, manifest);
    renameSync(partial, join(root, id));
    rollBackHotJournal(store);
    return { backup: manifest, journalBytes };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
