import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { listTrash } from '../../src/core/safety/trash';
import { discoverSources, openStore } from '../../src/core/catalog';
import { tempDir } from '../fixtures/tmp';
import { TRIAL_LAYOUTS } from './trial-layouts';

/**
 * A hot journal (a writer killed mid-transaction in rollback-journal mode) is rolled back where Arbor
 * opens the store, by design (SQLite requires it before anyone can read), but never without the
 * database and its journal in the trash first, and always said in a warning on the source.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const AS_ROOT = process.getuid?.() === 0;

function chatStore(dir = tempDir('arbor-hot-')): string {
  const path = join(dir, 'store.db');
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  TRIAL_LAYOUTS['sqlite-chat-history'].seed(db, Date.now());
  db.close();
  return path;
}

/** A writer that dies (kill -9) inside a big transaction, after its cache spilled pages into the file. */
function crashMidTransaction(path: string, table = 'chat_history'): void {
  const script = `
import os, sqlite3
db = sqlite3.connect(${JSON.stringify(path)}, isolation_level=None)
db.execute("PRAGMA cache_size = 1")
db.execute("BEGIN")
for i in range(3000):
    db.execute("INSERT INTO ${table} (session_id, role, content) VALUES ('keep-0', 'user', ?)", ("uncommitted " * 40,))
os.kill(os.getpid(), 9)`;
  spawnSync('python3', ['-c', script]);
  if (!existsSync(`${path}-journal`) || statSync(`${path}-journal`).size === 0) throw new Error('no hot journal was left');
}

/** Rows in chat_history; `writable` lets SQLite roll back a hot journal first (test code may). */
const committedCount = (path: string, writable = false) => {
  const db = new Database(path, { readonly: !writable });
  try {
    return db.prepare('SELECT count(*) FROM chat_history').pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('a hot journal a crashed writer left', () => {
  it('is rolled back when the store is opened, after the database and journal went to the trash, and the source says so', () => {
    const path = chatStore();
    const committed = committedCount(path);
    crashMidTransaction(path);
    const sizes = { db: statSync(path).size, journal: statSync(`${path}-journal`).size };
    const trash = tempDir('arbor-hot-trash-');
    const source = openStore(path, { trashDir: trash });
    const warning = source.describe().warnings.find((w) => w.code === 'hot-journal-rolled-back');
    expect(source.loadSession('keep-0')?.messages).toHaveLength(3);
    source.close();
    expect(warning?.message).toMatch(/store\.db-journal, \d+(\.\d)? KiB\)\. Arbor rolled that unfinished transaction back/);
    const [entry] = listTrash(trash).entries;
    expect(warning?.message).toContain(entry.id);
    expect(entry.operation).toBe('hot-journal-rollback');
    expect(entry.files.map((f) => [f.kind, f.bytes])).toEqual([
      ['raw', sizes.db],
      ['raw', sizes.journal],
    ]);
    // Rolled back: no hot journal, the committed rows, an intact file.
    expect(existsSync(`${path}-journal`) && statSync(`${path}-journal`).size > 0).toBe(false);
    expect(committedCount(path)).toBe(committed);
    // The copies are the crashed state itself: put side by side and opened, SQLite rolls them back the same way.
    const replay = tempDir('arbor-hot-replay-');
    copyFileSync(join(trash, entry.id, entry.files[0].copy!), join(replay, 'store.db'));
    copyFileSync(join(trash, entry.id, entry.files[1].copy!), join(replay, 'store.db-journal'));
    expect(committedCount(join(replay, 'store.db'), true)).toBe(committed);
  });

  it('can be put back from the trash, and is then rolled back again with a new backup', async () => {
    const path = chatStore();
    crashMidTransaction(path);
    const trash = tempDir('arbor-hot-trash-');
    openStore(path, { trashDir: trash }).close();
    const [entry] = listTrash(trash).entries;
    await restoreBackup(entry.id, { root: trash });
    expect(statSync(`${path}-journal`).size).toBe(entry.files[1].bytes);
    const source = openStore(path, { trashDir: trash });
    expect(source.describe().warnings.map((w) => w.code)).toContain('hot-journal-rolled-back');
    source.close();
    expect(listTrash(trash).entries.filter((e) => e.operation === 'hot-journal-rollback')).toHaveLength(2);
  });

  it('is not rolled back when its backup cannot be taken: read from a private copy, the store untouched', () => {
    const path = chatStore();
    crashMidTransaction(path);
    const before = { db: statSync(path).mtimeMs, journal: statSync(`${path}-journal`).size };
    const unwritable = join(path, 'trash'); // under a file: no folder can be made there
    const source = openStore(path, { trashDir: unwritable });
    expect(source.describe().warnings.find((w) => w.code === 'hot-journal-not-rolled-back')?.message).toMatch(/Arbor did not roll it back/);
    expect(source.loadSession('keep-0')?.messages).toHaveLength(3);
    source.close();
    expect({ db: statSync(path).mtimeMs, journal: statSync(`${path}-journal`).size }).toEqual(before);
  });

  it('is left alone in a SQLite file of no layout Arbor knows', () => {
    const dir = tempDir('arbor-hot-');
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec("CREATE TABLE chat_history (session_id, role, content); INSERT INTO chat_history VALUES ('keep-0', 'user', 'x')");
    db.close();
    crashMidTransaction(path);
    const before = { db: statSync(path).mtimeMs, journal: statSync(`${path}-journal`).size };
    const trash = tempDir('arbor-hot-trash-');
    const found = discoverSources([dir], { trashDir: trash });
    expect(found.sources).toEqual([]);
    expect(found.warnings.map((w) => w.message).join(' ')).toMatch(/hot journal/);
    expect({ db: statSync(path).mtimeMs, journal: statSync(`${path}-journal`).size }).toEqual(before);
    expect(listTrash(trash).entries).toEqual([]);
  });

  it('stops a cleanup whose backup meets it: nothing is changed and the journal stays', async () => {
    const path = chatStore();
    const plan = planCleanup(path, { kind: 'delete-sessions', sessionIds: ['old-0'] });
    crashMidTransaction(path);
    const journal = statSync(`${path}-journal`).size;
    const trash = tempDir('arbor-hot-trash-');
    await expect(applyCleanup(plan, { trashDir: trash })).rejects.toThrow(/hot journal.*open \(or reload\) the store in Arbor first/);
    expect(statSync(`${path}-journal`).size).toBe(journal);
    expect(listTrash(trash).entries).toEqual([]);
  });

  it(`in a read-only store is not rolled back: the last committed state is read from a private copy (${AS_ROOT ? 'reader runs as nobody' : 'folder chmod 0555'})`, async () => {
    const dir = tempDir('arbor-hot-ro-');
    const path = chatStore(dir);
    crashMidTransaction(path);
    const before = { db: statSync(path).mtimeMs, journal: statSync(`${path}-journal`).size, files: readdirSync(dir).sort() };
    chmodSync(dir, AS_ROOT ? 0o755 : 0o555);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'read-child.ts'), path], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(AS_ROOT ? { uid: 65534, gid: 65534 } : {}),
      });
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const opened = JSON.parse((await lines.next()).value as string) as { denied: boolean; warnings: string[]; error?: string };
      expect(opened.denied, 'the folder must really be read-only to the reader').toBe(true);
      expect(opened.error).toBeUndefined();
      expect(opened.warnings).toContain('hot-journal-read-only');
      child.stdin.write('list\n');
      const listed = JSON.parse((await lines.next()).value as string) as { ids: string[] };
      expect(listed.ids).toContain('keep-0');
      child.stdin.write('exit\n');
    } finally {
      chmodSync(dir, 0o755);
    }
    expect({ db: statSync(path).mtimeMs, journal: statSync(`${path}-journal`).size, files: readdirSync(dir).sort() }).toEqual(before);
  }, 60_000);
});
