import { statSync, type Stats } from 'node:fs';
import { FileAccessError } from './errors';

/**
 * What a path is, decided by stat alone (no descriptor is opened). Readers open regular files only:
 * a FIFO blocks an open or a read for ever, a device (a symlink to /dev/zero) never ends, a socket
 * cannot be opened at all, and the reads here are synchronous, so any of them would freeze the app.
 */
export type FileKind = 'file' | 'directory' | 'fifo' | 'socket' | 'character device' | 'block device' | 'other';

export function kindOf(stats: Stats): FileKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  return 'other';
}

const WORDS: Record<FileKind, string> = {
  file: 'a regular file',
  directory: 'a folder',
  fifo: 'a FIFO (named pipe)',
  socket: 'a socket',
  'character device': 'a character device',
  'block device': 'a block device',
  other: 'not a regular file',
};

export function describeKind(kind: FileKind): string {
  return WORDS[kind];
}

/** stat (following symlinks), or a FileAccessError that says the path does not exist. */
export function statPath(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileAccessError(path, 'missing', `${path}: no such file or folder`);
    throw new FileAccessError(path, 'unreadable', `${path}: ${(error as Error).message}`);
  }
}

/** The stats of a regular file, or a FileAccessError naming what the path is instead. */
export function statRegularFile(path: string): Stats {
  const stats = statPath(path);
  const kind = kindOf(stats);
  if (kind !== 'file') throw new FileAccessError(path, 'not-regular', `${path} is ${describeKind(kind)}, not a regular file; Arbor reads only regular files`);
  return stats;
}

/**
 * Size and mtime of a regular file, or null when the path is missing, unreadable or not a regular
 * file: for listing folders, where such an entry is skipped rather than reported.
 */
export function regularFileStat(path: string): { size: number; mtimeMs: number } | null {
  try {
    const st = statSync(path);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** True when the path is a folder (following symlinks); false when it is anything else or is not there. */
export function isDirectoryPath(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
