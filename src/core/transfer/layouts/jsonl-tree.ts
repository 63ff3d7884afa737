import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreSource } from '../../adapters/adapter';
import { EMPTY_SESSION_INDEX } from '../../adapters/ddl/jsonl-tree';
import { INDEX_FILE, readSessionIndexFile } from '../../jsonl/session-index-file';
import { stringifyJson } from '../../model/json-text';
import type { ContentBlock, MessageNode } from '../../model/types';
import { buildTreeIndex, pathTo } from '../../tree/tree-index';
import { sameJson } from '../canonical';
import { toWireContent } from '../interchange/wire-blocks';
import { toMessageNodes, type TransferMessage, type TransferSession } from '../session';
import { JsonlStaging, lockJsonlStore, recoverInterruptedImport } from './jsonl-staging';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from './layout';
import { noteDroppedFields, projectMessages, sessionTimes } from './project-common';

/**
 * FORMATS.md §2 (seed 001): a folder with the `sessions.json` index (external keys → session ids,
 * session metadata with times in ms and a message count) and one folder per session holding its
 * `messages.jsonl` (one seed-001 Message per line, the tree by parentId) and `branches.json`. The only
 * tree layout: everything Arbor models fits, so a copy into it loses nothing. Writes go through
 * JsonlStaging: all sessions and the index change together or not at all.
 */

const FORMAT = 'jsonl-tree' as const;
const MESSAGES_FILE = 'messages.jsonl';
const BRANCHES_FILE = 'branches.json';
const KEPT_FIELDS = ['keys', 'tokenEstimate', 'modelOverrides', 'storeMetadata'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Seed-001 keeps a tool call message's calls in `toolCalls` and a tool result message's result in
 * `toolResult`; the reader puts them back after the content, so only trailing ones move there.
 */
function splitContent(m: Pick<TransferMessage, 'kind' | 'content'>): Json {
  let end = m.content.length;
  const out: Json = {};
  const last = m.content[end - 1];
  if (m.kind === 'tool_result' && last?.type === 'tool_result') {
    out.toolResult = { toolCallId: last.toolCallId, content: toWireContent(last.content), ...(last.isError ? { isError: true } : {}) };
    end--;
  }
  let start = end;
  if (m.kind === 'tool_call') while (start > 0 && m.content[start - 1].type === 'tool_call') start--;
  if (start < end) {
    out.toolCalls = (m.content.slice(start, end) as Array<Extract<ContentBlock, { type: 'tool_call' }>>).map((b) => ({ id: b.id, name: b.name, arguments: b.input }));
  }
  const rest = m.content.slice(0, start);
  return rest.length ? { content: toWireContent(rest), ...out } : out;
}

/** The seed-001 Message the writer stores for a message. */
function renderLine(m: Omit<TransferMessage, 'original'>): Json {
  return {
    id: m.id,
    parentId: m.parentId,
    // The reader recognises a reset marker by its metadata; its record type is a system message.
    type: m.kind === 'reset-marker' ? 'system' : m.kind,
    role: m.role,
    ...(m.timestamp !== null ? { timestamp: m.timestamp } : {}),
    ...splitContent(m),
    ...(m.metadata !== null ? { metadata: m.metadata } : {}),
  };
}

/** The index entry (SessionMetadata) the writer stores for a session. */
function renderEntry(id: string, createdAt: number | null, updatedAt: number | null, md: Json, messageCount: unknown): Json {
  return {
    sessionId: id,
    createdAt,
    updatedAt,
    messageCount,
    ...(md.tokenEstimate !== undefined ? { tokenEstimate: md.tokenEstimate } : {}),
    ...(md.modelOverrides !== undefined ? { modelOverrides: md.modelOverrides } : {}),
    ...(md.storeMetadata !== undefined ? { metadata: md.storeMetadata } : {}),
  };
}

function openRecords(source: StoreSource): SessionRecords {
  const index = readSessionIndexFile(source.path);
  const keysOf = new Map<string, string[]>();
  for (const [key, id] of index.keys) keysOf.set(id, [...(keysOf.get(id) ?? []), key]);
  return {
    session(loaded) {
      const s = loaded.session;
      const meta = index.sessions.get(s.id) ?? null;
      const metadata: Json = {
        keys: keysOf.get(s.id) ?? [],
        storedMessageCount: s.storedMessageCount,
        ...(meta?.tokenEstimate !== undefined ? { tokenEstimate: meta.tokenEstimate } : {}),
        ...(meta?.modelOverrides !== undefined ? { modelOverrides: meta.modelOverrides } : {}),
        ...(meta?.metadata !== undefined ? { storeMetadata: meta.metadata } : {}),
      };
      const rendered = meta && renderEntry(s.id, s.createdAt, s.updatedAt, metadata, meta.messageCount);
      return { metadata, ...(meta && !sameJson(meta, rendered) ? { original: meta } : {}) };
    },
    messageOriginal(node: MessageNode) {
      return sameJson(renderLine(node), node.raw) ? undefined : node.raw;
    },
    close: () => undefined,
  };
}

function project(s: TransferSession, context: ProjectContext, notes: Notes): TransferSession {
  const same = s.source.format === FORMAT;
  const { createdAt, updatedAt } = sessionTimes(s, context);
  if (!same) noteDroppedFields(s.metadata, KEPT_FIELDS, notes);
  const messages = projectMessages(
    s,
    same,
    { role: (m) => ({ kind: m.kind, role: m.role }), time: 'ms', monotonic: false, content: 'blocks', metadata: true, linear: false },
    createdAt,
    notes,
  );
  const ids = new Set(messages.map((m) => m.id));
  const branches = s.branches.filter((b) => {
    if (ids.has(b.leafMessageId)) return true;
    notes.warn(`Session "${s.id}": branch "${b.name}" names message "${b.leafMessageId}", which is not in the session; it is left out.`);
    return false;
  });
  const md = s.metadata;
  const keys = Array.isArray(md.keys) ? md.keys.filter((k): k is string => typeof k === 'string') : [];
  return {
    ...s,
    createdAt,
    updatedAt,
    metadata: {
      keys,
      storedMessageCount: messages.length,
      ...(md.tokenEstimate !== undefined ? { tokenEstimate: md.tokenEstimate } : {}),
      ...(md.modelOverrides !== undefined ? { modelOverrides: md.modelOverrides } : {}),
      ...(md.storeMetadata !== undefined ? { storeMetadata: md.storeMetadata } : {}),
    },
    status: 'ok',
    hasTranscript: true,
    original: same ? s.original : undefined,
    messages,
    branches,
  };
}

/** Session ids name folders: no separators, no NUL, no leading dot (hidden, and Arbor's staging). */
function safeId(id: string): string {
  const cleaned = id.replace(/[/\\\0]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return cleaned === '' ? '_' : cleaned;
}

function branchesJson(s: TransferSession): unknown[] {
  const index = buildTreeIndex(toMessageNodes(s.messages));
  return s.branches.map((b) => ({
    name: b.name,
    leafMessageId: b.leafMessageId,
    createdAt: b.createdAt,
    path: pathTo(index, index.indexOf.get(b.leafMessageId)!).map((n) => index.nodes[n].id),
  }));
}

function readIndexDocument(root: string): Json {
  const path = join(root, INDEX_FILE);
  if (!existsSync(path)) return structuredClone(EMPTY_SESSION_INDEX) as Json;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); Arbor will not rewrite an index it cannot read. Fix or move it first.`);
  }
  if (!isObject(doc)) throw new Error(`${path} is not a JSON object; Arbor will not rewrite an index it cannot read.`);
  if (!isObject(doc.keys)) doc.keys = {};
  if (!isObject(doc.sessions)) doc.sessions = {};
  return doc;
}

/**
 * The rewritten index. Other sessions' entries are the backend's, kept byte for byte as values: one
 * nested deeper than JSON.stringify can go is written without recursion rather than cut or refused.
 */
function indexText(doc: Json): string {
  try {
    return JSON.stringify(doc, null, 2);
  } catch (error) {
    if (error instanceof RangeError) return stringifyJson(doc, 2);
    throw error;
  }
}

function openTarget(root: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  const release = options.dryRun ? () => undefined : lockJsonlStore(root);
  let doc: Json;
  try {
    if (!options.dryRun) recoverInterruptedImport(root);
    doc = readIndexDocument(root);
  } catch (error) {
    release();
    throw error;
  }
  const sessions = doc.sessions as Json;
  const keys = doc.keys as Record<string, unknown>;
  const existing = new Set(Object.keys(sessions));
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(root, entry.name, MESSAGES_FILE))) existing.add(entry.name);
  }
  let staging: JsonlStaging | null = null;
  const staged: Array<{ id: string; replaces: boolean }> = [];
  return {
    has: (id) => existing.has(id),
    check(s, notes) {
      for (const key of s.metadata.keys as string[]) {
        const owner = keys[key];
        if (typeof owner === 'string' && owner !== s.id) notes.warn(`Key "${key}" already names session "${owner}" in the target; it is left as it is.`);
      }
    },
    begin() {
      staging = new JsonlStaging(root);
    },
    write(s) {
      const dir = staging!.sessionDir(s.id);
      mkdirSync(dir, { recursive: true });
      const lines = s.messages.map((m) => JSON.stringify(m.original !== undefined ? m.original : renderLine(m)));
      writeFileSync(join(dir, MESSAGES_FILE), lines.length ? `${lines.join('\n')}\n` : '');
      if (s.branches.length) writeFileSync(join(dir, BRANCHES_FILE), JSON.stringify(branchesJson(s), null, 2));
      sessions[s.id] = isObject(s.original)
        ? { ...s.original, sessionId: s.id, messageCount: s.messages.length }
        : renderEntry(s.id, s.createdAt, s.updatedAt, s.metadata, s.messages.length);
      for (const key of s.metadata.keys as string[]) if (keys[key] === undefined) keys[key] = s.id;
      // A folder already there (a replaced session, or one the index never listed) is moved aside whole.
      staged.push({ id: s.id, replaces: existsSync(join(root, s.id)) });
    },
    commit() {
      staging!.commit(staged, indexText(doc));
      staging = null;
    },
    rollback() {
      staging?.discard();
      staging = null;
    },
    close: release,
  };
}

export const jsonlTreeCodec: LayoutCodec = {
  format: FORMAT,
  linear: false,
  storeKind: 'folder',
  openRecords,
  safeId,
  createStore(path) {
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, INDEX_FILE), JSON.stringify(EMPTY_SESSION_INDEX, null, 2));
  },
  project,
  openTarget,
};
