import type { SqliteDatabase } from '../../sqlite/open';
import { hasColumns, ident, pickColumn, type SqliteSchema } from '../../sqlite/schema';

/**
 * Which Open WebUI schema a `webui.db` has. The `chat` table grew over the versions: a `timestamp`
 * at first, then `created_at`/`updated_at` (DATETIME in the DDL, seconds in the rows), `share_id`,
 * `archived`, then `pinned`, `meta` (tags), `folder_id`, and in newer versions `current_message_id`
 * and more. The `user` and `folder` tables, when the file has them, give names to ids.
 */

export interface WebuiSchema {
  /** The declared name of the chat table. */
  chat: string;
  id: string;
  userId: string;
  title: string;
  json: string;
  created: string | null;
  updated: string | null;
  archived: string | null;
  pinned: string | null;
  meta: string | null;
  folderId: string | null;
  shareId: string | null;
  users: { table: string; id: string; name: string | null; email: string | null } | null;
  folders: { table: string; id: string; name: string } | null;
}

export const CHAT_COLUMNS = ['id', 'user_id', 'title', 'chat'] as const;

export function webuiSchema(schema: SqliteSchema): WebuiSchema | null {
  if (!hasColumns(schema, 'chat', CHAT_COLUMNS)) return null;
  const col = (name: string) => pickColumn(schema, 'chat', [name]);
  const created = pickColumn(schema, 'chat', ['created_at', 'timestamp']);
  const updated = pickColumn(schema, 'chat', ['updated_at', 'timestamp']);
  // Without any time column this is some other `chat` table that happens to share four names.
  if (created === null) return null;
  const users = hasColumns(schema, 'user', ['id']) ? schema.tables.get('user')! : null;
  const folders = hasColumns(schema, 'folder', ['id', 'name']) ? schema.tables.get('folder')! : null;
  return {
    chat: schema.tables.get('chat')!.name,
    id: col('id')!,
    userId: col('user_id')!,
    title: col('title')!,
    json: col('chat')!,
    created,
    updated,
    archived: col('archived'),
    pinned: col('pinned'),
    meta: col('meta'),
    folderId: col('folder_id'),
    shareId: col('share_id'),
    users: users
      ? { table: users.name, id: pickColumn(schema, 'user', ['id'])!, name: pickColumn(schema, 'user', ['name']), email: pickColumn(schema, 'user', ['email']) }
      : null,
    folders: folders ? { table: folders.name, id: pickColumn(schema, 'folder', ['id'])!, name: pickColumn(schema, 'folder', ['name'])! } : null,
  };
}

/** How many sampled rows look like Open WebUI chats; a few rows are enough to tell (rows are read in SQL). */
const SAMPLE = 20;

/**
 * Content check for detection: an empty table passes on its schema; otherwise at least one of the
 * first rows must hold a chat object (a `history` object or a `messages` list). Judged in SQL so a
 * multi-megabyte chat is never copied into JS to be recognised.
 */
export function looksLikeChats(db: SqliteDatabase, s: WebuiSchema): boolean {
  const j = `t.${ident(s.json)}`;
  const row = db
    .prepare(
      `SELECT count(*) AS total,
         coalesce(sum(CASE WHEN json_valid(${j}) THEN (json_type(${j}, '$.history') = 'object' OR json_type(${j}, '$.messages') = 'array') ELSE 0 END), 0) AS chats
       FROM (SELECT ${ident(s.json)} FROM ${ident(s.chat)} LIMIT ${SAMPLE}) t`,
    )
    .get() as { total: number; chats: number };
  return row.total === 0 || row.chats > 0;
}
