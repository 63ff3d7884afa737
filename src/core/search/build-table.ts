import type { SqliteDatabase } from '../sqlite/open';
import { cjkBody } from './cjk';
import { readMeta, clearIndex, writeMeta } from './index-db';
import type { IndexProgress, SearchTable } from './types';

/**
 * The fast path for a layout that keeps one message per row: the rows are read in row-id order
 * straight from the table (through a read-only connection of the store) and their text goes into
 * FTS5 under the same row id. Incremental by row ids: rows past the last one indexed are appended;
 * when rows were deleted (the count does not add up) the index is built again.
 */

const CHUNK = 50_000;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function updateTable(
  index: SqliteDatabase,
  store: SqliteDatabase,
  table: SearchTable,
  progress: (p: IndexProgress) => void,
  pause: () => Promise<void>,
): Promise<number> {
  const t = q(table.table);
  const rowid = q(table.rowId);
  progress({ phase: 'checking', done: 0, total: null });
  const { max, count } = store.prepare(`SELECT coalesce(max(${rowid}), 0) AS max, count(*) AS count FROM ${t}`).get() as { max: number; count: number };
  const meta = readMeta(index);
  let from = Number(meta.maxRow ?? 0);
  let indexed = Number(meta.rows ?? 0);
  const fresh = store.prepare(`SELECT count(*) FROM ${t} WHERE ${rowid} > ?`).pluck();
  const added = from > max ? -1 : (fresh.get(from) as number);
  if (added < 0 || indexed + added !== count) {
    // Rows were deleted (or the table replaced): start again from nothing.
    clearIndex(index, 'table');
    from = 0;
    indexed = 0;
  }
  const total = count - indexed;
  const rows = store.prepare(`SELECT ${rowid} AS id, ${q(table.content)} AS content FROM ${t} WHERE ${rowid} > ? ORDER BY ${rowid} LIMIT ${CHUNK}`).raw();
  const putFts = index.prepare('INSERT INTO fts (rowid, body) VALUES (?, ?)');
  const putCjk = index.prepare('INSERT INTO cjk (rowid, body) VALUES (?, ?)');
  let done = 0;
  for (;;) {
    const batch = rows.all(from) as Array<[number, unknown]>;
    if (batch.length === 0) break;
    index.transaction(() => {
      for (const [id, content] of batch) {
        if (typeof id !== 'number') continue;
        const text = typeof content === 'string' ? content : content instanceof Uint8Array ? Buffer.from(content).toString('utf8') : content === null ? '' : String(content);
        putFts.run(id, text);
        const cjk = cjkBody(text);
        if (cjk) putCjk.run(id, cjk);
      }
      from = batch[batch.length - 1][0];
      indexed += batch.length;
      writeMeta(index, { maxRow: String(from), rows: String(indexed) });
    })();
    done += batch.length;
    progress({ phase: 'indexing', done, total });
    await pause();
  }
  writeMeta(index, { maxRow: String(Math.max(from, 0)), rows: String(indexed) });
  return done;
}
