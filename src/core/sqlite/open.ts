import Database from 'better-sqlite3';
import { resolve } from 'node:path';

/**
 * The one place that opens SQLite connections (ESLint keeps better-sqlite3 out of every other
 * module), so the native binding is chosen once per process and every descriptor on a store's
 * files is SQLite's own. SQLite's unix VFS shares one record per file among all connections of the
 * process and defers closing a descriptor while any of them holds a lock, which is why a second
 * connection is safe where a plain `fs` open/close of the same file is not (POSIX locks belong to
 * the process and close() of any descriptor drops them all).
 *
 * Tests and the CLI run under Node's ABI with the default build; the Electron app passes the path
 * of the build made for Electron's ABI (see scripts/ensure-electron-native.mjs).
 */
let nativeBinding: string | undefined;

// URI filenames (`file:…?immutable=1`) let a reader open a store without locks or sidecar files
// (see reader.ts). better-sqlite3 reads this variable once, when its native module loads, which is
// at the first connection, after this line. It must be in the real environment: a worker thread's
// process.env is its own copy, so a host that opens stores in workers sets it before starting them.
process.env.SQLITE_USE_URI = '1';

export function useSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/**
 * How long a reader waits for a backend's lock before SQLITE_BUSY. In-process (CLI, tests) a read
 * may wait long; the service workers wait a few hundred ms and answer `busy`, which the app retries
 * with backoff while showing that it waits — each source has its own worker, so the wait stalls
 * nothing else, but a long one would hold the user's call without saying why.
 */
let readBusyTimeoutMs = 5000;

export function setReadBusyTimeout(ms: number): void {
  readBusyTimeoutMs = ms;
}

export type SqliteDatabase = Database.Database;

let uriChecked = false;

/** Fails loudly when URI filenames are off (the native module loaded before the line above ran). */
function assertUriFilenames(): void {
  if (uriChecked) return;
  // With URIs off this names a file in a folder "file:" that does not exist: it fails, creating nothing.
  try {
    new Database('file:/arbor-uri-check/none?mode=memory', { nativeBinding }).close();
  } catch {
    throw new Error('SQLite URI filenames are off in this process (the native module was loaded before SQLITE_USE_URI=1 was set); Arbor cannot read stores without writing to them');
  }
  uriChecked = true;
}

/** A `file:` URI for an absolute path with query parameters (SQLite's URI rules: %, ? and # escaped). */
export function sqliteUri(path: string, params: Record<string, string>): string {
  const full = resolve(path).replace(/\\/g, '/');
  const escaped = full.replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const query = Object.entries(params).map(([k, v]) => `${k}=${v}`).join('&');
  return `file://${escaped.startsWith('/') ? '' : '/'}${escaped}${query ? `?${query}` : ''}`;
}

/** A read-only connection to a file that must exist; `params` become URI parameters (immutable, nolock). */
export function connectReadOnly(path: string, params: Record<string, string> = {}): SqliteDatabase {
  assertUriFilenames();
  const name = Object.keys(params).length ? sqliteUri(path, params) : path;
  const db = new Database(name, { readonly: true, fileMustExist: true, nativeBinding });
  // A backend may be writing: wait for its lock a bounded time instead of failing at once.
  db.pragma(`busy_timeout = ${readBusyTimeoutMs}`);
  return db;
}

/**
 * For writers (import, cleanup, rolling back a hot journal) and for tests that build fixture stores.
 * `mustExist`: fail instead of creating a new empty database when the file is gone; every writer of
 * an existing store passes it, so a store that vanished is never re-created empty.
 */
export function openWritable(path: string, options: { mustExist?: boolean } = {}): SqliteDatabase {
  assertUriFilenames();
  const db = new Database(path, { fileMustExist: options.mustExist === true, nativeBinding });
  db.pragma('busy_timeout = 5000');
  return db;
}

export { openReadOnly } from './reader';
