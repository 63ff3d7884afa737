import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreSource } from '../../adapters/adapter';
import { PROVIDER_SESSIONS_DDL } from './ddl';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, pickColumn, readSchema } from '../../sqlite/schema';
import { sameJson } from '../../transfer/canonical';
import type { TransferSession } from '../../transfer/session';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from '../../transfer/codec/codec';
import { LOST } from '../../transfer/codec/lost';
import { noteDroppedFields, sessionTimes, textField } from '../../transfer/codec/project-common';
import { sqliteProviderSessionsAdapter } from './reader';
import { bindable, createSqliteStore, jsonSafe, openRecordsDb, openSqliteTarget } from '../../transfer/codec/sqlite-values';

/**
 * FORMATS.md §5 (seed 004): session rows only (the upstream chat id, the last response id, times and
 * expiry in unix ms, a message count), no transcript. Import writes session rows and says that the
 * messages cannot go in. Columns come snake_case or camelCase; a target is written in its own spelling.
 */

const FORMAT = 'sqlite-provider-sessions' as const;
const KEPT_FIELDS = ['chatId', 'parentId', 'expiresAt'];
/** The router's default session timeout, for sessions whose source keeps no expiry. */
const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

const COLUMNS = {
  session_id: ['session_id', 'sessionId'],
  chat_id: ['chat_id', 'chatId'],
  parent_id: ['parent_id', 'parentId'],
  created_at: ['created_at', 'createdAt'],
  last_accessed: ['last_accessed', 'lastAccessed'],
  expires_at: ['expires_at', 'expiresAt'],
  message_count: ['message_count', 'messageCount'],
} as const;

type Column = keyof typeof COLUMNS;

/** The declared name of each column present, keyed by its snake_case name. */
function columnsOf(db: SqliteDatabase): Partial<Record<Column, string>> {
  const schema = readSchema(db);
  const out: Partial<Record<Column, string>> = {};
  for (const [key, names] of Object.entries(COLUMNS) as Array<[Column, readonly string[]]>) {
    const found = pickColumn(schema, 'sessions', names);
    if (found) out[key] = found;
  }
  return out;
}

function renderRow(s: Pick<TransferSession, 'createdAt' | 'updatedAt' | 'metadata'>): Record<Column, unknown> {
  const md = s.metadata;
  return {
    session_id: undefined,
    chat_id: md.chatId,
    parent_id: md.parentId,
    created_at: s.createdAt,
    last_accessed: s.updatedAt,
    expires_at: md.expiresAt,
    message_count: md.storedMessageCount,
  };
}

function openRecords(source: StoreSource): SessionRecords {
  const db = openRecordsDb(source.path);
  const columns = columnsOf(db);
  const keys = (Object.keys(columns) as Column[]).filter((k) => k !== 'session_id');
  const select = db.prepare(`SELECT ${keys.map((k) => `${ident(columns[k]!)} AS ${k}`).join(', ')} FROM sessions WHERE ${ident(columns.session_id!)} = ?`);
  return {
    session(loaded) {
      const s = loaded.session;
      const metadata = { chatId: s.fields.chatId ?? null, parentId: s.fields.parentId ?? null, expiresAt: s.expiresAt, storedMessageCount: s.storedMessageCount };
      const row = select.get(s.id) as Record<string, unknown> | undefined;
      if (!row) return { metadata };
      const record = Object.fromEntries(keys.map((k) => [k, jsonSafe(row[k])]));
      const rendered = Object.fromEntries(keys.map((k) => [k, renderRow({ createdAt: s.createdAt, updatedAt: s.updatedAt, metadata })[k] ?? null]));
      return { metadata, ...(sameJson(record, rendered) ? {} : { original: record }) };
    },
    // Messages come from a guessed log table at most; this layout never writes them back.
    messageOriginal: () => undefined,
    close: () => db.close(),
  };
}

function project(s: TransferSession, context: ProjectContext, notes: Notes): TransferSession {
  const same = s.source.format === FORMAT;
  const keepTimes = same && s.original !== undefined;
  const { createdAt, updatedAt } = sessionTimes(s, context);
  if (s.messages.length) notes.lost(LOST.transcript);
  if (s.branches.length) notes.lost(LOST.namedBranches);
  if (!same) noteDroppedFields(s.metadata, KEPT_FIELDS, notes);
  let chatId = textField(s.metadata.chatId);
  if (chatId === null) {
    notes.lost(LOST.chatId);
    chatId = '';
  }
  let expiresAt = typeof s.metadata.expiresAt === 'number' ? s.metadata.expiresAt : null;
  if (expiresAt === null) {
    notes.lost(LOST.expiry);
    expiresAt = updatedAt + DEFAULT_TIMEOUT_MS;
  }
  const stored = s.metadata.storedMessageCount;
  return {
    ...s,
    createdAt,
    updatedAt,
    metadata: {
      chatId,
      parentId: textField(s.metadata.parentId),
      expiresAt,
      // The router's count is the upstream chat's; from another layout, the messages the session had.
      storedMessageCount: same ? (typeof stored === 'number' ? stored : null) : s.messages.length,
    },
    status: 'metadata-only',
    hasTranscript: false,
    original: keepTimes ? s.original : undefined,
    messages: [],
    branches: [],
  };
}

function openTarget(path: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  return openSqliteTarget(sqliteProviderSessionsAdapter, path, options, (db) => {
    const columns = columnsOf(db);
    const present = Object.keys(columns) as Column[];
    const idColumn = ident(columns.session_id!);
    const exists = db.prepare(`SELECT 1 FROM sessions WHERE ${idColumn} = ?`).pluck();
    const remove = db.prepare(`DELETE FROM sessions WHERE ${idColumn} = ?`);
    const insert = db.prepare(`INSERT INTO sessions (${present.map((k) => ident(columns[k]!)).join(', ')}) VALUES (${present.map(() => '?').join(', ')})`);
    return {
      has: (id) => exists.get(id) !== undefined,
      write(s, replace) {
        if (replace) remove.run(s.id);
        const rendered = renderRow(s);
        const o = s.original ?? {};
        const values = present.map((k) => {
          if (k === 'session_id') return s.id;
          // Times keep their stored form in a copy within the layout; ids and counts come from the projection.
          if ((k === 'created_at' || k === 'last_accessed' || k === 'expires_at') && bindable(o[k]) !== undefined) return bindable(o[k]);
          const value = rendered[k];
          return typeof value === 'number' || typeof value === 'string' ? value : null;
        });
        insert.run(...values);
      },
    };
  });
}

export const sqliteProviderSessionsCodec: LayoutCodec = {
  format: FORMAT,
  // No transcript goes in at all, so a tree is not cut into paths first: the count is the whole session's.
  openRecords,
  createStore(path) {
    mkdirSync(dirname(path), { recursive: true });
    createSqliteStore(path, PROVIDER_SESSIONS_DDL);
  },
  project,
  openTarget,
};
