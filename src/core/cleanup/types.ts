import type { FormatName } from '../model/types';
import type { StoreLayout } from '../stores/layout';

/**
 * Cleanup is two steps: planCleanup reads the store and says exactly what an operation would remove
 * (the preview), applyCleanup backs the store up and removes that, no more. Plans are plain JSON so
 * the app can show one, send it back over IPC and apply it.
 */

/** subtree: the message and everything below it; after: everything below it; leaf: what only this leaf's path holds. */
export type PruneMode = 'subtree' | 'after' | 'leaf';

export type CleanupOperation =
  | { kind: 'delete-sessions'; sessionIds: string[] }
  | { kind: 'prune'; messageId: string; sessionId?: string; mode?: PruneMode; allowActivePath?: boolean }
  | { kind: 'expired' }
  | { kind: 'older-than'; days: number; by?: 'created' | 'updated' }
  | { kind: 'empty' }
  | { kind: 'repair' }
  | { kind: 'vacuum' };

export type CleanupKind = CleanupOperation['kind'];

export type PlannedAction =
  /** The session and every message it holds. */
  | 'delete-session'
  /** Some messages of a session (prune). */
  | 'prune-messages'
  /** Message rows whose session row is gone (listed as an unindexed session). */
  | 'delete-orphaned-rows'
  /** An index entry whose folder is gone. */
  | 'remove-index-entry'
  /** A folder with messages that the index does not list: an entry is added. */
  | 'reindex'
  /** A stored message count that disagrees with the messages: the count is set to what is there. */
  | 'fix-count'
  /** SQLite VACUUM: no content changes, free pages are given back. */
  | 'vacuum';

export interface PlannedItem {
  action: PlannedAction;
  /** '' for store-wide items (vacuum). */
  sessionId: string;
  title: string | null;
  /** Messages this item removes. */
  messages: number;
  /** Estimated bytes of content this item removes. */
  bytes: number;
  /** Why, for people: "expired 2026-01-01T00:00:00.000Z", "message_count 5, rows 2", ... */
  detail: string;
  /** The time a rule judged by, for showing it in the reader's own time zone: "expired" at epoch ms. */
  when?: { label: string; at: number };
  /** prune-messages: the messages that go, in store order. */
  messageIds?: string[];
  /** prune-messages: named branches whose leaf goes too (they are removed from branches.json). */
  branchesRemoved?: string[];
  /** fix-count: what the store says and what is there. */
  count?: { stored: number | null; actual: number };
  /** reindex: the index entry to add. */
  indexEntry?: Record<string, unknown>;
  /** Linear JSON-array rows (FORMATS §1): the items kept and a digest of the row the plan read. */
  keep?: number;
  rowDigest?: string;
}

export interface CleanupPlan {
  version: 1;
  storePath: string;
  format: FormatName;
  operation: CleanupOperation;
  /** The clock the plan was made with (expiry and age are judged by it), epoch ms. */
  plannedAt: number;
  items: PlannedItem[];
  totals: {
    /** Sessions that will no longer be listed. */
    sessions: number;
    messages: number;
    /** Estimated bytes of content removed. */
    bytes: number;
  };
  /** Size of the store on disk now. */
  storeBytes: number;
  /** One line for people; also the trash entry's summary. */
  summary: string;
  /** Things the user should know: sessions skipped and why, operations that do not apply. */
  notes: string[];
}

export interface CleanupResult {
  sessionsDeleted: number;
  messagesDeleted: number;
  /** Size of the store on disk before and after (SQLite: file + WAL; folder stores: every file). */
  bytesBefore: number;
  bytesAfter: number;
  /** Trash entry id of the backup taken before the write; null when nothing was written or backups were off. */
  backup: string | null;
  /** Items repaired (counts fixed, entries added or removed). */
  repaired: number;
  notes: string[];
}

export interface ApplyOptions {
  /** The layouts Arbor knows (the registry's list, handed down by the caller). */
  layouts: readonly StoreLayout[];
  /** Take a backup into the trash first (default true). */
  backup?: boolean;
  /** Trash folder; defaults to trashRoot(). */
  trashDir?: string;
}

export interface PlanOptions {
  /** The layouts Arbor knows (the registry's list, handed down by the caller). */
  layouts: readonly StoreLayout[];
  now?: () => number;
}
