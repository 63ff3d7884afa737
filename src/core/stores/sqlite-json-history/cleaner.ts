import { createHash } from 'node:crypto';
import { sqlText } from '../../adapters/sqlite-common';
import type { SqliteDatabase } from '../../sqlite/open';
import { readSchema } from '../../sqlite/schema';
import { CleanupError, ConcurrentChangeError } from '../../cleanup/errors';
import { jsonArrayPrefix } from '../../cleanup/json-array-prefix';
import { IN_IDS, applySqlitePlan } from '../../cleanup/sqlite-write';
import type { PlannedItem } from '../../cleanup/types';
import type { LayoutCleaner } from '../../cleanup/cleaner';
import { bytesById, countMismatches, withReader } from '../../cleanup/sqlite-read';

/**
 * FORMATS.md §1: one row per session, the history a JSON array in `messages`. Deleting is deleting
 * rows; a prune rewrites one row's array, cut from its text (see jsonArrayPrefix), and only when the
 * row still holds exactly what the preview read. A row whose JSON is unreadable is never rewritten.
 */

const IS_ARRAY = `(CASE WHEN json_valid(messages) THEN json_type(messages) = 'array' ELSE 0 END)`;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Message ids are "<session id>#<index>" (see the adapter). */
function sessionOfMessageId(messageId: string): string | null {
  const at = messageId.lastIndexOf('#');
  return at > 0 && /^\d+$/.test(messageId.slice(at + 1)) ? messageId.slice(0, at) : null;
}

/** Some variants keep a message_count column beside the array; repair keeps it true when present. */
function hasCountColumn(db: SqliteDatabase): boolean {
  return readSchema(db).tables.get('sessions')?.columnSet.has('message_count') ?? false;
}

export const sqliteJsonHistoryCleaner: LayoutCleaner = {
  format: 'sqlite-json-history',
  linear: true,
  unsupported: () => null,

  sessionBytes: (path, ids) =>
    bytesById(path, ids, () => `(SELECT octet_length(CAST(s.messages AS BLOB)) + octet_length(CAST(s.session_id AS BLOB)) + 24 FROM sessions s WHERE s.session_id = i.value)`),

  sessionsOfMessage(path, messageId) {
    const id = sessionOfMessageId(messageId);
    if (id === null) return [];
    return withReader(path, (db) => (db.prepare('SELECT 1 FROM sessions WHERE session_id = ?').get(id) ? [id] : []));
  },

  preparePrune(path, item, loaded) {
    if (loaded.session.status === 'unreadable') {
      throw new CleanupError(`the messages of session "${item.sessionId}" are not readable JSON; Arbor never rewrites such a row (delete the session instead)`);
    }
    const text = withReader(path, (db) => sqlText(db.prepare('SELECT messages FROM sessions WHERE session_id = ?').pluck().get(item.sessionId)));
    if (text === null) throw new CleanupError(`session "${item.sessionId}" has no messages text`);
    item.keep = loaded.messages.length - item.messages;
    item.rowDigest = digest(text);
  },

  planRepair(path) {
    return withReader(path, (db) => {
      if (!hasCountColumn(db)) return [];
      const rows = db.prepare(`SELECT session_id AS id, message_count AS stored, (CASE WHEN ${IS_ARRAY} THEN json_array_length(messages) END) AS actual FROM sessions`).all() as CountRow[];
      return countMismatches(rows.filter((r) => r.actual !== null), 'message_count', 'array items');
    });
  },

  touchedFiles: () => undefined,

  apply(plan, ctx) {
    return applySqlitePlan(plan, ctx, {
      deleteSessions(db, ids) {
        const list = JSON.stringify(ids);
        const messages = Number(
          db.prepare(`SELECT coalesce(sum(CASE WHEN ${IS_ARRAY} THEN json_array_length(messages) ELSE 0 END), 0) FROM sessions WHERE session_id IN ${IN_IDS}`).pluck().get(list),
        );
        const sessions = db.prepare(`DELETE FROM sessions WHERE session_id IN ${IN_IDS}`).run(list).changes;
        return { sessions, messages };
      },
      pruneMessages(db, item: PlannedItem) {
        const text = sqlText(db.prepare('SELECT messages FROM sessions WHERE session_id = ?').pluck().get(item.sessionId));
        if (text === null || digest(text) !== item.rowDigest || item.keep === undefined) {
          throw new ConcurrentChangeError(`session "${item.sessionId}" changed after the preview (the backend wrote to it); nothing was changed. Preview again.`);
        }
        db.prepare('UPDATE sessions SET messages = ? WHERE session_id = ?').run(jsonArrayPrefix(text, item.keep), item.sessionId);
        return item.messages;
      },
      fixCount(db, item) {
        if (!hasCountColumn(db)) return false;
        return db.prepare(`UPDATE sessions SET message_count = json_array_length(messages) WHERE session_id = ? AND ${IS_ARRAY}`).run(item.sessionId).changes > 0;
      },
    });
  },
};

interface CountRow {
  id: unknown;
  stored: unknown;
  actual: number | null;
}
