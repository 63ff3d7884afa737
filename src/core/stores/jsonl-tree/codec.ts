import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { join } from 'node:path';
import type { StoreSource } from '../../adapters/adapter';
import { listFiles } from '../../safety/backup';
import { EMPTY_SESSION_INDEX } from './ddl';
import { INDEX_FILE, readSessionIndexFile } from './session-index';
import type { ContentBlock, MessageNode } from '../../model/types';
import { buildTreeIndex, pathTo } from '../../tree/tree-index';
import { sameJson } from '../../transfer/canonical';
import { toWireContent } from '../../transfer/interchange/wire-blocks';
import { toMessageNodes, type TransferMessage, type TransferSession } from '../../transfer/session';
import { assertOwnersKept } from '../../safety/file-owner';
import { recoverJsonlStore, takeRecoveryNotes } from './write-recovery';
import { assertTemplatesGiven, storeTemplates, type StoreTemplates } from './write-templates';
import { lockStore } from '../../safety/store-lock';
import { JsonlImportStaging, type StagedSession } from './staging';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from '../../transfer/codec/codec';
import { LOST } from '../../transfer/codec/lost';
import { noteDroppedFields, projectMessages, sessionTimes } from '../../transfer/codec/project-common';

/**
 * FORMATS.md §2 (seed 001): a folder with the `sessions.json` index (external keys → session ids,
 * session metadata with times in ms and a message count) and one folder per session holding its
 * `messages.jsonl` (one seed-001 Message per line, the tree by parentId) and `branches.json`. The only
 * tree layout: everything Arbor models fits, so a copy into it loses nothing. Writes go through
 * JsonlImportStaging: all sessions and the index change together or not at all, and a crash is
 * finished by the next Arbor that opens the store.
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
  if (s.messages.some((m) => m.lane)) notes.lost(LOST.lanesAsBranches);
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

function openTarget(root: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  const release = options.dryRun ? () => undefined : lockStore(root);
  let doc: Json;
  let templates: StoreTemplates | null = null;
  const recovered: string[] = [];
  try {
    if (!options.dryRun) {
      const recovery = recoverJsonlStore(root, { lockHeld: true });
      if (recovery.problem) throw new Error(recovery.problem);
      recovered.push(...takeRecoveryNotes(root));
      templates = storeTemplates(root);
      assertTemplatesGiven(root, templates);
      assertOwnersKept([join(root, INDEX_FILE)]);
    }
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
  let staging: JsonlImportStaging | null = null;
  let backup: { id: string; trash: string } | null = null;
  let staged: StagedSession[] = [];
  const set: Record<string, unknown> = {};
  const addKeys: Record<string, string> = {};
  return {
    has: (id) => existing.has(id),
    check(s, notes) {
      for (const key of s.metadata.keys as string[]) {
        const owner = keys[key];
        if (typeof owner === 'string' && owner !== s.id) notes.warn(`Key "${key}" already names session "${owner}" in the target; it is left as it is.`);
      }
    },
    setBackup(b) {
      backup = b;
    },
    begin() {
      staging = new JsonlImportStaging(root, templates!);
    },
    write(s) {
      // A folder already there (a replaced session, or one the index never listed) is replaced file by
      // file, each file keeping its owner and mode: refused now, before anything moves, if it could not.
      const folder = join(root, s.id);
      if (existsSync(folder)) {
        if (!statSync(folder).isDirectory()) throw new Error(`${folder} is a file, not a session folder; Arbor will not replace it. Move it away first.`);
        assertOwnersKept(listFiles(folder));
      }
      const lines = s.messages.map((m) => JSON.stringify(m.original !== undefined ? m.original : renderLine(m)));
      const files: Record<string, string> = { [MESSAGES_FILE]: lines.length ? `${lines.join('\n')}\n` : '' };
      if (s.branches.length) files[BRANCHES_FILE] = JSON.stringify(branchesJson(s), null, 2);
      staged.push(staging!.writeSession(s.id, files));
      const entry = isObject(s.original)
        ? { ...s.original, sessionId: s.id, messageCount: s.messages.length }
        : renderEntry(s.id, s.createdAt, s.updatedAt, s.metadata, s.messages.length);
      sessions[s.id] = set[s.id] = entry;
      for (const key of s.metadata.keys as string[]) if (keys[key] === undefined) keys[key] = addKeys[key] = s.id;
    },
    commit() {
      const notes = staging!.commit(staged, { set, addKeys }, backup);
      staging = null;
      staged = [];
      return [...recovered, ...notes];
    },
    rollback() {
      staging?.discard();
      staging = null;
    },
    close: release,
  };
}

/**
 * What an import of these sessions may change: the index, and every file of each session folder it
 * writes (absent ones are recorded as absent, so a restore removes what the import added).
 */
function touchedFiles(root: string, ids: readonly string[]): string[] {
  const files = [join(root, INDEX_FILE)];
  for (const id of new Set(ids)) {
    const folder = join(root, id);
    const existing = existsSync(folder) && statSync(folder).isDirectory() ? listFiles(folder) : [];
    files.push(...existing, join(folder, MESSAGES_FILE), join(folder, BRANCHES_FILE));
  }
  return files;
}

export const jsonlTreeCodec: LayoutCodec = {
  format: FORMAT,
  openRecords,
  touchedFiles,
  safeId,
  createStore(path) {
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, INDEX_FILE), JSON.stringify(EMPTY_SESSION_INDEX, null, 2));
  },
  project,
  openTarget,
};
