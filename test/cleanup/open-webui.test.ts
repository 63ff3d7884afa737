import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { openWritable } from '../../src/core/sqlite/open';
import { CHAT_MESSAGE_DDL, chatJson, copySample, createWebuiStore, message } from '../fixtures/open-webui';
import { tempDir } from '../fixtures/tmp';
import { column, digest, now, run, useTrash, view } from './helpers';

const SAMPLE_CHAT = '1e73212a-0a1d-4108-a08b-3ba00056dd94';
const FIRST_BRANCH = '3891bea5-c270-46f1-a2f7-bc06cfe8d71f';
const SECOND_BRANCH = '53abeb8f-55fa-481e-8c0c-4856b3193cb2';
const FORK = '8ead56df-953b-412c-ac40-4518e381758f';
const CURRENT = '4f7dce0d-81f6-42b6-96be-add04438c43c';

function chatOf(path: string, id: string): { history: { messages: Record<string, { childrenIds: string[]; parentId: string | null }>; currentId: string | null }; messages: Array<{ id: string }> } {
  return JSON.parse(column(path, 'SELECT chat FROM chat WHERE id = ?', id)[0] as string);
}

describe('cleanup of an Open WebUI database', () => {
  useTrash();

  it('prunes the branch Open WebUI does not show: both links and the legacy list stay true, the current leaf stays', async () => {
    const path = copySample(tempDir());
    const { plan, result } = await run(path, { kind: 'prune', messageId: FIRST_BRANCH });
    expect(plan.items).toMatchObject([{ action: 'prune-messages', sessionId: SAMPLE_CHAT, messages: 2 }]);
    expect(result).toMatchObject({ messagesDeleted: 2, backup: expect.any(String) });
    const chat = chatOf(path, SAMPLE_CHAT);
    expect(Object.keys(chat.history.messages)).toHaveLength(4);
    expect(chat.history.messages[FORK].childrenIds).toEqual([SECOND_BRANCH]);
    expect(chat.history.currentId).toBe(CURRENT);
    expect(chat.messages.map((m) => m.id)).toEqual(['675b9e43-2006-4eeb-af2d-c76d6abf266a', FORK, SECOND_BRANCH, CURRENT]);
    expect(view(path)[SAMPLE_CHAT]).toHaveLength(4);
  });

  it('prunes the shown branch only when asked, and moves the current leaf to the branch that stays', async () => {
    const path = copySample(tempDir());
    expect(() => planCleanup(path, { kind: 'prune', messageId: SECOND_BRANCH }, { now })).toThrow(/removes messages on the active path/);
    await run(path, { kind: 'prune', messageId: SECOND_BRANCH, allowActivePath: true });
    const chat = chatOf(path, SAMPLE_CHAT);
    expect(chat.history.currentId).toBe('6b018db1-6c08-4371-8ffc-c4a614582981');
    expect(chat.history.messages[FORK].childrenIds).toEqual([FIRST_BRANCH]);
    expect(chat.messages.map((m) => m.id).at(-1)).toBe('6b018db1-6c08-4371-8ffc-c4a614582981');
  });

  it('deletes a chat with its chat_message rows and its share-link copy, and undoes it from the trash', async () => {
    const dir = tempDir();
    const store = createWebuiStore({ dir, extraDdl: CHAT_MESSAGE_DDL });
    const tree = chatJson([message('m1', null, 'user', 'Hello'), message('m2', 'm1', 'assistant', 'Hi!')]);
    store
      .addChat({ id: 'c1', chat: tree, shareId: 'share-1' })
      .addChat({ id: 'share-1', userId: 'shared-c1', chat: tree })
      .addChat({ id: 'c2', chat: chatJson([message('x1', null, 'user', 'Other')]) });
    store.db.prepare(`INSERT INTO chat_message (id, chat_id, role, content) VALUES ('c1-m1', 'c1', 'user', '"Hello"'), ('c2-x1', 'c2', 'user', '"Other"')`).run();
    store.close();
    const before = digest(store.path);
    const { result } = await run(store.path, { kind: 'delete-sessions', sessionIds: ['c1'] });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 2 });
    expect(column(store.path, 'SELECT id FROM chat ORDER BY id')).toEqual(['c2']);
    expect(column(store.path, 'SELECT id FROM chat_message')).toEqual(['c2-x1']);
    await restoreBackup(result.backup!);
    expect(digest(store.path)).toBe(before);
  });

  it('deletes empty and old chats by their times in seconds; chats never expire and keep nothing to repair', async () => {
    const store = createWebuiStore({ dir: tempDir() });
    const day = 86_400;
    const nowS = now() / 1000;
    store
      .addChat({ id: 'fresh', chat: chatJson([message('a', null, 'user', 'hi')]), createdAt: nowS - day, updatedAt: nowS - day })
      .addChat({ id: 'old', chat: chatJson([message('b', null, 'user', 'hi')]), createdAt: nowS - 90 * day, updatedAt: nowS - 60 * day })
      .addChat({ id: 'empty', chat: chatJson([]), createdAt: nowS - day, updatedAt: nowS - day });
    store.close();
    expect(planCleanup(store.path, { kind: 'older-than', days: 30 }, { now }).items.map((i) => i.sessionId)).toEqual(['old']);
    await run(store.path, { kind: 'empty' });
    expect(column(store.path, 'SELECT id FROM chat ORDER BY id')).toEqual(['fresh', 'old']);
    expect(() => planCleanup(store.path, { kind: 'expired' }, { now })).toThrow(/Open WebUI chats do not expire/);
    expect(() => planCleanup(store.path, { kind: 'repair' }, { now })).toThrow(/keeps no counts or index to repair/);
  });

  it('writes nothing when Open WebUI changed the chat after the preview', async () => {
    const path = copySample(tempDir());
    const plan = planCleanup(path, { kind: 'prune', messageId: FIRST_BRANCH }, { now });
    const db = openWritable(path);
    db.prepare(`UPDATE chat SET chat = json_set(chat, '$.title', 'renamed in Open WebUI')`).run();
    db.close();
    const before = digest(path);
    const { applyCleanup } = await import('../../src/core/catalog');
    await expect(applyCleanup(plan)).rejects.toThrow(/changed after the preview \(Open WebUI wrote to it\); nothing was changed/);
    expect(digest(path)).toBe(before);
  });

  it('refuses to prune a chat whose JSON it cannot read, in the preview', () => {
    const store = createWebuiStore({ dir: tempDir() });
    store.addChat({ id: 'legacy', chat: { title: 'old', messages: [{ id: 'l1', role: 'user', content: 'hi' }, { id: 'l2', role: 'assistant', content: 'yo' }] } });
    store.close();
    expect(() => planCleanup(store.path, { kind: 'prune', messageId: 'l2', sessionId: 'legacy', allowActivePath: true }, { now })).toThrow(/keeps no message tree \(history.messages\) Arbor can rewrite/);
  });
});
