import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { createTenantMessagesStore } from '../fixtures/sqlite-tenant-messages';
import { column, digest, now, run, useTrash, view } from './helpers';

function store() {
  const s = createTenantMessagesStore();
  s.session({ id: 'acme-1', tenantId: 'acme', userId: 'ana', createdAt: '2026-05-30T10:00:00.000Z' }).conversation('acme-1', '2026-05-30T10:00:00.000Z', ['q', 'a', 'q2', 'a2']);
  s.session({ id: 'acme-2', tenantId: 'acme', createdAt: '2026-05-31T10:00:00.000Z' });
  s.session({ id: 'globex-1', tenantId: 'globex', createdAt: '2026-01-01T10:00:00.000Z' }).conversation('globex-1', '2026-01-01T10:00:00.000Z', ['old', 'yes']);
  s.conversation('gone', '2026-05-01T10:00:00.000Z', ['orphan']);
  s.close();
  return s.path;
}

const messages = (path: string) => column(path, 'SELECT id FROM messages ORDER BY rowid');

describe('cleanup of a Drizzle sessions + messages store (FORMATS §4)', () => {
  useTrash();

  it('deletes sessions with their messages (cascade on) and leaves __drizzle_migrations alone', async () => {
    const path = store();
    const { result } = await run(path, { kind: 'delete-sessions', sessionIds: ['acme-1'] });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 4 });
    expect(column(path, 'SELECT id FROM sessions ORDER BY id')).toEqual(['acme-2', 'globex-1']);
    expect(messages(path)).toEqual(['globex-1-m1', 'globex-1-m2', 'gone-m1']);
    expect(column(path, 'SELECT hash FROM __drizzle_migrations')).toEqual(['0000_amusing_rafael_vega']);
  });

  it('truncates a history', async () => {
    const path = store();
    await run(path, { kind: 'prune', messageId: 'acme-1-m2', allowActivePath: true });
    expect(view(path)['acme-1']).toEqual(['acme-1-m1']);
    expect(messages(path)).toEqual(['acme-1-m1', 'globex-1-m1', 'globex-1-m2', 'gone-m1']);
  });

  it('repairs messages whose session row is gone; deletes by age and empty sessions', async () => {
    const path = store();
    const { result } = await run(path, { kind: 'repair' });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 1, repaired: 1 });
    expect(messages(path)).not.toContain('gone-m1');
    expect(planCleanup(path, { kind: 'older-than', days: 30 }, { now }).items.map((i) => i.sessionId)).toEqual(['globex-1']);
    await run(path, { kind: 'empty' });
    expect(column(path, 'SELECT id FROM sessions ORDER BY id')).toEqual(['acme-1', 'globex-1']);
    expect(() => planCleanup(path, { kind: 'expired' }, { now })).toThrow(/keeps no expiry/);
  });

  it('vacuums and restores in content', async () => {
    const path = store();
    const before = digest(path);
    const { result } = await run(path, { kind: 'delete-sessions', sessionIds: ['acme-1', 'gone'] });
    await run(path, { kind: 'vacuum' });
    await restoreBackup(result.backup!);
    expect(digest(path)).toBe(before);
  });
});
