import { sqlText } from '../../adapters/sqlite-common';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, pickColumn, readSchema } from '../../sqlite/schema';
import { IN_IDS, applySqlitePlan } from '../../cleanup/sqlite-write';
import type { PlannedItem } from '../../cleanup/types';
import type { LayoutCleaner } from '../../cleanup/cleaner';
import { bytesById, withReader } from '../../cleanup/sqlite-read';

/**
 * FORMATS.md §4 (seed 003, Drizzle): `messages` references `sessions` ON DELETE CASCADE, which fires
 * only with foreign keys on (openForCleanup switches them on). The session's messages are deleted
 * explicitly first anyway: that also covers messages whose session row is already gone, and
 * connections that had foreign keys off when they wrote. `__drizzle_migrations` is never touched.
 */

interface Names {
  S: string;
  M: string;
  sId: string;
  mId: string;
  mSession: string;
  mContent: string;
  mRole: string;
}

/** Declared names, matched case-insensitively as the adapter matches them. */
function names(db: SqliteDatabase): Names {
  const schema = readSchema(db);
  const col = (table: string, name: string) => ident(pickColumn(schema, table, [name]) ?? name);
  return {
    S: ident(schema.tables.get('sessions')?.name ?? 'sessions'),
    M: ident(schema.tables.get('messages')?.name ?? 'messages'),
    sId: col('sessions', 'id'),
    mId: col('messages', 'id'),
    mSession: col('messages', 'session_id'),
    mContent: col('messages', 'content'),
    mRole: col('messages', 'role'),
  };
}

const messageBytes = (n: Names) => `octet_length(CAST(m.${n.mContent} AS BLOB)) + octet_length(CAST(m.${n.mRole} AS BLOB)) + octet_length(CAST(m.${n.mId} AS BLOB)) + 48`;
const orphan = (n: Names) => `NOT EXISTS (SELECT 1 FROM ${n.S} s WHERE s.${n.sId} = m.${n.mSession})`;

export const sqliteTenantMessagesCleaner: LayoutCleaner = {
  format: 'sqlite-tenant-messages',
  linear: true,
  unsupported: (kind) => (kind === 'expired' ? 'this layout keeps no expiry time; use older-than instead' : null),

  sessionBytes: (path, ids) =>
    bytesById(path, ids, (db) => {
      const n = names(db);
      return `coalesce((SELECT sum(${messageBytes(n)}) FROM ${n.M} m WHERE m.${n.mSession} = i.value), 0)
        + coalesce((SELECT sum(octet_length(CAST(s.${n.sId} AS BLOB)) + 64) FROM ${n.S} s WHERE s.${n.sId} = i.value), 0)`;
    }),

  sessionsOfMessage(path, messageId) {
    return withReader(path, (db) => {
      const n = names(db);
      return (db.prepare(`SELECT ${n.mSession} FROM ${n.M} WHERE ${n.mId} = ?`).pluck().all(messageId) as unknown[]).map((v) => sqlText(v) ?? '');
    });
  },

  planRepair(path) {
    return withReader(path, (db) => {
      const n = names(db);
      const rows = db
        .prepare(`SELECT m.${n.mSession} AS id, count(*) AS count, sum(${messageBytes(n)}) AS bytes FROM ${n.M} m WHERE ${orphan(n)}
          GROUP BY m.${n.mSession} ORDER BY m.${n.mSession}`)
        .all() as Array<{ id: unknown; count: number; bytes: number }>;
      return rows.map(
        (r): PlannedItem => ({
          action: 'delete-orphaned-rows',
          sessionId: sqlText(r.id) ?? '',
          title: null,
          messages: r.count,
          bytes: Number(r.bytes),
          detail: `${r.count} message(s) whose session row is gone`,
        }),
      );
    });
  },

  touchedFiles: () => undefined,

  apply(plan, ctx) {
    return applySqlitePlan(plan, ctx, {
      deleteSessions(db, ids) {
        const n = names(db);
        const list = JSON.stringify(ids);
        const sessions = db
          .prepare(`SELECT count(*) FROM json_each(?) i WHERE EXISTS (SELECT 1 FROM ${n.S} s WHERE s.${n.sId} = i.value)
            OR EXISTS (SELECT 1 FROM ${n.M} m WHERE m.${n.mSession} = i.value)`)
          .pluck()
          .get(list);
        const messages = db.prepare(`DELETE FROM ${n.M} WHERE ${n.mSession} IN ${IN_IDS}`).run(list).changes;
        db.prepare(`DELETE FROM ${n.S} WHERE ${n.sId} IN ${IN_IDS}`).run(list);
        return { sessions: Number(sessions), messages };
      },
      pruneMessages(db, item) {
        const n = names(db);
        return db.prepare(`DELETE FROM ${n.M} WHERE ${n.mSession} = ? AND ${n.mId} IN ${IN_IDS}`).run(item.sessionId, JSON.stringify(item.messageIds ?? [])).changes;
      },
      deleteOrphanedRows(db, ids) {
        const n = names(db);
        const list = JSON.stringify(ids);
        const sessions = db.prepare(`SELECT count(DISTINCT m.${n.mSession}) FROM ${n.M} m WHERE m.${n.mSession} IN ${IN_IDS} AND ${orphan(n)}`).pluck().get(list);
        const messages = db.prepare(`DELETE FROM ${n.M} AS m WHERE m.${n.mSession} IN ${IN_IDS} AND ${orphan(n)}`).run(list).changes;
        return { sessions: Number(sessions), messages };
      },
    });
  },
};
