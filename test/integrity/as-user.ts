import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Running a few lines of code as another user, for the owner and mode tests (which run as root, so
 * they can make a store owned by a backend's user, uid 1234, and act as that user or as a third one).
 */

const ROOT = join(import.meta.dirname, '..', '..');
export const asRoot = process.getuid?.() === 0;

/** `src` resolved to an absolute path, for import statements in the code run. */
export const srcPath = (rel: string) => JSON.stringify(join(ROOT, 'src', rel));

/** Runs an ES module (as text) as uid/gid; returns its stdout, or throws with its stderr. */
export function runAs(uid: number, gid: number, code: string, env: Record<string, string> = {}): string {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    uid,
    gid,
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (child.status !== 0) throw new Error(`as uid ${uid}: ${child.stderr}`);
  return child.stdout;
}

/** Gives a whole folder tree to uid/gid with folder and file modes, as a backend with its own umask would have made it. */
export function giveTree(dir: string, uid: number, gid: number, dirMode: number, fileMode: number): void {
  chownSync(dir, uid, gid);
  chmodSync(dir, dirMode);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) giveTree(path, uid, gid, dirMode, fileMode);
    else {
      chownSync(path, uid, gid);
      chmodSync(path, fileMode);
    }
  }
}

/** Every file and folder under `dir` (itself included) whose owner, group or mode differ from these, as "path uid:gid mode". */
export function notOwnedLike(dir: string, uid: number, gid: number, dirMode: number, fileMode: number): string[] {
  const out: string[] = [];
  const check = (path: string) => {
    const st = statSync(path);
    const mode = st.isDirectory() ? dirMode : fileMode;
    if (st.uid !== uid || st.gid !== gid || (st.mode & 0o7777) !== mode) out.push(`${path} ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(path)) check(join(path, name));
  };
  check(dir);
  return out;
}
