import { join } from 'node:path';
import type { FormatName } from '../../src/core/model/types';
import { openWritable } from '../../src/core/sqlite/open';
import { CHAT_HISTORY_DDL } from '../../src/core/stores/sqlite-chat-history/ddl';
import { JSON_HISTORY_DDL } from '../../src/core/stores/sqlite-json-history/ddl';
import { PROVIDER_SESSIONS_DDL } from '../../src/core/stores/sqlite-provider-sessions/ddl';
import { TENANT_MESSAGES_DDL } from '../../src/core/stores/sqlite-tenant-messages/ddl';
import type { JsonHostile, SqlHostile } from './hostile';

/**
 * The four SQLite layouts as fuzz stores: a few good sessions and one hostile session whose rows are
 * normal except for one column (or one field inside a JSON column). The tables declare no column
 * types, so a value keeps the storage class it was given — as a store written by another tool, a
 * migration gone wrong or a hand edit may hold it. The column names are the layout's own.
 */

type Cell = unknown | { expr: string; value: unknown };

export interface SqlRow {
  table: string;
  values: Record<string, Cell>;
}

export interface SqlLayout {
  format: FormatName;
  file: string;
  /** Column names only, no types: values keep their storage class. */
  ddl: string;
  /** The layout's real DDL (types, NOT NULL, keys): what SQLite lets a backend store through it. */
  declaredDdl: string;
  /** Good sessions and the number of messages each shows. */
  good: ReadonlyMap<string, number>;
  goodRows(): SqlRow[];
  /** The hostile session's rows with normal values; a case replaces one cell. */
  hostileRows(): SqlRow[];
  /** Places inside JSON columns: `embed` puts a JSON value's text at that place of the column. */
  jsonSlots: ReadonlyArray<{ name: string; row: number; column: string; embed: (json: string) => string }>;
}

const T0 = 1_780_000_000; // 2026-05-28, unix seconds
const isCell = (v: unknown): v is { expr: string; value: unknown } => typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && 'expr' in v;

/**
 * Writes the store; null when the declared DDL refuses the value (a BLOB into an INTEGER PRIMARY
 * KEY): no backend could have stored it, so there is nothing to read.
 */
export function writeSqlStore(dir: string, layout: SqlLayout, hostile: SqlRow[], declared = false): string | null {
  const path = join(dir, layout.file);
  const db = openWritable(path);
  try {
    // Python's sqlite3 and most backends leave foreign keys off; better-sqlite3 turns them on.
    db.pragma('foreign_keys = OFF');
    db.exec(declared ? layout.declaredDdl : layout.ddl);
    const insert = db.transaction((rows: SqlRow[]) => {
      for (const row of rows) {
        const columns = Object.keys(row.values);
        const exprs = columns.map((c) => (isCell(row.values[c]) ? (row.values[c] as { expr: string }).expr : '?'));
        const params = columns.map((c) => (isCell(row.values[c]) ? (row.values[c] as { value: unknown }).value : row.values[c]));
        db.prepare(`INSERT INTO ${row.table} (${columns.join(', ')}) VALUES (${exprs.join(', ')})`).run(...params);
      }
    });
    try {
      insert([...layout.goodRows(), ...hostile]);
    } catch (error) {
      if (declared && /datatype mismatch|constraint failed/.test((error as Error).message)) return null;
      throw error;
    }
  } finally {
    db.close();
  }
  return path;
}

/** The hostile rows with one SQL value put into one column of one row. */
export function withSqlValue(rows: SqlRow[], row: number, column: string, value: SqlHostile): SqlRow[] {
  return rows.map((r, i) => (i === row ? { ...r, values: { ...r.values, [column]: value.expr ? { expr: value.expr, value: value.value } : value.value } } : r));
}

export function withJsonValue(rows: SqlRow[], slot: SqlLayout['jsonSlots'][number], value: JsonHostile): SqlRow[] {
  return rows.map((r, i) => (i === slot.row ? { ...r, values: { ...r.values, [slot.column]: slot.embed(value.text) } } : r));
}

const goodMap = (ids: string[], count: number) => new Map(ids.map((id) => [id, count]));
const GOOD = ['good-1', 'good-2', 'good-3'];

// §1 — one JSON array of MessageParam per session row.
const goodHistory = (k: number) =>
  JSON.stringify([
    { role: 'user', content: `question ${k}` },
    { role: 'assistant', content: [{ type: 'text', text: `answer ${k}` }, { type: 'tool_use', id: 't1', name: 'calc', input: { x: k } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: String(k * 2) }] }] },
  ]);

const assistantWith = (block: string) => `[{"role":"user","content":"hi"},{"role":"assistant","content":[${block}]}]`;

export const JSON_HISTORY: SqlLayout = {
  format: 'sqlite-json-history',
  file: 'sessions.db',
  ddl: 'CREATE TABLE sessions (session_id, messages, created_at, updated_at, expires_at)',
  declaredDdl: JSON_HISTORY_DDL,
  good: goodMap(GOOD, 3),
  goodRows: () =>
    GOOD.map((id, k) => ({ table: 'sessions', values: { session_id: id, messages: goodHistory(k), created_at: T0 + k, updated_at: T0 + k, expires_at: T0 + 86_400 * 30 } })),
  hostileRows: () => [
    { table: 'sessions', values: { session_id: 'hostile', messages: assistantWith('{"type":"text","text":"ok"}'), created_at: T0, updated_at: T0, expires_at: T0 + 86_400 * 30 } },
  ],
  jsonSlots: [
    { name: 'messages', row: 0, column: 'messages', embed: (j) => j },
    { name: 'messages[1]', row: 0, column: 'messages', embed: (j) => `[{"role":"user","content":"hi"},${j}]` },
    { name: 'message.role', row: 0, column: 'messages', embed: (j) => `[{"role":${j},"content":"hi"}]` },
    { name: 'message.content', row: 0, column: 'messages', embed: (j) => `[{"role":"user","content":${j}}]` },
    { name: 'block', row: 0, column: 'messages', embed: (j) => assistantWith(j) },
    { name: 'block.type', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":${j},"text":"x"}`) },
    { name: 'text.text', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"text","text":${j}}`) },
    { name: 'tool_use.input', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"tool_use","id":"t1","name":"calc","input":${j}}`) },
    { name: 'tool_use.name', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"tool_use","id":"t1","name":${j},"input":{}}`) },
    { name: 'tool_use.id', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"tool_use","id":${j},"name":"calc","input":{}}`) },
    { name: 'tool_result.content', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"tool_result","tool_use_id":"t1","content":${j}}`) },
    { name: 'tool_result.tool_use_id', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"tool_result","tool_use_id":${j},"content":"r"}`) },
    { name: 'image.source', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"image","source":${j}}`) },
    { name: 'image.source.data', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"image","source":{"type":"base64","media_type":"image/png","data":${j}}}`) },
    { name: 'thinking.thinking', row: 0, column: 'messages', embed: (j) => assistantWith(`{"type":"thinking","thinking":${j},"signature":"s"}`) },
  ],
};

// §3 — sessions + chat_history text rows.
export const CHAT_HISTORY: SqlLayout = {
  format: 'sqlite-chat-history',
  file: 'sessions.db',
  ddl: `CREATE TABLE sessions (session_id, device_fingerprint, created_at, last_active, message_count, metadata);
    CREATE TABLE chat_history (id, session_id, role, content, timestamp, metadata);
    CREATE INDEX idx_chat_history_session ON chat_history(session_id);`,
  declaredDdl: CHAT_HISTORY_DDL,
  good: goodMap(GOOD, 2),
  goodRows: () =>
    GOOD.flatMap((id, k) => [
      { table: 'sessions', values: { session_id: id, device_fingerprint: `dev-${k}`, created_at: '2026-05-01 10:00:00', last_active: '2026-05-01 10:05:00', message_count: 2, metadata: '{"plan":"free"}' } },
      { table: 'chat_history', values: { id: k * 2 + 1, session_id: id, role: 'user', content: `question ${k}`, timestamp: '2026-05-01 10:00:00', metadata: null } },
      { table: 'chat_history', values: { id: k * 2 + 2, session_id: id, role: 'assistant', content: `answer ${k}`, timestamp: '2026-05-01 10:00:01', metadata: '{"tokens":5}' } },
    ]),
  hostileRows: () => [
    { table: 'sessions', values: { session_id: 'hostile', device_fingerprint: 'dev-h', created_at: '2026-05-02 10:00:00', last_active: '2026-05-02 10:05:00', message_count: 2, metadata: '{"plan":"pro"}' } },
    { table: 'chat_history', values: { id: 100, session_id: 'hostile', role: 'user', content: 'hello', timestamp: '2026-05-02 10:00:00', metadata: '{"a":1}' } },
    { table: 'chat_history', values: { id: 101, session_id: 'hostile', role: 'assistant', content: 'hi', timestamp: '2026-05-02 10:00:01', metadata: null } },
  ],
  jsonSlots: [
    { name: 'sessions.metadata', row: 0, column: 'metadata', embed: (j) => j },
    { name: 'chat_history.metadata', row: 1, column: 'metadata', embed: (j) => j },
  ],
};

// §4 — Drizzle sessions (tenant, user, traits) + messages.
export const TENANT_MESSAGES: SqlLayout = {
  format: 'sqlite-tenant-messages',
  file: 'sessions.db',
  ddl: `CREATE TABLE sessions (id, tenant_id, user_id, traits, created_at);
    CREATE TABLE messages (id, session_id, role, content, created_at);
    CREATE INDEX messages_session_id_idx ON messages (session_id);`,
  declaredDdl: TENANT_MESSAGES_DDL,
  good: goodMap(GOOD, 2),
  goodRows: () =>
    GOOD.flatMap((id, k) => [
      { table: 'sessions', values: { id, tenant_id: 'acme', user_id: `user-${k}`, traits: '{"tone":"formal"}', created_at: '2026-05-01T10:00:00.000Z' } },
      { table: 'messages', values: { id: `${id}-m1`, session_id: id, role: 'user', content: `question ${k}`, created_at: '2026-05-01T10:00:00.000Z' } },
      { table: 'messages', values: { id: `${id}-m2`, session_id: id, role: 'assistant', content: `answer ${k}`, created_at: '2026-05-01T10:00:01.000Z' } },
    ]),
  hostileRows: () => [
    { table: 'sessions', values: { id: 'hostile', tenant_id: 'acme', user_id: 'user-h', traits: '{"tone":"casual"}', created_at: '2026-05-02T10:00:00.000Z' } },
    { table: 'messages', values: { id: 'hostile-m1', session_id: 'hostile', role: 'user', content: 'hello', created_at: '2026-05-02T10:00:00.000Z' } },
    { table: 'messages', values: { id: 'hostile-m2', session_id: 'hostile', role: 'assistant', content: 'hi', created_at: '2026-05-02T10:00:01.000Z' } },
  ],
  jsonSlots: [{ name: 'sessions.traits', row: 0, column: 'traits', embed: (j) => j }],
};

// §5 — provider-router session rows, with a request log as the transcript.
const MS0 = T0 * 1000;
export const PROVIDER_SESSIONS: SqlLayout = {
  format: 'sqlite-provider-sessions',
  file: 'provider-router.db',
  ddl: `CREATE TABLE sessions (session_id, chat_id, parent_id, created_at, last_accessed, expires_at, message_count);
    CREATE TABLE request_logs (id, session_id, request, response, created_at);`,
  declaredDdl: `${PROVIDER_SESSIONS_DDL}
    CREATE TABLE request_logs (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, request TEXT, response TEXT, created_at INTEGER NOT NULL);`,
  good: goodMap(GOOD, 2),
  goodRows: () =>
    GOOD.flatMap((id, k) => [
      { table: 'sessions', values: { session_id: id, chat_id: `chat-${k}`, parent_id: `resp-${k}`, created_at: MS0 + k, last_accessed: MS0 + k, expires_at: MS0 + 3_600_000, message_count: 2 } },
      { table: 'request_logs', values: { id: k + 1, session_id: id, request: `question ${k}`, response: `answer ${k}`, created_at: MS0 + k } },
    ]),
  hostileRows: () => [
    { table: 'sessions', values: { session_id: 'hostile', chat_id: 'chat-h', parent_id: 'resp-h', created_at: MS0, last_accessed: MS0, expires_at: MS0 + 3_600_000, message_count: 2 } },
    { table: 'request_logs', values: { id: 100, session_id: 'hostile', request: 'hello', response: 'hi', created_at: MS0 } },
  ],
  jsonSlots: [],
};

export const SQL_LAYOUTS: readonly SqlLayout[] = [JSON_HISTORY, CHAT_HISTORY, TENANT_MESSAGES, PROVIDER_SESSIONS];
