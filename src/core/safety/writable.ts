import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ReadOnlyStoreError } from './errors';

/**
 * Refuses before anything is written. access(W_OK) alone is not enough: it always succeeds for root,
 * yet a file whose mode has no write bit (chmod 0444, or the Windows read-only attribute) says
 * "do not change me" whoever runs Arbor, so the mode bits are checked too. The folder must be
 * writable because every write goes through a temp file (or a SQLite journal) beside the file.
 */
export function assertWritable(paths: readonly string[]): void {
  const folders = new Set<string>();
  for (const path of paths) {
    checkOne(path, 'file');
    folders.add(dirname(path));
  }
  for (const folder of folders) checkOne(folder, 'folder');
}

function checkOne(path: string, kind: 'file' | 'folder'): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // A file the write will create: its folder is checked.
  }
  const readOnly = (mode & 0o222) === 0;
  let denied = false;
  try {
    accessSync(path, constants.W_OK);
  } catch {
    denied = true;
  }
  if (readOnly || denied) {
    const why = readOnly ? `its mode is ${(mode & 0o777).toString(8).padStart(4, '0')}` : 'this user may not write it';
    throw new ReadOnlyStoreError(`${path}: the ${kind} is read-only (${why}); Arbor changes nothing in a read-only store. Make it writable to clean it up.`);
  }
}
