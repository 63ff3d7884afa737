import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseJsonlText } from '../../jsonl/read-jsonl';
import { INDEX_FILE } from '../../jsonl/session-index-file';
import { treeMessageFromRecord } from '../../jsonl/tree-message';
import { listFiles } from '../../safety/backup';
import { CleanupError } from '../errors';
import { updateJsonFile } from '../json-file-update';
import { rewriteJsonl } from '../jsonl-rewrite';
import { allSummaries } from '../select';
import type { CleanupPlan, PlannedItem } from '../types';
import type { ApplyContext, Applied, LayoutCleaner } from './cleaner';

/**
 * FORMATS.md §2 (seed 001), a folder store. Every file is replaced whole (temp + rename), so each
 * file is always the old one or the new one. Several files cannot change at one instant, so the
 * order is chosen for the backend, whose truth is the index: a deleted session leaves the index
 * first, then its folder goes; a prune rewrites messages.jsonl first, then drops named branches
 * that lost their leaf, then lowers the index count. A crash in between leaves every message that
 * was not chosen in place, and at worst a folder the index no longer lists (shown as found on disk).
 */

const MESSAGES = 'messages.jsonl';
const BRANCHES = 'branches.json';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A session id names a folder: one that could reach outside the store (a path, "..") is refused. */
export function sessionFolder(root: string, id: string): string {
  if (id === '' || id === '.' || id === '..' || /[/\\\0]/.test(id) || basename(id) !== id) {
    throw new CleanupError(`session id ${JSON.stringify(id)} is not a folder name; Arbor will not touch a path it names`);
  }
  return join(root, id);
}

/** Counts and times of a messages file, for a new index entry or a corrected count. */
function scanMessages(file: string): { count: number; first: number | null; last: number | null } {
  const ids = new Set<string>();
  let first: number | null = null;
  let last: number | null = null;
  parseJsonlText(
    readFileSync(file, 'utf8'),
    (value, line) => {
      const node = treeMessageFromRecord(value, line, []);
      if (!node || ids.has(node.id)) return;
      ids.add(node.id);
      if (node.timestamp !== null) {
        first = first === null ? node.timestamp : Math.min(first, node.timestamp);
        last = last === null ? node.timestamp : Math.max(last, node.timestamp);
      }
    },
    [],
  );
  return { count: ids.size, first, last };
}

function indexEntryFor(id: string, file: string): Json {
  const scan = scanMessages(file);
  const mtime = Math.round(statSync(file).mtimeMs);
  return { sessionId: id, createdAt: scan.first ?? mtime, updatedAt: scan.last ?? mtime, messageCount: scan.count };
}

function sessionsOf(index: unknown, path: string): Json {
  const sessions = isObject(index) ? index.sessions : undefined;
  if (!isObject(sessions)) throw new CleanupError(`${path} has no "sessions" object; Arbor does not rewrite an index it cannot read`);
  return sessions;
}

function dropKeysOf(index: Json, ids: Set<string>): void {
  if (!isObject(index.keys)) return;
  for (const [key, id] of Object.entries(index.keys)) if (typeof id === 'string' && ids.has(id)) delete index.keys[key];
}

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
    if (plan.operation.kind === 'prune') return prune(plan, ctx);
    if (plan.operation.kind === 'repair') return repair(plan, ctx);
    return deleteSessions(plan, ctx);
  },
};

async function deleteSessions(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
  const root = plan.storePath;
  const notes: string[] = [];
  let items = plan.items.filter((i) => i.action === 'delete-session');
  if (ctx.stillSelected) {
    const still = ctx.stillSelected();
    const skipped = items.filter((i) => !still.has(i.sessionId));
    if (skipped.length) notes.push(`${skipped.length} session(s) no longer matched when the write began and were left alone: ${skipped.map((i) => i.sessionId).join(', ')}`);
    items = items.filter((i) => still.has(i.sessionId));
  }
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

async function prune(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
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

async function repair(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied> {
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
