import { where, type ConversationLayout, type ConversationPlace } from '../../chat-export/export-source';
import { normalizeRole, titleFromText } from '../../model/content';
import { parseTimestamp } from '../../model/time';
import type { LoadedSession, MessageNode, SessionFields, SessionSummary, StoreWarning } from '../../model/types';
import { promptText, readContent } from './content';

/**
 * One claude.ai conversation (docs/formats/claude-ai-export.md): `{uuid, name, summary?, created_at,
 * updated_at, account, chat_messages: [...], current_leaf_message_uuid?, project_uuid?, model?}`.
 * Messages are a line in array order, unless they carry `parent_message_uuid` (newer exports keep
 * the tree of edits and retries): then the parent links are the tree and
 * `current_leaf_message_uuid` the active leaf. Consecutive messages of one sender are shown as they
 * are: the export says nothing about why they follow each other, and guessing a fork would invent one.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const FORMAT = 'claude-ai-export';
export const LABEL = 'claude.ai export';
/** The parent claude.ai gives a conversation's first message: no message. */
export const ROOT_PARENT = '00000000-0000-4000-8000-000000000000';

interface Threaded {
  id: string;
  parentId: string | null;
  message: Json;
  position: number;
}

/** The messages with their ids and parents; `tree` tells whether the export kept parent links. */
function thread(c: Json, conversationId: string): { tree: boolean; messages: Threaded[]; missingIds: number[] } {
  const list = Array.isArray(c.chat_messages) ? c.chat_messages : [];
  const tree = list.some((m) => isObject(m) && typeof m.parent_message_uuid === 'string');
  const messages: Threaded[] = [];
  const missingIds: number[] = [];
  let previous: string | null = null;
  list.forEach((m, position) => {
    if (!isObject(m)) return;
    let id = str(m.uuid);
    if (id === null) {
      missingIds.push(position);
      id = `${conversationId}:${position + 1}`;
    }
    const stated = typeof m.parent_message_uuid === 'string' ? m.parent_message_uuid : null;
    // Without a parent link (a linear export, or one message of a tree that lacks it) the message follows the one before.
    const parentId = tree && stated !== null ? (stated === ROOT_PARENT || stated === '' ? null : stated) : previous;
    messages.push({ id, parentId, message: m, position });
    previous = id;
  });
  return { tree, messages, missingIds };
}

function summarize(value: unknown, place: ConversationPlace): SessionSummary {
  if (!isObject(value)) {
    const id = `conversation-${place.index + 1}`;
    return { ...emptySummary(id), status: 'unreadable', warnings: [{ code: 'not-a-conversation', message: `Conversation ${place.index + 1} (bytes ${place.start.toLocaleString('en')}–${place.end.toLocaleString('en')}) is not an object.`, sessionId: id }] };
  }
  const id = str(value.uuid) ?? `conversation-${place.index + 1}`;
  const { tree, messages, missingIds } = thread(value, id);
  const warnings: StoreWarning[] = [];
  const summary: SessionSummary = {
    ...emptySummary(id),
    title: (typeof value.name === 'string' ? titleFromText(value.name) : null) ?? firstPrompt(messages),
    createdAt: parseTimestamp(value.created_at),
    updatedAt: parseTimestamp(value.updated_at) ?? parseTimestamp(value.created_at),
    // A repeated uuid is not another message (the tree keeps the first): count each once.
    messageCount: new Set(messages.map((m) => m.id)).size,
    fields: fieldsOf(value, tree),
    warnings,
  };
  if (!str(value.uuid)) warnings.push({ code: 'no-conversation-id', message: `${where(summary, place)} has no uuid; it is listed as "${id}".`, sessionId: id });
  if (value.chat_messages !== undefined && !Array.isArray(value.chat_messages)) {
    warnings.push({ code: 'bad-chat-messages', message: `${where(summary, place)}: "chat_messages" is not an array; no messages can be read.`, sessionId: id });
  }
  if (missingIds.length) {
    warnings.push({ code: 'no-message-id', message: `${where(summary, place)}: ${missingIds.length} message(s) have no uuid (the first is message ${missingIds[0] + 1}); they are numbered instead.`, sessionId: id });
  }
  if (tree) {
    const ids = new Set(messages.map((m) => m.id));
    for (const m of messages) {
      if (m.parentId !== null && !ids.has(m.parentId)) {
        warnings.push({ code: 'missing-parent', message: `${where(summary, place)}: message "${m.id}" names parent "${m.parentId}", which is not in the conversation; it is shown as a root.`, sessionId: id, messageId: m.id });
      }
    }
    const leaf = str(value.current_leaf_message_uuid);
    if (leaf !== null && !ids.has(leaf)) {
      warnings.push({ code: 'bad-current-leaf', message: `${where(summary, place)}: "current_leaf_message_uuid" names "${leaf}", which is not in the conversation; the newest branch is shown.`, sessionId: id });
    }
  }
  return summary;
}

function firstPrompt(messages: readonly Threaded[]): string | null {
  for (const m of messages) {
    if (m.message.sender !== 'human') continue;
    const title = titleFromText(promptText(m.message));
    if (title) return title;
  }
  return null;
}

function fieldsOf(c: Json, tree: boolean): SessionFields {
  const fields: SessionFields = {};
  const project = str(c.project_uuid) ?? (isObject(c.project) ? str(c.project.name) ?? str(c.project.uuid) : null);
  if (project !== null) fields.project = project;
  if (str(c.model)) fields.model = str(c.model);
  if (c.is_starred === true) fields.starred = true;
  if (tree) fields.history = 'tree';
  return fields;
}

function emptySummary(id: string): SessionSummary {
  return { id, title: null, createdAt: null, updatedAt: null, expiresAt: null, expired: false, storedMessageCount: null, messageCount: 0, status: 'ok', fields: {}, warnings: [] };
}

function load(value: unknown, summary: SessionSummary, place: ConversationPlace): LoadedSession {
  const warnings: StoreWarning[] = [...summary.warnings];
  const base = { session: summary, branches: [], hasTranscript: true };
  if (!isObject(value)) return { ...base, messages: [], storeActiveLeafId: null, warnings };
  const { tree, messages } = thread(value, summary.id);
  const nodes = messages.map((m): MessageNode => {
    const sender = typeof m.message.sender === 'string' ? m.message.sender : 'unknown';
    const read = readContent(m.message);
    for (const type of new Set(read.unknownTypes)) {
      warnings.push({
        code: 'unknown-block-type',
        message: `${where(summary, place)}, message "${m.id}": content block type "${type}" is new to Arbor; it is shown as stored.`,
        sessionId: summary.id,
        messageId: m.id,
      });
    }
    const metadata: Record<string, unknown> = {};
    const updated = parseTimestamp(m.message.updated_at);
    if (updated !== null) metadata.updatedAt = updated;
    if (str(m.message.stop_reason)) metadata.stopReason = m.message.stop_reason;
    if (m.message.truncated === true) metadata.truncated = true;
    return {
      id: m.id,
      parentId: m.parentId,
      role: normalizeRole(sender),
      kind: sender,
      timestamp: parseTimestamp(m.message.created_at),
      content: read.blocks,
      metadata: Object.keys(metadata).length ? metadata : null,
      location: { index: m.position },
      raw: m.message,
    };
  });
  const leaf = tree ? str(value.current_leaf_message_uuid) : null;
  return { ...base, messages: nodes, storeActiveLeafId: leaf !== null && nodes.some((n) => n.id === leaf) ? leaf : null, warnings };
}

export const claudeAiConversations: ConversationLayout = {
  format: FORMAT,
  label: LABEL,
  groupFields: ['project', 'model'],
  summarize,
  load,
};
