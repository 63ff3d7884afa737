import { closeSync, fsyncSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { guardedOpenSync as openSync } from '../files/guarded-fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Replacing a file so that a crash leaves the old file or the new one, never half of one: the data
 * goes to a temporary file in the same folder (rename is atomic only within one file system), is
 * flushed to disk, and is renamed over the original. Writers that must check the original just
 * before the swap (a backend may append to it) use the two halves, writeTempBeside and commitTemp.
 */

/** Writes `data` to a new temporary file beside `path`, flushed to disk; returns the temp path. */
export function writeTempBeside(path: string, data: string | Uint8Array): string {
  const temp = openTempBeside(path);
  try {
    writeAll(temp.fd, data);
    fsyncSync(temp.fd);
  } catch (error) {
    closeSync(temp.fd);
    removeQuietly(temp.path);
    throw error;
  }
  closeSync(temp.fd);
  return temp.path;
}

/** A new, empty temp file beside `path` with `path`'s permissions, open for writing. */
export function openTempBeside(path: string): { path: string; fd: number } {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.arbor-tmp`);
  // Keep the original's permissions: a rewrite must not widen or narrow who may read the store.
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    // A new file: the default mode (less the umask).
  }
  return { path: temp, fd: openSync(temp, 'wx', mode) };
}

export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

/** Renames a temp file from writeTempBeside over `path` and flushes the folder entry. */
export function commitTemp(temp: string, path: string): void {
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  fsyncDir(dirname(path));
}

/** Temp file in the same folder, fsync, rename over `path`. */
export function atomicWriteFile(path: string, data: string | Uint8Array): void {
  commitTemp(writeTempBeside(path, data), path);
}

/** Makes a rename durable. Windows cannot open folders for fsync; there the rename is as durable as NTFS makes it. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform or file system.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
