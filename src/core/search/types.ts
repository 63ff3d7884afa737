import type { EpochMs, Role } from '../model/types';

/**
 * Full-text search over one source. The index is Arbor's own SQLite file in its cache folder; the
 * store is read only through its reader (or, for the fast path, a read-only SQLite connection).
 */

/** What part of a message a hit is in: its text, the model's thinking, or a tool call's input or result. */
export type SearchKind = 'text' | 'thinking' | 'tool';

/**
 * A layout that keeps one message per row of one SQLite table may describe that table, so the index
 * is built straight from the rows (the fast path) instead of loading every session through the reader.
 * The row id is the message id (String(rowid)) and the history is linear.
 */
export interface SearchTable {
  table: string;
  /** An INTEGER PRIMARY KEY (or rowid alias) column; `String(value)` is the message id. */
  rowId: string;
  session: string;
  role: string;
  content: string;
  time: string | null;
}

export interface SearchFilters {
  /** Only these roles; all when absent or empty. */
  roles?: readonly Role[];
  sessionId?: string;
  /** Leave tool inputs and outputs out. */
  includeTools?: boolean;
  /** Epoch ms bounds on the message time (messages without a time pass only unbounded filters). */
  since?: EpochMs | null;
  until?: EpochMs | null;
}

/** A snippet of the message's text with the matched words as [start, end) ranges inside it. */
export interface Snippet {
  text: string;
  highlights: Array<[number, number]>;
}

export interface IndexHit {
  sessionId: string;
  messageId: string;
  role: Role;
  kind: SearchKind;
  timestamp: EpochMs | null;
}

export interface IndexProgress {
  /** Sessions (generic path) or rows (fast path) done, of total. */
  done: number;
  total: number | null;
  phase: 'checking' | 'indexing' | 'ready';
}
