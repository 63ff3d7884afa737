import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { createProviderSessionsStore, HOUR } from '../fixtures/sqlite-provider-sessions';
import { FIXED_NOW } from '../fixtures/tmp';
import { column, digest, now, run, useTrash } from './helpers';

const DAY = 24 * HOUR;

function store(spelling: 'snake' | 'camel' = 'snake') {
  const s = createProviderSessionsStore({ spelling });
  s.session({ id: 'live', chatId: 'c1', lastAccessed: FIXED_NOW - HOUR, expiresAt: FIXED_NOW + HOUR, messageCount: 4 });
  s.session({ id: 'expired', chatId: 'c2', lastAccessed: FIXED_NOW - 2 * HOUR, expiresAt: FIXED_NOW - 1, messageCount: 2 });
  s.session({ id: 'stale', chatId: 'c3', createdAt: FIXED_NOW - 60 * DAY, lastAccessed: FIXED_NOW - 45 * DAY, expiresAt: FIXED_NOW + DAY, messageCount: 0 });
  return s;
}

describe('cleanup of a provider-router store (FORMATS §5)', () => {
  useTrash();

  for (const spelling of ['snake', 'camel'] as const) {
    it(`deletes expired sessions by expires_at in ms (${spelling}_case columns)`, async () => {
      const s = store(spelling);
      s.close();
      const { result } = await run(s.path, { kind: 'expired' });
      expect(result.sessionsDeleted).toBe(1);
      expect(column(s.path, `SELECT ${spelling === 'camel' ? 'sessionId' : 'session_id'} FROM sessions ORDER BY 1`)).toEqual(['live', 'stale']);
    });
  }

  it('deletes a session with its request/response log rows, by age and when empty', async () => {
    const s = store();
    s.log({ sessionId: 'live', request: 'hi', response: 'hello', createdAt: FIXED_NOW - HOUR });
    s.log({ sessionId: 'expired', request: 'q', response: 'a', createdAt: FIXED_NOW - HOUR });
    s.close();
    expect(planCleanup(s.path, { kind: 'older-than', days: 30 }, { now }).items.map((i) => i.sessionId)).toEqual(['stale']);
    expect(planCleanup(s.path, { kind: 'older-than', days: 50, by: 'created' }, { now }).items.map((i) => i.sessionId)).toEqual(['stale']);
    const { result } = await run(s.path, { kind: 'delete-sessions', sessionIds: ['live'] });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 2 });
    expect(column(s.path, 'SELECT session_id FROM request_logs')).toEqual(['expired']);
    await run(s.path, { kind: 'empty' });
    expect(column(s.path, 'SELECT session_id FROM sessions ORDER BY 1')).toEqual(['expired']);
  });

  it('has nothing to prune, and restores in content', async () => {
    const s = store();
    s.close();
    expect(() => planCleanup(s.path, { kind: 'prune', messageId: 'x', sessionId: 'live' }, { now })).toThrow(/no messages to prune/);
    expect(planCleanup(s.path, { kind: 'repair' }, { now }).items).toEqual([]);
    const before = digest(s.path);
    const { result } = await run(s.path, { kind: 'delete-sessions', sessionIds: ['live', 'stale'] });
    await restoreBackup(result.backup!);
    expect(digest(s.path)).toBe(before);
  });
});
