import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSources, openStore } from '../../src/core/catalog';
import { plainText } from '../../src/core/model/content';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';

function forkedStore() {
  const store = new JsonlTreeStore();
  store.session(
    's1',
    [
      msg('sys', null, 'system', 'You are helpful.'),
      msg('q1', null, 'user', 'How do trees grow?'),
      msg('a1', 'q1', 'assistant', 'Slowly.'),
      msg('a2', 'q1', 'assistant', [{ type: 'text', text: 'From the tips.' }]),
      msg('q2', 'a2', 'user', 'And roots?'),
    ],
    {},
    'user:alice',
  );
  store.branches('s1', [{ name: 'short answer', leafMessageId: 'a1', createdAt: 1_700_000_100_000, path: ['stale'] }]);
  return store;
}

describe('jsonl-tree adapter', () => {
  it('is detected by content and lists indexed sessions with keys, counts and titles', () => {
    const store = forkedStore();
    const source = openStore(store.root);
    expect(source.format).toBe('jsonl-tree');
    const page = source.listSessions();
    expect(page.total).toBe(1);
    expect(page.sessions[0]).toMatchObject({ id: 's1', title: 'How do trees grow?', messageCount: 5, storedMessageCount: 5, status: 'ok', fields: { keys: 'user:alice' }, warnings: [] });
  });

  it('loads the tree with forks, leaves, several roots and named branches', () => {
    const tree = buildSessionTree(openStore(forkedStore().root).loadSession('s1')!);
    const id = (i: number) => tree.index.nodes[i].id;
    expect(tree.index.roots.map(id)).toEqual(['sys', 'q1']);
    expect(tree.index.forks.map(id)).toEqual(['q1']);
    expect(tree.index.leaves.map(id)).toEqual(['sys', 'a1', 'q2']);
    expect(id(tree.activeLeaf)).toBe('q2');
    expect(tree.branches).toEqual([{ name: 'short answer', leafId: 'a1', createdAt: 1_700_000_100_000 }]);
    expect(plainText(tree.index.nodes[3].content)).toBe('From the tips.');
  });

  it('reports bad lines by number and keeps every other line', () => {
    const store = new JsonlTreeStore();
    store.session('s', []);
    store.writeLines('s', [
      JSON.stringify(msg('a', null, 'user', 'first')),
      '',
      '{"id":"broken", "parentId": "a", "type":',
      '   ',
      'not json at all',
      JSON.stringify(msg('b', 'a', 'assistant', 'second')),
      '[1,2]',
      JSON.stringify({ parentId: 'b', type: 'user', timestamp: 'yesterday', content: 'no id' }),
      '{"id":"cut","parentId":"b","type":"assistant","content":"trunc',
    ]);
    const loaded = openStore(store.root).loadSession('s')!;
    expect(loaded.messages.map((m) => m.id)).toEqual(['a', 'b', '(line 8)']);
    const byCode = loaded.warnings.map((w) => [w.code, w.line]);
    expect(byCode).toEqual(expect.arrayContaining([['bad-json-line', 3], ['bad-json-line', 5], ['invalid-message', 7], ['missing-id', 8], ['bad-timestamp', 8], ['bad-json-line', 9]]));
    expect(loaded.session.messageCount).toBe(3);
    expect(loaded.warnings.find((w) => w.code === 'count-mismatch')).toBeTruthy();
  });

  it('flags orphans, cycles and duplicates without losing messages', () => {
    const store = new JsonlTreeStore();
    store.session('s', [msg('a', null, 'user'), msg('b', 'missing', 'assistant'), msg('x', 'y', 'user'), msg('y', 'x', 'assistant'), msg('a', null, 'user', 'dup')]);
    const tree = buildSessionTree(openStore(store.root).loadSession('s')!);
    const codes = tree.warnings.map((w) => w.code).sort();
    expect(codes).toEqual(['cycle', 'duplicate-id', 'orphan']);
    expect(tree.index.nodes.map((m) => m.id)).toEqual(['a', 'b', 'x', 'y']);
    expect(tree.warnings.find((w) => w.code === 'duplicate-id')!.line).toBe(5);
  });

  it('lists index entries without folders as missing and folders without entries as unindexed', () => {
    const store = forkedStore();
    store.indexOnly('ghost');
    store.writeLines('stray', [JSON.stringify(msg('z', null, 'user', 'found on disk'))]);
    const source = openStore(store.root);
    const byId = Object.fromEntries(source.listSessions().sessions.map((s) => [s.id, s]));
    expect(byId.ghost).toMatchObject({ status: 'missing', messageCount: null, storedMessageCount: 3 });
    expect(byId.stray).toMatchObject({ status: 'unindexed', messageCount: 1, title: 'found on disk' });
    expect(source.loadSession('ghost')!.messages).toEqual([]);
  });

  it('is found by folder content when sessions.json is missing or broken', () => {
    const store = new JsonlTreeStore();
    store.writeLines('only', [JSON.stringify(msg('m', null, 'user', 'hi'))]);
    expect(openStore(store.root).listSessions().sessions.map((s) => s.status)).toEqual(['unindexed']);
    const broken = new JsonlTreeStore();
    broken.session('b', [msg('m', null, 'user')]);
    writeFileSync(join(broken.root, 'sessions.json'), '{"keys": {');
    const source = openStore(broken.root);
    expect(source.describe().warnings.map((w) => w.code)).toEqual(['bad-index']);
    expect(source.listSessions().sessions.map((s) => s.id)).toEqual(['b']);
  });

  it('keeps hostile HTML, NUL bytes, emoji and 300 KB values as text', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) \u0000 🌳 Дерево';
    const big = 'x'.repeat(300 * 1024);
    const store = new JsonlTreeStore();
    store.session('s', [msg('h', null, 'user', hostile), msg('b', 'h', 'assistant', big)]);
    const loaded = openStore(store.root).loadSession('s')!;
    expect(plainText(loaded.messages[0].content)).toBe(hostile);
    expect(plainText(loaded.messages[1].content)).toHaveLength(300 * 1024);
  });

  it('marks reset markers and folds tool calls and results into blocks', () => {
    const store = new JsonlTreeStore();
    store.session('s', [
      msg('u', null, 'user', 'run ls'),
      { ...msg('c', 'u', 'assistant', ''), type: 'tool_call', toolCalls: [{ id: 't1', name: 'shell', arguments: { cmd: 'ls' } }] },
      { ...msg('r', 'c', 'assistant'), content: undefined, type: 'tool_result', role: undefined, toolResult: { toolCallId: 't1', content: 'a.txt', isError: false } },
      msg('m', 'r', 'system', 'Session reset', { metadata: { resetMarker: true } }),
    ]);
    const [u, c, r, m] = openStore(store.root).loadSession('s')!.messages;
    expect(u.kind).toBe('user');
    expect(c.content).toEqual([{ type: 'tool_call', id: 't1', name: 'shell', input: { cmd: 'ls' } }]);
    expect(r.role).toBe('tool');
    expect(r.content).toEqual([{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: 'a.txt' }], isError: false }]);
    expect(m.kind).toBe('reset-marker');
  });

  it('reports branches whose leaf is not in the tree and bad branches files', () => {
    const store = forkedStore();
    store.branches('s1', { keep: { leafMessageId: 'q2', createdAt: 1 }, lost: { name: 'lost', leafMessageId: 'nowhere' } });
    const tree = buildSessionTree(openStore(store.root).loadSession('s1')!);
    expect(tree.branches.map((b) => b.name)).toEqual(['keep']);
    expect(tree.warnings.map((w) => w.code)).toContain('branch-missing-leaf');
    store.branches('s1', '{oops');
    expect(openStore(store.root).loadSession('s1')!.warnings.map((w) => w.code)).toContain('bad-branches');
  });

  it('sorts, filters and pages the session list', () => {
    const store = new JsonlTreeStore();
    for (let i = 0; i < 25; i++) store.session(`s${String(i).padStart(2, '0')}`, [msg(`m${i}`, null, 'user', i % 5 === 0 ? `needle ${i}` : `hay ${i}`)], { updatedAt: 1_700_000_000_000 + i, createdAt: 1_700_000_000_000 - i });
    const source = openStore(store.root);
    expect(source.listSessions({ limit: 3 }).sessions.map((s) => s.id)).toEqual(['s24', 's23', 's22']);
    expect(source.listSessions({ limit: 2, offset: 3, sort: 'created', direction: 'desc' }).sessions.map((s) => s.id)).toEqual(['s03', 's04']);
    const found = source.listSessions({ filter: 'NEEDLE', sort: 'id', direction: 'asc' });
    expect(found.total).toBe(5);
    expect(found.sessions.map((s) => s.id)).toEqual(['s00', 's05', 's10', 's15', 's20']);
  });

  it('sees sessions a running backend adds after opening', () => {
    const store = forkedStore();
    const source = openStore(store.root);
    expect(source.listSessions().total).toBe(1);
    store.session('s2', [msg('n', null, 'user', 'new one')]);
    expect(source.listSessions().total).toBe(2);
  });

  it('never writes while reading', () => {
    const store = forkedStore();
    const snapshot = () => readdirSync(store.root, { recursive: true }).map(String).sort().map((p) => {
      const full = join(store.root, p);
      const st = statSync(full);
      return [p, st.isFile() ? readFileSync(full, 'base64') : 'dir', st.mtimeMs];
    });
    const before = snapshot();
    const { sources } = discoverSources([store.root]);
    for (const s of sources) {
      s.listSessions();
      s.loadSession('s1');
      s.close();
    }
    expect(snapshot()).toEqual(before);
  });
});
