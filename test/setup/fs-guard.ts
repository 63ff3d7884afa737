/**
 * Test-time guard of the file rule (docs/ARCHITECTURE.md, "Files and SQLite"): while the tests run,
 * every node:fs function that opens a descriptor on a path is wrapped, and a call from Arbor's own
 * code (a caller under src/) on a SQLite database or sidecar (-journal, -wal, -shm) fails the test.
 * Closing any descriptor of a SQLite file drops the locks this process holds on it, so such a call is
 * exactly the bug that corrupted stores. ESLint forbids the same calls statically; this catches what
 * lint cannot see (a helper, a library, a path that only turns out to be a database at run time).
 *
 * Whether a file is a database is asked of SQLite itself (an immutable connection: no locks, no side
 * files), never by reading it here, which would be the very fault it looks for. Test code and
 * libraries may do as they like: only frames under src/ are judged.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { afterEach, expect } from 'vitest';

// URI filenames must be on before the native module loads (the first connection); see src/core/sqlite/open.ts.
process.env.SQLITE_USE_URI = '1';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src') + '/';
const SIDECAR = /-(journal|wal|shm|mj[0-9a-f]{8})$/i;
const WRAPPED = Symbol.for('arbor.fs-guard');

export interface FsViolation {
  fn: string;
  path: string;
  why: string;
  caller: string;
}

/** Violations since the last check; afterEach fails the test that made them. */
export const violations: FsViolation[] = [];

/** Why touching `path` with a plain descriptor breaks the rule, or null when it does not. */
export function ruleBreach(path: string): string | null {
  if (SIDECAR.test(basename(path))) return 'a SQLite sidecar file';
  let stats: fs.Stats;
  try {
    stats = fs.statSync(path);
  } catch {
    return null; // A file being created: nobody holds locks on it.
  }
  if (!stats.isFile() || stats.size === 0) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(`file://${resolve(path).replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}?immutable=1`, { readonly: true, fileMustExist: true });
    db.pragma('schema_version');
    return 'a SQLite database';
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    return code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN' ? null : 'a SQLite database';
  } finally {
    db?.close();
  }
}

/** The first frame outside this file, node's internals and node_modules: who made the call. */
export function callerOf(stack: string | undefined): string | null {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const at = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (!at) continue;
    const file = at[1].replace(/^file:\/\//, '');
    if (file.endsWith('/test/setup/fs-guard.ts') || file.includes('/node_modules/')) continue;
    return file;
  }
  return null;
}

/** The decision the wrappers make, separately callable so the guard itself can be tested. */
export function judge(fn: string, path: unknown, caller: string | null): FsViolation | null {
  if (caller === null || !caller.startsWith(SRC)) return null;
  if (typeof path !== 'string' && !(path instanceof URL) && !Buffer.isBuffer(path)) return null;
  const p = path instanceof URL ? path.pathname : String(path);
  const why = ruleBreach(p);
  return why ? { fn, path: p, why, caller } : null;
}

function guard<T extends (...args: never[]) => unknown>(owner: Record<string, unknown>, name: string, paths: number[]): void {
  const original = owner[name] as T | undefined;
  if (typeof original !== 'function' || (original as unknown as Record<symbol, boolean>)[WRAPPED]) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const caller = callerOf(new Error().stack);
    for (const i of paths) {
      const violation = judge(name, args[i], caller);
      if (violation) {
        violations.push(violation);
        throw new Error(`fs-guard: ${name}(${violation.path}) from ${violation.caller}: ${violation.why} must be opened only through SQLite`);
      }
    }
    return (original as unknown as (...a: unknown[]) => unknown).apply(this, args);
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  owner[name] = wrapped;
}

const fsAll = fs as unknown as Record<string, unknown>;
for (const name of ['openSync', 'open', 'readFileSync', 'readFile', 'writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'createReadStream', 'createWriteStream', 'truncateSync', 'truncate', 'openAsBlob']) guard(fsAll, name, [0]);
for (const name of ['copyFileSync', 'copyFile', 'cpSync', 'cp']) guard(fsAll, name, [0, 1]);
const promises = fs.promises as unknown as Record<string, unknown>;
for (const name of ['open', 'readFile', 'writeFile', 'appendFile', 'truncate']) guard(promises, name, [0]);
for (const name of ['copyFile', 'cp']) guard(promises, name, [0, 1]);
syncBuiltinESMExports();

afterEach(() => {
  const seen = violations.splice(0);
  expect(seen, 'plain fs access to SQLite files from src/ (see test/setup/fs-guard.ts)').toEqual([]);
});
