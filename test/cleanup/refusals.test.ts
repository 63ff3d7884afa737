import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCleanup } from '../../src/core/catalog';
import { CleanupError, ReadOnlyStoreError, StoreLockedError } from '../../src/core/cleanup/errors';
import { planCleanup } from '../../src/core/catalog';
import { listTrash } from '../../src/core/safety/trash';
import { openWritable } from '../../src/core/sqlite/open';
import { chatExchange, createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { createJsonHistoryStore, exchange } from '../fixtures/sqlite-json-history';
import { FIXED_NOW } from '../fixtures/tmp';
import { column, digest, now, useTrash } from './helpers';

function chatStore() {
  const s = createChatHistoryStore();
  s.addSession({ id: 'a' }, chatExchange('q', 'a'));
  s.addSession({ id: 'b' }, chatExchange('q', 'a'));
  s.close();
  return s.path;
}

describe('what cleanup refuses, changing nothing', () => {
  const trash = useTrash();

  it('rejects unknown session and message ids, naming them', () => {
    const path = chatStore();
    expect(() => planCleanup(path, { kind: 'delete-sessions', sessionIds: ['a', 'nope', 'nada'] }, { now })).toThrow(CleanupError);
    expect(() => planCleanup(path, { kind: 'delete-sessions', sessionIds: ['a', 'nope', 'nada'] }, { now })).toThrow(/no session "nope", "nada" in .*nothing was planned/);
    expect(() => planCleanup(path, { kind: 'prune', messageId: '999', allowActivePath: true }, { now })).toThrow(/no message "999"/);
    expect(() => planCleanup(path, { kind: 'prune', messageId: '1', sessionId: 'b', allowActivePath: true }, { now })).toThrow(/no message "1" in session "b"/);
    expect(() => planCleanup(path, { kind: 'older-than', days: -1 }, { now })).toThrow(/above 0/);
    expect(() => planCleanup(path, { kind: 'delete-sessions', sessionIds: [] }, { now })).toThrow(/at least one/);
  });

  it('refuses a SQLite file marked read-only (chmod 0444), even when run as root', async () => {
    const path = chatStore();
    const plan = planCleanup(path, { kind: 'delete-sessions', sessionIds: ['a'] }, { now });
    chmodSync(path, 0o444);
    const before = digest(path);
    await expect(applyCleanup(plan)).rejects.toThrow(ReadOnlyStoreError);
    await expect(applyCleanup(plan)).rejects.toThrow(/sessions\.db: the file is read-only \(its mode is 0444\); Arbor changes nothing/);
    expect(digest(path)).toBe(before);
    expect(listTrash(trash.dir()).entries).toEqual([]);
  });

  it('gives a clear error for a store another process keeps locked, and leaves nothing half-done', async () => {
    const path = chatStore();
    const plan = planCleanup(path, { kind: 'delete-sessions', sessionIds: ['a', 'b'] }, { now });
    const backend = openWritable(path);
    backend.exec('BEGIN IMMEDIATE');
    backend.prepare(`INSERT INTO chat_history (session_id, role, content) VALUES ('b', 'user', 'pending')`).run();
    await expect(applyCleanup(plan)).rejects.toThrow(StoreLockedError);
    backend.exec('COMMIT');
    backend.close();
    expect(column(path, 'SELECT session_id FROM sessions ORDER BY 1')).toEqual(['a', 'b']);
    expect(column(path, 'SELECT count(*) FROM chat_history')).toEqual([5]);
    // The backup taken before the failed write is dropped again: it holds nothing that changed.
    expect(listTrash(trash.dir()).entries).toEqual([]);
  });

  it('leaves a session alone that no longer matches its rule when the write begins', async () => {
    const s = createJsonHistoryStore();
    const past = FIXED_NOW / 1000 - 10;
    s.add({ id: 'x', messages: exchange('q', 'a'), expiresAt: past }).add({ id: 'y', messages: exchange('q', 'a'), expiresAt: past });
    s.close();
    const plan = planCleanup(s.path, { kind: 'expired' }, { now });
    expect(plan.items.map((i) => i.sessionId)).toEqual(['x', 'y']);
    // The backend touches y between the preview and the write: its expiry moves on.
    const db = openWritable(s.path);
    db.prepare(`UPDATE sessions SET expires_at = ? WHERE session_id = 'y'`).run(past + 7 * 86_400);
    db.close();
    const result = await applyCleanup(plan);
    expect(result.sessionsDeleted).toBe(1);
    expect(result.notes.join(' ')).toMatch(/1 session no longer matched .* and was left alone: y/);
    expect(column(s.path, 'SELECT session_id FROM sessions')).toEqual(['y']);
  });

  it('says what a path is when it is not one store', () => {
    expect(() => planCleanup('/no/such/store.db', { kind: 'repair' }, { now })).toThrow(/^\/no\/such\/store\.db: no such file or folder$/);
  });
});

describe('applying without a backup', () => {
  const trash = useTrash();

  it('writes the same and leaves the trash alone when backups are off', async () => {
    const path = chatStore();
    const result = await applyCleanup(planCleanup(path, { kind: 'delete-sessions', sessionIds: ['a'] }, { now }), { backup: false });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 2, backup: null });
    expect(listTrash(trash.dir()).entries).toEqual([]);
  });
});
