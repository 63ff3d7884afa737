import { constants, copyFileSync, openSync, readFileSync, statSync, type Mode, type PathLike } from 'node:fs';
import { assertPlainFile } from './open';
import { sqliteSidecarOwner } from './sidecar';
import { FileAccessError } from './errors';

/**
 * Drop-in forms of node:fs's openSync, readFileSync and copyFileSync for code that wants fs's own
 * shapes (`import { guardedReadFileSync as readFileSync } from '…/files'`). Each applies the checks
 * of open.ts to an existing file before fs opens it: no SQLite database or sidecar, regular files
 * only. New files (exclusive create) and folders (opened to fsync them) pass without the SQLite
 * question: neither can be a database someone holds locks on.
 */

function pathOf(path: PathLike): string {
  return path instanceof URL ? path.pathname : String(path);
}

function isExclusiveCreate(flags: string | number | undefined): boolean {
  return typeof flags === 'string' ? flags.includes('x') : typeof flags === 'number' && (flags & constants.O_EXCL) !== 0;
}

function check(path: PathLike): void {
  const p = pathOf(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(p).isDirectory();
  } catch {
    // Missing: fs reports it as it always does.
    if (sqliteSidecarOwner(p)) throw new FileAccessError(p, 'sqlite-file', `${p} is a SQLite sidecar file; only SQLite opens it`);
    return;
  }
  if (!isDirectory) assertPlainFile(p);
}

export function guardedOpenSync(path: PathLike, flags?: string | number, mode?: Mode | null): number {
  if (isExclusiveCreate(flags)) {
    const p = pathOf(path);
    if (sqliteSidecarOwner(p)) throw new FileAccessError(p, 'sqlite-file', `${p} is a SQLite sidecar name; Arbor never creates one`);
  } else check(path);
  return openSync(path, flags ?? 'r', mode);
}

export const guardedReadFileSync: typeof readFileSync = ((path: PathLike | number, options?: unknown) => {
  if (typeof path !== 'number') check(path);
  return (readFileSync as (p: unknown, o?: unknown) => string | Buffer)(path, options);
}) as typeof readFileSync;

export function guardedCopyFileSync(source: PathLike, dest: PathLike, mode?: number): void {
  check(source);
  copyFileSync(source, dest, mode);
}
