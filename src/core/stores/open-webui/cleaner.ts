import { createHash } from 'node:crypto';
import { sqlText } from '../../adapters/sqlite-common';
import type { LayoutCleaner } from '../../cleanup/cleaner';
import { CleanupError, ConcurrentChangeError } from '../../cleanup/errors';
import { bytesById, withReader } from '../../cleanup/sqlite-read';
import { IN_IDS, applySqlitePlan } from '../../cleanup/sqlite-write';
import type { PlannedItem } from '../../cleanup/types';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, readSchema } from '../../sqlite/schema';
import { webuiSchema, type WebuiSchema } from './schema';
import { pruneHistory } from './prune-history';

/**
 * Cleanup of Open WebUI's webui.db. Deleting a chat deletes what Open WebUI deletes with it: its
 * `chat_message` and `chat_file` rows (SQLite cascades only with foreign keys on, and Open WebUI's
 * own tables may lack the constraint) and the copies its share links show. Pruning rewrites the
 * chat's JSON with the tree's two links agreeing again, the current leaf on a message that is still
 * there and the legacy `messages` list its path — and only when the row still holds exactly what
 * the preview read. Chats do not expire, and Open WebUI keeps no counts to repair.
 */

const FORMAT = 'open-webui';

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function schemaOf(db: SqliteDatabase, path: string): WebuiSchema {
  const schema = webuiSchema(readSchema(db));
  if (!schema) throw new CleanupError(`${path} is no longer an Open WebUI database`);
  return schema;
}

function tableColumns(db: SqliteDatabase, table: string): Set<string> {
  return new Set((db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).map((c) => c.toLowerCase()));
}

/** The rows that belong to a chat in the tables beside `chat` that this database has. */
function deleteBeside(db: SqliteDatabase, list: string): number {
  let messages = 0;
  const chatMessage = tableColumns(db, 'chat_message');
  if (chatMessage.has('chat_id')) messages = db.prepare(`DELETE FROM chat_message WHERE chat_id IN ${IN_IDS}`).run(list).changes;
  if (tableColumns(db, 'chat_file').has('chat_id')) db.prepare(`DELETE FROM chat_file WHERE chat_id IN ${IN_IDS}`).run(list);
  if (tableColumns(db, 'shared_chat').has('chat_id')) db.prepare(`DELETE FROM shared_chat WHERE chat_id IN ${IN_IDS}`).run(list);
  return messages;
}

export const openWebuiCleaner: LayoutCleaner = {
  format: FORMAT,
  linear: false,
  unsupported(kind) {
    if (kind === 'expired') return 'Open WebUI chats do not expire; delete old ones with older-than';
    if (kind === 'repair') return 'Open WebUI keeps no counts or index to repair; a chat whose childrenIds disagree with its parent links is shown by the parent links, and a prune writes both links true again';
    return null;
  },

  sessionBytes: (path, ids) =>
    bytesById(path, ids, (db) => {
      const s = schemaOf(db, path);
      return `(SELECT octet_length(CAST(c.${ident(s.json)} AS BLOB)) + octet_length(CAST(c.${ident(s.title)} AS BLOB)) + 64 FROM ${ident(s.chat)} c WHERE c.${ident(s.id)} = i.value)`;
    }),

  sessionsOfMessage(path, messageId) {
    return withReader(path, (db) => {
      const s = schemaOf(db, path);
      const j = `c.${ident(s.json)}`;
      return (
        db
          .prepare(`SELECT c.${ident(s.id)} FROM ${ident(s.chat)} c WHERE (CASE WHEN json_valid(${j}) AND json_type(${j}, '$.history.messages') = 'object'
            THEN EXISTS (SELECT 1 FROM json_each(${j}, '$.history.messages') m WHERE m.key = ?) ELSE 0 END)`)
          .pluck()
          .all(messageId) as unknown[]
      ).map((v) => sqlText(v) ?? '');
    });
  },

  preparePrune(path, item, loaded) {
    if (loaded.session.status === 'unreadable') throw new CleanupError(`the chat JSON of "${item.sessionId}" is not readable; Arbor never rewrites such a row (delete the chat instead)`);
    const text = withReader(path, (db) => {
      const s = schemaOf(db, path);
      return sqlText(db.prepare(`SELECT ${ident(s.json)} FROM ${ident(s.chat)} WHERE ${ident(s.id)} = ?`).pluck().get(item.sessionId));
    });
    if (text === null) throw new CleanupError(`chat "${item.sessionId}" has no chat JSON`);
    // Fails now, in the preview, if the chat is not a tree this prune can rewrite.
    pruneHistory(text, item.messageIds ?? [], item.sessionId);
    item.rowDigest = digest(text);
  },

  planRepair: () => [],

  touchedFiles: () => undefined,

  apply(plan, ctx) {
    return applySqlitePlan(plan, ctx, {
      deleteSessions(db, ids) {
        if (!ids.length) return { sessions: 0, messages: 0 };
        const s = schemaOf(db, plan.storePath);
        const list = JSON.stringify(ids);
        const j = `c.${ident(s.json)}`;
        const messages = Number(
          db
            .prepare(`SELECT coalesce(sum(CASE WHEN json_valid(${j}) AND json_type(${j}, '$.history.messages') = 'object' THEN (SELECT count(*) FROM json_each(${j}, '$.history.messages')) ELSE 0 END), 0)
              FROM ${ident(s.chat)} c WHERE c.${ident(s.id)} IN ${IN_IDS}`)
            .pluck()
            .get(list),
        );
        deleteBeside(db, list);
        // The copies share links show are rows of their own, owned by "shared-<chat id>".
        const copies = JSON.stringify(ids.map((id) => `shared-${id}`));
        db.prepare(`DELETE FROM ${ident(s.chat)} WHERE CAST(${ident(s.userId)} AS TEXT) IN ${IN_IDS}`).run(copies);
        const sessions = db.prepare(`DELETE FROM ${ident(s.chat)} WHERE ${ident(s.id)} IN ${IN_IDS}`).run(list).changes;
        return { sessions, messages };
      },
      pruneMessages(db, item: PlannedItem) {
        const s = schemaOf(db, plan.storePath);
        const text = sqlText(db.prepare(`SELECT ${ident(s.json)} FROM ${ident(s.chat)} WHERE ${ident(s.id)} = ?`).pluck().get(item.sessionId));
        if (text === null || digest(text) !== item.rowDigest) {
          throw new ConcurrentChangeError(`chat "${item.sessionId}" changed after the preview (Open WebUI wrote to it); nothing was changed. Preview again.`);
        }
        const pruned = pruneHistory(text, item.messageIds ?? [], item.sessionId);
        const current = tableColumns(db, s.chat).has('current_message_id') ? ', current_message_id = ?' : '';
        db.prepare(`UPDATE ${ident(s.chat)} SET ${ident(s.json)} = ?${current} WHERE ${ident(s.id)} = ?`).run(...[pruned.json, ...(current ? [pruned.currentId] : []), item.sessionId]);
        if (tableColumns(db, 'chat_message').has('chat_id')) {
          db.prepare(`DELETE FROM chat_message WHERE chat_id = ? AND id IN ${IN_IDS}`).run(item.sessionId, JSON.stringify(pruned.removed.map((id) => `${item.sessionId}-${id}`)));
        }
        return pruned.removed.length;
      },
    });
  },
};
