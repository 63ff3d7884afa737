/**
 * Arbor's one model of every session store: sessions, and for each session a forest of messages.
 * Linear histories are one-path trees. Times are unix epoch milliseconds internally (null when the
 * store does not say); transports and the CLI turn them into ISO 8601 strings at the edge.
 */

export type EpochMs = number;

/**
 * The name of a store layout: the `format` of its descriptor in the store registry (one folder per
 * layout). A plain string so that adding a layout is one folder and one registry line; the registry
 * is the list of names that exist.
 */
export type FormatName = string;

/** How a store sits on disk: one SQLite file (copied whole through SQLite's backup API), or plain files. */
export type StoreStorage = 'sqlite' | 'files';

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
  /**
   * The session this one was forked from (a Codex rollout started with `forked_from_id`), when the
   * store says; absent or null otherwise. The shared history is shown once, as a branch.
   */
  forkedFrom?: string | null;
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
  /**
   * Short labels the store's own UI shows beside the session (pinned, archived, a tag, a folder),
   * shown as badges; absent when there are none. The same facts are in `fields` for filtering.
   */
  badges?: string[];
  warnings: StoreWarning[];
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string; redacted: boolean }
  | { type: 'tool_call'; id: string | null; name: string; input: unknown }
  | { type: 'tool_result'; toolCallId: string | null; content: ContentBlock[]; isError: boolean }
  | { type: 'image'; mediaType: string | null; data: string | null; url: string | null }
  /**
   * A file or image the message carried that the store does not hold (an export's attachment, an
   * uploaded file's pointer): shown as a named placeholder, never fetched.
   */
  | { type: 'attachment'; name: string | null; mediaType: string | null; size: number | null; ref: string | null }
  | { type: 'unknown'; raw: unknown };

export type Role = 'user' | 'assistant' | 'system' | 'tool' | 'unknown';

/**
 * How a message is shown beside its role, when the store's own UI shows it as something other than
 * a turn of the conversation. A marked message is never taken for a prompt (titles, "prompts once").
 * - `compaction-summary`: the summary that replaces the history before a compaction.
 * - `compaction-boundary`: the marker where a compaction happened.
 * - `context`: text the tool injected (environment, instructions, reminders), not typed by the user.
 * - `command`: a slash command or a local command's output.
 * - `meta`: a tool's bookkeeping message (caveats, notices).
 * - `hidden`: hidden in the store's own UI (e.g. ChatGPT's hidden system messages).
 */
export const MESSAGE_MARKS = ['compaction-summary', 'compaction-boundary', 'context', 'command', 'meta', 'hidden'] as const;
export type MessageMark = (typeof MESSAGE_MARKS)[number];

export interface MessageNode {
  id: string;
  parentId: string | null;
  role: Role;
  /** The store's own kind of record: 'user', 'assistant', 'tool_call', 'reset-marker', ... */
  kind: string;
  timestamp: EpochMs | null;
  content: ContentBlock[];
  metadata: Record<string, unknown> | null;
  /**
   * The lane of a message that belongs to a subagent (a Claude Code sidechain): the agent's id.
   * Absent or null on the main line. Lane messages hang under the tool call that started them.
   */
  lane?: string | null;
  /** See MessageMark; absent when none. */
  marks?: readonly MessageMark[];
  /** The model that wrote the message, when the store names one. */
  model?: string | null;
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

/** A subagent's lane in a session: its messages carry `lane: id`. */
export interface LaneInfo {
  id: string;
  /** For people: the agent's type and task ("Explore: find the config loader"). */
  label: string;
  /** The message (a tool call) the lane hangs under, when the link could be made. */
  parentMessageId: string | null;
  messageCount: number;
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
  /** Subagent lanes, when the session has any. */
  lanes?: LaneInfo[];
  warnings: StoreWarning[];
}
