import { plural } from '../model/plural';
import type { StoreAdapter, StoreSource } from '../adapters/adapter';
import type { FormatName, LoadedSession } from '../model/types';
import type { CleanupKind, CleanupPlan, PlannedItem } from './types';

/**
 * What one store layout contributes to cleanup: its estimates, its repairs and its writes. Planning
 * and safety (preview, backup, writability, rechecks) are shared; a new layout adds one file with a
 * LayoutCleaner and its line in layouts/index.ts.
 */

export interface ApplyContext {
  /**
   * For rule operations (expired, older-than, empty): the ids the rule selects right now, to be
   * called just before writing. A session that no longer matches (the backend touched it) is left
   * alone. SQLite writers pass the source over their own write transaction's connection
   * (scan/sqlite-source.ts, sourceOnConnection), so the re-check is a query in that transaction;
   * without a source the store is read again (folder stores). Null for operations on named ids.
   */
  stillSelected: ((source?: StoreSource) => Set<string>) | null;
  /**
   * Called right before the first statement or file operation that can change the store. Until
   * then a failure has changed nothing and the backup is dropped again; from then on it is kept.
   */
  changing?: () => void;
  /** Called after each commit that changed the store, so a failure later keeps the backup. */
  wrote: () => void;
  /** The backup taken before the write, if any (folder stores compare what they move out with it). */
  backup: { id: string; trash: string } | null;
  /** The reader of the plan's layout: a SQLite write checks on its own connection that the file is still one. */
  reader: StoreAdapter;
}

export interface Applied {
  sessionsDeleted: number;
  messagesDeleted: number;
  repaired: number;
  notes: string[];
}

export interface LayoutCleaner {
  readonly format: FormatName;
  /** Sessions are one linear history each: prune truncates. */
  readonly linear: boolean;
  /** Why the operation does not apply to this layout, or null when it does. */
  unsupported(kind: CleanupKind): string | null;
  /** Estimated bytes each session's content takes, by id. */
  sessionBytes(path: string, ids: readonly string[]): Map<string, number>;
  /** Sessions holding a message with this id (prune without --session). */
  sessionsOfMessage?(path: string, messageId: string): string[];
  /** Layout facts a prune item needs at apply time (e.g. the row it was planned from). */
  preparePrune?(path: string, item: PlannedItem, loaded: LoadedSession): void;
  /** What a repair would fix. */
  planRepair(path: string, source: StoreSource): PlannedItem[];
  /** Files a write changes, for the backup and the writability check; undefined: the whole store file. */
  touchedFiles(plan: CleanupPlan): string[] | undefined;
  apply(plan: CleanupPlan, ctx: ApplyContext): Promise<Applied>;
}

export const NO_CHANGES: Applied = { sessionsDeleted: 0, messagesDeleted: 0, repaired: 0, notes: [] };

/** Actions that remove a listed session. */
export const SESSION_REMOVING = new Set(['delete-session', 'delete-orphaned-rows', 'remove-index-entry']);

/** The items whose session the rule still selects (all of them for named-id operations), noting the rest. */
export function itemsStillSelected(items: readonly PlannedItem[], ctx: ApplyContext, notes: string[], source?: StoreSource): PlannedItem[] {
  if (!ctx.stillSelected) return [...items];
  const still = ctx.stillSelected(source);
  const skipped = items.filter((i) => !still.has(i.sessionId));
  if (skipped.length) notes.push(`${plural(skipped.length, 'session')} no longer matched when the write began (the store changed) and ${skipped.length === 1 ? 'was' : 'were'} left alone: ${skipped.map((i) => i.sessionId).join(', ')}`);
  return items.filter((i) => still.has(i.sessionId));
}
