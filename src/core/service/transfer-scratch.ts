import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Arbor's own temp folder for transfer files: browser-mode exports waiting to be downloaded and
 * uploads waiting to be imported. They hold whole conversations, so none may outlive its use:
 * an export goes once it has been served, an upload once its import ran, everything of a run when
 * the service closes, and what a crashed run left behind when the next run starts (each run's
 * folder is named after its process, `<pid>-<random>`, so a live run's folder is never touched).
 */

/** ARBOR_TRANSFER_DIR, else a per-user folder under the OS temp folder (the user id keeps users of one machine apart). */
export function defaultTransferRoot(): string {
  if (process.env.ARBOR_TRANSFER_DIR) return process.env.ARBOR_TRANSFER_DIR;
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return join(tmpdir(), `arbor-transfer-${user}`);
}

const RUN_FOLDER = /^(\d+)-[\w-]+$/;

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the run folders whose process is gone; returns their names. */
export function removeStaleTransferFolders(root = defaultTransferRoot()): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = RUN_FOLDER.exec(name);
    if (!m || isRunning(Number(m[1]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export class TransferScratch {
  private dir: string | null = null;

  constructor(private readonly root = defaultTransferRoot()) {}

  /** This run's folder, made on first use (after stale folders of crashed runs are removed). */
  folder(): string {
    if (this.dir) return this.dir;
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    // Another user could have made the shared temp name first (or a link there): refuse it.
    const st = lstatSync(this.root);
    if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) {
      throw new Error(`${this.root} is not a folder of this user; Arbor will not keep transfer files there.`);
    }
    removeStaleTransferFolders(this.root);
    const dir = join(this.root, `${process.pid}-${randomBytes(9).toString('base64url')}`);
    mkdirSync(dir, { mode: 0o700 });
    this.dir = dir;
    return dir;
  }

  /** A fresh file name in this run's folder, unguessable and never reused. */
  file(name: string): string {
    return join(this.folder(), `${randomBytes(9).toString('base64url')}-${name}`);
  }

  /** A fresh folder in this run's folder. */
  subfolder(): string {
    const dir = join(this.folder(), randomBytes(9).toString('base64url'));
    mkdirSync(dir, { mode: 0o700 });
    return dir;
  }

  /** True when `path` is inside this run's folder (so Arbor made it and may remove it). */
  holds(path: string): boolean {
    return this.dir !== null && path.startsWith(this.dir + sep);
  }

  removeAll(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Already gone, or the temp folder itself went away: nothing to keep.
  }
}
