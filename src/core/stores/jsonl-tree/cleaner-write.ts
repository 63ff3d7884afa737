import { existsSync, linkSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { dirname, join, resolve } from 'node:path';
import { INDEX_FILE } from './session-index';
import { updateJsonFile } from '../../cleanup/json-file-update';
import { fileOp } from '../../safety/crash-point';
import { finish, referenceDigests, runSteps } from './write-commit';
import { Staging, type Journal, type JournalKind, type Step } from './write-journal';
import { CleanupError } from '../../cleanup/errors';
import { rewriteJsonl } from './rewrite';
import type { CleanupPlan } from '../../cleanup/types';
import { itemsStillSelected, type ApplyContext, type Applied } from '../../cleanup/cleaner';
import { MESSAGES, dropKeysOf, indexEntryFor, isObject, scanMessages, sessionFolder, sessionsOf, type Json } from './cleaner-files';

/**
 * FORMATS.md §2 (seed 001), a folder store. Several files cannot change at one instant, so deletes
 * and prunes are journalled writes (src/core/stores/jsonl-tree/write-journal.ts): once the journal is on disk
 * the write is finished — by this process, or after a crash by the next Arbor that opens the store —
 * so every reader sees the store as it was or as it is after the write, never in between. The order
 * of the steps is chosen for the backend, which reads the files directly and whose truth is the
 * index: a deleted session leaves the index first, then its folder moves out whole (one rename); a
 * prune rewrites messages.jsonl first (that rename is its commit; before it nothing changed), then
 * drops named branches that lost their leaf, then lowers the index count. A deleted folder is moved
 * into Arbor's staging folder, not deleted in place: whatever the backend appended to it after the
 * backup is kept as a trash entry (and said so) instead of going with it.
 */

export async function deleteSessions(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
  const root = resolve(plan.storePath);
  const notes: string[] = [];
  const items = itemsStillSelected(plan.items.filter((i) => i.action === 'delete-session'), ctx, notes);
  const ids = new Set(items.map((i) => i.sessionId));
  for (const id of ids) sessionFolder(root, id);
  const named = namedInIndex(join(root, INDEX_FILE), ids);
  const folders = [...ids].filter((id) => existsSync(sessionFolder(root, id)));
  const present = new Set([...folders, ...named.listed]);
  if (present.size === 0 && !named.keyed) return { sessionsDeleted: 0, messagesDeleted: 0, repaired: 0, notes };
  const staging = Staging.create(root);
  const steps: Step[] = [{ op: 'index', remove: [...ids] }, ...folders.map((id): Step => ({ op: 'displace', id }))];
  const journal = newJournal('delete-sessions', `a deletion of ${present.size} session(s)`, steps, ctx, referenceDigests(root, folders, ctx.backup));
  notes.push(...commitJournal(root, staging, journal, ctx));
  const messages = items.filter((i) => present.has(i.sessionId)).reduce((sum, i) => sum + i.messages, 0);
  return { sessionsDeleted: present.size, messagesDeleted: messages, repaired: 0, notes };
}

export async function prune(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
  const root = resolve(plan.storePath);
  const out: Applied = { sessionsDeleted: 0, messagesDeleted: 0, repaired: 0, notes: [] };
  // One journal per session: each session is pruned whole or not at all.
  for (const item of plan.items) {
    const id = item.sessionId;
    const file = join(sessionFolder(root, id), MESSAGES);
    const drop = new Set(item.messageIds ?? []);
    const staging = Staging.create(root);
    let journal: Journal | null = null;
    let result;
    try {
      result = await rewriteJsonl(file, (m) => drop.has(m), ctx.wrote, {
        tempDir: staging.dir,
        beforeCommit(droppedIds, checked) {
          // A second name for the old file: lines that reach it after this instant survive a crash too.
          const aside = staging.linesAside(id);
          staging.ensureDir(dirname(aside));
          linkIfPossible(file, aside);
          const dropped = [...droppedIds];
          const steps: Step[] = [
            { op: 'lines', id, dropped, checked },
            { op: 'branches', id, dropLeaves: dropped },
            { op: 'index', lower: { [id]: dropped.length } },
          ];
          journal = newJournal('prune', `a prune of ${dropped.length} message(s) from session "${id}"`, steps, ctx, {});
          staging.writeJournal(journal);
        },
      });
    } catch (error) {
      if (!journal) staging.discard();
      throw error;
    }
    if (!journal) {
      staging.discard();
      continue;
    }
    staging.mark({ done: 0 });
    out.messagesDeleted += result.droppedIds.size;
    if (result.appendedBytes > 0) out.notes.push(`${result.appendedBytes} byte(s) the backend appended to session "${id}" during the prune were kept.`);
    out.notes.push(...commitJournal(root, staging, journal, ctx));
  }
  return out;
}

function newJournal(kind: JournalKind, summary: string, steps: Step[], ctx: ApplyContext, refs: Record<string, string>): Journal {
  return {
    arbor: 'write-journal',
    version: 1,
    kind,
    summary,
    createdAt: Date.now(),
    pid: process.pid,
    trash: ctx.backup?.trash ?? null,
    backup: ctx.backup?.id ?? null,
    refs,
    steps,
  };
}

/** Writes the journal unless it is there already (a prune's is), then runs it to its end; returns its notes. */
function commitJournal(root: string, staging: Staging, journal: Journal, ctx: ApplyContext): string[] {
  const written = staging.read();
  if (!written) staging.writeJournal(journal);
  // From here the write will happen (a crash is finished by the next reader): the backup must stay.
  ctx.wrote();
  const notes: string[] = [];
  const run = { root, staging, journal, marks: written?.marks ?? { done: new Set<number>(), indexIno: new Map(), visible: false, kept: new Map() }, notes };
  runSteps(run);
  finish(run);
  return notes;
}

/** Which of `ids` sessions.json lists, and whether a key names one; refused before anything is written if it cannot be read. */
function namedInIndex(indexPath: string, ids: ReadonlySet<string>): { listed: string[]; keyed: boolean } {
  if (!existsSync(indexPath)) return { listed: [], keyed: false };
  let index: unknown;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (error) {
    throw new CleanupError(`${indexPath} is not valid JSON (${(error as Error).message}); Arbor does not rewrite a file it cannot read, and nothing was changed there`);
  }
  const sessions = sessionsOf(index, indexPath);
  const keys = isObject(index) && isObject(index.keys) ? Object.values(index.keys) : [];
  return { listed: [...ids].filter((id) => Object.hasOwn(sessions, id)), keyed: keys.some((id) => typeof id === 'string' && ids.has(id)) };
}

function linkIfPossible(from: string, to: string): void {
  try {
    fileOp(`link ${from} to ${to}`, () => linkSync(from, to));
  } catch {
    // No hard links here: appends in the last instant are still carried over by the live write.
  }
}

export async function repair(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
  const root = plan.storePath;
  const indexPath = join(root, INDEX_FILE);
  let repaired = 0;
  let removed = 0;
  updateJsonFile(
    indexPath,
    (value) => {
      repaired = 0;
      removed = 0;
      const index: Json = value === undefined ? { keys: {}, sessions: {} } : (value as Json);
      const sessions = sessionsOf(index, indexPath);
      const gone = new Set<string>();
      for (const item of plan.items) {
        // Each fix is judged again on the files as they are now.
        const file = join(sessionFolder(root, item.sessionId), MESSAGES);
        const listed = Object.hasOwn(sessions, item.sessionId);
        if (item.action === 'remove-index-entry' && listed && !existsSync(file)) {
          delete sessions[item.sessionId];
          gone.add(item.sessionId);
          removed++;
        } else if (item.action === 'reindex' && !listed && existsSync(file)) {
          sessions[item.sessionId] = indexEntryFor(item.sessionId, file);
          repaired++;
        } else if (item.action === 'fix-count' && listed && existsSync(file) && isObject(sessions[item.sessionId])) {
          (sessions[item.sessionId] as Json).messageCount = scanMessages(file).count;
          repaired++;
        }
      }
      dropKeysOf(index, gone);
      return repaired + removed > 0 ? index : undefined;
    },
    ctx.wrote,
  );
  return { sessionsDeleted: removed, messagesDeleted: 0, repaired: repaired + removed, notes: [] };
}
