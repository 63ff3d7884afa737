import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openWritable, type SqliteDatabase } from '../sqlite/open';
import { cacheRoot } from './cache-dir';

/**
 * What a session list needs of each file in a big folder of session files (a Claude Code
 * `projects/` folder holds thousands, 20 GB is common), kept between runs so a second listing reads
 * no file at all. An entry is valid while the file's size and mtime are what they were; anything
 * else is read again. The values are a layout's own summary (title, times, counts), as JSON.
 *
 * One SQLite file in Arbor's cache folder holds every layout's entries under its namespace. It is
 * Arbor's own file, rebuilt when it is damaged; when it cannot be opened at all the cache works in
 * memory for this run, so listing never fails because of it.
 */

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS summaries (
  namespace TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (namespace, path)
) WITHOUT ROWID`;

interface Entry<T> {
  size: number;
  mtimeMs: number;
  value: T;
}

export interface FileSummaryCacheOptions {
  /** The cache folder; cacheRoot() by default. */
  root?: string;
}

export class FileSummaryCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly dirty = new Map<string, Entry<T>>();
  private db: SqliteDatabase | null;

  /**
   * `namespace` names the layout and the version of its summary shape ("claude-code@1"): a new
   * version starts empty instead of reading summaries of an older shape.
   */
  constructor(
    private readonly namespace: string,
    options: FileSummaryCacheOptions = {},
  ) {
    this.db = openCacheDb(options.root ?? cacheRoot());
    if (!this.db) return;
    try {
      const rows = this.db.prepare('SELECT path, size, mtime_ms, value FROM summaries WHERE namespace = ?').all(namespace) as Array<{
        path: string;
        size: number;
        mtime_ms: number;
        value: string;
      }>;
      for (const r of rows) this.entries.set(r.path, { size: r.size, mtimeMs: r.mtime_ms, value: JSON.parse(r.value) as T });
    } catch {
      // A damaged cache is only a slower listing: start empty.
      this.entries.clear();
    }
  }

  /** The summary kept for `path`, if the file is still the one it was made from. */
  get(path: string, stamp: FileStamp): T | undefined {
    const entry = this.entries.get(path);
    return entry && entry.size === stamp.size && entry.mtimeMs === stamp.mtimeMs ? entry.value : undefined;
  }

  set(path: string, stamp: FileStamp, value: T): void {
    const entry = { size: stamp.size, mtimeMs: stamp.mtimeMs, value };
    this.entries.set(path, entry);
    this.dirty.set(path, entry);
  }

  /** Writes what changed since the last flush, in one transaction. */
  flush(): void {
    if (!this.db || this.dirty.size === 0) return;
    const db = this.db;
    try {
      const put = db.prepare('INSERT OR REPLACE INTO summaries (namespace, path, size, mtime_ms, value) VALUES (?, ?, ?, ?, ?)');
      db.transaction(() => {
        for (const [path, e] of this.dirty) put.run(this.namespace, path, e.size, e.mtimeMs, JSON.stringify(e.value));
      })();
      this.dirty.clear();
    } catch {
      // Another Arbor holds the cache busy, or the disk is full: the entries stay in memory.
    }
  }

  /** Drops entries of files that are gone, so the cache does not grow with every deleted session. */
  forgetMissing(present: ReadonlySet<string>, under: string): void {
    const gone = [...this.entries.keys()].filter((p) => p.startsWith(under) && !present.has(p));
    if (gone.length === 0) return;
    for (const p of gone) {
      this.entries.delete(p);
      this.dirty.delete(p);
    }
    if (!this.db) return;
    try {
      const del = this.db.prepare('DELETE FROM summaries WHERE namespace = ? AND path = ?');
      this.db.transaction(() => {
        for (const p of gone) del.run(this.namespace, p);
      })();
    } catch {
      // Kept until a later listing succeeds in dropping them.
    }
  }

  close(): void {
    this.flush();
    if (this.db?.open) this.db.close();
    this.db = null;
  }
}

const CACHE_FILE = 'file-summaries.db';

function openCacheDb(root: string): SqliteDatabase | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    let db: SqliteDatabase | null = null;
    try {
      mkdirSync(root, { recursive: true, mode: 0o700 });
      db = openWritable(join(root, CACHE_FILE));
      db.pragma('busy_timeout = 200');
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA);
      return db;
    } catch {
      if (db?.open) db.close();
      // Damaged beyond use (not a database, a bad page): it is only a cache, start it again once.
      if (attempt === 0 && !removeCacheFiles(root)) return null;
    }
  }
  return null;
}

/** False when the folder itself is unusable (a file in the way, no permission). */
function removeCacheFiles(root: string): boolean {
  try {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(root, CACHE_FILE + suffix), { force: true });
    return true;
  } catch {
    return false;
  }
}
