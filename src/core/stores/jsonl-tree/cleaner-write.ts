import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_FILE } from './session-index';
import { updateJsonFile } from '../../cleanup/json-file-update';
import { rewriteJsonl } from './rewrite';
import type { CleanupPlan } from '../../cleanup/types';
import { itemsStillSelected, type ApplyContext, type Applied } from '../../cleanup/cleaner';
import { BRANCHES, MESSAGES, dropKeysOf, indexEntryFor, isObject, scanMessages, sessionFolder, sessionsOf, type Json } from './cleaner-files';

/**
 * FORMATS.md §2 (seed 001), a folder store. Every file is replaced whole (temp + rename), so each
 * file is always the old one or the new one. Several files cannot change at one instant, so the
 * order is chosen for the backend, whose truth is the index: a deleted session leaves the index
 * first, then its folder goes; a prune rewrites messages.jsonl first, then drops named branches
 * that lost their leaf, then lowers the index count. A crash in between leaves every message that
 * was not chosen in place, and at worst a folder the index no longer lists (shown as found on disk).
 */

export async function deleteSessions(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
  const root = plan.storePath;
  const notes: string[] = [];
  const items = itemsStillSelected(plan.items.filter((i) => i.action === 'delete-session'), ctx, notes);
  const ids = new Set(items.map((i) => i.sessionId));
  const indexPath = join(root, INDEX_FILE);
  const present = new Set([...ids].filter((id) => existsSync(sessionFolder(root, id))));
  // The index first: once it no longer lists a session, the backend no longer has it.
  updateJsonFile(
    indexPath,
    (index) => {
      if (index === undefined) return undefined;
      const sessions = sessionsOf(index, indexPath);
      const listed = [...ids].filter((id) => Object.hasOwn(sessions, id));
      for (const id of listed) present.add(id);
      for (const id of listed) delete sessions[id];
      const before = JSON.stringify((index as Json).keys ?? null);
      dropKeysOf(index as Json, ids);
      return listed.length || JSON.stringify((index as Json).keys ?? null) !== before ? index : undefined;
    },
    ctx.wrote,
  );
  for (const id of ids) {
    const folder = sessionFolder(root, id);
    if (!existsSync(folder)) continue;
    // messages.jsonl first, in one unlink: readers list a folder only while it has one, so the
    // session is whole or gone even if Arbor stops halfway through the folder.
    rmSync(join(folder, MESSAGES), { force: true });
    rmSync(folder, { recursive: true, force: true });
    ctx.wrote();
  }
  const messages = items.filter((i) => present.has(i.sessionId)).reduce((sum, i) => sum + i.messages, 0);
  return { sessionsDeleted: present.size, messagesDeleted: messages, repaired: 0, notes };
}

export async function prune(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
  const out: Applied = { sessionsDeleted: 0, messagesDeleted: 0, repaired: 0, notes: [] };
  for (const item of plan.items) {
    const folder = sessionFolder(plan.storePath, item.sessionId);
    const drop = new Set(item.messageIds ?? []);
    const result = await rewriteJsonl(join(folder, MESSAGES), (id) => drop.has(id), ctx.wrote);
    out.messagesDeleted += result.droppedIds.size;
    if (result.appendedBytes > 0) out.notes.push(`${result.appendedBytes} byte(s) the backend appended to session "${item.sessionId}" during the prune were kept.`);
    if (result.droppedIds.size === 0) continue;
    // Named branches whose leaf is gone go too: a name for nothing would only confuse the backend.
    const branchesPath = join(folder, BRANCHES);
    const keep = (b: unknown) => !(isObject(b) && typeof b.leafMessageId === 'string' && result.droppedIds.has(b.leafMessageId));
    updateJsonFile(
      branchesPath,
      (value) => {
        if (Array.isArray(value)) return value.every(keep) ? undefined : value.filter(keep);
        if (isObject(value)) {
          const entries = Object.entries(value);
          return entries.every(([, b]) => keep(b)) ? undefined : Object.fromEntries(entries.filter(([, b]) => keep(b)));
        }
        return undefined;
      },
      ctx.wrote,
    );
    const indexPath = join(plan.storePath, INDEX_FILE);
    updateJsonFile(
      indexPath,
      (index) => {
        if (index === undefined) return undefined;
        const meta = sessionsOf(index, indexPath)[item.sessionId];
        if (!isObject(meta) || typeof meta.messageCount !== 'number') return undefined;
        // The backend's own count, lowered by exactly what went; an earlier drift is repair's business.
        meta.messageCount = Math.max(0, meta.messageCount - result.droppedIds.size);
        return index;
      },
      ctx.wrote,
    );
  }
  return out;
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
