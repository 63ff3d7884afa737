import { readdirSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { resolve } from 'node:path';
import { parseJsonlText } from '../../jsonl/read-jsonl';
import { treeMessageFromRecord } from '../../jsonl/tree-message';
import type { StoreWarning } from '../../model/types';
import { finish, pruneCommitted, runSteps, type Run } from './write-commit';
import { Staging } from './write-journal';
import { LOCK_FILE, lockIsStale, removeDeadLockTemps, tryLockStore, type Release } from '../../safety/store-lock';
import { recordAfterState } from '../../safety/trash';

/**
 * Finishing Arbor's own interrupted writes to a JSONL tree store. Run by every Arbor that opens the
 * store (the adapter, so every read, preview, export and cleanup plan), by every import and cleanup
 * before it writes, and so long before anyone could build on a half-written store. For each staging
 * folder a dead Arbor left (write-journal.ts):
 *
 * - no journal: the write never committed; nothing in the store changed; the folder is removed;
 * - a prune whose rewrite of messages.jsonl never happened: the same;
 * - any other journal: the write is finished (write-commit.ts) — moving in what is staged, moving
 *   out what it replaces or deletes, updating sessions.json and branches.json — keeping in the trash
 *   whatever the backend wrote to a session after the backup and before Arbor moved it.
 *
 * This is the one write a reader makes, and it is said so in a warning on the source. It takes the
 * store's Arbor lock; while another Arbor holds it the store is left alone (after waiting a moment
 * for a write that is between its journal and its last step: those are renames, milliseconds).
 */

export interface Recovery {
  finished: number;
  discarded: number;
  /** For people: what was finished, what was kept aside. */
  notes: string[];
  /** Why a write left behind could not be finished (the store may show it part done), or null. */
  problem: string | null;
}

const WAIT_MS = 1000;

/**
 * What recoveries in this process found, by store, until a write's report tells it: the read that
 * finished an import may be the one the next import opened the store with, and the import's report
 * is where the user looks.
 */
const untold = new Map<string, string[]>();

/** The notes of recoveries of this store not yet in any write's report; they are cleared. */
export function takeRecoveryNotes(root: string): string[] {
  const key = resolve(root);
  const notes = untold.get(key) ?? [];
  untold.delete(key);
  return notes;
}

export function recoverJsonlStore(root: string, options: { lockHeld?: boolean; waitMs?: number } = {}): Recovery {
  const out: Recovery = { finished: 0, discarded: 0, notes: [], problem: null };
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return out;
  }
  removeDeadLockTemps(root, names);
  if (Staging.list(root).length === 0) {
    // Only a lock a killed Arbor left: taken over, and so removed, where this user may; nothing
    // depends on it, so nothing is said.
    if (!options.lockHeld && names.includes(LOCK_FILE) && lockIsStale(root)) {
      try {
        const got = tryLockStore(root);
        if (typeof got === 'function') got();
      } catch {
        // A reader who may not write the store.
      }
    }
    return out;
  }
  let release: Release | null = null;
  if (!options.lockHeld) {
    const deadline = Date.now() + (options.waitMs ?? WAIT_MS);
    for (;;) {
      let got: Release | { holder: number };
      try {
        got = tryLockStore(root);
      } catch (error) {
        out.problem = `Arbor found an interrupted write of its own in this store and cannot finish it (${(error as Error).message}); sessions may show part old, part new until an Arbor that may write the store opens it.`;
        return out;
      }
      if (typeof got === 'function') {
        release = got;
        break;
      }
      // Another Arbor is writing. While it prepares or tidies up, the store reads as before or after;
      // only between its journal and its last step (renames: milliseconds) is it worth waiting for.
      if (!committing(root)) return out;
      if (Date.now() >= deadline) {
        out.problem = `Another Arbor process (${got.holder}) is writing this store; until it has finished, some sessions may show part old, part new.`;
        return out;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    for (const name of Staging.list(root)) recoverOne(root, name, out);
  } finally {
    release?.();
  }
  if (out.notes.length) untold.set(resolve(root), [...(untold.get(resolve(root)) ?? []), ...out.notes]);
  return out;
}

/** Recovery at read, as warnings for the source. */
export function recoverOnOpen(root: string): StoreWarning[] {
  const r = recoverJsonlStore(root);
  const warnings: StoreWarning[] = [];
  if (r.finished) {
    warnings.push({
      code: 'recovered-write',
      message: `Arbor finished ${r.finished} write(s) of its own that were interrupted in this store before reading it (the only write Arbor makes when it opens a store): ${r.notes.join(' ')}`,
    });
  }
  if (r.problem) warnings.push({ code: 'interrupted-write', message: r.problem });
  return warnings;
}

function recoverOne(root: string, name: string, out: Recovery): void {
  const staging = Staging.open(root, name);
  let state;
  try {
    state = staging.read();
  } catch (error) {
    out.problem = `${staging.journalPath}: ${(error as Error).message}; that write is left as it is.`;
    return;
  }
  if (!state) {
    // Never committed: only Arbor's own staged files are in there.
    staging.discard();
    out.discarded++;
    return;
  }
  const { journal, marks } = state;
  const notes: string[] = [];
  const run: Run = { root, staging, journal, marks, notes };
  try {
    const first = journal.steps[0];
    if (journal.kind === 'prune' && first?.op === 'lines' && !marks.done.has(0) && !pruneCommitted(run, first, messageIds)) {
      staging.discard();
      out.discarded++;
      return;
    }
    runSteps(run);
    finish(run);
  } catch (error) {
    out.problem = `Arbor found an interrupted write of its own in this store (${journal.summary}) and could not finish it (${(error as Error).message}); sessions may show part old, part new until it is finished (open the store again as a user who may write it).`;
    out.notes.push(...notes);
    return;
  }
  out.finished++;
  out.notes.push(`${capital(journal.summary)} (process ${journal.pid}, ${new Date(journal.createdAt).toISOString()}) is now complete.`, ...notes);
  if (journal.backup && journal.trash) {
    try {
      recordAfterState(journal.backup, journal.trash);
    } catch {
      // The backup may be purged or another user's; restore then just cannot say whether anyone wrote since.
    }
  }
}

/** True while a committed write in the store has steps left to run. */
function committing(root: string): boolean {
  return Staging.list(root).some((name) => {
    try {
      const state = Staging.open(root, name).read();
      return state !== null && !state.marks.visible;
    } catch {
      return false;
    }
  });
}

function messageIds(file: string): Set<string> {
  const ids = new Set<string>();
  parseJsonlText(
    readFileSync(file, 'utf8'),
    (value, line) => {
      const node = treeMessageFromRecord(value, line, []);
      if (node) ids.add(node.id);
    },
    [],
  );
  return ids;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
