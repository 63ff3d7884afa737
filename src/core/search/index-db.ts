import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openWritable, type SqliteDatabase } from '../sqlite/open';

/**
 * The index file of one source: `<cache>/search/<hash of layout and path>.db`, Arbor's own file,
 * never beside the store. It holds no message text: the FTS5 tables are contentless (snippets are
 * built from the store's text), so the index stays a fraction of the store's size.
 *
 * Two shapes, chosen by how the source is fed:
 * - `table` (the fast path, one row per message): the FTS rowid is the store's row id; nothing else
 *   is kept per message (session, role and time are read back from the rows of the hits). Rows are
 *   only appended; a deletion or edit rebuilds, so the FTS table keeps no sizes (columnsize=0).
 * - `generic` (any reader): one doc per message and kind, mapped in `docs` to its session and
 *   message; a session that changed is deleted and indexed again (contentless_delete).
 */

export const INDEX_VERSION = 1;
export type IndexShape = 'table' | 'generic';

const UNICODE = "tokenize='unicode61 remove_diacritics 2'";

function schema(shape: IndexShape): string {
  const options = shape === 'table' ? 'columnsize=0' : 'contentless_delete=1';
  const common = `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
    CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(body, content='', ${options}, ${UNICODE});
    CREATE VIRTUAL TABLE IF NOT EXISTS cjk USING fts5(body, content='', ${options}, tokenize='trigram');`;
  if (shape === 'table') return common;
  return `${common}
    CREATE TABLE IF NOT EXISTS sessions (sid INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, stamp TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS docs (rowid INTEGER PRIMARY KEY, sid INTEGER NOT NULL, message_id TEXT NOT NULL, role INTEGER NOT NULL, kind INTEGER NOT NULL, ts INTEGER);
    CREATE INDEX IF NOT EXISTS docs_sid ON docs(sid);`;
}

export function indexFileOf(root: string, format: string, storePath: string): string {
  const hash = createHash('sha256').update(`${format}\u0000${storePath}`).digest('hex').slice(0, 32);
  return join(root, 'search', `${hash}.db`);
}

export interface OpenedIndex {
  db: SqliteDatabase;
  /** Why an existing index was thrown away and started again (damaged, another version), or null. */
  rebuilt: string | null;
}

/** Opens (or creates) the index; a file that is damaged or of another shape is removed and started again. */
export function openIndexDb(file: string, shape: IndexShape): OpenedIndex {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  let rebuilt: string | null = null;
  for (let attempt = 0; ; attempt++) {
    let db: SqliteDatabase | null = null;
    try {
      db = openWritable(file);
      db.pragma('busy_timeout = 2000');
      const fresh = (db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").pluck().get() as number) === 0;
      if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
      // A new index is first built without a journal (source-index.ts); WAL from then on, so
      // another Arbor (the CLI beside the app) reads while this one writes.
      if (!fresh) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(schema(shape));
      const meta = readMeta(db);
      if (fresh) {
        writeMeta(db, { version: String(INDEX_VERSION), shape });
      } else if (meta.building === '1') {
        throw new StaleIndex('its first build was cut short');
      } else if (meta.version !== String(INDEX_VERSION) || meta.shape !== shape) {
        throw new StaleIndex(`the index was made by another version of Arbor (${meta.version ?? '?'}, ${meta.shape ?? '?'})`);
      }
      return { db, rebuilt };
    } catch (error) {
      if (db?.open) db.close();
      if (attempt > 0) throw error;
      rebuilt = error instanceof StaleIndex ? error.message : `the index was damaged (${(error as Error).message})`;
      removeIndexFiles(file);
    }
  }
}

class StaleIndex extends Error {}

export function removeIndexFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

export function readMeta(db: SqliteDatabase): Record<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export function writeMeta(db: SqliteDatabase, values: Record<string, string | null>): void {
  const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  const del = db.prepare('DELETE FROM meta WHERE key = ?');
  for (const [k, v] of Object.entries(values)) {
    if (v === null) del.run(k);
    else put.run(k, v);
  }
}

/** Empties the index (the fast path's rebuild): faster than deleting rows one by one. */
export function clearIndex(db: SqliteDatabase, shape: IndexShape): void {
  db.exec("INSERT INTO fts(fts) VALUES('delete-all'); INSERT INTO cjk(cjk) VALUES('delete-all');");
  if (shape === 'generic') db.exec('DELETE FROM docs; DELETE FROM sessions;');
}

/** A big in-memory hash while building: fewer, larger segments (faster, and a smaller file). */
export function tuneForBuild(db: SqliteDatabase): void {
  db.exec("INSERT INTO fts(fts, rank) VALUES('hashsize', 67108864); INSERT INTO cjk(cjk, rank) VALUES('hashsize', 8388608);");
}

export function isCorruption(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  return code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB';
}
