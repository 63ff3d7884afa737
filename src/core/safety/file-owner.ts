import { chmodSync, chownSync, fchmodSync, fchownSync, fstatSync, statSync } from 'node:fs';
import { ReadOnlyStoreError } from './errors';

/**
 * Owner, group and mode of the files Arbor writes into a store. A rewrite is a new file renamed over
 * the old one, so it gets whatever a new file gets — the writing user, their group, the umask —
 * unless it is given the old file's back. That matters: a store owned by the backend's user and
 * rewritten by another user (root, say) would otherwise come back owned by that user with the umask's
 * mode, and the backend's next append fails with "Permission denied".
 *
 * Policy: the mode is set exactly (fchmod, so the umask has no say); owner and group are given back
 * with fchown. Only root may give a file to another user, and a user may set only a group they are
 * in; when the owner or group cannot be kept, Arbor refuses before changing anything (OwnerChangeError)
 * rather than take the file away from its owner. New files and folders in an existing store get the
 * owner and mode of their siblings (see write-templates.ts).
 */

export interface OwnerMode {
  uid: number;
  gid: number;
  /** Permission bits, setuid/setgid/sticky included. */
  mode: number;
}

/** The write would change who owns a file; nothing was changed. */
export class OwnerChangeError extends ReadOnlyStoreError {
  override name = 'OwnerChangeError';
}

/** Windows has no uid/gid to keep: only the mode (its read-only bit) is set there. */
const posix = typeof process.getuid === 'function';

export function ownerModeOf(path: string): OwnerMode | null {
  try {
    const st = statSync(path);
    return { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
  } catch {
    return null;
  }
}

/** What a new file in a folder should get: the folder's owner and group, its permissions without the execute bits. */
export function fileModeIn(folder: OwnerMode): OwnerMode {
  return { uid: folder.uid, gid: folder.gid, mode: folder.mode & 0o666 };
}

/** Why this process cannot give a file this owner and group, or null when it can. */
export function ownerProblem(want: OwnerMode): string | null {
  if (!posix) return null;
  const uid = process.geteuid!();
  if (uid === 0) return null;
  if (want.uid !== uid) return `it belongs to uid ${want.uid}, and Arbor runs as uid ${uid}: only root may give a file to another user`;
  if (want.gid !== process.getegid!() && !process.getgroups!().includes(want.gid)) return `its group is gid ${want.gid}, which uid ${uid} is not a member of`;
  return null;
}

/** Refuses, before anything is written, when a rewrite of any of these existing files could not keep its owner. */
export function assertOwnersKept(paths: Iterable<string>): void {
  for (const path of paths) {
    const om = ownerModeOf(path);
    const problem = om && ownerProblem(om);
    if (problem) throw ownerError(path, problem);
  }
}

/** Gives an open file the owner, group and mode `want` (owner first: chown may clear setgid bits). */
export function applyOwnerModeFd(fd: number, want: OwnerMode, path: string): void {
  if (posix) {
    const st = fstatSync(fd);
    if (st.uid !== want.uid || st.gid !== want.gid) {
      try {
        fchownSync(fd, want.uid, want.gid);
      } catch (error) {
        throw ownerError(path, ownerProblem(want) ?? (error as Error).message);
      }
    }
  }
  fchmodSync(fd, want.mode);
}

/** The same for a path (folders, and files written by other means). */
export function applyOwnerModePath(path: string, want: OwnerMode): void {
  if (posix) {
    const st = statSync(path);
    if (st.uid !== want.uid || st.gid !== want.gid) {
      try {
        chownSync(path, want.uid, want.gid);
      } catch (error) {
        throw ownerError(path, ownerProblem(want) ?? (error as Error).message);
      }
    }
  }
  chmodSync(path, want.mode);
}

function ownerError(path: string, why: string): OwnerChangeError {
  return new OwnerChangeError(
    `${path}: Arbor would have to change who owns this file to rewrite it (${why}), and the store's backend could lose access to it; nothing was changed. Run Arbor as the store's owner (or as root).`,
  );
}
