import type { SqliteSchema, SqliteTable } from '../../sqlite/schema';
import type { SqlMapping } from './mapping';

/**
 * A first guess at a mapping from the names in a file, so the "Map columns…" dialog opens with the
 * likely columns chosen and the user only corrects it. Only names are looked at; the preview shows
 * whether the guess reads right.
 */

const SESSION = ['session_id', 'conversation_id', 'chat_id', 'thread_id', 'ticket_id', 'dialog_id', 'dialogue_id', 'room_id', 'channel_id', 'session', 'conversation', 'thread', 'chat'];
const ROLE = ['role', 'sender', 'author', 'speaker', 'from', 'sender_type', 'author_role', 'message_type', 'who', 'type'];
const CONTENT = ['content', 'text', 'body', 'message', 'msg', 'message_text', 'content_text', 'value'];
const ORDER = ['seq', 'sequence', 'position', 'idx', 'index', 'ordinal', 'turn', 'order', 'message_index', 'step'];
const TIME = ['created_at', 'timestamp', 'sent_at', 'time', 'created', 'date', 'ts', 'inserted_at', 'posted_at', 'createdat', 'opened_at', 'started_at'];
const ID = ['id', 'message_id', 'uuid', 'msg_id', 'msg_uuid'];
const PARENT = ['parent_id', 'parent', 'reply_to', 'in_reply_to', 'parent_message_id', 'parent_uuid', 'reply_to_id'];
const TITLE = ['title', 'subject', 'name', 'topic', 'summary', 'label'];
const UPDATED = ['updated_at', 'last_active', 'last_message_at', 'modified_at', 'closed_at', 'updated'];

function find(table: SqliteTable, names: readonly string[], not: readonly (string | undefined)[] = []): string | undefined {
  for (const n of names) {
    const hit = table.columns.find((c) => c.toLowerCase() === n && !not.includes(c));
    if (hit) return hit;
  }
  return undefined;
}

export function suggestMapping(schema: SqliteSchema): SqlMapping | null {
  let best: { table: SqliteTable; session: string; role: string; content: string; score: number } | null = null;
  for (const table of schema.tables.values()) {
    const session = find(table, SESSION);
    const role = find(table, ROLE, [session]);
    const content = find(table, CONTENT, [session, role]);
    if (!session || !role || !content) continue;
    const score = SESSION.indexOf(session.toLowerCase()) + ROLE.indexOf(role.toLowerCase()) + CONTENT.indexOf(content.toLowerCase()) - (/message|chat|turn|repl/i.test(table.name) ? 5 : 0);
    if (!best || score < best.score) best = { table, session, role, content, score };
  }
  if (!best) return null;
  const t = best.table;
  const taken = [best.session, best.role, best.content];
  const id = find(t, ID, taken);
  const parent = id ? find(t, PARENT, [...taken, id]) : undefined;
  const messages = {
    table: t.name,
    session: best.session,
    role: best.role,
    content: best.content,
    ...(find(t, ORDER, taken) ? { order: find(t, ORDER, taken)! } : {}),
    ...(find(t, TIME, taken) ? { time: find(t, TIME, taken)! } : {}),
    ...(parent && id ? { id, parent } : {}),
  };
  const sessions = sessionsTable(schema, t, best.session);
  return { ...(sessions ? { sessions } : {}), messages };
}

/** The table the session column points at: `ticket_id` → tickets / ticket, with an `id` column. */
function sessionsTable(schema: SqliteSchema, messages: SqliteTable, sessionColumn: string): SqlMapping['sessions'] | null {
  const stem = sessionColumn.toLowerCase().replace(/_?id$/, '');
  if (!stem) return null;
  for (const name of [`${stem}s`, stem, `${stem}es`, stem.replace(/y$/, 'ies')]) {
    const table = schema.tables.get(name);
    if (!table || table === messages) continue;
    const id = find(table, ['id', `${stem}_id`, sessionColumn.toLowerCase()]);
    if (!id) continue;
    const title = find(table, TITLE, [id]);
    const created = find(table, TIME, [id]);
    const updated = find(table, UPDATED, [id, created]);
    return { table: table.name, id, ...(title ? { title } : {}), ...(created ? { created } : {}), ...(updated ? { updated } : {}) };
  }
  return null;
}
