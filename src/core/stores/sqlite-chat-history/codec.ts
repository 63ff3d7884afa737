import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreSource } from '../../adapters/adapter';
import { CHAT_HISTORY_DDL } from './ddl';
import { parseJsonColumn, sqlText } from '../../adapters/sqlite-common';
import type { MessageNode } from '../../model/types';
import { sameJson } from '../../transfer/canonical';
import type { TransferMessage, TransferSession } from '../../transfer/session';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from '../../transfer/codec/codec';
import { LOST } from '../../transfer/codec/lost';
import { noteDroppedFields, projectMessages, roleText, sessionTimes, textField, wholeSeconds, linearSession } from '../../transfer/codec/project-common';
import { sqliteChatHistoryAdapter } from './reader';
import { bindable, createSqliteStore, jsonSafe, openRecordsDb, openSqliteTarget, sqlTime } from '../../transfer/codec/sqlite-values';
import { flattenToText } from '../../transfer/codec/text-content';

/**
 * FORMATS.md §3 (seed 002): `sessions` with a device fingerprint, a kept `message_count` and free JSON
 * metadata; the transcript as text rows in `chat_history`, ordered by their AUTOINCREMENT id, times
 * as SQLite's `YYYY-MM-DD HH:MM:SS`. The count is written as the number of rows written, always.
 */

const FORMAT = 'sqlite-chat-history' as const;
const KEPT_FIELDS = ['device', 'storeMetadata'];

interface MessageRow {
  role: string | number | null;
  content: string | number | null;
  timestamp: string | number | null;
  metadata: string | number | null;
}

function renderMessage(m: Pick<TransferMessage, 'kind' | 'content' | 'timestamp' | 'metadata'>): MessageRow {
  return {
    role: m.kind,
    content: flattenToText(m.content, null),
    timestamp: sqlTime(m.timestamp),
    metadata: m.metadata === null ? null : JSON.stringify(m.metadata),
  };
}

/** Free session metadata as the `metadata JSON` column holds it: JSON text, or NULL when there is none. */
function metadataText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function openRecords(source: StoreSource): SessionRecords {
  const db = openRecordsDb(source.path);
  const select = db.prepare('SELECT device_fingerprint, created_at, last_active, metadata FROM sessions WHERE session_id = ?');
  return {
    session(loaded) {
      const s = loaded.session;
      const row = select.get(s.id) as Record<string, unknown> | undefined;
      // History rows without a session row: there is nothing of the session's own to carry.
      if (!row) return { metadata: { device: null, storedMessageCount: null } };
      const stored = row.metadata;
      let storeMetadata: unknown;
      if (stored !== null && stored !== undefined) {
        const parsed = parseJsonColumn(stored);
        storeMetadata = parsed.ok ? parsed.value : sqlText(stored);
      }
      const metadata: Record<string, unknown> = {
        device: sqlText(row.device_fingerprint),
        storedMessageCount: s.storedMessageCount,
        ...(storeMetadata !== undefined ? { storeMetadata } : {}),
      };
      const record = {
        device_fingerprint: jsonSafe(row.device_fingerprint),
        created_at: jsonSafe(row.created_at),
        last_active: jsonSafe(row.last_active),
        metadata: jsonSafe(row.metadata),
      };
      const rendered = { device_fingerprint: metadata.device, created_at: sqlTime(s.createdAt), last_active: sqlTime(s.updatedAt), metadata: metadataText(storeMetadata) };
      return { metadata, ...(sameJson(record, rendered) ? {} : { original: record }) };
    },
    messageOriginal(node: MessageNode) {
      const raw = node.raw as Record<string, unknown>;
      const record = { role: jsonSafe(raw.role), content: jsonSafe(raw.content), timestamp: jsonSafe(raw.timestamp), metadata: jsonSafe(raw.metadata) };
      return sameJson(record, renderMessage(node)) ? undefined : record;
    },
    close: () => db.close(),
  };
}

/** Any role text goes: the layout's roles are free text. Arbor's role names, or the store's own word. */
function chatRole(m: TransferMessage) {
  return roleText(m.role === 'unknown' ? m.kind || 'unknown' : m.role);
}

function project(s: TransferSession, context: ProjectContext, notes: Notes): TransferSession {
  const same = s.source.format === FORMAT;
  const keepTimes = same && s.original !== undefined;
  const times = sessionTimes(s, context);
  const createdAt = keepTimes ? times.createdAt : wholeSeconds(times.createdAt);
  const updatedAt = keepTimes ? times.updatedAt : wholeSeconds(times.updatedAt);
  if (!keepTimes && (createdAt !== times.createdAt || updatedAt !== times.updatedAt)) notes.lost(LOST.wholeSeconds);
  if (!same) noteDroppedFields(s.metadata, KEPT_FIELDS, notes);
  if (s.branches.length) notes.lost(LOST.namedBranches);
  const messages = projectMessages(
    s,
    same,
    { role: chatRole, time: 'seconds', monotonic: false, content: 'text', metadata: true, linear: true },
    createdAt,
    notes,
  );
  if (messages.length) notes.lost(LOST.derivedIds);
  const stored = s.metadata.storedMessageCount;
  if (same && typeof stored === 'number' && stored !== s.messages.length) notes.lost(LOST.storedCount);
  const storeMetadata = s.metadata.storeMetadata;
  return linearSession(s, { createdAt, updatedAt, metadata: {
      device: textField(s.metadata.device),
      storedMessageCount: messages.length,
      ...(storeMetadata !== undefined ? { storeMetadata } : {}),
    }, messages }, keepTimes);
}

function openTarget(path: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  return openSqliteTarget(sqliteChatHistoryAdapter, path, options, (db) => {
    const exists = db.prepare('SELECT EXISTS (SELECT 1 FROM sessions WHERE session_id = @id) OR EXISTS (SELECT 1 FROM chat_history WHERE session_id = @id)').pluck();
    const removeHistory = db.prepare('DELETE FROM chat_history WHERE session_id = ?');
    const removeSession = db.prepare('DELETE FROM sessions WHERE session_id = ?');
    const insertSession = db.prepare(
      'INSERT INTO sessions (session_id, device_fingerprint, created_at, last_active, message_count, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertMessage = db.prepare('INSERT INTO chat_history (session_id, role, content, timestamp, metadata) VALUES (?, ?, ?, ?, ?)');
    return {
      has: (id) => exists.get({ id }) === 1,
      write(s, replace) {
        if (replace) {
          // No cascade in this schema: history rows go first, or they would be left orphaned.
          removeHistory.run(s.id);
          removeSession.run(s.id);
        }
        const o = s.original;
        const pick = (key: string, fallback: string | number | null) => {
          if (!o || !(key in o)) return fallback;
          const value = bindable(o[key]);
          return value === undefined ? fallback : value;
        };
        insertSession.run(
          s.id,
          pick('device_fingerprint', textField(s.metadata.device)),
          pick('created_at', sqlTime(s.createdAt)),
          pick('last_active', sqlTime(s.updatedAt)),
          s.messages.length,
          pick('metadata', metadataText(s.metadata.storeMetadata)),
        );
        for (const m of s.messages) {
          const row = (m.original as MessageRow | undefined) ?? renderMessage(m);
          insertMessage.run(s.id, bindable(row.role) ?? m.kind, bindable(row.content) ?? '', bindable(row.timestamp) ?? null, bindable(row.metadata) ?? null);
        }
      },
    };
  });
}

export const sqliteChatHistoryCodec: LayoutCodec = {
  format: FORMAT,
  openRecords,
  createStore(path) {
    mkdirSync(dirname(path), { recursive: true });
    createSqliteStore(path, CHAT_HISTORY_DDL);
  },
  project,
  openTarget,
};
