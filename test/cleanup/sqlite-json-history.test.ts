import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { openWritable } from '../../src/core/sqlite/open';
import { BASE_S, createJsonHistoryStore, exchange } from '../fixtures/sqlite-json-history';
import { FIXED_NOW } from '../fixtures/tmp';
import { column, digest, now, run, useTrash, view } from './helpers';

const DAY_S = 86_400;
const NOW_S = FIXED_NOW / 1000;

/** Five sessions: fresh, expired, old, empty, unreadable. Messages keep odd spellings a rewrite must not lose. */
function store() {
  const s = createJsonHistoryStore();
  s.add({ id: 'fresh', messages: [...exchange('q1', 'a1'), ...exchange('q2', 'a2')], createdAt: BASE_S, updatedAt: BASE_S });
  s.add({ id: 'expired', messages: exchange('old?', 'yes'), createdAt: NOW_S - 20 * DAY_S, updatedAt: NOW_S - 20 * DAY_S, expiresAt: NOW_S - 13 * DAY_S });
  s.add({ id: 'old', messages: exchange('older', 'still here'), createdAt: NOW_S - 40 * DAY_S, updatedAt: NOW_S - 2 * DAY_S, expiresAt: NOW_S + 5 * DAY_S });
  s.add({ id: 'empty', messages: [] });
  s.add({ id: 'broken', messages: '[{"role":"user","content":"cut' });
  s.close();
  return s.path;
}

describe('cleanup of a SQLite JSON-history store (FORMATS §1)', () => {
  const trash = useTrash();

  it('deletes chosen sessions and nothing else', async () => {
    const path = store();
    const { plan, result } = await run(path, { kind: 'delete-sessions', sessionIds: ['fresh', 'broken'] });
    expect(plan.items.map((i) => [i.sessionId, i.messages])).toEqual([
      ['fresh', 4],
      ['broken', 0],
    ]);
    expect(plan.totals.bytes).toBeGreaterThan(0);
    expect(result).toMatchObject({ sessionsDeleted: 2, messagesDeleted: 4, backup: expect.any(String) });
    expect(column(path, 'SELECT session_id FROM sessions ORDER BY session_id')).toEqual(['empty', 'expired', 'old']);
  });

  it('deletes expired sessions by expires_at in seconds', async () => {
    const path = store();
    const { result } = await run(path, { kind: 'expired' });
    expect(result.sessionsDeleted).toBe(1);
    expect(column(path, 'SELECT session_id FROM sessions ORDER BY session_id')).toEqual(['broken', 'empty', 'fresh', 'old']);
  });

  it('deletes by age, created or updated', async () => {
    const path = store();
    const byCreated = planCleanup(path, { kind: 'older-than', days: 30, by: 'created' }, { now });
    expect(byCreated.items.map((i) => i.sessionId)).toEqual(['old']);
    await run(path, { kind: 'older-than', days: 10 });
    expect(column(path, 'SELECT session_id FROM sessions ORDER BY session_id')).toEqual(['broken', 'empty', 'fresh', 'old']);
  });

  it('deletes empty sessions, never an unreadable one', async () => {
    const path = store();
    await run(path, { kind: 'empty' });
    expect(column(path, 'SELECT session_id FROM sessions ORDER BY session_id')).toEqual(['broken', 'expired', 'fresh', 'old']);
  });

  it('truncates a history by cutting the array text, keeping every byte of what stays', async () => {
    const s = createJsonHistoryStore();
    // Spacing, a big integer, an escaped character and an unknown block: JSON.parse + stringify would change each.
    const text = '[ {"role":"user","content":"q \\u00e9 ] , [","n":12345678901234567890},\n {"role":"assistant","content":[{"type":"mystery","x":1.50}]}, {"role":"user","content":"drop me"}, {"role":"assistant","content":"me too"} ]';
    s.add({ id: 's', messages: text });
    s.close();
    const { plan, result } = await run(s.path, { kind: 'prune', messageId: 's#2', allowActivePath: true });
    expect(plan.items[0]).toMatchObject({ messages: 2, messageIds: ['s#2', 's#3'], keep: 2 });
    expect(result.messagesDeleted).toBe(2);
    expect(column(s.path, 'SELECT messages FROM sessions')).toEqual([text.slice(0, text.indexOf(', {"role":"user","content":"drop')) + ']']);
    expect(view(s.path).s).toEqual(['s#0', 's#1']);
  });

  it('truncates after a message with mode "after", and protects the active path unless allowed', async () => {
    const path = store();
    expect(() => planCleanup(path, { kind: 'prune', messageId: 'fresh#1', mode: 'after' }, { now })).toThrow(/active path .*every message.*--allow-active/);
    await run(path, { kind: 'prune', messageId: 'fresh#1', mode: 'after', allowActivePath: true });
    expect(view(path).fresh).toEqual(['fresh#0', 'fresh#1']);
    expect(view(path).old).toEqual(['old#0', 'old#1']);
    expect(() => planCleanup(path, { kind: 'prune', messageId: 'old#1', mode: 'leaf', allowActivePath: true }, { now })).toThrow(/one linear history/);
  });

  it('never rewrites a row whose JSON is unreadable', () => {
    const path = store();
    expect(() => planCleanup(path, { kind: 'prune', messageId: 'broken#0', sessionId: 'broken', allowActivePath: true }, { now })).toThrow(/no message|not readable JSON/);
  });

  it('aborts a truncation when the backend wrote the row after the preview, changing nothing', async () => {
    const path = store();
    const plan = planCleanup(path, { kind: 'prune', messageId: 'fresh#2', allowActivePath: true }, { now });
    const db = openWritable(path);
    db.prepare(`UPDATE sessions SET messages = json_insert(messages, '$[#]', json('{"role":"user","content":"new"}')) WHERE session_id = 'fresh'`).run();
    db.close();
    const before = digest(path);
    const { applyCleanup } = await import('../../src/core/catalog');
    await expect(applyCleanup(plan)).rejects.toThrow(/changed after the preview/);
    expect(digest(path)).toBe(before);
    const { listTrash } = await import('../../src/core/safety/trash');
    expect(listTrash(trash.dir()).entries).toHaveLength(0);
  });

  it('keeps a message_count column true on repair when the table has one', async () => {
    const s = createJsonHistoryStore();
    s.db.exec('ALTER TABLE sessions ADD COLUMN message_count INTEGER');
    s.add({ id: 'a', messages: exchange('x', 'y') }).add({ id: 'b', messages: exchange('x', 'y') });
    s.db.exec(`UPDATE sessions SET message_count = CASE session_id WHEN 'a' THEN 2 ELSE 7 END`);
    s.close();
    const { plan, result } = await run(s.path, { kind: 'repair' });
    expect(plan.items.map((i) => [i.action, i.sessionId, i.count])).toEqual([['fix-count', 'b', { stored: 7, actual: 2 }]]);
    expect(result.repaired).toBe(1);
    expect(column(s.path, 'SELECT message_count FROM sessions ORDER BY session_id')).toEqual([2, 2]);
    expect(planCleanup(store(), { kind: 'repair' }, { now }).items).toEqual([]);
  });

  it('vacuums, reporting the size before and after', async () => {
    const s = createJsonHistoryStore();
    for (let i = 0; i < 200; i++) s.add({ id: `s${i}`, messages: exchange('x'.repeat(2000), 'y') });
    s.db.exec(`DELETE FROM sessions WHERE session_id != 's0'`);
    s.close();
    const plan = planCleanup(s.path, { kind: 'vacuum' }, { now });
    expect(plan.items[0].bytes).toBeGreaterThan(300_000);
    const { result } = await run(s.path, { kind: 'vacuum' });
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore / 10);
    expect(view(s.path).s0).toEqual(['s0#0', 's0#1']);
  });

  it('restores the store equivalent in content', async () => {
    const path = store();
    const before = digest(path);
    const { result } = await run(path, { kind: 'delete-sessions', sessionIds: ['fresh', 'old'] });
    expect(digest(path)).not.toBe(before);
    const restored = await restoreBackup(result.backup!);
    expect(digest(path)).toBe(before);
    expect(restored.changedSince).toBe(false);
  });
});
