import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { copyFileInChildProcess } from '../files/child-copy';
import { readFileBytes } from '../files/read';
import { commitTemp, fsyncDir, removeQuietly, writeTempBeside } from './atomic-write';
import { backupStore } from './backup';
import { storeDigest } from './content-digest';
import { TrashError } from './errors';
import type { TrashFile, TrashManifest } from './manifest';
import { restoreSqlite, restoreSqliteAsNew } from './sqlite-copy';
import { backupDir, getBackup, purgeBackup } from './trash';
import { trashRoot } from './trash-dir';
import { assertWritable } from './writable';

export interface RestoreResult {
  restored: TrashManifest;
  /** The backup of the state the restore replaced: restoring it undoes the restore. */
  undo: TrashManifest;
  /**
   * True when the store's content changed after the write the backup was taken for (the backend kept
   * writing): the restore rolled those changes back too; they are in `undo`.
   */
  changedSince: boolean;
}

/**
 * Puts a backup's files back. The current state is backed up first, so a restore is itself undoable.
 * Each file is replaced atomically: SQLite through the backup API (see restoreSqlite), other files
 * by temp file + rename, every temp file written before the first rename. A file the backup records
 * as absent is removed last.
 */
export async function restoreBackup(id: string, options: { root?: string } = {}): Promise<RestoreResult> {
  const root = options.root ?? trashRoot();
  const manifest = getBackup(id, root);
  const dir = backupDir(id, root);
  for (const f of manifest.files) {
    if (f.copy !== null && !existsSync(join(dir, f.copy))) throw new TrashError(`backup ${id} is incomplete: ${f.copy} is missing; nothing was restored`);
  }
  const originals = manifest.files.map((f) => f.original);
  assertWritable(originals);
  const changedSince = manifest.afterDigest !== undefined && manifest.afterDigest !== storeDigest(manifest.files);
  // A SQLite store's backup (or a hot journal's raw copies) holds the whole file: the undo backup is one too.
  const wholeSqlite = manifest.files.some((f) => f.kind === 'sqlite' || f.kind === 'raw');
  const undo = await backupStore(manifest.storePath, { format: manifest.format, storage: wholeSqlite ? 'sqlite' : 'files' }, 'restore', wholeSqlite ? undefined : originals, {
    root,
    restoreOf: id,
    summary: `the state before restoring ${id} (${manifest.summary})`,
  });
  // Plain files (a JSONL store's index, sessions and branches) are all written beside their
  // originals first and then renamed over them one after another: a restore cut short while the
  // copies are written changes nothing, and the renames that put the store back take moments.
  const staged: Array<{ temp: string; original: string }> = [];
  let restored = 0;
  try {
    for (const f of manifest.files) {
      if (f.copy === null || f.kind === 'sqlite' || f.kind === 'raw') continue;
      mkdirSync(dirname(f.original), { recursive: true });
      staged.push({ temp: writeTempBeside(f.original, readFileBytes(join(dir, f.copy))), original: f.original });
    }
    for (const f of manifest.files) {
      if (f.kind !== 'sqlite' && f.kind !== 'raw') continue;
      await restoreFile(dir, f);
      restored++;
    }
    while (staged.length) {
      const { temp, original } = staged[0];
      commitTemp(temp, original);
      staged.shift();
      restored++;
    }
    for (const f of manifest.files) {
      if (f.copy !== null) continue;
      rmSync(f.original, { force: true });
      restored++;
    }
  } catch (error) {
    for (const { temp } of staged) removeQuietly(temp);
    // Each file is replaced whole or not at all: when none was, the undo backup holds nothing to undo.
    if (restored === 0) purgeBackup(undo.id, root);
    throw error;
  }
  return { restored: manifest, undo, changedSince };
}

/** A SQLite store's file (through the backup API) or a crashed writer's raw files, each replaced whole. */
async function restoreFile(dir: string, f: TrashFile): Promise<void> {
  if (f.copy === null) return;
  mkdirSync(dirname(f.original), { recursive: true });
  if (f.kind === 'sqlite') {
    if (existsSync(f.original)) await restoreSqlite(join(dir, f.copy), f.original);
    else await restoreSqliteAsNew(join(dir, f.copy), f.original);
  } else if (f.kind === 'raw') {
    // SQLite files as a crashed writer left them: copied back the way they were taken (by a child
    // process, never read here), beside the original and renamed over it.
    const temp = join(dirname(f.original), `.${basename(f.original)}.${process.pid}.${randomBytes(4).toString('hex')}.arbor-tmp`);
    try {
      copyFileInChildProcess(join(dir, f.copy), temp);
      renameSync(temp, f.original);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    fsyncDir(dirname(f.original));
  }
}
