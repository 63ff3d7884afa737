import { basename } from 'node:path';

/**
 * SQLite keeps a store in up to four files: the database and, beside it, `-journal` (rollback
 * journal), `-wal` (write-ahead log) and `-shm` (the WAL index, which holds the WAL's locks), plus
 * `-mj<hex>` super-journals of multi-file transactions. Only SQLite may open those: SQLite's own
 * descriptors on a sidecar are not tracked like the database's, so even asking SQLite whether a
 * `-shm` "is a database" would drop the locks on it. Names are enough to tell them.
 */
const SIDECAR = /^(.+)-(journal|wal|shm|mj[0-9a-f]{8})$/i;

/** The database a sidecar belongs to, or null when the name is not a SQLite sidecar. */
export function sqliteSidecarOwner(path: string): string | null {
  const match = SIDECAR.exec(basename(path));
  return match ? path.slice(0, path.length - basename(path).length) + match[1] : null;
}

export function sidecarWhat(path: string): string {
  const suffix = SIDECAR.exec(basename(path))?.[2].toLowerCase() ?? '';
  if (suffix === 'journal') return 'rollback journal';
  if (suffix === 'wal') return 'write-ahead log';
  if (suffix === 'shm') return 'WAL index (shared memory)';
  return 'super-journal';
}
