import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_FILE } from './session-index';
import { listFiles } from '../../safety/backup';
import { allSummaries } from '../../cleanup/select';
import { assertOwnersKept } from '../../safety/file-owner';
import { recoverJsonlStore, takeRecoveryNotes } from './write-recovery';
import { lockStore } from '../../safety/store-lock';
import { CleanupError } from '../../cleanup/errors';
import type { CleanupPlan, PlannedItem } from '../../cleanup/types';
import type { LayoutCleaner } from '../../cleanup/cleaner';
import { BRANCHES, MESSAGES, indexEntryFor, sessionFolder } from './cleaner-files';
import { deleteSessions, prune, repair } from './cleaner-write';

/** FORMATS.md §2 (seed 001): planning here, the writes (and the order they go in) in jsonl-tree-write.ts. */

export const jsonlTreeCleaner: LayoutCleaner = {
  format: 'jsonl-tree',
  linear: false,
  unsupported(kind) {
    if (kind === 'expired') return 'this layout keeps no expiry time; use older-than instead';
    if (kind === 'vacuum') return 'a folder store has no free pages to give back: deleting already frees the space';
    return null;
  },

  sessionBytes(root, ids) {
    const out = new Map<string, number>();
    for (const id of ids) {
      const folder = sessionFolder(root, id);
      out.set(id, existsSync(folder) ? listFiles(folder).reduce((sum, f) => sum + statSync(f).size, 0) : 0);
    }
    return out;
  },

  planRepair(root, source) {
    const items: PlannedItem[] = [];
    for (const s of allSummaries(source)) {
      const base = { sessionId: s.id, title: s.title, messages: 0, bytes: 0 };
      if (s.status === 'missing') {
        items.push({ ...base, action: 'remove-index-entry', detail: `${INDEX_FILE} lists it but its folder is gone` });
      } else if (s.status === 'unindexed') {
        const entry = indexEntryFor(s.id, join(sessionFolder(root, s.id), MESSAGES));
        items.push({ ...base, action: 'reindex', detail: `folder found on disk with ${entry.messageCount} message(s); added to ${INDEX_FILE}`, indexEntry: entry });
      } else if (s.storedMessageCount !== null && s.messageCount !== null && s.storedMessageCount !== s.messageCount) {
        items.push({ ...base, action: 'fix-count', detail: `messageCount ${s.storedMessageCount}, messages ${s.messageCount}`, count: { stored: s.storedMessageCount, actual: s.messageCount } });
      }
    }
    return items;
  },

  touchedFiles(plan) {
    const root = plan.storePath;
    const files = [join(root, INDEX_FILE)];
    for (const item of plan.items) {
      const folder = sessionFolder(root, item.sessionId);
      if (item.action === 'delete-session' && existsSync(folder)) files.push(...listFiles(folder));
      if (item.action === 'prune-messages') files.push(join(folder, MESSAGES), join(folder, BRANCHES));
    }
    return files;
  },

  async apply(plan, ctx) {
    // One Arbor writer at a time; and an interrupted write of Arbor's own is finished before this one starts.
    const release = lockStore(plan.storePath);
    try {
      const recovery = recoverJsonlStore(plan.storePath, { lockHeld: true });
      if (recovery.problem) throw new CleanupError(recovery.problem);
      assertOwnersKept(rewrittenFiles(plan));
      const kind = plan.operation.kind;
      const applied = await (kind === 'prune' ? prune(plan, ctx) : kind === 'repair' ? repair(plan, ctx) : deleteSessions(plan, ctx));
      applied.notes.unshift(...takeRecoveryNotes(plan.storePath));
      return applied;
    } finally {
      release();
    }
  },
};

/** The files a write replaces (rather than moves): their owner, group and mode must be kept. */
function rewrittenFiles(plan: CleanupPlan): string[] {
  const root = plan.storePath;
  const files = [join(root, INDEX_FILE)];
  if (plan.operation.kind !== 'prune') return files;
  for (const item of plan.items) files.push(join(sessionFolder(root, item.sessionId), MESSAGES), join(sessionFolder(root, item.sessionId), BRANCHES));
  return files;
}
