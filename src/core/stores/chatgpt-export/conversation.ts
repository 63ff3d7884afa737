import { where, type ConversationLayout, type ConversationPlace } from '../../chat-export/export-source';
import { normalizeRole, titleFromText } from '../../model/content';
import { epochFromNumber } from '../../model/time';
import type { LoadedSession, MessageNode, SessionFields, SessionSummary, StoreWarning } from '../../model/types';
import { promptText, readContent } from './content';
import { mappingFacts, readMapping, type MappingProblem } from './mapping';

/**
 * One ChatGPT conversation (docs/formats/chatgpt-export.md): `{title, create_time, update_time,
 * mapping, current_node, id | conversation_id, default_model_slug, is_archived, …}`, times in
 * fractional unix seconds. The list entry reads the mapping once for its count, its problems and
 * (when the title is empty) the first prompt on the active branch; opening builds every message.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const seconds = (v: unknown) => (typeof v === 'number' ? epochFromNumber(v) : null);

export const FORMAT = 'chatgpt-export';
export const LABEL = 'ChatGPT export';

function conversationId(c: Json, place: ConversationPlace): string {
  return str(c.id) ?? str(c.conversation_id) ?? `conversation-${place.index + 1}`;
}

function modelOf(message: Json): string | null {
  return isObject(message.metadata) ? str(message.metadata.model_slug) : null;
}

/** The messages from the root down to `current_node` (the path ChatGPT shows), stopping at a loop. */
function activePath(mapping: unknown, currentNode: string | null): Json[] {
  if (!isObject(mapping) || currentNode === null) return [];
  const path: Json[] = [];
  const seen = new Set<string>();
  let cur: string | null = currentNode;
  while (cur !== null && !seen.has(cur) && Object.hasOwn(mapping, cur)) {
    seen.add(cur);
    const node: unknown = mapping[cur];
    if (!isObject(node)) break;
    if (isObject(node.message)) path.push(node.message);
    cur = typeof node.parent === 'string' ? node.parent : null;
  }
  return path.reverse();
}

/** Every message of the mapping, in mapping order (for a title when the active path has no prompt). */
function allMessages(mapping: unknown): Json[] {
  if (!isObject(mapping)) return [];
  const out: Json[] = [];
  for (const id in mapping) {
    const node = mapping[id];
    if (isObject(node) && isObject(node.message)) out.push(node.message);
  }
  return out;
}

function firstPrompt(messages: readonly Json[]): string | null {
  for (const m of messages) {
    if (!isObject(m.author) || m.author.role !== 'user') continue;
    if (readContent(m, 'user').marks.length) continue; // Custom instructions are no prompt.
    const title = titleFromText(promptText(m));
    if (title) return title;
  }
  return null;
}

function problemText(p: MappingProblem): string {
  switch (p.kind) {
    case 'not-an-object':
      return 'its "mapping" is not an object: no messages can be read';
    case 'bad-node':
      return `mapping node "${p.id}" is not an object; it is skipped`;
    case 'missing-parent':
      return `node "${p.id}" names parent "${p.parent}", which is not in the mapping; it is shown as a root`;
    case 'cycle':
      return `the parent links loop back at node "${p.id}"; the loop is cut there`;
  }
}

function summarize(value: unknown, place: ConversationPlace): SessionSummary {
  const warnings: StoreWarning[] = [];
  if (!isObject(value)) {
    const id = `conversation-${place.index + 1}`;
    return { ...emptySummary(id), status: 'unreadable', warnings: [{ code: 'not-a-conversation', message: `Conversation ${place.index + 1} (bytes ${place.start.toLocaleString('en')}–${place.end.toLocaleString('en')}) is not an object.`, sessionId: id }] };
  }
  const id = conversationId(value, place);
  const currentNode = str(value.current_node);
  // The list needs counts and problems, not the tree: readMapping is left for opening.
  const facts = mappingFacts(value.mapping, currentNode);
  const stated = typeof value.title === 'string' ? titleFromText(value.title) : null;
  const needsPath = stated === null || str(value.default_model_slug) === null;
  const path = needsPath ? activePath(value.mapping, currentNode) : [];
  const title = stated ?? firstPrompt(path) ?? firstPrompt(allMessages(value.mapping));
  const summary: SessionSummary = {
    ...emptySummary(id),
    title,
    createdAt: seconds(value.create_time),
    updatedAt: seconds(value.update_time) ?? seconds(value.create_time),
    messageCount: facts.messages,
    fields: fieldsOf(value, path),
    warnings,
  };
  if (!str(value.id) && !str(value.conversation_id)) warnings.push({ code: 'no-conversation-id', message: `${where(summary, place)} has no id; it is listed as "${id}".`, sessionId: id });
  if (value.mapping === undefined) warnings.push({ code: 'no-mapping', message: `${where(summary, place)} has no "mapping": it holds no messages.`, sessionId: id });
  for (const p of facts.problems) warnings.push({ code: `mapping-${p.kind}`, message: `${where(summary, place)}: ${problemText(p)}.`, sessionId: id, ...('id' in p ? { messageId: p.id } : {}) });
  if (currentNode !== null && !facts.hasCurrent) {
    warnings.push({ code: 'bad-current-node', message: `${where(summary, place)}: "current_node" names "${currentNode}", which is not in the mapping; the newest branch is shown.`, sessionId: id });
  }
  return summary;
}

function fieldsOf(c: Json, path: readonly Json[]): SessionFields {
  const fields: SessionFields = {};
  let model = str(c.default_model_slug);
  for (let i = path.length - 1; model === null && i >= 0; i--) model = modelOf(path[i]);
  if (model !== null) fields.model = model;
  if (c.is_archived === true) fields.archived = true;
  if (c.is_starred === true) fields.starred = true;
  if (str(c.gizmo_id)) fields.gpt = str(c.gizmo_id);
  return fields;
}

function emptySummary(id: string): SessionSummary {
  return { id, title: null, createdAt: null, updatedAt: null, expiresAt: null, expired: false, storedMessageCount: null, messageCount: 0, status: 'ok', fields: {}, warnings: [] };
}

function load(value: unknown, summary: SessionSummary, place: ConversationPlace): LoadedSession {
  const warnings: StoreWarning[] = [...summary.warnings];
  const base = { session: summary, branches: [], hasTranscript: true };
  if (!isObject(value)) return { ...base, messages: [], storeActiveLeafId: null, warnings };
  const tree = readMapping(value.mapping);
  // The list found the missing parents already; a loop is found only now, with the whole tree.
  for (const p of tree.problems) {
    if (p.kind !== 'cycle') continue;
    warnings.push({ code: 'mapping-cycle', message: `${where(summary, place)}: ${problemText(p)}.`, sessionId: summary.id, messageId: p.id });
  }
  const messages: MessageNode[] = tree.messages.map((m) => {
    const author = isObject(m.message.author) ? m.message.author : {};
    const rawRole = str(author.role);
    const role = normalizeRole(rawRole);
    const read = readContent(m.message, rawRole ?? 'unknown');
    const content = isObject(m.message.content) ? m.message.content : {};
    const contentType = str(content.content_type) ?? 'text';
    if (read.unknownType !== null) {
      warnings.push({
        code: 'unknown-content-type',
        message: `${where(summary, place)}, node "${m.id}": content type "${read.unknownType}" is new to Arbor; it is shown as stored.`,
        sessionId: summary.id,
        messageId: m.id,
      });
    }
    const authorName = str(author.name);
    const recipient = str(m.message.recipient);
    const metadata: Record<string, unknown> = { contentType };
    if (authorName !== null) metadata.author = authorName;
    if (recipient !== null && recipient !== 'all') metadata.recipient = recipient;
    if (str(m.message.status)) metadata.status = m.message.status;
    const updated = seconds(m.message.update_time);
    if (updated !== null) metadata.updatedAt = updated;
    const plain = contentType === 'text' || contentType === 'multimodal_text';
    const node: MessageNode = {
      id: m.id,
      parentId: m.parentId,
      role,
      kind: plain ? (role === 'tool' ? (authorName ?? 'tool') : (rawRole ?? 'unknown')) : contentType,
      timestamp: seconds(m.message.create_time),
      content: read.blocks,
      metadata,
      model: modelOf(m.message),
      location: { index: m.position },
      raw: m.node,
    };
    if (read.marks.length) node.marks = read.marks;
    return node;
  });
  const current = str(value.current_node);
  return { ...base, messages, storeActiveLeafId: current !== null && tree.ids.has(current) ? current : null, warnings };
}

export const chatgptConversations: ConversationLayout = {
  format: FORMAT,
  label: LABEL,
  groupFields: ['model', 'gpt'],
  summarize,
  load,
};
