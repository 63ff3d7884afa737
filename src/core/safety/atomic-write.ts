import { closeSync, fsyncSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { guardedOpenSync as openSync } from '../files/guarded-fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { crashPoint, fileOp } from './crash-point';
import { applyOwnerModeFd, ownerModeOf, type OwnerMode } from './file-owner';

/**
 * Replacing a file so that a crash leaves the old file or the new one, never half of one: the data
 * goes to a temporary file on the same file system (rename is atomic only within one), is flushed
 * to disk, and is renamed over the original. The temp file gets the original's owner, group and
 * mode before any data goes in (see file-owner.ts), so the rename changes the content and nothing
 * else; a file whose owner cannot be kept is refused there, before anything is renamed. Writers that
 * must check the original just before the swap (a backend may append to it) use the two halves,
 * writeTempBeside and commitTemp.
 */

export interface TempOptions {
  /** Where the temp file goes (on the file system of `path`); default: beside `path`. */
  dir?: string;
  /** Owner and mode when `path` does not exist yet; default: the process's own (mode 0644 less the umask). */
  like?: OwnerMode | null;
}

/** Writes `data` to a new temporary file for `path`, flushed to disk; returns the temp path. */
export function writeTempBeside(path: string, data: string | Uint8Array, options: TempOptions = {}): string {
  const temp = openTempBeside(path, options);
  try {
    writeAll(temp.fd, data);
    fsyncSync(temp.fd);
  } catch (error) {
    closeSync(temp.fd);
    removeQuietly(temp.path);
    throw error;
  }
  closeSync(temp.fd);
  crashPoint(`after writing ${temp.path}`);
  return temp.path;
}

/** A new, empty temp file for `path` with `path`'s owner, group and mode, open for writing. */
export function openTempBeside(path: string, options: TempOptions = {}): { path: string; fd: number } {
  const temp = join(options.dir ?? dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.arbor-tmp`);
  const want = ownerModeOf(path) ?? options.like ?? null;
  const fd = fileOp(`create ${temp}`, () => openSync(temp, 'wx', want ? want.mode & 0o777 : 0o644));
  try {
    // Set on the descriptor, not through open's mode argument, which the umask would narrow.
    if (want) applyOwnerModeFd(fd, want, path);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temp);
    throw error;
  }
  return { path: temp, fd };
}

export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

/**
 * Creates a file that must not exist yet, with `like`'s owner, group and mode; flushed to disk unless
 * `flush` is false (staged files that a journal records by size: an fsync per file costs a big
 * import milliseconds per file).
 */
export function writeNewFile(path: string, data: string | Uint8Array, like: OwnerMode | null, options: { flush?: boolean } = {}): void {
  const fd = fileOp(`create ${path}`, () => openSync(path, 'wx', like ? like.mode & 0o777 : 0o644));
  try {
    if (like) applyOwnerModeFd(fd, like, path);
    writeAll(fd, data);
    if (options.flush !== false) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames a temp file from writeTempBeside over `path` and flushes the folder entry. */
export function commitTemp(temp: string, path: string): void {
  try {
    fileOp(`rename ${temp} over ${path}`, () => renameSync(temp, path));
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  fsyncDir(dirname(path));
}

/** Temp file in the same folder, fsync, rename over `path`. */
export function atomicWriteFile(path: string, data: string | Uint8Array, options: TempOptions = {}): void {
  commitTemp(writeTempBeside(path, data, options), path);
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
