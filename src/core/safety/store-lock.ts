import { randomBytes } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import { linkSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../files/guarded-fs';
import { join } from 'node:path';
import { fileOp } from './crash-point';
import { StoreLockedError } from './errors';

/**
 * One Arbor writer at a time per folder store: imports, cleanups and the recovery of an interrupted
 * write each hold `.arbor-write.lock` in the store's folder while they change it (a second writer
 * would take the first one's staging for a crashed write). The lock names its process; one whose
 * process is gone (or whose machine has restarted since) is stale and is taken over. Backends know
 * nothing of it: this keeps Arbor processes apart, not Arbor and the backend.
 */

export const LOCK_FILE = '.arbor-write.lock';
const LOCK_TEMP = /^\.arbor-write\.lock\.(\d+)\.([0-9a-f]+)\.(new|stale)$/;

/** This process, as locks and staging folders name it: a pid alone can come back after a crash (containers reuse low pids). */
export const PROCESS_TOKEN = randomBytes(6).toString('hex');

interface LockOwner {
  pid: number;
  token: string;
  host: string;
  /** When the machine booted, in epoch seconds: a lock from before a restart is stale whatever its pid. */
  boot: number;
}

const bootTime = () => Math.round(Date.now() / 1000 - uptime());

export type Release = () => void;

/** Takes the lock, or says who holds it. */
export function tryLockStore(root: string): Release | { holder: number } {
  const lock = join(root, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, token: PROCESS_TOKEN, host: hostname(), boot: bootTime() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWhole(lock, JSON.stringify(me))) return () => release(lock);
    const owner = readOwner(lock);
    if (owner === 'gone') continue;
    if (owner !== 'unreadable' && isLive(owner)) return { holder: owner.pid };
    // Stale: move it aside under a name of our own, then make sure it was the one judged stale.
    const aside = `${lock}.${process.pid}.${PROCESS_TOKEN}.stale`;
    try {
      renameSync(lock, aside);
    } catch {
      continue;
    }
    const taken = readOwner(aside);
    if (taken !== 'gone' && taken !== 'unreadable' && owner !== 'unreadable' && taken.token !== owner.token && isLive(taken)) {
      // Another process took the stale lock over between our look and our move: give it back.
      try {
        linkSync(aside, lock);
      } catch {
        // A third one has it now; either way it is not ours.
      }
      rmSync(aside, { force: true });
      return { holder: taken.pid };
    }
    rmSync(aside, { force: true });
  }
  throw new StoreLockedError(`${root}: could not take ${LOCK_FILE} (other Arbor processes keep taking it); nothing was changed`);
}

/** Takes the lock or throws StoreLockedError naming the process that holds it. */
export function lockStore(root: string): Release {
  const got = tryLockStore(root);
  if (typeof got === 'function') return got;
  throw new StoreLockedError(`${root}: another Arbor process (${got.holder}) is writing this store; nothing was changed. Try again when it has finished.`);
}

/** Creates `path` with its whole content at once (write a private file, link it in), so nobody reads a half-written lock. */
function createWhole(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${PROCESS_TOKEN}.new`;
  writeFileSync(temp, content);
  try {
    fileOp(`lock ${path}`, () => linkSync(temp, path));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: exclusive create, then write (a reader may see it empty for an instant).
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    try {
      writeFileSync(path, content, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** True when the store has a lock whose process is gone (or that cannot be read). */
export function lockIsStale(root: string): boolean {
  const owner = readOwner(join(root, LOCK_FILE));
  return owner === 'unreadable' || (owner !== 'gone' && !isLive(owner));
}

/**
 * Removes the temp names of lock attempts whose process is gone (`.arbor-write.lock.PID.TOKEN.new` or
 * `.stale`: a kill between writing one and linking or removing it).
 */
export function removeDeadLockTemps(root: string, names: readonly string[]): void {
  for (const name of names) {
    const m = LOCK_TEMP.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const dead = pid === process.pid ? m[2] !== PROCESS_TOKEN : !isLive({ pid, token: m[2], host: '', boot: 0 });
    try {
      if (dead) rmSync(join(root, name), { force: true });
    } catch {
      // This user may not write the store: left for one who may.
    }
  }
}

function release(lock: string): void {
  const owner = readOwner(lock);
  if (owner !== 'gone' && owner !== 'unreadable' && owner.token !== PROCESS_TOKEN) return;
  try {
    fileOp(`unlock ${lock}`, () => unlinkSync(lock));
  } catch {
    // Already gone.
  }
}

function readOwner(lock: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(v.pid) && typeof v.token === 'string') return { pid: v.pid!, token: v.token, host: String(v.host ?? ''), boot: Number(v.boot ?? 0) };
  } catch {
    // A lock of an older Arbor (a bare pid) or a damaged one.
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? { pid, token: '', host: hostname(), boot: 0 } : 'unreadable';
}

function isLive(owner: LockOwner): boolean {
  if (owner.host && owner.host !== hostname()) return true; // Another machine's process cannot be checked from here.
  if (owner.pid === process.pid) return owner.token === PROCESS_TOKEN;
  if (owner.boot && Math.abs(owner.boot - bootTime()) > 120) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
