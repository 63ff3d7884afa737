import Database from 'better-sqlite3';
import { ESLint } from 'eslint';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAccessError } from '../../src/core/files/errors';
import { copyPlainFile, readFileHead, readTextFile } from '../../src/core/files/read';
import { guardedReadFileSync } from '../../src/core/files/guarded-fs';
import { discoverSources, openStore } from '../../src/core/catalog';
import { ArborService } from '../../src/core/service/arbor-service';
import { tempDir } from '../fixtures/tmp';
import { callerOf, judge } from '../setup/fs-guard';

/**
 * The file rule (docs/ARCHITECTURE.md, "Files and SQLite"): outside src/core/files and src/core/sqlite
 * nothing opens a file with fs, and nothing anywhere opens a SQLite database or sidecar except SQLite.
 * Both enforcements must be able to fail: each is shown a planted violation here.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const SRC_FILE = join(ROOT, 'src/core/scan/planted.ts');

function sqliteStore(dir: string, name = 'store.db', wal = false): string {
  const path = join(dir, name);
  const db = new Database(path);
  if (wal) db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, messages TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
    INSERT INTO sessions VALUES ('s1', '[{"role":"user","content":"hi"}]', 1, 1, 1);`);
  return path;
}

describe('ESLint forbids plain file access outside the owning modules', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const planted = [
    `import { readFileSync } from 'node:fs';\nexport const head = readFileSync('store.db');\n`,
    `import { openSync, closeSync } from 'fs';\ncloseSync(openSync('store.db', 'r'));\n`,
    `import * as fs from 'node:fs';\nexport const head = fs.readFileSync('store.db');\n`,
    `import { readFile } from 'node:fs/promises';\nexport const head = readFile('store.db');\n`,
    `import Database from 'better-sqlite3';\nexport const db = new Database('store.db');\n`,
  ];

  it('reports each planted violation in src/', async () => {
    for (const code of planted) {
      const [result] = await eslint.lintText(code, { filePath: SRC_FILE });
      const rules = result.messages.map((m) => m.ruleId);
      expect(rules.some((r) => r === '@typescript-eslint/no-restricted-imports' || r === 'no-restricted-syntax'), code).toBe(true);
    }
  }, 60_000);

  it('lets the owning modules do it', async () => {
    const [files] = await eslint.lintText(planted[0], { filePath: join(ROOT, 'src/core/files/planted.ts') });
    const [sqlite] = await eslint.lintText(planted[4], { filePath: join(ROOT, 'src/core/sqlite/planted.ts') });
    expect([...files.messages, ...sqlite.messages].filter((m) => m.ruleId?.includes('restricted'))).toEqual([]);
  }, 60_000);
});

describe('the test-time guard (test/setup/fs-guard.ts) fails plain fs access to SQLite files from src/', () => {
  it('judges a database and every sidecar a violation from src/, and nothing from test code', () => {
    const dir = tempDir();
    const db = sqliteStore(dir, 'store.db', true);
    const plain = join(dir, 'messages.jsonl');
    writeFileSync(plain, '{"id":"a"}\n');
    expect(judge('readFileSync', db, SRC_FILE)?.why).toBe('a SQLite database');
    for (const sidecar of ['-wal', '-shm', '-journal']) expect(judge('openSync', `${db}${sidecar}`, SRC_FILE)?.why).toBe('a SQLite sidecar file');
    expect(judge('readFileSync', plain, SRC_FILE)).toBeNull();
    expect(judge('readFileSync', db, join(ROOT, 'test/x.test.ts'))).toBeNull();
  });

  it('knows who called', () => {
    const stack = `Error\n    at wrapped (${ROOT}/test/setup/fs-guard.ts:90:10)\n    at readHead (${ROOT}/src/core/scan/probe.ts:23:15)\n    at x (${ROOT}/test/a.test.ts:1:1)`;
    expect(callerOf(stack)).toBe(`${ROOT}/src/core/scan/probe.ts`);
  });
});

describe('the files module refuses SQLite files and opens nothing on them', () => {
  it('refuses a database and its sidecars by name and by asking SQLite, before any descriptor is opened', () => {
    const dir = tempDir();
    const db = sqliteStore(dir, 'looks-like.jsonl', true);
    for (const read of [() => readTextFile(db), () => readFileHead(db, 16), () => guardedReadFileSync(db), () => copyPlainFile(db, join(dir, 'copy'))]) {
      expect(read).toThrow(FileAccessError);
      expect(read).toThrow(/is a SQLite database; Arbor reads it only through SQLite/);
    }
    for (const sidecar of ['-wal', '-shm']) expect(() => readTextFile(`${db}${sidecar}`)).toThrow(/is the SQLite (write-ahead log|WAL index \(shared memory\)) of/);
  });

  it('opens a SQLite store whose file name says nothing, judged by SQLite, not by a header read', () => {
    const dir = tempDir();
    sqliteStore(dir, 'notes.txt');
    const source = openStore(join(dir, 'notes.txt'));
    expect(source.format).toBe('sqlite-json-history');
    source.close();
  });

  it('scans a folder of a live WAL store without probing its sidecars, and refuses a sidecar given as the path', () => {
    const dir = tempDir();
    const path = sqliteStore(dir, 'store.db', true);
    const writer = new Database(path);
    writer.prepare("INSERT INTO sessions VALUES ('s2', '[]', 2, 2, 2)").run();
    expect(readdirSync(dir).sort()).toEqual(['store.db', 'store.db-shm', 'store.db-wal']);
    const found = discoverSources([dir]);
    expect(found.sources.map((s) => s.path)).toEqual([path]);
    expect(found.warnings).toEqual([]);
    expect(found.sources[0].listSessions().total).toBe(2);
    for (const s of found.sources) s.close();
    expect(() => discoverSources([`${path}-wal`])).toThrow(/is the SQLite write-ahead log of .*store\.db, not a store of its own/);
    writer.close();
  });
});

describe('an open store is not probed again', () => {
  it('the service reuses a source for a path (or a folder holding it) that is already open', () => {
    const dir = tempDir();
    const path = sqliteStore(dir);
    const service = new ArborService({ info: { version: 't', host: 'browser' } as never });
    const first = service.open([path]).opened[0];
    const again = service.open([path]).opened[0];
    const viaFolder = service.open([dir]).opened;
    expect(again.id).toBe(first.id);
    expect(viaFolder.map((s) => s.id)).toEqual([first.id]);
    expect(service.handlers['sources.list']({} as never)).toHaveLength(1);
    service.closeAll();
  });

  it('discovery reports paths the caller has open instead of opening them', () => {
    const dir = tempDir();
    const path = sqliteStore(dir);
    const found = discoverSources([dir], { isOpen: (p) => p === path });
    expect(found.sources).toEqual([]);
    expect(found.alreadyOpen).toEqual([path]);
  });
});
