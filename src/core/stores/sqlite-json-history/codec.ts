import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreSource } from '../../adapters/adapter';
import { JSON_HISTORY_DDL } from './ddl';
import { sqlText } from '../../adapters/sqlite-common';
import type { MessageNode } from '../../model/types';
import { sameJson } from '../../transfer/canonical';
import { toWireBlocks, toWireContent } from '../../transfer/interchange/wire-blocks';
import type { TransferMessage, TransferSession } from '../../transfer/session';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from '../../transfer/codec/codec';
import { LOST } from '../../transfer/codec/lost';
import { noteDroppedFields, projectMessages, sessionTimes, wholeSeconds, linearSession } from '../../transfer/codec/project-common';
import { sqliteJsonHistoryAdapter } from './reader';
import { bindable, createSqliteStore, jsonSafe, openRecordsDb, openSqliteTarget, seconds } from '../../transfer/codec/sqlite-values';

/**
 * FORMATS.md §1 (seed 000): the whole history one JSON array of Anthropic MessageParam, times in unix
 * seconds, expiry a week after the last update. Messages have no ids or times of their own, roles are
 * 'user' and 'assistant' only (tool results travel in user turns, as the API wants them).
 */

const FORMAT = 'sqlite-json-history' as const;
const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * The MessageParam the writer stores for a message. User turns that are one text become a plain
 * string and assistant turns stay block arrays: what the Anthropic SDK sends and returns, so a
 * history the backend wrote itself round-trips without carrying originals.
 */
function renderItem(m: Pick<TransferMessage, 'kind' | 'content'>): unknown {
  return { role: m.kind, content: m.kind === 'user' ? toWireContent(m.content) : toWireBlocks(m.content) };
}

interface SessionRow {
  created_at: number;
  updated_at: number;
  expires_at: number;
}

function renderRow(createdAt: number, updatedAt: number, expiresAt: number): SessionRow {
  return { created_at: seconds(createdAt), updated_at: seconds(updatedAt), expires_at: seconds(expiresAt) };
}

function openRecords(source: StoreSource): SessionRecords {
  const db = openRecordsDb(source.path);
  const times = db.prepare('SELECT created_at, updated_at, expires_at FROM sessions WHERE session_id = ?');
  const messages = db.prepare('SELECT messages FROM sessions WHERE session_id = ?').pluck();
  return {
    session(loaded) {
      const s = loaded.session;
      const metadata = { expiresAt: s.expiresAt };
      const row = times.get(s.id) as Record<string, unknown> | undefined;
      const record = row ? { created_at: jsonSafe(row.created_at), updated_at: jsonSafe(row.updated_at), expires_at: jsonSafe(row.expires_at) } : null;
      const rendered = s.createdAt !== null && s.updatedAt !== null && s.expiresAt !== null ? renderRow(s.createdAt, s.updatedAt, s.expiresAt) : null;
      let original: Record<string, unknown> | undefined = record && !sameJson(record, rendered) ? record : undefined;
      // An unreadable row is carried as it is: only the same layout can take it back, unchanged.
      if (s.status === 'unreadable') original = { ...(record ?? {}), messages: sqlText(messages.get(s.id)) };
      return { metadata, ...(original ? { original } : {}) };
    },
    messageOriginal(node: MessageNode) {
      return sameJson(renderItem(node), node.raw) ? undefined : node.raw;
    },
    close: () => db.close(),
  };
}

function jsonHistoryRole(m: TransferMessage, notes: Notes) {
  switch (m.role) {
    case 'user':
    case 'assistant':
      return { kind: m.role, role: m.role };
    case 'tool':
      notes.lost(LOST.toolAsUser);
      return { kind: 'user', role: 'user' as const };
    case 'system':
      notes.lost(LOST.systemMessages);
      return null;
    default:
      notes.lost(LOST.otherRoles);
      return { kind: 'user', role: 'user' as const };
  }
}

function project(s: TransferSession, context: ProjectContext, notes: Notes): TransferSession {
  const same = s.source.format === FORMAT;
  if (same && s.status === 'unreadable') return { ...s, messages: [], branches: [] };
  const keepTimes = same && s.original !== undefined;
  const times = sessionTimes(s, context);
  const createdAt = keepTimes ? times.createdAt : wholeSeconds(times.createdAt);
  const updatedAt = keepTimes ? times.updatedAt : wholeSeconds(times.updatedAt);
  const sourceExpiry = typeof s.metadata.expiresAt === 'number' ? s.metadata.expiresAt : null;
  let expiresAt = updatedAt + WEEK_MS;
  if (same && sourceExpiry !== null) expiresAt = sourceExpiry;
  else if (sourceExpiry !== null && sourceExpiry !== expiresAt) notes.lost(LOST.expiry);
  if (!same) noteDroppedFields(s.metadata, ['expiresAt'], notes);
  if (s.branches.length) notes.lost(LOST.namedBranches);
  const projected = projectMessages(
    s,
    same,
    { role: jsonHistoryRole, time: 'none', monotonic: false, content: 'blocks', metadata: false, linear: true },
    createdAt,
    notes,
  );
  // The reader derives ids from the session id and the position: predict them exactly.
  let renamed = false;
  const messages = projected.map((m, i) => {
    const id = `${s.id}#${i}`;
    if (id !== m.id) renamed = true;
    return { ...m, id, parentId: i === 0 ? null : `${s.id}#${i - 1}` };
  });
  if (renamed) notes.lost(LOST.derivedIds);
  return linearSession(s, { createdAt, updatedAt, metadata: { expiresAt: keepTimes && sourceExpiry !== null ? sourceExpiry : expiresAt }, messages }, keepTimes);
}

function openTarget(path: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  return openSqliteTarget(sqliteJsonHistoryAdapter, path, options, (db) => {
    const exists = db.prepare('SELECT 1 FROM sessions WHERE session_id = ?').pluck();
    const remove = db.prepare('DELETE FROM sessions WHERE session_id = ?');
    const insert = db.prepare('INSERT INTO sessions (session_id, messages, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    return {
      has: (id) => exists.get(id) !== undefined,
      write(s, replace) {
        if (replace) remove.run(s.id);
        const o = s.original ?? {};
        const messages =
          s.status === 'unreadable' && typeof o.messages === 'string'
            ? o.messages
            : JSON.stringify(s.messages.map((m) => (m.original !== undefined ? m.original : renderItem(m))));
        const row = renderRow(s.createdAt!, s.updatedAt!, s.metadata.expiresAt as number);
        insert.run(s.id, messages, bindable(o.created_at) ?? row.created_at, bindable(o.updated_at) ?? row.updated_at, bindable(o.expires_at) ?? row.expires_at);
      },
    };
  });
}

export const sqliteJsonHistoryCodec: LayoutCodec = {
  format: FORMAT,
  openRecords,
  createStore(path) {
    mkdirSync(dirname(path), { recursive: true });
    createSqliteStore(path, JSON_HISTORY_DDL);
  },
  project,
  openTarget,
};
