import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import { sqliteDigest } from '../../src/core/safety/content-digest';
import { restoreBackup } from '../../src/core/safety/restore';
import { listTrash } from '../../src/core/safety/trash';
import { importSessions } from '../../src/core/catalog';
import { layoutNamed } from '../../src/core/catalog';
const codecFor = (format: string) => layoutNamed(format)?.codec;
import { tempDir } from '../fixtures/tmp';
import { SQLITE_LAYOUTS, TRIAL_LAYOUTS } from './trial-layouts';
import { writeImportInput } from './trials';

/**
 * A failed write keeps its backup unless nothing can have changed, and writers refuse a target path
 * that exists and is not a store of the chosen layout.
 */

let trash = '';
beforeEach(() => {
  trash = tempDir('arbor-fail-trash-');
  process.env.ARBOR_LOCK_WAIT_MS = '300';
});
afterEach(() => {
  delete process.env.ARBOR_LOCK_WAIT_MS;
});

function store(layout: (typeof SQLITE_LAYOUTS)[number], extraSql = ''): string {
  const path = join(tempDir('arbor-fail-'), 'store.db');
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  TRIAL_LAYOUTS[layout].seed(db, Date.now());
  if (extraSql) db.exec(extraSql);
  db.close();
  return path;
}

const integrity = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

describe('a failed write keeps its backup unless nothing can have changed', () => {
  it('keeps it when the write failed after a row changed (the rollback rewrote pages), and says where it is', async () => {
    // The backend's own trigger refuses the second statement, after the history rows were deleted.
    const path = store('sqlite-chat-history', `CREATE TRIGGER keep_sessions BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'sessions are kept'); END;`);
    const plan = planCleanup(path, { kind: 'delete-sessions', sessionIds: ['old-0'] });
    const error = await applyCleanup(plan, { trashDir: trash }).catch((e: Error) => e);
    const entries = listTrash(trash).entries;
    expect(entries).toHaveLength(1);
    expect((error as Error).message).toMatch(new RegExp(`sessions are kept .*backup taken before the write is kept in the trash: ${entries[0].id}`));
    expect(integrity(path)).toBe('ok');
  });

  it('drops it when the write never began (the lock was not given), and when it failed before any row changed', async () => {
    const path = store('sqlite-chat-history');
    const plan = planCleanup(path, { kind: 'delete-sessions', sessionIds: ['old-0'] });
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    await expect(applyCleanup(plan, { trashDir: trash })).rejects.toThrow(/another process holds the store's lock/);
    holder.exec('ROLLBACK');
    holder.close();
    expect(listTrash(trash).entries).toEqual([]);
    // A prune whose row the backend rewrote since the preview: refused before any statement changed a row.
    const json = store('sqlite-json-history');
    const prune = planCleanup(json, { kind: 'prune', messageId: 'keep-0#0', sessionId: 'keep-0', mode: 'after', allowActivePath: true });
    const writer = new Database(json);
    writer.prepare(`UPDATE sessions SET messages = json_insert(messages, '$[#]', json('{"role":"user","content":"more"}')) WHERE session_id = 'keep-0'`).run();
    writer.close();
    await expect(applyCleanup(prune, { trashDir: trash })).rejects.toThrow(/changed after the preview/);
    expect(listTrash(trash).entries).toEqual([]);
  });

  it('import: drops it when the write transaction never began, keeps it when the write failed inside', async () => {
    const input = writeImportInput(tempDir(), Date.now());
    const locked = store('sqlite-chat-history');
    const holder = new Database(locked);
    holder.exec('BEGIN IMMEDIATE');
    await expect(importSessions(input, { into: locked, trashRoot: trash })).rejects.toThrow(/locked|busy/i);
    holder.exec('ROLLBACK');
    holder.close();
    expect(listTrash(trash).entries).toEqual([]);
    const refusing = store('sqlite-chat-history', `CREATE TRIGGER no_history BEFORE INSERT ON chat_history BEGIN SELECT RAISE(ABORT, 'no new history'); END;`);
    await expect(importSessions(input, { into: refusing, trashRoot: trash })).rejects.toThrow(/no new history/);
    expect(listTrash(trash).entries).toHaveLength(1);
    expect(integrity(refusing)).toBe('ok');
  });
});

/** The SQLite layouts Arbor makes new stores of (Open WebUI's webui.db is only ever imported into). */
const NEW_STORE_SQLITE = SQLITE_LAYOUTS.filter((l) => l !== 'open-webui');

describe('writers refuse a target that exists and is not a store of the chosen layout', () => {
  it('open-webui: an existing empty file stays an empty file (Arbor never makes a webui.db)', async () => {
    const input = writeImportInput(tempDir(), Date.now());
    const target = join(tempDir(), 'empty.db');
    writeFileSync(target, '');
    await expect(importSessions(input, { into: target, layout: 'open-webui', tenant: 't' })).rejects.toThrow(/does not create one/);
    expect(statSync(target).size).toBe(0);
  });

  for (const layout of [...NEW_STORE_SQLITE, 'jsonl-tree' as const]) {
    it(`${layout}: an existing empty file stays an empty file`, async () => {
      const input = writeImportInput(tempDir(), Date.now());
      const target = join(tempDir(), 'empty.db');
      writeFileSync(target, '');
      await expect(importSessions(input, { into: target, layout, tenant: 't' })).rejects.toThrow(/exists \(an empty file\); --layout creates a new store/);
      expect(statSync(target).size).toBe(0);
    });
  }

  it('an existing store, even of the chosen layout, and a folder for a one-file layout', async () => {
    const input = writeImportInput(tempDir(), Date.now());
    const existing = store('sqlite-chat-history');
    const before = readFileSync(existing);
    await expect(importSessions(input, { into: existing, layout: 'sqlite-chat-history' })).rejects.toThrow(/exists and is not empty/);
    expect(readFileSync(existing).equals(before)).toBe(true);
    const folder = tempDir();
    await expect(importSessions(input, { into: folder, layout: 'sqlite-json-history' })).rejects.toThrow(/is a folder; a sqlite-json-history store is one file/);
    // An empty folder is where a folder store may be made (nothing in it can be lost or misread).
    const report = await importSessions(input, { into: folder, layout: 'jsonl-tree' });
    expect(report.added).toBe(4);
  });

  it('a file that appears where a new SQLite store is being made is never written', () => {
    for (const layout of NEW_STORE_SQLITE) {
      const target = join(tempDir(), 'late.db');
      writeFileSync(target, 'someone else’s file');
      expect(() => codecFor(layout)!.createStore(target)).toThrow(/appeared while the new store was being made; nothing was written there/);
      expect(readFileSync(target, 'utf8')).toBe('someone else’s file');
      expect(existsSync(`${target}-journal`)).toBe(false);
    }
  });

  it('an existing store that is another layout, or turns into one before the write: refused, nothing written', () => {
    const other = store('sqlite-tenant-messages');
    expect(() => codecFor('sqlite-chat-history')!.openTarget(other)).toThrow(/is not a sqlite-chat-history store; nothing was written/);
    // The schema changes in place after the target was opened: the check inside the transaction sees it.
    const chat = store('sqlite-chat-history');
    const target = codecFor('sqlite-chat-history')!.openTarget(chat);
    const migrator = new Database(chat);
    migrator.exec('DROP TABLE chat_history');
    migrator.close();
    try {
      expect(() => target.begin()).toThrow(/is no longer a sqlite-chat-history store; nothing was written/);
    } finally {
      target.close();
    }
    expect(integrity(chat)).toBe('ok');
  });

  it('a store that vanished before the write is not re-created empty', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'gone'));
    expect(() => codecFor('sqlite-chat-history')!.openTarget(join(dir, 'gone', 'store.db'))).toThrow();
    expect(existsSync(join(dir, 'gone', 'store.db'))).toBe(false);
  });
});

describe('restoring a SQLite store whose file is gone', () => {
  it('writes the copy back through the backup API beside the path and renames it into place', async () => {
    const path = store('sqlite-chat-history');
    const original = sqliteDigest(path).digest('hex');
    const plan = planCleanup(path, { kind: 'delete-sessions', sessionIds: ['old-0'] });
    const result = await applyCleanup(plan, { trashDir: trash });
    rmSync(path);
    await restoreBackup(result.backup!, { root: trash });
    expect(sqliteDigest(path).digest('hex')).toBe(original);
    expect(integrity(path)).toBe('ok');
    expect(readdirSync(join(path, '..')).filter((f) => f.endsWith('.arbor-tmp'))).toEqual([]);
  });
});
