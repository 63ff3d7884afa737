import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { StoreSource } from '../adapters/adapter';
import { adapterFor } from '../adapters/registry';
import type { FormatName } from '../model/types';
import { openStore } from '../scan/discover';
import { buildSessionTree } from '../tree/session-tree';
import { CleanupError } from './errors';
import type { LayoutCleaner } from './layouts/cleaner';
import { SESSION_REMOVING } from './layouts/cleaner';
import { cleanerFor } from './layouts/index';
import { selectPrune } from './prune';
import { allSummaries, selectByRule, type RuleMatch } from './select';
import { reclaimableBytes } from './sqlite-write';
import { withReader } from './layouts/sqlite-read';
import { storeBytes } from './store-size';
import type { CleanupKind, CleanupOperation, CleanupPlan, PlanOptions, PlannedItem } from './types';
import { validateOperation } from './validate';

/**
 * The preview: what an operation would remove from one store, read through the same adapter the
 * session list uses. Nothing is written. Unknown ids and operations that do not apply to the layout
 * are errors here, so applying a plan never meets them.
 */
export function planCleanup(target: string | StoreSource, operation: CleanupOperation, options: PlanOptions = {}): CleanupPlan {
  validateOperation(operation);
  const now = (options.now ?? Date.now)();
  const owned = typeof target === 'string';
  if (owned && !existsSync(target)) throw new CleanupError(`${target}: no such file or folder`);
  const source = owned ? openStore(target, { now: () => now }) : target;
  try {
    const cleaner = cleanerFor(source.format);
    if (!cleaner) throw new CleanupError(readOnlyMessage(source));
    const why = cleaner.unsupported(operation.kind);
    if (why) throw new CleanupError(`${operation.kind} does not apply to ${source.path} (${adapterFor(source.format)?.label ?? source.format}): ${why}`);
    const notes: string[] = [];
    const items = planItems(source, cleaner, operation, now, notes);
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
      storeBytes: storeBytes(source.path, source.format),
      summary: summarize(operation, totals, items.length, source.path),
      notes,
    };
  } finally {
    if (owned) source.close();
  }
}

/** Which operations a layout supports, for a UI that offers only those. */
export function supportedOperations(format: FormatName): CleanupKind[] {
  const kinds: CleanupKind[] = ['delete-sessions', 'prune', 'expired', 'older-than', 'empty', 'repair', 'vacuum'];
  const cleaner = cleanerFor(format);
  return cleaner ? kinds.filter((k) => cleaner.unsupported(k) === null) : [];
}

/** A layout without a cleaner is one Arbor only reads: it says so and what to do instead. */
function readOnlyMessage(source: StoreSource): string {
  const label = adapterFor(source.format)?.label ?? source.format;
  return `${source.path} is a ${label} store, which Arbor only reads and never changes; export its sessions or copy them to another store (import) instead`;
}

function planItems(source: StoreSource, cleaner: LayoutCleaner, op: CleanupOperation, now: number, notes: string[]): PlannedItem[] {
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
      return planPrune(source, cleaner, op, notes);
    case 'repair':
      return cleaner.planRepair(source.path, source);
    case 'vacuum': {
      const bytes = withReader(source.path, reclaimableBytes);
      return [{ action: 'vacuum', sessionId: '', title: null, messages: 0, bytes, detail: `${bytes} byte(s) of free pages to give back` }];
    }
  }
}

function deleteItems(source: StoreSource, cleaner: LayoutCleaner, matches: RuleMatch[]): PlannedItem[] {
  const bytes = cleaner.sessionBytes(source.path, matches.map((m) => m.session.id));
  return matches.map(({ session, detail }) => ({
    action: 'delete-session',
    sessionId: session.id,
    title: session.title,
    messages: session.messageCount ?? 0,
    bytes: bytes.get(session.id) ?? 0,
    detail,
  }));
}

function planPrune(source: StoreSource, cleaner: LayoutCleaner, op: Extract<CleanupOperation, { kind: 'prune' }>, notes: string[]): PlannedItem[] {
  const sessionId = op.sessionId ?? sessionOfMessage(source, cleaner, op.messageId);
  const loaded = source.loadSession(sessionId);
  if (!loaded) throw new CleanupError(`no session ${JSON.stringify(sessionId)} in ${source.path}`);
  if (!loaded.hasTranscript) throw new CleanupError(`session "${sessionId}" has no transcript to prune`);
  const tree = buildSessionTree(loaded);
  const mode = op.mode ?? 'subtree';
  const selection = selectPrune(tree, op.messageId, mode, cleaner.linear);
  if (selection.touchesActivePath && !op.allowActivePath) {
    throw new CleanupError(
      `pruning ${op.messageId} removes messages on the active path of session "${sessionId}" (the history the backend continues from${cleaner.linear ? '; in a linear history that is every message' : ''}); confirm with allowActivePath (--allow-active) to prune it anyway`,
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
    detail: `${mode === 'subtree' ? 'message and everything below it' : mode === 'after' ? 'everything below the message' : "what only this leaf's path holds"}: ${op.messageId}`,
    messageIds: selection.messages.map((m) => m.id),
    ...(selection.branchesRemoved.length ? { branchesRemoved: selection.branchesRemoved } : {}),
  };
  if (selection.branchesRemoved.length) notes.push(`Named branch(es) whose leaf goes too: ${selection.branchesRemoved.join(', ')}.`);
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

function summarize(op: CleanupOperation, totals: CleanupPlan['totals'], items: number, path: string): string {
  const store = basename(path);
  const counted = `${totals.sessions} session(s), ${totals.messages} message(s)`;
  switch (op.kind) {
    case 'delete-sessions':
      return `delete ${counted} from ${store}`;
    case 'prune':
      return `prune ${totals.messages} message(s) at ${op.messageId} from ${store}`;
    case 'expired':
      return `delete expired: ${counted} from ${store}`;
    case 'older-than':
      return `delete sessions not ${op.by === 'created' ? 'created' : 'updated'} in ${op.days} day(s): ${counted} from ${store}`;
    case 'empty':
      return `delete ${totals.sessions} empty session(s) from ${store}`;
    case 'repair':
      return `repair ${items} problem(s) in ${store}`;
    case 'vacuum':
      return `vacuum ${store}`;
  }
}
