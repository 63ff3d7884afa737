import { COLUMNS, findLogTable, type LogTable } from './reader';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, pickColumn, readSchema } from '../../sqlite/schema';
import { IN_IDS, applySqlitePlan } from '../../cleanup/sqlite-write';
import type { LayoutCleaner } from '../../cleanup/cleaner';
import { bytesById } from '../../cleanup/sqlite-read';

/**
 * FORMATS.md §5 (seed 004): session metadata only, snake_case or camelCase columns. Expiry is unix
 * ms (the planner reads it through the adapter, which tells seconds from ms). When a request/
 * response log table is present its rows are the session's transcript and go with the session.
 * There is no transcript of its own to prune.
 */

interface Names {
  S: string;
  id: string;
  log: { table: string; session: string; bytes: string; messages: string } | null;
}

const bytesOf = (column: string) => `coalesce(octet_length(CAST(${column} AS BLOB)), 0)`;
const present = (column: string) => `(${bytesOf(column)} > 0)`;

function names(db: SqliteDatabase): Names {
  const schema = readSchema(db);
  const table = schema.tables.get('sessions');
  const log: LogTable | null = table ? findLogTable(db, schema, table) : null;
  const col = (name: string) => `l.${ident(name)}`;
  return {
    S: ident(table?.name ?? 'sessions'),
    id: ident(pickColumn(schema, 'sessions', COLUMNS.id) ?? 'session_id'),
    log: log && {
      table: ident(log.table),
      session: ident(log.session),
      // Counted as the adapter counts them: a log row with a request and a response is two messages.
      bytes: log.kind === 'pair' ? `${bytesOf(col(log.request))} + ${bytesOf(col(log.response))} + 32` : `${bytesOf(col(log.content))} + 32`,
      messages: log.kind === 'pair' ? `${present(col(log.request))} + ${present(col(log.response))}` : '1',
    },
  };
}

export const sqliteProviderSessionsCleaner: LayoutCleaner = {
  format: 'sqlite-provider-sessions',
  linear: true,
  unsupported: (kind) => (kind === 'prune' ? 'this store keeps session metadata, not a transcript of its own: there are no messages to prune' : null),

  sessionBytes: (path, ids) =>
    bytesById(path, ids, (db) => {
      const n = names(db);
      const logBytes = n.log ? `coalesce((SELECT sum(${n.log.bytes}) FROM ${n.log.table} l WHERE l.${n.log.session} = i.value), 0)` : '0';
      // A metadata row is an id, a chat id, a parent id and four numbers.
      return `coalesce((SELECT 128 FROM ${n.S} s WHERE s.${n.id} = i.value), 0) + ${logBytes}`;
    }),

  planRepair: () => [],
  touchedFiles: () => undefined,

  apply(plan, ctx) {
    return applySqlitePlan(plan, ctx, {
      deleteSessions(db, ids) {
        const n = names(db);
        const list = JSON.stringify(ids);
        let messages = 0;
        if (n.log) {
          messages = Number(db.prepare(`SELECT coalesce(sum(${n.log.messages}), 0) FROM ${n.log.table} l WHERE l.${n.log.session} IN ${IN_IDS}`).pluck().get(list));
          db.prepare(`DELETE FROM ${n.log.table} WHERE ${n.log.session} IN ${IN_IDS}`).run(list);
        }
        const sessions = db.prepare(`DELETE FROM ${n.S} WHERE ${n.id} IN ${IN_IDS}`).run(list).changes;
        return { sessions, messages };
      },
    });
  },
};
