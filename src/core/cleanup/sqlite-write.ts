import { existsSync, statSync } from 'node:fs';
import { StoreLockedError } from '../safety/errors';
import { lockWaitMs } from '../safety/lock-wait';
import { LayoutChangedError, sourceOnConnection } from '../scan/sqlite-source';
import { openWritable, type SqliteDatabase } from '../sqlite/open';
import { CleanupError } from './errors';
import { itemsStillSelected, type ApplyContext, type Applied } from './cleaner';
import type { CleanupPlan, PlannedItem } from './types';

/**
 * The SQLite half of every cleanup write: one connection, one IMMEDIATE transaction (the write lock
 * is taken before anything is read for the write, so what is checked is what is changed), foreign
 * keys on so a layout's cascades fire (better-sqlite3 turns them on by default; this says so on
 * purpose), and a lock held too long by someone else becomes "locked, nothing changed".
 */

export function openForCleanup(path: string): SqliteDatabase {
  // A store that vanished must fail, not be re-created empty.
  if (!existsSync(path)) throw new CleanupError(`${path}: the store is gone; nothing was changed`);
  const db = openWritable(path, { mustExist: true });
  db.pragma(`busy_timeout = ${lockWaitMs()}`);
  // Only takes effect outside a transaction, hence here.
  db.pragma('foreign_keys = ON');
  return db;
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function lockedError(path: string): StoreLockedError {
  return new StoreLockedError(`${path}: another process holds the store's lock (waited ${lockWaitMs() / 1000} s); nothing was changed. Try again when it is idle.`);
}

export function inWriteTransaction<T>(db: SqliteDatabase, path: string, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (error) {
    if (isBusy(error)) throw lockedError(path);
    throw error;
  }
}

/** Store size on disk: the file and its WAL (committed data may still sit there). */
export function sqliteBytes(path: string): number {
  let total = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += statSync(p).size;
    } catch {
      // No WAL.
    }
  }
  return total;
}

/** Bytes VACUUM would give back: the free pages. */
export function reclaimableBytes(db: SqliteDatabase): number {
  const pages = Number(db.pragma('freelist_count', { simple: true }));
  const size = Number(db.pragma('page_size', { simple: true }));
  return pages * size;
}

export function vacuumStore(path: string, ctx: ApplyContext): Applied {
  const db = openForCleanup(path);
  try {
    try {
      ctx.changing?.();
      db.exec('VACUUM');
    } catch (error) {
      if (isBusy(error)) throw lockedError(path);
      throw error;
    }
    ctx.wrote();
    // In WAL mode the rewritten pages sit in the WAL until a checkpoint; readers may hold it back,
    // which is fine: the space is given back at the backend's next checkpoint.
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return { sessionsDeleted: 0, messagesDeleted: 0, repaired: 0, notes: [] };
}

/** Per-action SQL of one layout; each returns what it removed. */
export interface SqliteWriters {
  deleteSessions(db: SqliteDatabase, ids: string[]): { sessions: number; messages: number };
  pruneMessages?(db: SqliteDatabase, item: PlannedItem): number;
  deleteOrphanedRows?(db: SqliteDatabase, ids: string[]): { sessions: number; messages: number };
  fixCount?(db: SqliteDatabase, item: PlannedItem): boolean;
}

/**
 * Applies a plan's items in one transaction. Inside it, before anything is written, everything is
 * checked on the transaction's own connection and nothing else is opened: the file still holds the
 * plan's layout, and rule selections are narrowed to what still matches. (Opening the store file any
 * other way here, even to read its header, would close a descriptor of it, drop this process's
 * locks and let a backend commit in the middle of this transaction: that corrupted stores.)
 */
export async function applySqlitePlan(plan: CleanupPlan, ctx: ApplyContext, writers: SqliteWriters): Promise<Applied> {
  if (plan.operation.kind === 'vacuum') return vacuumStore(plan.storePath, ctx);
  const db = openForCleanup(plan.storePath);
  try {
    const applied = inWriteTransaction(db, plan.storePath, () => {
      const out: Applied = { sessionsDeleted: 0, messagesDeleted: 0, repaired: 0, notes: [] };
      let source;
      try {
        source = sourceOnConnection(db, plan.storePath, ctx.reader, { now: () => plan.plannedAt });
      } catch (error) {
        if (error instanceof LayoutChangedError) throw new CleanupError(error.message);
        throw error;
      }
      const items = itemsStillSelected(plan.items, ctx, out.notes, source);
      const changes = db.prepare('SELECT total_changes()').pluck();
      const before = changes.get();
      try {
        writeItems(db, items, writers, out);
      } catch (error) {
        // A statement that changed a row wrote pages (the rollback restores them from the journal
        // or drops the WAL frames): the backup stays. A failure before any row changed (a row the
        // backend rewrote since the preview) left the file as it was.
        if (changes.get() !== before) ctx.changing?.();
        throw error;
      }
      // COMMIT follows.
      ctx.changing?.();
      return out;
    });
    ctx.wrote();
    return applied;
  } finally {
    db.close();
  }
}

/** The plan's writes, in the order every layout can live with: whole sessions, orphans, then per-item changes. */
function writeItems(db: SqliteDatabase, items: readonly PlannedItem[], writers: SqliteWriters, out: Applied): void {
  const ids = (action: PlannedItem['action']) => items.filter((i) => i.action === action).map((i) => i.sessionId);
  const deleted = writers.deleteSessions(db, ids('delete-session'));
  const orphans = writers.deleteOrphanedRows?.(db, ids('delete-orphaned-rows')) ?? { sessions: 0, messages: 0 };
  out.sessionsDeleted = deleted.sessions + orphans.sessions;
  out.messagesDeleted = deleted.messages + orphans.messages;
  out.repaired += orphans.sessions;
  for (const item of items) {
    if (item.action === 'prune-messages' && writers.pruneMessages) out.messagesDeleted += writers.pruneMessages(db, item);
    if (item.action === 'fix-count' && writers.fixCount?.(db, item)) out.repaired++;
  }
}

/** Ids go to SQL as one JSON array read with json_each: one statement for any number of ids. */
export const IN_IDS = '(SELECT value FROM json_each(?))';
