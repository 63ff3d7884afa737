import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { sqliteFileKind } from '../sqlite/probe';
import { FileAccessError } from './errors';
import { describeKind, kindOf, statRegularFile } from './kind';
import { formatBytes } from './limits';
import { sidecarWhat, sqliteSidecarOwner } from './sidecar';

/**
 * The one way Arbor opens a descriptor on an existing file it did not just create itself. In order:
 *
 * 1. A SQLite sidecar name (-journal, -wal, -shm) is refused outright: only SQLite opens those.
 * 2. stat: only a regular file goes on (a FIFO, a device, a socket would hang or never end).
 * 3. SQLite is asked, lock-free, whether the file is a database (sqlite/probe.ts); a database is
 *    refused: its files are touched only through SQLite connections, because closing any
 *    descriptor of a file drops every POSIX lock this process holds on it, and a backend then
 *    commits inside a transaction of ours.
 * 4. The size limit, if any, is checked before anything is read.
 * 5. The descriptor is opened non-blocking and checked again with fstat (the same regular file as
 *    in 2), so a file swapped for a FIFO between the checks cannot block the open or the reads.
 */

export interface OpenedFile {
  fd: number;
  /** Size when opened; a reader that wants one moment's content reads this many bytes. */
  size: number;
  stats: Stats;
  close(): void;
}

export interface OpenOptions {
  /** Refuse files larger than this many bytes (before reading anything). */
  limit?: number;
  /** What the file is, for the too-large message ("messages file", "index"). */
  what?: string;
}

/** Refuses sidecars, non-regular files and SQLite databases; returns the file's stats. */
export function assertPlainFile(path: string): Stats {
  const owner = sqliteSidecarOwner(path);
  if (owner) {
    throw new FileAccessError(path, 'sqlite-file', `${path} is the SQLite ${sidecarWhat(path)} of ${owner}; Arbor reads it only through SQLite, as part of that store (open ${owner})`);
  }
  const stats = statRegularFile(path);
  if (sqliteFileKind(path, stats.size) === 'database') {
    throw new FileAccessError(path, 'sqlite-file', `${path} is a SQLite database; Arbor reads it only through SQLite connections, never as a plain file`);
  }
  return stats;
}

const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export function openPlainFile(path: string, options: OpenOptions = {}): OpenedFile {
  const stats = assertPlainFile(path);
  if (options.limit !== undefined && stats.size > options.limit) {
    throw new FileAccessError(
      path,
      'too-large',
      `${path} is ${formatBytes(stats.size)}; Arbor reads ${options.what ?? 'such files'} up to ${formatBytes(options.limit)} and did not read it`,
    );
  }
  const fd = openSync(path, READ_FLAGS);
  try {
    const opened = fstatSync(fd);
    const kind = kindOf(opened);
    if (kind !== 'file') throw new FileAccessError(path, 'not-regular', `${path} is ${describeKind(kind)}, not a regular file; Arbor reads only regular files`);
    if (opened.ino !== stats.ino || opened.dev !== stats.dev) throw new FileAccessError(path, 'changed', `${path} was replaced while Arbor opened it; try again`);
    return { fd, size: opened.size, stats: opened, close: () => closeSync(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
