import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupStore } from '../../src/core/safety/backup';
import { sqliteDigest } from '../../src/core/safety/content-digest';
import { TrashError } from '../../src/core/safety/errors';
import { restoreBackup } from '../../src/core/safety/restore';
import { getBackup, listTrash, purgeBackup, recordAfterState } from '../../src/core/safety/trash';
import { openReadOnly } from '../../src/core/sqlite/open';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { chatExchange, createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { tempDir } from '../fixtures/tmp';

const digest = (path: string) => sqliteDigest(path).digest('hex');

function chatStore(wal = false) {
  const store = createChatHistoryStore();
  if (wal) store.db.pragma('journal_mode = WAL');
  store.addSession({ id: 's1', device: 'd' }, chatExchange('hello', 'hi'));
  store.addSession({ id: 's2', device: 'd' }, chatExchange('bye', 'ciao'));
  return store;
}

describe('backupStore and restoreBackup, SQLite', () => {
  for (const wal of [false, true]) {
    it(`copies the store consistently and restores it in content (${wal ? 'WAL' : 'rollback journal'})`, async () => {
      const root = tempDir('arbor-trash-');
      const store = chatStore(wal);
      // The store stays open for writing, as a running backend keeps it.
      const before = digest(store.path);
      const manifest = await backupStore(store.path, { format: 'sqlite-chat-history', storage: 'sqlite' }, 'delete-sessions', undefined, { root, summary: 'delete s1' });
      expect(manifest).toMatchObject({ version: 1, storePath: store.path, format: 'sqlite-chat-history', operation: 'delete-sessions', summary: 'delete s1' });
      expect(manifest.files).toHaveLength(1);
      expect(manifest.files[0]).toMatchObject({ original: store.path, kind: 'sqlite', copy: 'files/sessions.db' });
      const copy = join(root, manifest.id, 'files', 'sessions.db');
      expect(digest(copy)).toBe(before);
      // The copy is one self-contained file.
      expect(readdirSync(join(root, manifest.id, 'files'))).toEqual(['sessions.db']);

      store.db.exec(`DELETE FROM chat_history WHERE session_id = 's1'; DELETE FROM sessions WHERE session_id = 's1'`);
      expect(digest(store.path)).not.toBe(before);
      const result = await restoreBackup(manifest.id, { root });
      expect(digest(store.path)).toBe(before);
      // The backend's open connection sees the restored rows.
      expect(store.db.prepare(`SELECT count(*) FROM chat_history`).pluck().get()).toBe(4);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe(wal ? 'wal' : 'delete');
      expect(result.undo).toMatchObject({ operation: 'restore', restoreOf: manifest.id });
      store.close();

      // Restoring the undo entry gives back the state the restore replaced.
      await restoreBackup(result.undo.id, { root });
      const db = openReadOnly(store.path);
      expect(db.prepare(`SELECT session_id FROM sessions`).pluck().all()).toEqual(['s2']);
      db.close();
    });
  }

  it('says when the store changed after the write the backup was taken for', async () => {
    const root = tempDir('arbor-trash-');
    const store = chatStore();
    const manifest = await backupStore(store.path, { format: 'sqlite-chat-history', storage: 'sqlite' }, 'delete-sessions', undefined, { root });
    store.db.exec(`DELETE FROM chat_history WHERE session_id = 's1'`);
    recordAfterState(manifest.id, root);
    expect(getBackup(manifest.id, root).afterDigest).toMatch(/^[0-9a-f]{64}$/);
    store.addMessages('s2', chatExchange('a backend keeps writing', 'yes'));
    const result = await restoreBackup(manifest.id, { root });
    expect(result.changedSince).toBe(true);
    // What the backend wrote since is in the undo backup.
    const undo = openReadOnly(join(root, result.undo.id, 'files', 'sessions.db'));
    expect(undo.prepare(`SELECT count(*) FROM chat_history WHERE content = 'a backend keeps writing'`).pluck().get()).toBe(1);
    undo.close();
    store.close();
  });

  it('gives up with a clear message when another process holds the lock, changing nothing', async () => {
    process.env.ARBOR_LOCK_WAIT_MS = '300';
    try {
      const root = tempDir('arbor-trash-');
      const store = chatStore();
      const manifest = await backupStore(store.path, { format: 'sqlite-chat-history', storage: 'sqlite' }, 'x', undefined, { root });
      store.db.exec(`DELETE FROM chat_history`);
      const before = digest(store.path);
      // A backend in the middle of a write transaction: readers may read, nobody else may write.
      store.db.exec('BEGIN IMMEDIATE');
      store.db.exec(`INSERT INTO sessions (session_id) VALUES ('pending')`);
      await expect(restoreBackup(manifest.id, { root })).rejects.toThrow(/another process holds the store's lock .*nothing was changed/);
      store.db.exec('COMMIT');
      expect(digest(store.path)).not.toBe(before);
      expect(store.db.prepare('SELECT count(*) FROM chat_history').pluck().get()).toBe(0);
      // The failed restore left no undo entry behind: it had nothing to undo.
      expect(listTrash(root).entries.map((e) => e.id)).toEqual([manifest.id]);
      // A lock held from before the first page is read (BEGIN EXCLUSIVE) stops the backup itself.
      store.db.exec('BEGIN EXCLUSIVE');
      await expect(backupStore(store.path, { format: 'sqlite-chat-history', storage: 'sqlite' }, 'x', undefined, { root })).rejects.toThrow(/lock/);
      store.db.exec('ROLLBACK');
      expect(listTrash(root).entries).toHaveLength(1);
      store.close();
    } finally {
      delete process.env.ARBOR_LOCK_WAIT_MS;
    }
  });
});

describe('backupStore and restoreBackup, files', () => {
  it('copies the touched files under their relative paths and puts them back, removing files that did not exist', async () => {
    const root = tempDir('arbor-trash-');
    const store = new JsonlTreeStore().session('a', [msg('a1', null, 'user')]).session('b', [msg('b1', null, 'user')]);
    const touched = [join(store.root, 'sessions.json'), join(store.root, 'a', 'messages.jsonl'), join(store.root, 'a', 'branches.json')];
    const indexBefore = readFileSync(touched[0], 'utf8');
    const messagesBefore = readFileSync(touched[1], 'utf8');
    const manifest = await backupStore(store.root, { format: 'jsonl-tree', storage: 'files' }, 'delete-sessions', touched, { root });
    expect(manifest.files.map((f) => [f.copy, f.kind])).toEqual([
      ['files/sessions.json', 'file'],
      ['files/a/messages.jsonl', 'file'],
      [null, 'file'],
    ]);
    rmSync(join(store.root, 'a'), { recursive: true });
    writeFileSync(touched[0], '{"sessions":{}}');
    mkdirSync(join(store.root, 'a'));
    writeFileSync(touched[2], '[]');
    const result = await restoreBackup(manifest.id, { root });
    expect(readFileSync(touched[0], 'utf8')).toBe(indexBefore);
    expect(readFileSync(touched[1], 'utf8')).toBe(messagesBefore);
    expect(existsSync(touched[2])).toBe(false);
    expect(result.undo.files.find((f) => f.original === touched[2])?.copy).toBe('files/a/branches.json');
  });

  it('backs up the whole folder when no files are named, and refuses paths outside the store', async () => {
    const root = tempDir('arbor-trash-');
    const store = new JsonlTreeStore().session('a', [msg('a1', null, 'user')]);
    const manifest = await backupStore(store.root, { format: 'jsonl-tree', storage: 'files' }, 'repair', undefined, { root });
    expect(manifest.files.map((f) => f.copy).sort()).toEqual(['files/a/messages.jsonl', 'files/sessions.json']);
    await expect(backupStore(store.root, { format: 'jsonl-tree', storage: 'files' }, 'x', ['/etc/passwd'], { root })).rejects.toThrow(/not inside the store/);
  });

  it('refuses to restore into a read-only file, before changing anything', async () => {
    const root = tempDir('arbor-trash-');
    const store = new JsonlTreeStore().session('a', [msg('a1', null, 'user')]);
    const index = join(store.root, 'sessions.json');
    const manifest = await backupStore(store.root, { format: 'jsonl-tree', storage: 'files' }, 'x', [index], { root });
    writeFileSync(index, '{"sessions":{}}');
    const { chmodSync } = await import('node:fs');
    chmodSync(index, 0o444);
    await expect(restoreBackup(manifest.id, { root })).rejects.toThrow(/read-only/);
    expect(readFileSync(index, 'utf8')).toBe('{"sessions":{}}');
    expect(listTrash(root).entries).toHaveLength(1);
  });
});

describe('listTrash and purgeBackup', () => {
  it('lists complete entries newest first, skips partial ones, reports broken ones, purges by id', async () => {
    const root = tempDir('arbor-trash-');
    const store = new JsonlTreeStore().session('a', [msg('a1', null, 'user')]);
    const first = await backupStore(store.root, { format: 'jsonl-tree', storage: 'files' }, 'one', undefined, { root, now: () => Date.UTC(2026, 0, 1) });
    const second = await backupStore(store.root, { format: 'jsonl-tree', storage: 'files' }, 'two', undefined, { root, now: () => Date.UTC(2026, 0, 2) });
    mkdirSync(join(root, '.partial-20260103T000000000Z-00000000'));
    mkdirSync(join(root, '20260104T000000000Z-0000beef'));
    const listing = listTrash(root);
    expect(listing.entries.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(listing.broken).toEqual([{ id: '20260104T000000000Z-0000beef', error: expect.stringMatching(/manifest/) }]);
    purgeBackup(first.id, root);
    purgeBackup('20260104T000000000Z-0000beef', root);
    expect(listTrash(root).entries.map((e) => e.id)).toEqual([second.id]);
    expect(() => purgeBackup(first.id, root)).toThrow(/no backup/);
    expect(() => purgeBackup('../etc', root)).toThrow(TrashError);
    await expect(restoreBackup('20990101T000000000Z-12345678', { root })).rejects.toThrow(/no backup "20990101T000000000Z-12345678"/);
  });
});
