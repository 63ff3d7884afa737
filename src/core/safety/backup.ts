import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { copyPlainFile } from '../files/read';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FormatName, StoreStorage } from '../model/types';
import { FILES_DIR, newBackupId, writeManifest, type TrashFile, type TrashManifest } from './manifest';
import { copySqlite } from './sqlite-copy';
import { trashRoot } from './trash-dir';

/**
 * Takes the backup every write starts with. SQLite stores are copied whole through the backup API
 * (their pages interlock, so a partial copy would not restore); folder stores copy the files the
 * write will touch, under the same relative paths. The entry is built in a hidden folder and
 * renamed into place when complete, so the trash never lists half a backup.
 */

export interface BackupOptions {
  summary?: string;
  restoreOf?: string;
  now?: () => number;
  /** Trash folder; defaults to trashRoot(). */
  root?: string;
}

/** What a backup needs to know of the store's layout: its name for the manifest, and how it sits on disk. */
export interface StoreKind {
  format: FormatName;
  storage: StoreStorage;
}

export async function backupStore(
  storePath: string,
  { format, storage }: StoreKind,
  operation: string,
  touched?: readonly string[],
  options: BackupOptions = {},
): Promise<TrashManifest> {
  const root = options.root ?? trashRoot();
  const store = resolve(storePath);
  const id = newBackupId((options.now ?? Date.now)());
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const partial = join(root, `.partial-${id}`);
  mkdirSync(join(partial, FILES_DIR), { recursive: true, mode: 0o700 });
  try {
    const files = storage === 'sqlite' ? [await backupSqlite(store, partial)] : backupFolderFiles(store, touched, partial);
    const manifest: TrashManifest = {
      version: 1,
      id,
      createdAt: new Date((options.now ?? Date.now)()).toISOString(),
      storePath: store,
      format,
      operation,
      summary: options.summary ?? `${operation} on ${basename(store)}`,
      files,
      ...(options.restoreOf ? { restoreOf: options.restoreOf } : {}),
    };
    writeManifest(partial, manifest);
    renameSync(partial, join(root, id));
    return manifest;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

async function backupSqlite(store: string, entry: string): Promise<TrashFile> {
  const copy = join(FILES_DIR, basename(store));
  if (!existsSync(store)) return { original: store, copy: null, bytes: 0, kind: 'sqlite' };
  const bytes = await copySqlite(store, join(entry, copy));
  return { original: store, copy, bytes, kind: 'sqlite' };
}

function backupFolderFiles(store: string, touched: readonly string[] | undefined, entry: string): TrashFile[] {
  const paths = touched ? touched.map((p) => (isAbsolute(p) ? resolve(p) : resolve(store, p))) : listFiles(store);
  const seen = new Set<string>();
  const files: TrashFile[] = [];
  for (const original of paths) {
    if (seen.has(original)) continue;
    seen.add(original);
    const rel = relative(store, original);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new Error(`${original} is not inside the store ${store}; Arbor backs up only the store's own files`);
    }
    if (!existsSync(original)) {
      files.push({ original, copy: null, bytes: 0, kind: 'file' });
      continue;
    }
    // The bytes the file had when it was opened: a backend appending meanwhile leaves no half line in the copy.
    const copy = join(FILES_DIR, rel);
    mkdirSync(dirname(join(entry, copy)), { recursive: true });
    const bytes = copyPlainFile(original, join(entry, copy));
    files.push({ original, copy, bytes, kind: 'file' });
  }
  return files;
}

/** Every file under a folder store, Arbor's own leftover temp files excepted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile() && !entry.name.endsWith('.arbor-tmp')) out.push(path);
  }
  return out;
}
