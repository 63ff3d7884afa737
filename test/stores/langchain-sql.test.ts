import { afterEach, describe, expect, it } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { discoverSources, openStore, planCleanup, importSessions } from '../../src/core/catalog';
import { UnknownStoreError } from '../../src/core/scan/discover';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { ai, createLangchainStore, human, system, tool } from '../fixtures/langchain-sql';

/** LangChain's SQLChatMessageHistory, found by what its rows hold, under any table name. */

const opened: StoreSource[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});
const open = (path: string) => {
  const s = openStore(path);
  opened.push(s);
  return s;
};

describe('LangChain SQLChatMessageHistory', () => {
  it('is found by its columns and content in a table of any name, and lists its sessions newest first', () => {
    const store = createLangchainStore({ table: 'support_bot_memory', name: 'app.sqlite' });
    store
      .add('alice', system('You are a helpful assistant.'))
      .add('alice', human('What is the capital of France?'))
      .add('alice', ai('Paris.', { response_metadata: { model_name: 'gpt-4o-mini', finish_reason: 'stop' }, usage_metadata: { input_tokens: 12, output_tokens: 2 } }))
      .add('bob', human([{ type: 'text', text: 'Describe this picture' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]))
      .add('bob', ai('A cat.'));
    store.close();
    const found = discoverSources([store.path]);
    opened.push(...found.sources);
    const source = found.sources[0];
    expect(source.format).toBe('langchain-sql');
    expect(source.describe()).toMatchObject({ label: 'LangChain SQLChatMessageHistory', sessionCount: 2, warnings: [] });
    // No times in the table: the session that wrote the last row is the newest.
    expect(source.listSessions().sessions.map((s) => [s.id, s.title, s.messageCount])).toEqual([
      ['bob', 'Describe this picture', 2],
      ['alice', 'What is the capital of France?', 3],
    ]);
    const alice = source.loadSession('alice')!;
    expect(alice.messages.map((m) => [m.id, m.parentId, m.role, m.kind])).toEqual([
      ['1', null, 'system', 'system'],
      ['2', '1', 'user', 'human'],
      ['3', '2', 'assistant', 'ai'],
    ]);
    expect(alice.messages[2]).toMatchObject({ model: 'gpt-4o-mini', metadata: { usage_metadata: { input_tokens: 12, output_tokens: 2 } } });
    expect(source.loadSession('bob')!.messages[0].content).toEqual([
      { type: 'text', text: 'Describe this picture' },
      { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=', url: null },
    ]);
  });

  it('pairs tool calls with their results, from LangChain\'s list or OpenAI\'s raw one, never twice', () => {
    const store = createLangchainStore();
    store
      .add('s', human('Weather in Oslo?'))
      .add('s', ai('', { tool_calls: [{ name: 'weather', args: { city: 'Oslo' }, id: 'call_1', type: 'tool_call' }], additional_kwargs: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Oslo"}' } }] } }))
      .add('s', tool('-3 °C, snow', 'call_1', { name: 'weather' }))
      .add('s', ai('', { additional_kwargs: { tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'forecast', arguments: '{"days": 2}' } }] } }))
      .add('s', tool('error: quota', 'call_2', { status: 'error' }))
      .add('s', ai([{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'clock', input: {} }], { tool_calls: [{ name: 'clock', args: {}, id: 'toolu_1', type: 'tool_call' }] }));
    store.close();
    const m = open(store.path).loadSession('s')!.messages;
    expect(m[1].content).toEqual([{ type: 'tool_call', id: 'call_1', name: 'weather', input: { city: 'Oslo' } }]);
    expect(m[2].content).toEqual([{ type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: '-3 °C, snow' }], isError: false }]);
    expect(m[3].content).toEqual([{ type: 'tool_call', id: 'call_2', name: 'forecast', input: { days: 2 } }]);
    expect(m[4].content).toMatchObject([{ type: 'tool_result', toolCallId: 'call_2', isError: true }]);
    expect(m[5].content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_call', id: 'toolu_1', name: 'clock', input: {} },
    ]);
  });

  it('shows a row that is not JSON, or not a LangChain message, as one warning each and keeps the rest', () => {
    const store = createLangchainStore();
    store
      .add('s', human('before'))
      .add('s', '{"type": "human", "data": {"content": "cut')
      .add('s', '{"role": "user", "text": "another library"}')
      .add('s', null)
      .add('s', Buffer.from([0xde, 0xad]))
      .add('s', ai('after'))
      .add(null, human('a row without a session'));
    store.close();
    const source = open(store.path);
    expect(source.listSessions().sessions.map((s) => s.id).sort()).toEqual(['', 's']);
    const loaded = source.loadSession('s')!;
    expect(loaded.messages.map((m) => m.role)).toEqual(['user', 'unknown', 'unknown', 'unknown', 'unknown', 'assistant']);
    expect(loaded.warnings.map((w) => [w.code, w.rowId])).toEqual([
      ['unreadable-message', 2],
      ['unreadable-message', 3],
      ['unreadable-message', 4],
      ['unreadable-message', 5],
    ]);
    expect(loaded.warnings[0].message).toMatch(/Row 2 of message_store \(session "s"\) is not JSON/);
    expect(loaded.warnings[1].message).toMatch(/is JSON but not a LangChain message/);
    expect(loaded.messages[1].content).toEqual([{ type: 'text', text: '{"type": "human", "data": {"content": "cut' }]);
    expect(buildSessionTree(source.loadSession('')!).index.nodes).toHaveLength(1);
  });

  it('is not taken for another (id, session_id, message) table, and is read-only', async () => {
    const other = createLangchainStore({ table: 'notes' });
    other.add('s', 'just a note').add('s', '{"note": 1}');
    other.close();
    expect(() => openStore(other.path)).toThrow(UnknownStoreError);

    const store = createLangchainStore();
    store.add('s', human('hi'));
    store.close();
    expect(() => planCleanup(store.path, { kind: 'delete-sessions', sessionIds: ['s'] })).toThrow(/which Arbor only reads: it never changes it/);
    await expect(importSessions(store.path, { into: store.path })).rejects.toThrow(/store being imported from|only reads/);
  });
});
