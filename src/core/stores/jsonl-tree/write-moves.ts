import { existsSync, linkSync, lstatSync, readdirSync, renameSync, rmSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileOp } from '../../safety/crash-point';
import { applyOwnerModePath } from '../../safety/file-owner';

/**
 * The moves a JSONL tree write is made of, each safe to run again after a crash in its middle (the
 * state on disk says how far it got), and none of them leaving a moment in which a file the backend
 * appends to is missing: a file is replaced by giving the old one a second name first (a hard link
 * in the staging folder) and renaming the new one over it, so an append lands in the old inode —
 * kept — or in the new one, and `open(…, 'a')` never finds the path empty and creates a stray file.
 * File systems without hard links (FAT, some network shares) fall back to two renames, with an
 * instant in between where the path is absent.
 */

/** Makes a folder of the staging area (owned like the store). */
export type EnsureDir = (path: string) => void;

const noLinks = (error: unknown) => ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '');
const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

const sameInode = (a: Stats, b: Stats) => a.ino === b.ino && a.dev === b.dev;

/**
 * Moves a staged session folder into the store: one rename when the store has no folder of that name
 * (a new session), else file by file into the folder that is there (a replaced session, or one the
 * backend created meanwhile), with every file it held moved aside into `asideDir`.
 */
export function installFolder(from: string, to: string, files: readonly string[], asideDir: string, ensureDir: EnsureDir): void {
  if (!existsSync(from)) return;
  if (!lstatOrNull(to)) {
    try {
      fileOp(`move ${from} to ${to}`, () => renameSync(from, to));
      return;
    } catch (error) {
      // The backend made the folder in the instant since, and wrote into it: go file by file.
      if (!['EEXIST', 'ENOTEMPTY', 'ENOTDIR'].includes(code(error) ?? '')) throw error;
    }
  }
  if (!lstatSync(to).isDirectory()) throw new Error(`${to} is not a folder; Arbor cannot put the session's files there`);
  for (const name of files) installFile(join(from, name), join(to, name), join(asideDir, name), ensureDir);
  // What else the old folder held belonged to the session being replaced: aside with it.
  for (const name of readdirSync(to)) if (!files.includes(name)) displace(join(to, name), join(asideDir, name), ensureDir);
  fileOp(`remove ${from}`, () => rmSync(from, { recursive: true, force: true }));
}

/** Puts `from` at `to`; a file already at `to` keeps its content under `aside` (or `aside.2`, …). */
export function installFile(from: string, to: string, aside: string, ensureDir: EnsureDir): void {
  for (let attempt = 0; attempt < 10; attempt++) {
    const staged = lstatOrNull(from);
    if (!staged) return; // Installed already.
    const there = lstatOrNull(to);
    if (there && sameInode(there, staged)) {
      fileOp(`unlink ${from}`, () => unlinkSync(from)); // Linked in; only the staged name was left.
      return;
    }
    if (!there) {
      try {
        fileOp(`link ${from} to ${to}`, () => linkSync(from, to));
        continue; // Next round drops the staged name.
      } catch (error) {
        if (code(error) === 'EEXIST') continue; // The backend created it just now: keep it, below.
        if (!noLinks(error)) throw error;
        fileOp(`move ${from} to ${to}`, () => renameSync(from, to));
        return;
      }
    }
    // A rewrite keeps the owner, group and mode of the file it replaces.
    applyOwnerModePath(from, { uid: there.uid, gid: there.gid, mode: there.mode & 0o7777 });
    const keep = asideName(aside, there);
    ensureDir(dirname(keep));
    if (!lstatOrNull(keep)) {
      try {
        fileOp(`link ${to} to ${keep}`, () => linkSync(to, keep));
      } catch (error) {
        if (code(error) === 'ENOENT') continue; // Gone meanwhile: nothing to keep.
        if (!noLinks(error)) throw error;
        fileOp(`move ${to} to ${keep}`, () => renameSync(to, keep));
      }
    }
    fileOp(`move ${from} over ${to}`, () => renameSync(from, to));
    return;
  }
  throw new Error(`${to} kept changing while Arbor put the new file in place; the new file is left at ${from}`);
}

/** Moves a file or folder out of the store into `aside` (or `aside.2`, …). */
export function displace(path: string, aside: string, ensureDir: EnsureDir): void {
  const there = lstatOrNull(path);
  if (!there) return;
  const keep = asideName(aside, null);
  ensureDir(dirname(keep));
  try {
    fileOp(`move ${path} to ${keep}`, () => renameSync(path, keep));
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}

/** `base`, unless something else is there already (an earlier attempt kept another file): then base.2, base.3, … */
function asideName(base: string, sameAs: Stats | null): string {
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : `${base}.${n}`;
    const st = lstatOrNull(path);
    if (!st || (sameAs && sameInode(st, sameAs))) return path;
  }
}
