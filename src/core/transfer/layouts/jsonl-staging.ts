import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { guardedCopyFileSync as copyFileSync, guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { atomicWriteFile, commitTemp, writeTempBeside } from '../../safety/atomic-write';
import { StoreLockedError } from '../../safety/errors';

/**
 * All-or-nothing writes to a JSONL tree store, which is many files (FORMATS.md §2). Everything new is
 * written into a hidden staging folder inside the store first (the long part; the store is untouched
 * meanwhile, and readers ignore the folder: it holds no `messages.jsonl` of its own). Then a journal
 * listing the moves is written atomically, the old index copied aside, session folders moved in (a
 * replaced one moved out first) and `sessions.json` renamed over. Deleting the journal is the commit.
 *
 * A crash before the commit leaves the journal: `recoverInterruptedImport` (run by every import
 * before it starts, and callable on its own) puts every moved folder and the old index back and
 * removes the staging folder, so the store is byte for byte what it was. A crash after the commit
 * leaves only a staging folder to remove.
 */

export const STAGING_PREFIX = '.arbor-import-';
const JOURNAL = 'journal.json';
const OLD_INDEX = 'sessions.json.old';
const INDEX = 'sessions.json';
const LOCK = '.arbor-import.lock';

interface Journal {
  version: 1;
  hadIndex: boolean;
  sessions: Array<{ id: string; replaces: boolean }>;
}

export class JsonlStaging {
  readonly dir: string;

  constructor(private readonly root: string) {
    this.dir = join(root, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(join(this.dir, 'new'), { recursive: true });
    mkdirSync(join(this.dir, 'old'), { recursive: true });
  }

  /** Where the new folder of session `id` is written before the commit. */
  sessionDir(id: string): string {
    return join(this.dir, 'new', id);
  }

  commit(sessions: ReadonlyArray<{ id: string; replaces: boolean }>, indexText: string): void {
    const indexPath = join(this.root, INDEX);
    const hadIndex = existsSync(indexPath);
    if (hadIndex) copyFileSync(indexPath, join(this.dir, OLD_INDEX));
    const journal: Journal = { version: 1, hadIndex, sessions: [...sessions] };
    atomicWriteFile(join(this.dir, JOURNAL), JSON.stringify(journal));
    for (const s of sessions) {
      const target = join(this.root, s.id);
      if (s.replaces && existsSync(target)) renameSync(target, join(this.dir, 'old', s.id));
      renameSync(this.sessionDir(s.id), target);
    }
    // Written in staging and renamed across: no temp file ever sits in the store itself.
    commitTemp(writeTempBeside(join(this.dir, INDEX), indexText), indexPath);
    rmSync(join(this.dir, JOURNAL));
    rmSync(this.dir, { recursive: true, force: true });
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Rolls back an import that was killed before its commit, and removes what a finished or abandoned
 * one left behind. Returns the number of imports rolled back.
 */
export function recoverInterruptedImport(root: string): number {
  const lock = join(root, LOCK);
  if (existsSync(lock)) {
    const owner = lockOwner(lock);
    if (owner !== process.pid) {
      // A live import is not interrupted: leave its staging alone.
      if (owner !== null && isAlive(owner)) return 0;
      rmSync(lock, { force: true });
    }
  }
  let rolledBack = 0;
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = join(root, name);
    const journalPath = join(dir, JOURNAL);
    if (existsSync(journalPath)) {
      rollBack(root, dir, JSON.parse(readFileSync(journalPath, 'utf8')) as Journal);
      rolledBack++;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return rolledBack;
}

function rollBack(root: string, dir: string, journal: Journal): void {
  for (const s of [...journal.sessions].reverse()) {
    const target = join(root, s.id);
    const staged = join(dir, 'new', s.id);
    const old = join(dir, 'old', s.id);
    // The new folder left staging, so the one in the store is ours; for a replacement only once the
    // old one is safely aside (it always moves first).
    if (!existsSync(staged) && existsSync(target) && (!s.replaces || existsSync(old))) rmSync(target, { recursive: true, force: true });
    if (existsSync(old)) renameSync(old, target);
  }
  const indexPath = join(root, INDEX);
  const oldIndex = join(dir, OLD_INDEX);
  if (journal.hadIndex && existsSync(oldIndex)) renameSync(oldIndex, indexPath);
  else if (!journal.hadIndex) rmSync(indexPath, { force: true });
}

/**
 * One import at a time per store: a second one would take the first one's staging for a crashed
 * import and roll it back. The lock names its process; a lock whose process is gone is stale.
 */
export function lockJsonlStore(root: string): () => void {
  const lock = join(root, LOCK);
  if (existsSync(lock)) {
    const owner = lockOwner(lock);
    if (owner !== null && owner !== process.pid && isAlive(owner)) {
      throw new StoreLockedError(`${root}: another Arbor import (process ${owner}) is writing this store; nothing was changed`);
    }
    rmSync(lock, { force: true });
  }
  writeFileSync(lock, String(process.pid), { flag: 'wx' });
  return () => rmSync(lock, { force: true });
}

function lockOwner(lock: string): number | null {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
