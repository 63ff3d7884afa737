import type { ContentBlock, EpochMs, FormatName, MessageMark, MessageNode, Role, SessionStatus } from '../model/types';

/**
 * One session on its way between stores: what an export writes and an import reads, whichever side
 * is a file or a store. Content is Arbor's normalised blocks; `original` keeps the source layout's own
 * record only where that layout's writer could not rebuild it from the normalised fields, so a copy
 * into the same layout is exact (see docs/INTERCHANGE.md, "original").
 */

export interface TransferSource {
  format: FormatName;
  path: string;
}

export interface TransferMessage {
  id: string;
  parentId: string | null;
  /** The store's own kind of record (seed-001 `type`; the raw role text of the SQL layouts). */
  kind: string;
  role: Role;
  timestamp: EpochMs | null;
  content: ContentBlock[];
  metadata: Record<string, unknown> | null;
  /** A subagent lane (MessageNode.lane); absent on the main line. */
  lane?: string | null;
  /** MessageNode.marks; absent when none. */
  marks?: readonly MessageMark[];
  /** MessageNode.model; absent when the store names none. */
  model?: string | null;
  /** The source layout's record for this message, when its writer needs it to write it back exactly. */
  original?: unknown;
}

export interface TransferBranch {
  name: string;
  leafMessageId: string;
  createdAt: EpochMs | null;
}

export interface TransferSession {
  id: string;
  title: string | null;
  createdAt: EpochMs | null;
  updatedAt: EpochMs | null;
  source: TransferSource;
  /** Store-specific facts under documented keys (tenant, user, device, chatId, expiresAt, keys, ...). */
  metadata: Record<string, unknown>;
  status: SessionStatus;
  /** False when the source keeps session metadata only (no transcript at all). */
  hasTranscript: boolean;
  /** The session this one was forked from (SessionSummary.forkedFrom); absent when none. */
  forkedFrom?: string;
  /** The source layout's session record, when its writer needs it to write the session back exactly. */
  original?: Record<string, unknown>;
  /** Messages in store order. */
  messages: TransferMessage[];
  branches: TransferBranch[];
  /**
   * Values the reader cut at the nesting bound (model/nesting.ts) — a marker stands in each place;
   * the import preview says so. Absent when nothing was cut. Never written to an export file.
   */
  cut?: number;
}

/** The tree index works on MessageNodes; transfer messages become nodes without copying content. */
export function toMessageNodes(messages: readonly TransferMessage[]): MessageNode[] {
  return messages.map((m, index) => ({
    id: m.id,
    parentId: m.parentId,
    role: m.role,
    kind: m.kind,
    timestamp: m.timestamp,
    content: m.content,
    metadata: m.metadata,
    ...(m.lane !== undefined ? { lane: m.lane } : {}),
    ...(m.marks !== undefined ? { marks: m.marks } : {}),
    ...(m.model !== undefined ? { model: m.model } : {}),
    location: { index },
    raw: m,
  }));
}

/** The transfer message behind a node made by toMessageNodes. */
export function messageOfNode(node: MessageNode): TransferMessage {
  return node.raw as TransferMessage;
}
