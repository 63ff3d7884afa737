import type { StoreSource } from '../../adapters/adapter';
import { parseJsonColumn, sqlText } from '../../adapters/sqlite-common';
import type { MessageNode } from '../../model/types';
import { renderMessage } from '../../open-webui/render';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, readSchema } from '../../sqlite/schema';
import { buildTreeIndex, childrenOf, defaultActiveLeaf, pathTo, type TreeIndex } from '../../tree/tree-index';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from '../../transfer/codec/codec';
import { LOST } from '../../transfer/codec/lost';
import { noteDroppedFields, projectMessages, sessionTimes, textField } from '../../transfer/codec/project-common';
import { bindable, jsonSafe, openRecordsDb, openSqliteTarget } from '../../transfer/codec/sqlite-values';
import { toMessageNodes, type TransferMessage, type TransferSession } from '../../transfer/session';
import { openWebuiAdapter } from './reader';
import { webuiSchema, type WebuiSchema } from './schema';
import { chatRowColumns, type ChatRowPlan } from './target-schema';
import { pickOwner, readUsers, type WebuiUser } from './users';

/**
 * Import into Open WebUI's `webui.db` (docs/formats/open-webui.md). Arbor writes what Open WebUI's
 * own importer writes: one `chat` row per session (an existing user as its owner, times in unix
 * seconds) whose JSON is the tree as Open WebUI's chat view walks it — every message with its
 * `parentId` and its `childrenIds` in sibling order, `history.currentId` the leaf shown, the legacy
 * `messages` list that leaf's path, the models on the messages that name them. Only the `chat`
 * table is written (and stale `chat_message` rows of a replaced chat removed: newer versions read
 * those first). A new `webui.db` is never created: Open WebUI makes its own, with its users.
 */

const FORMAT = 'open-webui';
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const OWUI_LOST = {
  orphanParents: 'links to messages that are not in the session (those messages became first messages)',
} as const;

/** Session fields Open WebUI has a place for (the row's owner, pin, archive, folder and tags come from an Open WebUI source only). */
const KEPT_FIELDS = ['user', 'userId', 'folder', 'tags', 'pinned', 'archived', 'shared', 'shareCopyOf'];

/** The row and the JSON keys of an Open WebUI chat besides its messages: what makes a copy into Open WebUI exact. */
function openRecords(source: StoreSource): SessionRecords {
  const db = openRecordsDb(source.path);
  const schema = webuiSchema(readSchema(db));
  if (!schema) {
    db.close();
    throw new Error(`${source.path}: not an Open WebUI database`);
  }
  const row = db.prepare(`SELECT * FROM ${ident(schema.chat)} WHERE ${ident(schema.id)} = ?`);
  return {
    session(loaded) {
      const s = loaded.session;
      const metadata: Json = { ...s.fields };
      const r = row.get(s.id) as Json | undefined;
      if (!r) return { metadata };
      const original: Json = {};
      for (const [k, v] of Object.entries(r)) if (k !== schema.json) original[k] = jsonSafe(v);
      const chat = parseJsonColumn(r[schema.json]);
      if (chat.ok && isObject(chat.value)) {
        const { history, messages: _messages, ...rest } = chat.value;
        original.chat = rest;
        if (isObject(history) && typeof history.currentId === 'string') original.currentId = history.currentId;
      } else {
        // An unreadable chat travels as its text: only this layout can take it back, unchanged.
        original.messages = sqlText(r[schema.json]);
      }
      return { metadata, original };
    },
    messageOriginal(node: MessageNode) {
      return node.raw;
    },
    close: () => db.close(),
  };
}

function project(s: TransferSession, context: ProjectContext, notes: Notes): TransferSession {
  const same = s.source.format === FORMAT;
  if (same && s.status === 'unreadable') return { ...s, messages: [], branches: [] };
  const { createdAt, updatedAt } = sessionTimes(s, context);
  if (!same) noteDroppedFields(s.metadata, KEPT_FIELDS, notes);
  if (s.branches.length) notes.lost(LOST.namedBranches);
  const projected = projectMessages(
    s,
    same,
    {
      role: (m) => {
        const role = m.role === 'unknown' ? 'user' : m.role;
        // A different kind of the same role is noted by projectMessages (LOST.kinds).
        if (m.role === 'unknown') notes.lost(LOST.otherRoles);
        return { kind: role, role };
      },
      time: 'seconds',
      monotonic: false,
      content: 'blocks',
      metadata: false,
      linear: false,
    },
    createdAt,
    notes,
  );
  // Open WebUI walks parent links: one to a message that is not there would leave its chat view blank.
  const ids = new Set(projected.map((m) => m.id));
  let orphaned = false;
  const messages = projected.map((m) => {
    if (m.parentId === null || ids.has(m.parentId)) return m;
    orphaned = true;
    return { ...m, parentId: null };
  });
  if (orphaned) notes.lost(OWUI_LOST.orphanParents);
  for (const m of messages) if (!(same && m.original !== undefined)) for (const text of renderMessage(m.content).lost) notes.lost(text);
  const owner = context.tenant;
  const inheritedOwner = same ? textField(s.metadata.userId) : null;
  return {
    ...s,
    createdAt: Math.floor(createdAt / 1000) * 1000,
    updatedAt: Math.floor(updatedAt / 1000) * 1000,
    metadata: { owner, inheritedOwner, ...(same ? pickKeys(s.metadata, KEPT_FIELDS) : {}) },
    status: 'ok',
    hasTranscript: true,
    original: same ? s.original : undefined,
    messages,
    branches: [],
  };
}

function pickKeys(from: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

/** The chat JSON Open WebUI's chat view reads: the tree with both links kept true, its current leaf and that leaf's path. */
export function renderChat(s: TransferSession, owner: WebuiUser): { json: Json; currentId: string | null } {
  const index = buildTreeIndex(toMessageNodes(s.messages));
  const original = isObject(s.original) ? s.original : {};
  const kept = typeof original.currentId === 'string' ? original.currentId : null;
  const leaf = defaultActiveLeaf(index, kept !== null && index.indexOf.has(kept) ? kept : null);
  const currentId = leaf >= 0 ? index.nodes[leaf].id : null;
  const byIndex = new Map<number, TransferMessage>();
  index.nodes.forEach((n, i) => byIndex.set(i, s.messages[n.location.index!]));
  const chatModels = [...new Set(s.messages.flatMap((m) => (m.role === 'assistant' && m.model ? [m.model] : [])))];
  const records: Record<string, Json> = {};
  index.nodes.forEach((node, i) => {
    const m = byIndex.get(i)!;
    const parent = index.parent[i] >= 0 ? index.nodes[index.parent[i]].id : null;
    const children: string[] = [];
    for (const c of childrenOf(index, i)) children.push(index.nodes[c].id);
    records[node.id] = renderRecord(m, parent, children, byIndex, index, i, chatModels, owner);
  });
  const path = leaf >= 0 ? pathTo(index, leaf).map((i) => records[index.nodes[i].id]) : [];
  const rest = isObject(original.chat) ? original.chat : {};
  const json: Json = {
    id: '',
    title: s.title ?? 'New Chat',
    models: chatModels,
    params: {},
    tags: [],
    files: [],
    timestamp: s.createdAt,
    ...rest,
    history: { messages: records, currentId },
    messages: path,
  };
  return { json, currentId };
}

function renderRecord(m: TransferMessage, parentId: string | null, childrenIds: string[], byIndex: Map<number, TransferMessage>, index: TreeIndex, i: number, chatModels: string[], owner: WebuiUser): Json {
  const base = isObject(m.original) ? { ...m.original } : null;
  if (base) return { ...base, id: m.id, parentId, childrenIds };
  const rendered = renderMessage(m.content);
  const time = m.timestamp === null ? null : Math.floor(m.timestamp / 1000);
  const record: Json = { id: m.id, parentId, childrenIds, role: m.role, content: rendered.content, ...(time !== null ? { timestamp: time } : {}) };
  if (rendered.files.length) record.files = rendered.files;
  if (m.role === 'user') {
    // The models asked: those that answered this prompt, else the chat's; their order gives each answer its modelIdx.
    const answered = childModels(index, i, byIndex);
    record.models = answered.length ? answered : chatModels;
    record.user_id = owner.id;
  } else if (m.role === 'assistant') {
    const parentModels = index.parent[i] >= 0 ? childModels(index, index.parent[i], byIndex) : [];
    if (m.model) {
      record.model = m.model;
      record.modelName = m.model;
    }
    record.modelIdx = Math.max(0, m.model ? parentModels.indexOf(m.model) : 0);
    record.done = true;
  }
  return record;
}

function childModels(index: TreeIndex, i: number, byIndex: Map<number, TransferMessage>): string[] {
  const models: string[] = [];
  for (const c of childrenOf(index, i)) {
    const child = byIndex.get(c)!;
    if (child.role === 'assistant' && child.model && !models.includes(child.model)) models.push(child.model);
  }
  return models;
}

function openTarget(path: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  return openSqliteTarget(openWebuiAdapter, path, options, (db) => {
    const schema = webuiSchema(readSchema(db));
    if (!schema) throw new Error(`${path} is not an Open WebUI database (no chat table with id, user_id, title, chat and a time)`);
    const users = readUsers(db, path);
    const plan = chatRowColumns(db, schema, path);
    const exists = db.prepare(`SELECT 1 FROM ${ident(schema.chat)} WHERE ${ident(schema.id)} = ?`).pluck();
    const remove = db.prepare(`DELETE FROM ${ident(schema.chat)} WHERE ${ident(schema.id)} = ?`);
    const staleMessages = hasTable(db, 'chat_message') ? db.prepare('DELETE FROM chat_message WHERE chat_id = ?') : null;
    const folders = schema.folders ? db.prepare(`SELECT 1 FROM ${ident(schema.folders.table)} WHERE ${ident(schema.folders.id)} = ?`).pluck() : null;
    const insert = db.prepare(`INSERT INTO ${ident(schema.chat)} (${plan.columns.map(ident).join(', ')}) VALUES (${plan.columns.map(() => '?').join(', ')})`);
    const ownerOf = (s: TransferSession, notes: Notes | null) => pickOwner(users, textField(s.metadata.owner), textField(s.metadata.inheritedOwner), notes);
    return {
      has: (id) => exists.get(id) !== undefined,
      check(s, notes) {
        ownerOf(s, notes);
      },
      write(s, replace) {
        if (replace) remove.run(s.id);
        // Newer versions read a chat's chat_message rows before its JSON: none may be left from an older chat of this id.
        staleMessages?.run(s.id);
        const owner = ownerOf(s, null);
        const values = rowValues(s, owner, schema, plan, (id) => folders?.get(id) !== undefined);
        insert.run(...plan.columns.map((c) => values[c] ?? null));
      },
    };
  });
}

function hasTable(db: SqliteDatabase, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** The values of the new row, by declared column name: the original row's for a copy from Open WebUI, else Open WebUI's defaults. */
function rowValues(s: TransferSession, owner: WebuiUser, schema: WebuiSchema, plan: ChatRowPlan, folderExists: (id: string) => boolean): Record<string, unknown> {
  const o = isObject(s.original) ? s.original : {};
  const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));
  const chat = s.status === 'unreadable' && typeof o.messages === 'string' ? { json: o.messages, currentId: null } : (() => {
    const r = renderChat(s, owner);
    return { json: JSON.stringify(r.json), currentId: r.currentId };
  })();
  const folder = typeof o[schema.folderId ?? ''] === 'string' && folderExists(o[schema.folderId!] as string) ? o[schema.folderId!] : null;
  const values: Record<string, unknown> = {
    ...plan.defaults,
    [schema.id]: s.id,
    [schema.userId]: owner.id,
    [schema.title]: s.title ?? 'New Chat',
    [schema.json]: chat.json,
  };
  if (schema.created) values[schema.created] = bindable(o[schema.created]) ?? seconds(s.createdAt);
  if (schema.updated) values[schema.updated] = bindable(o[schema.updated]) ?? seconds(s.updatedAt);
  if (schema.archived) values[schema.archived] = bindable(o[schema.archived]) ?? 0;
  if (schema.pinned) values[schema.pinned] = bindable(o[schema.pinned]) ?? 0;
  if (schema.meta) values[schema.meta] = bindable(o[schema.meta]) ?? '{}';
  if (schema.folderId) values[schema.folderId] = folder;
  // A share link belongs to the chat it was made from, not to a copy of it.
  if (schema.shareId) values[schema.shareId] = null;
  if (plan.currentMessageId) values[plan.currentMessageId] = chat.currentId;
  // Imported chats are read: Open WebUI's own importer marks them so.
  if (plan.lastReadAt) values[plan.lastReadAt] = seconds(s.updatedAt);
  return values;
}

export const openWebuiCodec: LayoutCodec = {
  format: FORMAT,
  openRecords,
  takesTenant: true,
  tenantField: {
    label: 'Owner',
    hint: 'The Open WebUI user (id or email) the imported chats belong to; empty: their own owner if the database has that user, else its only user or first admin.',
    placeholder: 'ada@example.com',
  },
  /** Open WebUI chat ids go into its URLs (/c/<id>): keep them to what a URL path carries as it is. */
  safeId: (id) => {
    const cleaned = id.replace(/[^A-Za-z0-9._~-]/g, '_').slice(0, 255);
    return cleaned === '' ? '_' : cleaned;
  },
  createStore() {
    throw new Error('Arbor does not create Open WebUI databases: import into an existing webui.db');
  },
  project,
  openTarget,
};
