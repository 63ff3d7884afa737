/**
 * What the concurrent-writer trials seed into each SQLite layout, which operations they run on it,
 * and how they read back every row's key. Every seeded message carries its key as its text
 * ("sd-<session>-<n>"), every session the key "session:<id>", and the backend (backend.py) writes
 * keys "bk-<n>" / "up-<n>", so a trial can say exactly which rows survived.
 */
import type Database from 'better-sqlite3';
import { CHAT_HISTORY_DDL } from '../../src/core/stores/sqlite-chat-history/ddl';
import { JSON_HISTORY_DDL } from '../../src/core/stores/sqlite-json-history/ddl';
import { PROVIDER_SESSIONS_DDL } from '../../src/core/stores/sqlite-provider-sessions/ddl';
import { TENANT_MESSAGES_DDL } from '../../src/core/stores/sqlite-tenant-messages/ddl';
import type { CleanupOperation } from '../../src/core/cleanup/types';
import { CHAT_DDL, USER_DDL } from '../fixtures/open-webui';

export type SqliteLayout = 'sqlite-json-history' | 'sqlite-chat-history' | 'sqlite-tenant-messages' | 'sqlite-provider-sessions' | 'open-webui';
export const SQLITE_LAYOUTS: readonly SqliteLayout[] = ['sqlite-json-history', 'sqlite-chat-history', 'sqlite-tenant-messages', 'sqlite-provider-sessions', 'open-webui'];

/** One row as a trial tracks it: its key, its session, and the id Arbor gives the message (null for a session). */
export interface KeyedRow {
  key: string;
  session: string;
  messageId: string | null;
}

export type TrialOperation = { name: string; cleanup: CleanupOperation } | { name: 'import'; cleanup: null };

export interface TrialLayout {
  format: SqliteLayout;
  seed(db: Database.Database, nowMs: number): void;
  /** Every key the store holds now. */
  rows(db: Database.Database): KeyedRow[];
  /** The cleanups that apply to this layout (as planCleanup takes them) and the import. */
  operations(db: Database.Database): TrialOperation[];
  /** Who the import writes for (`tenant`): a tenant id, or in Open WebUI the owning user; default t-imp. */
  importTenant?: string;
}

const OLD_MS = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;
const SESSIONS_OLD = 6;
const SESSIONS_KEEP = 3;
const SESSIONS_EMPTY = 2;
const MESSAGES = 3;

const isoAt = (ms: number) => new Date(ms).toISOString();
const sqlTimeAt = (ms: number) => isoAt(ms).slice(0, 19).replace('T', ' ');
const key = (session: string, n: number) => `sd-${session}-${n}`;

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

const common = (extra: TrialOperation[]): TrialOperation[] => [
  { name: 'delete-sessions', cleanup: { kind: 'delete-sessions', sessionIds: ['old-0', 'keep-1'] } },
  ...extra,
  { name: 'older-than', cleanup: { kind: 'older-than', days: 30 } },
  { name: 'empty', cleanup: { kind: 'empty' } },
  { name: 'repair', cleanup: { kind: 'repair' } },
  { name: 'vacuum', cleanup: { kind: 'vacuum' } },
  { name: 'import', cleanup: null },
];

const jsonHistory: TrialLayout = {
  format: 'sqlite-json-history',
  seed(db, nowMs) {
    db.exec(JSON_HISTORY_DDL);
    // The variant with a kept count (FORMATS.md §1 readers allow it), so repair has something to fix.
    db.exec('ALTER TABLE sessions ADD COLUMN message_count INTEGER DEFAULT 0');
    const insert = db.prepare('INSERT INTO sessions (session_id, messages, created_at, updated_at, expires_at, message_count) VALUES (?, ?, ?, ?, ?, ?)');
    const messages = (id: string, count: number) => JSON.stringify(Array.from({ length: count }, (_, n) => ({ role: n % 2 ? 'assistant' : 'user', content: key(id, n) })));
    for (const id of names('old', SESSIONS_OLD)) insert.run(id, messages(id, MESSAGES), OLD_MS / 1000, OLD_MS / 1000, OLD_MS / 1000 + 7 * 86400, MESSAGES);
    for (const id of names('keep', SESSIONS_KEEP)) insert.run(id, messages(id, MESSAGES), nowMs / 1000, nowMs / 1000, nowMs / 1000 + 7 * 86400, id === 'keep-2' ? 99 : MESSAGES);
    for (const id of names('empty', SESSIONS_EMPTY)) insert.run(id, '[]', nowMs / 1000, nowMs / 1000, nowMs / 1000 + 7 * 86400, 0);
  },
  rows(db) {
    return db
      .prepare(
        `SELECT 'session:' || s.session_id AS key, s.session_id AS session, NULL AS messageId FROM sessions s
         UNION ALL
         SELECT json_extract(j.value, '$.content'), s.session_id, s.session_id || '#' || j.key FROM sessions s, json_each(CASE WHEN json_valid(s.messages) THEN s.messages ELSE '[]' END) j`,
      )
      .all() as KeyedRow[];
  },
  operations: () =>
    common([
      { name: 'prune', cleanup: { kind: 'prune', messageId: 'keep-0#0', sessionId: 'keep-0', mode: 'after', allowActivePath: true } },
      { name: 'expired', cleanup: { kind: 'expired' } },
    ]),
};

const chatHistory: TrialLayout = {
  format: 'sqlite-chat-history',
  seed(db, nowMs) {
    db.exec(CHAT_HISTORY_DDL);
    const session = db.prepare('INSERT INTO sessions (session_id, created_at, last_active, message_count) VALUES (?, ?, ?, ?)');
    const message = db.prepare('INSERT INTO chat_history (session_id, role, content, timestamp) VALUES (?, ?, ?, ?)');
    const conversation = (id: string, at: number) => {
      for (let n = 0; n < MESSAGES; n++) message.run(id, n % 2 ? 'assistant' : 'user', key(id, n), sqlTimeAt(at + n * 1000));
    };
    for (const id of names('old', SESSIONS_OLD)) {
      session.run(id, sqlTimeAt(OLD_MS), sqlTimeAt(OLD_MS), MESSAGES);
      conversation(id, OLD_MS);
    }
    for (const id of names('keep', SESSIONS_KEEP)) {
      session.run(id, sqlTimeAt(nowMs), sqlTimeAt(nowMs), id === 'keep-2' ? 99 : MESSAGES);
      conversation(id, nowMs);
    }
    for (const id of names('empty', SESSIONS_EMPTY)) session.run(id, sqlTimeAt(nowMs), sqlTimeAt(nowMs), 0);
    // History rows whose session row is gone: what repair removes.
    conversation('orphan-0', nowMs);
  },
  rows(db) {
    return db
      .prepare(
        `SELECT 'session:' || session_id AS key, session_id AS session, NULL AS messageId FROM sessions
         UNION ALL
         SELECT content, session_id, CAST(id AS TEXT) FROM chat_history`,
      )
      .all() as KeyedRow[];
  },
  operations(db) {
    const second = db.prepare(`SELECT id FROM chat_history WHERE session_id = 'keep-0' ORDER BY id LIMIT 1`).pluck().get() as number;
    return common([{ name: 'prune', cleanup: { kind: 'prune', messageId: String(second), sessionId: 'keep-0', mode: 'after', allowActivePath: true } }]);
  },
};

const tenantMessages: TrialLayout = {
  format: 'sqlite-tenant-messages',
  seed(db, nowMs) {
    db.exec(TENANT_MESSAGES_DDL);
    const session = db.prepare('INSERT INTO sessions (id, tenant_id, user_id, traits, created_at) VALUES (?, ?, NULL, NULL, ?)');
    const message = db.prepare('INSERT INTO messages (id, session_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)');
    const conversation = (id: string, at: number) => {
      for (let n = 0; n < MESSAGES; n++) message.run(key(id, n), id, n % 2 ? 'assistant' : 'user', key(id, n), isoAt(at + n * 1000));
    };
    for (const id of names('old', SESSIONS_OLD)) {
      session.run(id, 't-seed', isoAt(OLD_MS));
      conversation(id, OLD_MS);
    }
    for (const id of names('keep', SESSIONS_KEEP)) {
      session.run(id, 't-seed', isoAt(nowMs));
      conversation(id, nowMs);
    }
    for (const id of names('empty', SESSIONS_EMPTY)) session.run(id, 't-seed', isoAt(nowMs));
    conversation('orphan-0', nowMs);
  },
  rows(db) {
    return db
      .prepare(
        `SELECT 'session:' || id AS key, id AS session, NULL AS messageId FROM sessions
         UNION ALL
         SELECT content, session_id, id FROM messages`,
      )
      .all() as KeyedRow[];
  },
  operations: () => common([{ name: 'prune', cleanup: { kind: 'prune', messageId: key('keep-0', 0), sessionId: 'keep-0', mode: 'after', allowActivePath: true } }]),
};

const providerSessions: TrialLayout = {
  format: 'sqlite-provider-sessions',
  seed(db, nowMs) {
    db.exec(PROVIDER_SESSIONS_DDL);
    const session = db.prepare('INSERT INTO sessions (session_id, chat_id, parent_id, created_at, last_accessed, expires_at, message_count) VALUES (?, ?, NULL, ?, ?, ?, ?)');
    for (const id of names('old', SESSIONS_OLD)) session.run(id, `chat-${id}`, OLD_MS, OLD_MS, OLD_MS + 7 * DAY_MS, MESSAGES);
    for (const id of names('keep', SESSIONS_KEEP)) session.run(id, `chat-${id}`, nowMs, nowMs, nowMs + 7 * DAY_MS, MESSAGES);
    for (const id of names('empty', SESSIONS_EMPTY)) session.run(id, `chat-${id}`, nowMs, nowMs, nowMs + 7 * DAY_MS, 0);
  },
  rows(db) {
    const rows = db.prepare(`SELECT 'session:' || session_id AS key, session_id AS session, NULL AS messageId, parent_id AS parent FROM sessions`).all() as Array<KeyedRow & { parent: string | null }>;
    const out: KeyedRow[] = [];
    for (const r of rows) {
      out.push({ key: r.key, session: r.session, messageId: null });
      // The backend's own session: its id is the key of its first commit, parent_id those of its updates.
      if (r.session.startsWith('bk-')) out.push({ key: r.session, session: r.session, messageId: null });
      if (r.session === 'bk-live' && r.parent) for (const k of r.parent.split(',')) out.push({ key: k, session: r.session, messageId: null });
    }
    return out;
  },
  operations: () => {
    const ops = common([{ name: 'expired', cleanup: { kind: 'expired' } }]);
    // No transcript of its own: prune does not apply (planCleanup refuses it).
    return ops;
  },
};

/**
 * Open WebUI's webui.db: one `chat` row per conversation, its messages a JSON tree in the row. A
 * message's id is its key, so a prune's named ids are the keys it removes. Open WebUI chats do not
 * expire and keep nothing to repair (the cleaner refuses both).
 */
const openWebui: TrialLayout = {
  format: 'open-webui',
  importTenant: 'u-admin',
  seed(db, nowMs) {
    db.exec(CHAT_DDL);
    db.exec(USER_DDL);
    const seconds = Math.floor(nowMs / 1000);
    db.prepare(`INSERT INTO "user" (id, name, email, role, profile_image_url, created_at, updated_at, last_active_at) VALUES ('u-admin', 'Admin', 'admin@example.org', 'admin', '', ?, ?, ?)`).run(seconds, seconds, seconds);
    const insert = db.prepare(`INSERT INTO chat (id, user_id, title, archived, created_at, updated_at, chat, meta) VALUES (?, 'u-admin', ?, 0, ?, ?, ?, '{}')`);
    const chat = (id: string, count: number, at: number) => {
      const messages: Record<string, unknown> = {};
      for (let n = 0; n < count; n++) {
        messages[key(id, n)] = { id: key(id, n), parentId: n ? key(id, n - 1) : null, childrenIds: n < count - 1 ? [key(id, n + 1)] : [], role: n % 2 ? 'assistant' : 'user', content: key(id, n), timestamp: at };
      }
      return JSON.stringify({ title: id, models: ['trial'], history: { messages, currentId: count ? key(id, count - 1) : null }, messages: [] });
    };
    const old = Math.floor(OLD_MS / 1000);
    for (const id of names('old', SESSIONS_OLD)) insert.run(id, id, old, old, chat(id, MESSAGES, old));
    for (const id of names('keep', SESSIONS_KEEP)) insert.run(id, id, seconds, seconds, chat(id, MESSAGES, seconds));
    for (const id of names('empty', SESSIONS_EMPTY)) insert.run(id, id, seconds, seconds, chat(id, 0, seconds));
  },
  rows(db) {
    return db
      .prepare(
        `SELECT 'session:' || id AS key, id AS session, NULL AS messageId FROM chat
         UNION ALL
         SELECT json_extract(m.value, '$.content'), c.id, m.key FROM chat c, json_each(CASE WHEN json_valid(c.chat) THEN c.chat ELSE '{}' END, '$.history.messages') m`,
      )
      .all() as KeyedRow[];
  },
  operations: () => [
    { name: 'delete-sessions', cleanup: { kind: 'delete-sessions', sessionIds: ['old-0', 'keep-1'] } },
    { name: 'prune', cleanup: { kind: 'prune', messageId: key('keep-0', 0), sessionId: 'keep-0', mode: 'after', allowActivePath: true } },
    { name: 'older-than', cleanup: { kind: 'older-than', days: 30 } },
    { name: 'empty', cleanup: { kind: 'empty' } },
    { name: 'vacuum', cleanup: { kind: 'vacuum' } },
    { name: 'import', cleanup: null },
  ],
};

export const TRIAL_LAYOUTS: Record<SqliteLayout, TrialLayout> = {
  'open-webui': openWebui,
  'sqlite-json-history': jsonHistory,
  'sqlite-chat-history': chatHistory,
  'sqlite-tenant-messages': tenantMessages,
  'sqlite-provider-sessions': providerSessions,
};
