import { sqlText } from '../../adapters/sqlite-common';
import type { SqliteDatabase } from '../../sqlite/open';
import { hasColumns, readSchema } from '../../sqlite/schema';
import { IN_IDS, applySqlitePlan } from '../../cleanup/sqlite-write';
import type { PlannedItem } from '../../cleanup/types';
import type { LayoutCleaner } from '../../cleanup/cleaner';
import { bytesById, countMismatches, withReader } from '../../cleanup/sqlite-read';

/**
 * FORMATS.md §3 (seed 002): `sessions` + `chat_history`, whose foreign key has no cascade, so a
 * session's history rows are deleted with it, explicitly and first (with foreign keys on, deleting
 * a session row that still has history would fail). `message_count` is the backend's own counter:
 * a prune lowers it by exactly what it removed, leaving an earlier drift for repair to show and fix.
 */

const ORPHAN = `NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = h.session_id)`;

/** Older databases lack the metadata columns; bytes are estimated from what is there. */
function historyBytesSql(db: SqliteDatabase): string {
  const meta = hasColumns(readSchema(db), 'chat_history', ['metadata']) ? ' + coalesce(octet_length(CAST(h.metadata AS BLOB)), 0)' : '';
  return `octet_length(CAST(h.content AS BLOB)) + octet_length(CAST(h.role AS BLOB))${meta} + 32`;
}

export const sqliteChatHistoryCleaner: LayoutCleaner = {
  format: 'sqlite-chat-history',
  linear: true,
  unsupported: () => null,

  sessionBytes: (path, ids) =>
    bytesById(
      path,
      ids,
      (db) => `coalesce((SELECT sum(${historyBytesSql(db)}) FROM chat_history h WHERE h.session_id = i.value), 0)
        + coalesce((SELECT octet_length(CAST(s.session_id AS BLOB)) + coalesce(octet_length(CAST(s.device_fingerprint AS BLOB)), 0) + 40
            FROM sessions s WHERE s.session_id = i.value), 0)`,
    ),

  sessionsOfMessage(path, messageId) {
    if (!/^\d+$/.test(messageId)) return [];
    return withReader(path, (db) => (db.prepare('SELECT session_id FROM chat_history WHERE id = ?').pluck().all(Number(messageId)) as unknown[]).map((v) => sqlText(v) ?? ''));
  },

  planRepair(path) {
    return withReader(path, (db) => {
      const orphans = db
        .prepare(`SELECT h.session_id AS id, count(*) AS n, sum(${historyBytesSql(db)}) AS bytes, min(h.id) AS first, max(h.id) AS last
          FROM chat_history h WHERE ${ORPHAN} GROUP BY h.session_id ORDER BY h.session_id`)
        .all() as Array<{ id: unknown; n: number; bytes: number; first: number; last: number }>;
      const items: PlannedItem[] = orphans.map((o) => ({
        action: 'delete-orphaned-rows',
        sessionId: sqlText(o.id) ?? '',
        title: null,
        messages: o.n,
        bytes: Number(o.bytes),
        detail: `${o.n} chat_history row(s) (ids ${o.first}–${o.last}) whose session row is gone`,
      }));
      const counts = db
        .prepare(`SELECT s.session_id AS id, s.message_count AS stored, (SELECT count(*) FROM chat_history h WHERE h.session_id = s.session_id) AS actual FROM sessions s ORDER BY s.session_id`)
        .all() as Array<{ id: unknown; stored: unknown; actual: number }>;
      return [...items, ...countMismatches(counts, 'message_count', 'chat_history rows')];
    });
  },

  touchedFiles: () => undefined,

  apply(plan, ctx) {
    return applySqlitePlan(plan, ctx, {
      deleteSessions(db, ids) {
        const list = JSON.stringify(ids);
        // An id only chat_history knows (an unindexed session) is listed as a session too.
        const sessions = db
          .prepare(`SELECT count(*) FROM json_each(?) i WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = i.value)
            OR EXISTS (SELECT 1 FROM chat_history h WHERE h.session_id = i.value)`)
          .pluck()
          .get(list);
        const messages = db.prepare(`DELETE FROM chat_history WHERE session_id IN ${IN_IDS}`).run(list).changes;
        db.prepare(`DELETE FROM sessions WHERE session_id IN ${IN_IDS}`).run(list);
        return { sessions: Number(sessions), messages };
      },
      pruneMessages(db, item) {
        const removed = db
          .prepare(`DELETE FROM chat_history WHERE session_id = ? AND id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))`)
          .run(item.sessionId, JSON.stringify(item.messageIds ?? [])).changes;
        db.prepare(`UPDATE sessions SET message_count = max(0, message_count - ?) WHERE session_id = ? AND typeof(message_count) = 'integer'`).run(removed, item.sessionId);
        return removed;
      },
      deleteOrphanedRows(db, ids) {
        // Only rows that are still orphans: a session row created meanwhile claims its history back.
        const before = db.prepare(`SELECT count(DISTINCT h.session_id) FROM chat_history h WHERE h.session_id IN ${IN_IDS} AND ${ORPHAN}`).pluck().get(JSON.stringify(ids));
        const messages = db.prepare(`DELETE FROM chat_history AS h WHERE h.session_id IN ${IN_IDS} AND ${ORPHAN}`).run(JSON.stringify(ids)).changes;
        return { sessions: Number(before), messages };
      },
      fixCount(db, item) {
        return (
          db.prepare(`UPDATE sessions SET message_count = (SELECT count(*) FROM chat_history h WHERE h.session_id = sessions.session_id) WHERE session_id = ?`).run(item.sessionId)
            .changes > 0
        );
      },
    });
  },
};
