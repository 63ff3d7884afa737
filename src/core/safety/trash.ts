import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TrashError } from './errors';
import { storeDigest } from './content-digest';
import { assertBackupId, readManifest, writeManifest, type TrashManifest } from './manifest';
import { trashRoot } from './trash-dir';

/** The trash as the CLI and the app list it: complete entries only, newest first. */

export interface TrashListing {
  entries: TrashManifest[];
  /** Entry folders whose manifest cannot be read; listed so they can be purged. */
  broken: Array<{ id: string; error: string }>;
}

export function listTrash(root: string = trashRoot()): TrashListing {
  const listing: TrashListing = { entries: [], broken: [] };
  if (!existsSync(root)) return listing;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    // Hidden folders are backups still being written (or left by a crash while writing one).
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    try {
      listing.entries.push(readManifest(join(root, entry.name)));
    } catch (error) {
      listing.broken.push({ id: entry.name, error: (error as Error).message });
    }
  }
  listing.entries.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return listing;
}

export function backupDir(id: string, root: string = trashRoot()): string {
  assertBackupId(id);
  const dir = join(root, id);
  if (!existsSync(dir)) throw new TrashError(`no backup "${id}" in ${root} (see \`arbor trash list\`)`);
  return dir;
}

export function getBackup(id: string, root: string = trashRoot()): TrashManifest {
  return readManifest(backupDir(id, root));
}

/** Deletes a backup for good. Broken entries can be purged too: the id is checked, not the manifest. */
export function purgeBackup(id: string, root: string = trashRoot()): void {
  rmSync(backupDir(id, root), { recursive: true, force: true });
}

/** Remembers the store's files as the write left them, so a later restore can say whether anyone wrote since. */
export function recordAfterState(id: string, root: string = trashRoot()): void {
  const dir = backupDir(id, root);
  const manifest = readManifest(dir);
  writeManifest(dir, { ...manifest, afterDigest: storeDigest(manifest.files) });
}
