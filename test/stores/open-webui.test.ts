import { copyFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { discoverSources, openStore } from '../../src/core/catalog';
import { plainText } from '../../src/core/model/content';
import { UnknownStoreError } from '../../src/core/scan/discover';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { childrenOf } from '../../src/core/tree/tree-index';
import { FOLDER_DDL, SAMPLE_DB, chatJson, createWebuiStore, message } from '../fixtures/open-webui';
import { tempDir } from '../fixtures/tmp';

/**
 * Open WebUI's webui.db as a user sees it in Arbor: the real sample (one chat with an edit fork,
 * ../shared/samples/E-openwebui-workshopda, copied) and a fixture for every trap the format has.
 */

const opened: StoreSource[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});
const open = (path: string) => {
  const s = openStore(path);
  opened.push(s);
  return s;
};
const tree = (source: StoreSource, id: string) => buildSessionTree(source.loadSession(id)!);
const text = (t: ReturnType<typeof tree>, id: string) => plainText(t.index.nodes[t.index.indexOf.get(id)!].content);

describe('the Open WebUI sample (a real webui.db chat table)', () => {
  it('is found by its schema and content under any file name, and shows its one chat as Open WebUI does', () => {
    const dir = join(tempDir(), 'backend', 'data');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'chats-backup.sqlite');
    copyFileSync(SAMPLE_DB, path);
    chmodSync(path, 0o644);
    const found = discoverSources([join(dir, '..', '..')]);
    opened.push(...found.sources);
    expect(found.warnings).toEqual([]);
    expect(found.sources.map((s) => s.format)).toEqual(['open-webui']);
    const source = found.sources[0];
    expect(source.describe()).toMatchObject({ label: 'Open WebUI (webui.db)', sessionCount: 1, groupFields: ['user', 'folder'], warnings: [] });
    const [chat] = source.listSessions().sessions;
    expect(chat).toMatchObject({
      id: '1e73212a-0a1d-4108-a08b-3ba00056dd94',
      title: '👋 Hi There!',
      messageCount: 6,
      createdAt: 1_753_453_135_000,
      updatedAt: 1_753_453_281_000,
      status: 'ok',
      badges: ['#general'],
      fields: { user: 'b7ea82c3-4414-4bf1-b6cf-2ce6fde496ad', tags: 'general', pinned: false, archived: false, folder: null },
    });
  });

  it('opens on history.currentId, keeps the edit fork in the order of childrenIds, and names the model of every answer', () => {
    const path = join(tempDir(), 'webui.db');
    copyFileSync(SAMPLE_DB, path);
    const t = tree(open(path), '1e73212a-0a1d-4108-a08b-3ba00056dd94');
    expect(t.warnings).toEqual([]);
    expect(t.index.nodes[t.activeLeaf].id).toBe('4f7dce0d-81f6-42b6-96be-add04438c43c');
    const fork = t.index.indexOf.get('8ead56df-953b-412c-ac40-4518e381758f')!;
    expect([...childrenOf(t.index, fork)].map((c) => t.index.nodes[c].id)).toEqual(['3891bea5-c270-46f1-a2f7-bc06cfe8d71f', '53abeb8f-55fa-481e-8c0c-4856b3193cb2']);
    expect(text(t, '3891bea5-c270-46f1-a2f7-bc06cfe8d71f')).toBe('html code for login');
    const answers = t.index.nodes.filter((m) => m.role === 'assistant');
    expect(answers.map((m) => m.model)).toEqual(['mistral-nemo:latest', 'mistral-nemo:latest', 'mistral-nemo:latest']);
    expect(answers[0].metadata).toMatchObject({ usage: expect.objectContaining({ total_tokens: 28 }), followUps: expect.any(Array) });
    expect(t.index.nodes[0].timestamp).toBe(1_753_453_135_000);
  });
});

describe('Open WebUI traps', () => {
  function storeWith(add: (s: ReturnType<typeof createWebuiStore>) => void, extraDdl?: string) {
    const store = createWebuiStore({ dir: tempDir(), ...(extraDdl ? { extraDdl } : {}) });
    add(store);
    store.close();
    return open(store.path);
  }

  it('shows several models answering one prompt as siblings, each named, and the one Open WebUI shows active', () => {
    const source = storeWith((s) =>
      s.addChat({
        id: 'multi',
        chat: chatJson(
          [
            message('q', null, 'user', 'Compare quicksort and mergesort', { models: ['llama3:8b', 'gpt-4o'] }),
            message('a1', 'q', 'assistant', 'Llama says…', { model: 'llama3:8b', modelName: 'Llama 3 8B', modelIdx: 0 }),
            message('a2', 'q', 'assistant', 'GPT says…', { model: 'gpt-4o', modelIdx: 1 }),
          ],
          { currentId: 'a2', models: ['llama3:8b', 'gpt-4o'] },
        ),
      }),
    );
    const t = tree(source, 'multi');
    expect(t.index.forks.map((f) => t.index.nodes[f].id)).toEqual(['q']);
    expect(t.index.nodes.filter((m) => m.role === 'assistant').map((m) => m.model)).toEqual(['Llama 3 8B', 'gpt-4o']);
    expect(t.index.nodes[t.activeLeaf].id).toBe('a2');
  });

  it('takes the parent links over stale childrenIds, in one warning naming the chat; the tree shows whole', () => {
    const source = storeWith((s) =>
      s.addChat({
        id: 'stale',
        chat: chatJson([
          message('m1', null, 'user', 'one', { childrenIds: ['m2', 'ghost'] }),
          message('m2', 'm1', 'assistant', 'two', { childrenIds: [] }),
          message('m3', 'm1', 'assistant', 'three (not listed)', { childrenIds: [] }),
        ]),
      }),
    );
    const loaded = source.loadSession('stale')!;
    const stale = loaded.warnings.filter((w) => w.code === 'stale-children');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ sessionId: 'stale', rowId: 'stale', messageId: 'm1' });
    expect(stale[0].message).toMatch(/childrenIds of 1 message\(s\) of chat "stale" disagree with the parentId links \("m1"\)/);
    const t = buildSessionTree(loaded);
    expect([...childrenOf(t.index, 0)].map((c) => t.index.nodes[c].id)).toEqual(['m2', 'm3']);
  });

  it('breaks a parent cycle and shows a message whose parent is gone as a first message, each said once', () => {
    const source = storeWith((s) =>
      s.addChat({
        id: 'broken-tree',
        chat: chatJson([
          message('r', null, 'user', 'root'),
          message('x', 'y', 'assistant', 'x'),
          message('y', 'x', 'user', 'y'),
          message('lost', 'nowhere', 'assistant', 'my parent was deleted'),
        ]),
      }),
    );
    const t = tree(source, 'broken-tree');
    expect(t.index.nodes.map((m) => m.id).sort()).toEqual(['lost', 'r', 'x', 'y']);
    expect(t.warnings.filter((w) => w.code === 'cycle')).toHaveLength(1);
    expect(t.warnings.filter((w) => w.code === 'orphan')).toEqual([expect.objectContaining({ messageId: 'lost', sessionId: 'broken-tree' })]);
  });

  it('lists a chat whose JSON is broken, of the wrong shape, NULL or a BLOB as one warning each, and the rest shows', () => {
    const source = storeWith((s) =>
      s
        .addChat({ id: 'good', chat: chatJson([message('g', null, 'user', 'fine')]) })
        .addChat({ id: 'cut', chat: '{"history": {"messages": {"a": {"role": "us' })
        .addChat({ id: 'array', chat: '[1, 2, 3]' })
        .addChat({ id: 'nothing', chat: null })
        .addChat({ id: 'blob', chat: Buffer.from(JSON.stringify(chatJson([message('b', null, 'user', 'in a blob')]))) })
        .addChat({ id: 'no-history', chat: { title: 'x', history: 'what' } }),
    );
    const all = Object.fromEntries(source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => [s.id, s]));
    expect(Object.keys(all)).toEqual(['array', 'blob', 'cut', 'good', 'no-history', 'nothing']);
    expect(all.good).toMatchObject({ status: 'ok', messageCount: 1 });
    for (const id of ['cut', 'array', 'nothing']) {
      expect(all[id].status).toBe('unreadable');
      expect(all[id].warnings).toHaveLength(1);
      expect(all[id].warnings[0]).toMatchObject({ rowId: id, sessionId: id });
    }
    expect(all.cut.warnings[0].message).toMatch(/The chat column of chat "cut" is not JSON Arbor can read/);
    expect(all.array.warnings[0].message).toMatch(/chat "array" is an array, not a chat object/);
    expect(all.nothing.warnings[0].message).toMatch(/the value is NULL/);
    expect(all.blob).toMatchObject({ status: 'ok', messageCount: 1 });
    expect(source.loadSession('no-history')!.warnings).toEqual([expect.objectContaining({ code: 'malformed-history', sessionId: 'no-history' })]);
    expect(source.loadSession('cut')!.messages).toEqual([]);
  });

  it('says a current message that is not there, and a message that is not an object, and shows the rest', () => {
    const chat = chatJson([message('a', null, 'user', 'hi'), message('b', 'a', 'assistant', 'yo')], { currentId: 'deleted' });
    (chat.history as { messages: Record<string, unknown> }).messages.junk = 'not a message';
    const source = storeWith((s) => s.addChat({ id: 'c', chat }));
    const loaded = source.loadSession('c')!;
    expect(loaded.messages.map((m) => m.id)).toEqual(['a', 'b']);
    expect(loaded.storeActiveLeafId).toBeNull();
    expect(loaded.warnings.map((w) => w.code).sort()).toEqual(['malformed-message', 'missing-current']);
  });

  it('reads a chat from before the tree (a messages list only) as a linear history', () => {
    const source = storeWith((s) =>
      s.addChat({ id: 'legacy', chat: { title: 'old', messages: [{ id: 'l1', role: 'user', content: 'hi' }, { role: 'assistant', content: 'no id' }] } }),
    );
    const loaded = source.loadSession('legacy')!;
    expect(loaded.messages.map((m) => [m.id, m.parentId])).toEqual([
      ['l1', null],
      ['legacy#1', 'l1'],
    ]);
  });

  it('reads times in seconds, milliseconds, nanoseconds or SQL text, and sorts chats by them', () => {
    const source = storeWith((s) =>
      s
        .addChat({ id: 'seconds', chat: chatJson([message('a', null, 'user', 'x', { timestamp: 1_753_453_000 })]), createdAt: 1_753_453_000, updatedAt: 1_753_453_000 })
        .addChat({ id: 'millis', chat: chatJson([message('a', null, 'user', 'x', { timestamp: 1_753_453_100_000 })]), createdAt: 1_753_453_100_000, updatedAt: 1_753_453_100_000 })
        .addChat({ id: 'iso', chat: chatJson([message('a', null, 'user', 'x', { timestamp: 1_753_453_200_000_000_000 })]), createdAt: '2025-07-25 14:20:00', updatedAt: '2025-07-25 14:20:00' }),
    );
    const list = source.listSessions({ sort: 'updated', direction: 'desc' }).sessions;
    expect(list.map((s) => [s.id, s.updatedAt])).toEqual([
      ['iso', Date.UTC(2025, 6, 25, 14, 20)],
      ['millis', 1_753_453_100_000],
      ['seconds', 1_753_453_000_000],
    ]);
    expect(source.loadSession('millis')!.messages[0].timestamp).toBe(1_753_453_100_000);
    expect(source.loadSession('iso')!.messages[0].timestamp).toBe(1_753_453_200_000);
  });

  it('groups chats by owner and folder under their names, filters by them, and badges pins, archives, shares and tags', () => {
    const source = storeWith(
      (s) => {
        s.addUser('u-ada', 'Ada', 'ada@example.com', 'admin').addUser('u-bob', 'Bob', 'bob@example.com');
        s.db.prepare(`INSERT INTO folder (id, user_id, name, is_expanded, created_at, updated_at) VALUES ('f1', 'u-ada', 'Work', 0, 1, 1)`).run();
        s.addChat({ id: 'a', userId: 'u-ada', chat: chatJson([message('1', null, 'user', 'x')]), pinned: 1, folderId: 'f1', meta: '{"tags": ["rust", "perf"]}' })
          .addChat({ id: 'b', userId: 'u-bob', chat: chatJson([message('1', null, 'user', 'x')]), archived: 1, shareId: 'sh' })
          .addChat({ id: 'sh', userId: 'shared-b', chat: chatJson([message('1', null, 'user', 'x')]) });
      },
      FOLDER_DDL,
    );
    expect(source.describe().warnings).toEqual([expect.objectContaining({ code: 'share-link-copies' })]);
    expect(source.groupValues('user')).toEqual([
      { value: '(share links)', count: 1 },
      { value: 'Ada <ada@example.com>', count: 1 },
      { value: 'Bob <bob@example.com>', count: 1 },
    ]);
    expect(source.listSessions({ fields: { folder: 'Work' } }).sessions.map((s) => s.id)).toEqual(['a']);
    expect(source.listSessions({ filter: 'bob@' }).sessions.map((s) => s.id)).toEqual(['b']);
    const byId = Object.fromEntries(source.listSessions().sessions.map((s) => [s.id, s]));
    expect(byId.a.badges).toEqual(['pinned', 'folder Work', '#rust', '#perf']);
    expect(byId.b.badges).toEqual(['archived', 'shared']);
    expect(byId.sh).toMatchObject({ badges: ['share-link copy'], fields: { shareCopyOf: 'b' } });
  });

  it('shows hostile text in any field as text, and Open WebUI panels as thinking, tool calls and attachments', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const content = [
      'Let me check.',
      '<details type="reasoning" done="true" duration="2">\n<summary>Thought for 2 seconds</summary>\n&gt; The user wants &lt;b&gt;bold&lt;/b&gt;\n&gt; second line\n</details>',
      `<details type="tool_calls" done="true" id="call_1" name="web_search" arguments="{&quot;q&quot;: &quot;arbor&quot;}" result="&quot;3 results&quot;">\n<summary>Tool Executed</summary>\n</details>`,
      `Done. ${hostile}`,
    ].join('\n');
    const source = storeWith((s) =>
      s.addChat({
        id: hostile,
        title: hostile,
        chat: chatJson([
          message('u', null, 'user', hostile, { files: [{ type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' }, { type: 'file', name: 'report.pdf', id: 'file-1', size: 1234 }] }),
          message('a', 'u', 'assistant', content, { error: { content: 'rate limited' } }),
        ]),
      }),
    );
    const [summary] = source.listSessions().sessions;
    expect(summary.title).toBe(hostile);
    const t = tree(source, hostile);
    const user = t.index.nodes[0];
    expect(user.content).toEqual([
      { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=', url: null },
      { type: 'attachment', name: 'report.pdf', mediaType: null, size: 1234, ref: 'file-1' },
      { type: 'text', text: hostile },
    ]);
    const answer = t.index.nodes[1];
    expect(answer.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'thinking', text: 'The user wants <b>bold</b>\nsecond line', redacted: false },
      { type: 'tool_call', id: 'call_1', name: 'web_search', input: { q: 'arbor' } },
      { type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: '3 results' }], isError: false },
      { type: 'text', text: `Done. ${hostile}` },
      { type: 'text', text: 'Error: rate limited' },
    ]);
  });

  it('is not taken for a chat table that merely shares the column names', () => {
    const store = createWebuiStore({ dir: tempDir() });
    store.addChat({ id: 'x', chat: 'hello there' }).addChat({ id: 'y', chat: '{"text": "a json note"}' });
    store.close();
    expect(() => openStore(store.path)).toThrow(UnknownStoreError);
  });
});
