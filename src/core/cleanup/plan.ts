import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { StoreSource } from '../adapters/adapter';
import { openStore } from '../scan/discover';
import { layoutOf, type StoreLayout } from '../stores/layout';
import { plainText } from '../model/content';
import { plural } from '../model/plural';
import { buildSessionTree } from '../tree/session-tree';
import { CleanupError } from './errors';
import type { LayoutCleaner } from './cleaner';
import { SESSION_REMOVING } from './cleaner';
import { selectPrune } from './prune';
import { allSummaries, selectByRule, type RuleMatch } from './select';
import { reclaimableBytes } from './sqlite-write';
import { withReader } from './sqlite-read';
import { storeBytes } from './store-size';
import type { CleanupOperation, CleanupPlan, PlanOptions, PlannedItem } from './types';
import { validateOperation } from './validate';

/**
 * The preview: what an operation would remove from one store, read through the same adapter the
 * session list uses. Nothing is written. Unknown ids and operations that do not apply to the layout
 * are errors here, so applying a plan never meets them.
 */
export function planCleanup(target: string | StoreSource, operation: CleanupOperation, options: PlanOptions): CleanupPlan {
  validateOperation(operation);
  const now = (options.now ?? Date.now)();
  const owned = typeof target === 'string';
  if (owned && !existsSync(target)) throw new CleanupError(`${target}: no such file or folder`);
  const source = owned ? openStore(target, options.layouts, { now: () => now }) : target;
  try {
    const layout = writableLayout(options.layouts, source);
    const cleaner = layout.cleaner;
    const why = cleaner.unsupported(operation.kind);
    if (why) throw new CleanupError(`${operation.kind} does not apply to ${source.path} (${layout.label}): ${why}`);
    const notes: string[] = [];
    const items = planItems(source, layout, operation, now, notes);
    const totals = {
      sessions: items.filter((i) => SESSION_REMOVING.has(i.action)).length,
      messages: items.reduce((sum, i) => sum + i.messages, 0),
      bytes: items.reduce((sum, i) => sum + i.bytes, 0),
    };
    if (items.length === 0) notes.push('Nothing to do.');
    return {
      version: 1,
      storePath: source.path,
      format: source.format,
      operation,
      plannedAt: now,
      items,
      totals,
      storeBytes: storeBytes(source.path, layout.storage),
      summary: summarize(operation, totals, items, source.path),
      notes,
    };
  } finally {
    if (owned) source.close();
  }
}

type WritableLayout = StoreLayout & { cleaner: LayoutCleaner };

/**
 * The layout of a store Arbor may clean up. A read-only layout (an agent CLI's transcripts, a chat
 * export) is refused in words that say what can be done instead.
 */
export function writableLayout(layouts: readonly StoreLayout[], source: { path: string; format: string }): WritableLayout {
  const layout = layoutOf(layouts, source.format);
  if (!layout) throw new CleanupError(`${source.path}: Arbor does not know the ${source.format} layout; nothing was planned`);
  if (!layout.cleaner || layout.capabilities.readOnly) {
    throw new CleanupError(
      `${source.path} is a ${layout.label} store, which Arbor only reads: it never changes it. Copy its sessions to another store (Copy to another store…, arbor import) or export them, and clean up there.`,
    );
  }
  return layout as WritableLayout;
}

function planItems(source: StoreSource, layout: WritableLayout, op: CleanupOperation, now: number, notes: string[]): PlannedItem[] {
  const cleaner = layout.cleaner;
  switch (op.kind) {
    case 'delete-sessions': {
      const ids = [...new Set(op.sessionIds)];
      const unknown = ids.filter((id) => source.getSession(id) === null);
      if (unknown.length) throw new CleanupError(`no session ${unknown.map((id) => JSON.stringify(id)).join(', ')} in ${source.path}; nothing was planned`);
      return deleteItems(source, cleaner, ids.map((id) => ({ session: source.getSession(id)!, detail: 'chosen' })));
    }
    case 'expired':
    case 'older-than':
    case 'empty':
      return deleteItems(source, cleaner, selectByRule(allSummaries(source), op, now, notes));
    case 'prune':
      return planPrune(source, layout, op, notes);
    case 'repair':
      return cleaner.planRepair(source.path, source);
    case 'vacuum': {
      const bytes = withReader(source.path, reclaimableBytes);
      return [{ action: 'vacuum', sessionId: '', title: null, messages: 0, bytes, detail: `${plural(bytes, 'byte')} of free pages to give back` }];
    }
  }
}

function deleteItems(source: StoreSource, cleaner: LayoutCleaner, matches: RuleMatch[]): PlannedItem[] {
  const bytes = cleaner.sessionBytes(source.path, matches.map((m) => m.session.id));
  return matches.map(({ session, detail, when }) => ({
    action: 'delete-session',
    sessionId: session.id,
    title: session.title,
    messages: session.messageCount ?? 0,
    bytes: bytes.get(session.id) ?? 0,
    detail,
    ...(when ? { when } : {}),
  }));
}

function planPrune(source: StoreSource, layout: WritableLayout, op: Extract<CleanupOperation, { kind: 'prune' }>, notes: string[]): PlannedItem[] {
  const cleaner = layout.cleaner;
  const linear = layout.capabilities.history === 'linear';
  const sessionId = op.sessionId ?? sessionOfMessage(source, cleaner, op.messageId);
  const loaded = source.loadSession(sessionId);
  if (!loaded) throw new CleanupError(`no session ${JSON.stringify(sessionId)} in ${source.path}`);
  if (!loaded.hasTranscript) throw new CleanupError(`session "${sessionId}" has no transcript to prune`);
  const tree = buildSessionTree(loaded);
  const mode = op.mode ?? 'subtree';
  const selection = selectPrune(tree, op.messageId, mode, linear);
  if (selection.touchesActivePath && !op.allowActivePath) {
    throw new CleanupError(
      `pruning ${op.messageId} removes messages on the active path of session "${sessionId}" (the history the backend continues from${linear ? '; in a linear history that is every message' : ''}); confirm with allowActivePath (--allow-active) to prune it anyway`,
    );
  }
  if (selection.messages.length === 0) {
    notes.push(`Nothing lies below message "${op.messageId}".`);
    return [];
  }
  const item: PlannedItem = {
    action: 'prune-messages',
    sessionId,
    title: loaded.session.title,
    messages: selection.messages.length,
    bytes: selection.messages.reduce((sum, m) => sum + Buffer.byteLength(JSON.stringify(m.raw) ?? '') + 1, 0),
    detail: pruneDetail(mode, loaded.messages.find((m) => m.id === op.messageId), op.messageId),
    messageIds: selection.messages.map((m) => m.id),
    ...(selection.branchesRemoved.length ? { branchesRemoved: selection.branchesRemoved } : {}),
  };
  if (selection.branchesRemoved.length) notes.push(`${selection.branchesRemoved.length === 1 ? 'A named branch' : 'Named branches'} whose leaf goes too: ${selection.branchesRemoved.map((n) => `“${n}”`).join(', ')}.`);
  cleaner.preparePrune?.(source.path, item, loaded);
  return [item];
}

/** The one session holding a message id; layouts whose ids say it answer at once, others are searched. */
function sessionOfMessage(source: StoreSource, cleaner: LayoutCleaner, messageId: string): string {
  const found = cleaner.sessionsOfMessage
    ? cleaner.sessionsOfMessage(source.path, messageId)
    : allSummaries(source)
        .filter((s) => source.loadSession(s.id)?.messages.some((m) => m.id === messageId))
        .map((s) => s.id);
  const unique = [...new Set(found)];
  if (unique.length === 0) throw new CleanupError(`no message ${JSON.stringify(messageId)} in ${source.path}`);
  if (unique.length > 1) throw new CleanupError(`message ${JSON.stringify(messageId)} is in several sessions (${unique.join(', ')}); name one with --session`);
  return unique[0];
}

/** "the assistant message “Sure, the rebase…” (a4) and everything below it": what a prune starts from, in words. */
function pruneDetail(mode: string, message: { role: string; content: Parameters<typeof plainText>[0] } | undefined, id: string): string {
  const what = message ? `the ${message.role} message ${snippet(plainText(message.content)) || '(no text)'} (${id})` : `message ${id}`;
  if (mode === 'subtree') return `${what} and everything below it`;
  if (mode === 'after') return `everything below ${what}`;
  return `what only the path to ${what} holds`;
}

/** A message's or title's first words, quoted, on one line. */
export function snippet(text: string | null, max = 48): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!line) return '';
  return `“${line.length > max ? `${line.slice(0, max - 1)}…` : line}”`;
}

/** "‘Fix the build’, ‘Plan the trip’ and 3 more": the sessions a deletion names, the first few by title. */
function sessionNames(items: readonly PlannedItem[]): string {
  const shown = items.slice(0, 3).map((i) => snippet(i.title) || i.sessionId);
  const more = items.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function summarize(op: CleanupOperation, totals: CleanupPlan['totals'], items: readonly PlannedItem[], path: string): string {
  const store = basename(path);
  const messages = plural(totals.messages, 'message');
  const named = items.length ? ` (${sessionNames(items)})` : '';
  const counted = `${plural(totals.sessions, 'session')}${named}, ${messages}`;
  switch (op.kind) {
    case 'delete-sessions':
      return `delete ${counted} from ${store}`;
    case 'prune': {
      const item = items[0];
      const from = item ? ` from ${snippet(item.title) || `session ${item.sessionId}`}` : '';
      return `prune ${messages}${from} (${item ? item.detail : `at message ${op.messageId}`}) in ${store}`;
    }
    case 'expired':
      return `delete expired: ${counted} from ${store}`;
    case 'older-than':
      return `delete sessions not ${op.by === 'created' ? 'created' : 'updated'} in ${plural(op.days, 'day')}: ${counted} from ${store}`;
    case 'empty':
      return `delete ${plural(totals.sessions, 'empty session')}${named} from ${store}`;
    case 'repair':
      return `repair ${plural(items.length, 'problem')} in ${store}`;
    case 'vacuum':
      return `vacuum ${store}`;
  }
}
