import Database from 'better-sqlite3';

/**
 * One place that opens SQLite files, so the native binding can be chosen once per process: tests and
 * the CLI run under Node's ABI with the default build, the Electron app passes the path of the build
 * made for Electron's ABI (see scripts/ensure-electron-native.mjs).
 */
let nativeBinding: string | undefined;

export function useSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

export type SqliteDatabase = Database.Database;

/** Read-only, must exist: reading a store never creates or changes a file. */
export function openReadOnly(path: string): SqliteDatabase {
  const db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
  // A backend may be writing: wait for its lock instead of failing at once.
  db.pragma('busy_timeout = 5000');
  return db;
}

/** For writers (import, cleanup) and for tests that build fixture stores. */
export function openWritable(path: string): SqliteDatabase {
  const db = new Database(path, { nativeBinding });
  db.pragma('busy_timeout = 5000');
  return db;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

export function isSqliteHeader(head: Buffer): boolean {
  return head.length >= 16 && head.subarray(0, 16).toString('latin1') === SQLITE_HEADER;
}
