import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { guardedCopyFileSync as copyFileSync } from '../files/guarded-fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { FormatName } from '../model/types';
import { fileOp } from './crash-point';
import { FILES_DIR, newBackupId, writeManifest, type TrashFile, type TrashManifest } from './manifest';

/**
 * A trash entry for files Arbor moved out of a store that hold more than the write's backup: what a
 * backend wrote to a session after the backup and before Arbor replaced or deleted it. Each copy is
 * recorded under the path it had in the store, so `arbor trash restore ID` puts it back there (after
 * backing up what is there then), like any backup. Built in a hidden folder and renamed into place,
 * so the trash never lists half an entry.
 */

export interface KeptFile {
  /** Where the file was in the store. */
  original: string;
  /** Where it is now (Arbor's staging folder inside the store). */
  from: string;
}

export function keepAsideInTrash(options: { trashRoot: string; storePath: string; format: FormatName; summary: string; files: readonly KeptFile[] }): TrashManifest {
  const store = resolve(options.storePath);
  const id = newBackupId(Date.now());
  mkdirSync(options.trashRoot, { recursive: true, mode: 0o700 });
  const partial = join(options.trashRoot, `.partial-${id}`);
  mkdirSync(join(partial, FILES_DIR), { recursive: true, mode: 0o700 });
  try {
    const files: TrashFile[] = options.files.map((f) => {
      const copy = join(FILES_DIR, relative(store, resolve(f.original)));
      mkdirSync(dirname(join(partial, copy)), { recursive: true, mode: 0o700 });
      fileOp(`keep ${f.from} aside`, () => copyFileSync(f.from, join(partial, copy)));
      return { original: resolve(f.original), copy, bytes: statSync(f.from).size, kind: 'file' };
    });
    const manifest: TrashManifest = {
      version: 1,
      id,
      createdAt: new Date().toISOString(),
      storePath: store,
      format: options.format,
      operation: 'kept-aside',
      summary: options.summary,
      files,
    };
    writeManifest(partial, manifest);
    fileOp(`publish trash entry ${id}`, () => renameSync(partial, join(options.trashRoot, id)));
    return manifest;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
