import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { chatExchange, createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { column, digest, now, rows, run, useTrash, view } from './helpers';

/** abc (4 rows, count 4), drift (2 rows, count 5), quiet (no rows), ghost (2 orphaned rows), old (2 rows). */
function store() {
  const s = createChatHistoryStore();
  s.addSession({ id: 'abc', device: 'd1', createdAt: '2026-05-30 10:00:00', lastActive: '2026-05-31 10:00:00' }, [
    ...chatExchange('q1', 'a1', '2026-05-30 10:00:00'),
    ...chatExchange('q2', 'a2', '2026-05-31 10:00:00'),
  ]);
  s.addSession({ id: 'drift', device: 'd2', createdAt: '2026-05-30 10:00:00', lastActive: '2026-05-30 11:00:00', messageCount: 5 }, chatExchange('x', 'y', '2026-05-30 11:00:00'));
  s.addSession({ id: 'quiet', device: 'd1', createdAt: '2026-05-31 10:00:00', lastActive: '2026-05-31 10:00:00' });
  s.addMessages('ghost', chatExchange('anyone?', 'no', '2026-04-01 08:00:00'));
  s.addSession({ id: 'old', device: 'd3', createdAt: '2026-01-01 10:00:00', lastActive: '2026-01-02 10:00:00' }, chatExchange('old', 'yes', '2026-01-02 10:00:00'));
  s.close();
  return s.path;
}

const sessions = (path: string) => column(path, 'SELECT session_id FROM sessions ORDER BY session_id');
const history = (path: string) => column(path, `SELECT session_id || ':' || content FROM chat_history ORDER BY id`);

describe('cleanup of a SQLite sessions + chat_history store (FORMATS §3)', () => {
  useTrash();

  it('deletes a session with its history rows (the foreign key has no cascade)', async () => {
    const path = store();
    const { result } = await run(path, { kind: 'delete-sessions', sessionIds: ['abc', 'ghost'] });
    expect(result).toMatchObject({ sessionsDeleted: 2, messagesDeleted: 6 });
    expect(sessions(path)).toEqual(['drift', 'old', 'quiet']);
    expect(history(path)).toEqual(['drift:x', 'drift:y', 'old:old', 'old:yes']);
  });

  it('truncates a history and lowers message_count by what it removed', async () => {
    const path = store();
    const ids = column(path, `SELECT id FROM chat_history WHERE session_id = 'abc' ORDER BY id`).map(String);
    const { result } = await run(path, { kind: 'prune', messageId: ids[1], mode: 'after', allowActivePath: true });
    expect(result.messagesDeleted).toBe(2);
    expect(view(path).abc).toEqual(ids.slice(0, 2));
    expect(rows(path, `SELECT message_count FROM sessions WHERE session_id IN ('abc', 'drift') ORDER BY session_id`)).toEqual([{ message_count: 2 }, { message_count: 5 }]);
    expect(history(path)).toEqual(['abc:q1', 'abc:a1', 'drift:x', 'drift:y', 'ghost:anyone?', 'ghost:no', 'old:old', 'old:yes']);
  });

  it('repairs orphaned history rows and counts that disagree', async () => {
    const path = store();
    const { plan, result } = await run(path, { kind: 'repair' });
    expect(plan.items.map((i) => [i.action, i.sessionId, i.messages])).toEqual([
      ['delete-orphaned-rows', 'ghost', 2],
      ['fix-count', 'drift', 0],
    ]);
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 2, repaired: 2 });
    expect(column(path, 'SELECT message_count FROM sessions ORDER BY session_id')).toEqual([4, 2, 2, 0]);
    expect(history(path)).not.toContain('ghost:anyone?');
    expect(Object.keys(view(path))).toEqual(['abc', 'drift', 'old', 'quiet']);
  });

  it('deletes by age and empty sessions; there is no expiry to go by', async () => {
    const path = store();
    expect(planCleanup(path, { kind: 'older-than', days: 30 }, { now }).items.map((i) => i.sessionId)).toEqual(['ghost', 'old']);
    expect(planCleanup(path, { kind: 'older-than', days: 30, by: 'created' }, { now }).items.map((i) => i.sessionId)).toEqual(['ghost', 'old']);
    expect(planCleanup(path, { kind: 'expired' }, { now }).items).toEqual([]);
    await run(path, { kind: 'empty' });
    expect(sessions(path)).toEqual(['abc', 'drift', 'old']);
  });

  it('finds the session of a message id by itself, and restores in content', async () => {
    const path = store();
    const before = digest(path);
    const id = String(column(path, `SELECT id FROM chat_history WHERE session_id = 'old' ORDER BY id`)[1]);
    const { plan, result } = await run(path, { kind: 'prune', messageId: id, allowActivePath: true });
    expect(plan.items[0].sessionId).toBe('old');
    await restoreBackup(result.backup!);
    expect(digest(path)).toBe(before);
  });

  it('vacuums', async () => {
    const s = createChatHistoryStore();
    for (let i = 0; i < 100; i++) s.addSession({ id: `s${i}` }, chatExchange('x'.repeat(4000), 'y'));
    s.close();
    await run(s.path, { kind: 'delete-sessions', sessionIds: Array.from({ length: 99 }, (_, i) => `s${i + 1}`) });
    const { result } = await run(s.path, { kind: 'vacuum' });
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore / 5);
    expect(sessions(s.path)).toEqual(['s0']);
  });
});
