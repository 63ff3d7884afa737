/**
 * Arbor's one model of every session store: sessions, and for each session a forest of messages.
 * Linear histories are one-path trees. Times are unix epoch milliseconds internally (null when the
 * store does not say); transports and the CLI turn them into ISO 8601 strings at the edge.
 */

export type EpochMs = number;

/** Every store layout Arbor knows. Adding a layout adds a name here and one adapter file. */
export type FormatName =
  | 'sqlite-json-history'
  | 'jsonl-tree'
  | 'sqlite-chat-history'
  | 'sqlite-tenant-messages'
  | 'sqlite-provider-sessions';

/** A problem found while reading: reported where it is, never fatal to the rest of the store. */
export interface StoreWarning {
  code: string;
  message: string;
  /** 1-based line number in a JSONL file. */
  line?: number;
  /** Row id (primary key or rowid) in a SQLite table. */
  rowId?: string | number;
  sessionId?: string;
  messageId?: string;
  /** File the line belongs to, when it is not obvious from the source. */
  file?: string;
}

export type SessionStatus = 'ok' | 'unreadable' | 'missing' | 'unindexed' | 'metadata-only';

/** Store-specific facts about a session (tenant, user, device, chat id, index keys, ...). */
export type SessionFields = Record<string, string | number | boolean | null>;

export interface SessionSummary {
  id: string;
  title: string | null;
  createdAt: EpochMs | null;
  updatedAt: EpochMs | null;
  expiresAt: EpochMs | null;
  expired: boolean;
  /** The count the store keeps in its own metadata (null when it keeps none). */
  storedMessageCount: number | null;
  /** The number of messages Arbor can read (null when the store keeps no messages or the row is unreadable). */
  messageCount: number | null;
  status: SessionStatus;
  fields: SessionFields;
  warnings: StoreWarning[];
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string; redacted: boolean }
  | { type: 'tool_call'; id: string | null; name: string; input: unknown }
  | { type: 'tool_result'; toolCallId: string | null; content: ContentBlock[]; isError: boolean }
  | { type: 'image'; mediaType: string | null; data: string | null; url: string | null }
  | { type: 'unknown'; raw: unknown };

export type Role = 'user' | 'assistant' | 'system' | 'tool' | 'unknown';

export interface MessageNode {
  id: string;
  parentId: string | null;
  role: Role;
  /** The store's own kind of record: 'user', 'assistant', 'tool_call', 'reset-marker', ... */
  kind: string;
  timestamp: EpochMs | null;
  content: ContentBlock[];
  metadata: Record<string, unknown> | null;
  /** Where the record sits in the store, for warnings and the inspector. */
  location: { line?: number; rowId?: string | number; index?: number };
  /** The original record exactly as parsed, for the inspector. */
  raw: unknown;
}

export interface NamedBranch {
  name: string;
  leafId: string;
  createdAt: EpochMs | null;
}

export interface LoadedSession {
  session: SessionSummary;
  /** Messages in store order (line order, row order, array order). */
  messages: MessageNode[];
  branches: NamedBranch[];
  /** The store's own active-leaf pointer, if it keeps one. */
  storeActiveLeafId: string | null;
  /** False for stores that keep metadata only (no transcript at all). */
  hasTranscript: boolean;
  warnings: StoreWarning[];
}
