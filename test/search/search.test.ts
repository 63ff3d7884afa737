import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { discoverSources, LAYOUTS, layoutOfSource, openStore } from '../../src/core/catalog';
import { messageDocs, SourceIndex } from '../../src/core/search';
import { ArborService } from '../../src/core/service/arbor-service';
import { openWritable } from '../../src/core/sqlite/open';
import { createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { createLangchainStore, human, ai } from '../fixtures/langchain-sql';
import { buildSupportDesk, SUPPORT_DESK_MAPPING } from '../fixtures/support-desk';
import { samplePath } from '../fixtures/shared-samples';
import { tempDir } from '../fixtures/tmp';

let cache = '';
const services: ArborService[] = [];
const opened: Array<{ close(): void }> = [];
beforeEach(() => {
  cache = tempDir('arbor-search-cache-');
  process.env.ARBOR_CACHE_DIR = cache;
});
afterEach(() => {
  while (opened.length) opened.pop()!.close();
  while (services.length) services.pop()!.closeAll();
  delete process.env.ARBOR_CACHE_DIR;
});

function service(options = {}): ArborService {
  const s = new ArborService({ info: { version: 'test', host: 'browser', canPickPaths: false } }, options);
  services.push(s);
  return s;
}

/** The real part with a count of how often the index asked the reader for what. */
function counted(source: StoreSource) {
  const calls = { list: 0, load: 0 };
  const wrapped: StoreSource = new Proxy(source, {
    get(target, key, receiver) {
      if (key === 'listSessions') return (...a: Parameters<StoreSource['listSessions']>) => (calls.list++, target.listSessions(...a));
      if (key === 'loadSession') return (id: string) => (calls.load++, target.loadSession(id));
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...x: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { source: wrapped, calls };
}

function indexOf(source: StoreSource): SourceIndex {
  const layout = layoutOfSource(source);
  const index = new SourceIndex(source, { root: cache, table: layout.search, linear: layout.capabilities.history === 'linear' });
  opened.push(index, source);
  return index;
}

function treeStore(): JsonlTreeStore {
  const store = new JsonlTreeStore();
  store.session('s1', [
    msg('u1', null, 'user', 'How do I rebase onto main?'),
    msg('a-old', 'u1', 'assistant', 'An older answer about the zeppelin method.'),
    msg('a-new', 'u1', 'assistant', 'Imagine stacking your LEGO bricks on the newest tower.'),
  ]);
  store.session('s2', [
    msg('x1', null, 'user', '東京都に住んでいます。Привет мир, как дела? Crème brûlée à Zürich.'),
    msg('x2', 'x1', 'assistant', [
      { type: 'text', text: 'Looking it up.' },
      { type: 'tool_use', id: 't1', name: 'grep', input: { pattern: 'zebrafish' } },
      { type: 'thinking', thinking: 'the user wants a quokka' },
    ]),
    msg('x3', 'x2', 'user', 'Find <img src=x onerror=alert(1)> NEAR "quoted" -minus: colon* star'),
  ]);
  return store;
}

describe('the search index', () => {
  it('finds words in Latin with diacritics folded, Cyrillic, and CJK substrings of three characters, with highlights on the original text', async () => {
    const index = indexOf(openStore(treeStore().root));
    const hit = async (q: string) => (await index.query(q)).hits.map((h) => h.messageId);
    for (const q of ['creme brulee', 'ZURICH', 'Zürich', 'мир', 'МИР дела', '京都に', '住んで', '東京都に住んでいます']) expect(await hit(q), q).toEqual(['x1']);
    expect(await hit('京都')).toEqual([]); // two characters: below the trigram's three
    const { snippet } = (await index.query('zurich')).hits[0];
    expect(snippet.highlights.map(([s, e]) => snippet.text.slice(s, e))).toEqual(['Zürich']);
    const cjk = (await index.query('都に住')).hits[0].snippet;
    expect(cjk.highlights.map(([s, e]) => cjk.text.slice(s, e))).toEqual(['都に住']);
  });

  it('takes FTS syntax in the user text literally, never as an error', async () => {
    const index = indexOf(openStore(treeStore().root));
    for (const q of ['"', '*', 'NEAR', '-', ':', 'AND', 'OR NOT', '"quoted', 'colon*', '-minus:', 'NEAR(a b)', 'body:x', '^', '((', '']) {
      await expect(index.query(q), q).resolves.toBeDefined();
    }
    expect((await index.query('NEAR')).hits.map((h) => h.messageId)).toEqual(['x3']);
    expect((await index.query('"quoted" -minus')).hits.map((h) => h.messageId)).toEqual(['x3']);
    expect((await index.query('*')).total).toBe(0);
  });

  it('marks tool inputs and thinking, and leaves tool output out on request', async () => {
    const index = indexOf(openStore(treeStore().root));
    expect((await index.query('zebrafish')).hits).toMatchObject([{ messageId: 'x2', kind: 'tool', role: 'assistant' }]);
    expect((await index.query('zebrafish', { includeTools: false })).hits).toEqual([]);
    expect((await index.query('quokka')).hits).toMatchObject([{ messageId: 'x2', kind: 'thinking' }]);
    expect((await index.query('rebase', { roles: ['assistant'] })).hits).toEqual([]);
    expect((await index.query('rebase', { roles: ['user'] })).hits).toMatchObject([{ messageId: 'u1' }]);
  });

  it('says which branch a hit is on: the active one, or the leaf of the other', async () => {
    const index = indexOf(openStore(treeStore().root));
    expect((await index.query('LEGO')).hits).toMatchObject([{ messageId: 'a-new', onActivePath: true, leafId: null }]);
    expect((await index.query('zeppelin')).hits).toMatchObject([{ messageId: 'a-old', onActivePath: false, leafId: 'a-old' }]);
  });

  it('keeps hostile text as text in snippets', async () => {
    const index = indexOf(openStore(treeStore().root));
    const { snippet } = (await index.query('onerror')).hits[0];
    expect(snippet.text).toContain('<img src=x onerror=alert(1)>');
  });

  it('indexes a JSONL store incrementally: an appended message is found, unchanged sessions are not read again', async () => {
    const store = treeStore();
    const { source, calls } = counted(openStore(store.root));
    const index = indexOf(source);
    expect((await index.query('marmalade')).total).toBe(0);
    const loads = calls.load;
    expect(loads).toBe(2);
    await index.query('rebase');
    expect(calls.load).toBe(loads + 1); // the hit's session, for its snippet; nothing re-indexed
    store.appendLine('s2', JSON.stringify(msg('x4', 'x3', 'assistant', 'Some marmalade, then.')));
    store.index.sessions.s2.messageCount = 4;
    store.index.sessions.s2.updatedAt = Date.now();
    store.saveIndex();
    const before = calls.load;
    expect((await index.query('marmalade')).hits).toMatchObject([{ sessionId: 's2', messageId: 'x4' }]);
    expect(calls.load - before).toBe(2); // s2 indexed again, then read for the snippet; s1 not touched
  });

  it('indexes a SQLite store by row ids: a second search does not list or read the store, an append is added, a deletion rebuilds', async () => {
    const store = createChatHistoryStore();
    store.addSession({ id: 'a' }, [{ role: 'user', content: 'first words about otters' }]);
    store.close();
    const { source, calls } = counted(openStore(store.path));
    const index = indexOf(source);
    expect((await index.query('otters')).hits).toMatchObject([{ sessionId: 'a', role: 'user', onActivePath: true }]);
    await index.query('otters');
    expect(calls).toEqual({ list: 0, load: 0 });
    const db = openWritable(store.path, { mustExist: true });
    const id = Number(db.prepare("INSERT INTO chat_history (session_id, role, content) VALUES ('a', 'assistant', 'beavers too')").run().lastInsertRowid);
    db.close();
    expect((await index.query('beavers')).hits).toMatchObject([{ messageId: String(id), role: 'assistant' }]);
    const db2 = openWritable(store.path, { mustExist: true });
    db2.prepare('DELETE FROM chat_history WHERE content LIKE ?').run('%otters%');
    db2.close();
    expect((await index.query('otters')).total).toBe(0);
    expect((await index.query('beavers')).total).toBe(1);
  });

  it('indexes again what changed while it was indexing', async () => {
    const store = treeStore();
    const { source, calls } = counted(openStore(store.root));
    const index = indexOf(source);
    const running = index.update();
    // The first slice has run; the store changes before the build ends.
    store.appendLine('s1', JSON.stringify(msg('a-3', 'a-new', 'user', 'a late walrus')));
    store.index.sessions.s1.messageCount = 4;
    store.index.sessions.s1.updatedAt = Date.now();
    store.saveIndex();
    await running;
    const listed = calls.list;
    const loaded = calls.load;
    expect(loaded).toBe(3); // s1 and s2, then s1 again from where it changed
    expect((await index.query('walrus')).hits).toMatchObject([{ messageId: 'a-3' }]);
    expect(calls.list).toBeGreaterThanOrEqual(listed);
  });

  it('rebuilds a damaged or deleted index with a note, never a crash', async () => {
    const store = createChatHistoryStore();
    store.addSession({ id: 'a' }, [{ role: 'user', content: 'penguins everywhere' }]);
    store.close();
    const first = indexOf(openStore(store.path));
    expect((await first.query('penguins')).total).toBe(1);
    first.close();
    const dir = join(cache, 'search');
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.db'))!);
    writeFileSync(file, 'this is not a database at all, only some garbage bytes'.repeat(200));
    const second = indexOf(openStore(store.path));
    expect((await second.query('penguins')).total).toBe(1);
    expect(second.warnings).toMatchObject([{ code: 'search-index-rebuilt', message: expect.stringMatching(/damaged/) }]);
  });
});

describe('search over every layout', () => {
  /** One store of every layout: the demo stores, the real samples, and built ones. */
  function everyLayout(): { paths: string[]; mapping: (p: string) => unknown } {
    const root = tempDir('arbor-search-all-');
    cpSync(join(import.meta.dirname, '..', '..', 'resources', 'demo'), join(root, 'demo'), { recursive: true });
    const samples = join(root, 'samples');
    const copy = (from: string, to: string) => {
      cpSync(samplePath(from), join(samples, to), { recursive: true });
      return join(samples, to);
    };
    const paths = [
      ...readdirSync(join(root, 'demo')).map((n) => join(root, 'demo', n)),
      copy('A-claude-code-spotter', 'claude-code'),
      copy('B-codex-codemie', 'codex'),
      copy('C-chatgpt-export-pkuppens/conversations.subset.json', 'chatgpt.json'),
      copy('D-claude-ai-export-yetanotherchris/claude_example.json', 'claude-ai.json'),
      copy('E-openwebui-workshopda/webui.chat-table-only.db', 'webui.db'),
      copy('E-openwebui-json-yetanotherchris/webui-json.json', 'webui-export.json'),
      copy('F-gemini-cli-codemie', 'gemini'),
    ];
    const lc = createLangchainStore({ dir: tempDir() });
    lc.add('lc-1', human('Tell me about capybaras')).add('lc-1', ai('Capybaras are large rodents.'));
    lc.close();
    paths.push(lc.path);
    const desk = buildSupportDesk({ dir: tempDir() });
    desk.close();
    paths.push(desk.path);
    return { paths, mapping: (p) => (p === desk.path ? SUPPORT_DESK_MAPPING : undefined) };
  }

  it('finds a word of a message in each of the layouts Arbor reads, in its session, through the service', async () => {
    const { paths, mapping } = everyLayout();
    const api = service({ mappingFor: mapping });
    const { opened: sources } = api.open(paths);
    const formats = new Set<string>();
    for (const info of sources) {
      // What to look for: a word of the first message that has one, read through the layout's own reader.
      const reader = discoverSources([info.path], { mappingFor: mapping }).sources[0];
      let probe: { session: string; message: string; word: string } | null = null;
      for (const s of reader.listSessions({ limit: 20 }).sessions) {
        for (const m of reader.loadSession(s.id)?.messages ?? []) {
          // Its first few words, so the message is among the first thousand hits.
          const text = messageDocs(m).find((d) => d.kind === 'text')?.text ?? '';
          const word = /[A-Za-z]{3}/.test(text) ? (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 4).join(' ') : undefined;
          if (word) probe = { session: s.id, message: m.id, word };
          if (probe) break;
        }
        if (probe) break;
      }
      reader.close();
      formats.add(info.format);
      if (!info.hasTranscripts) {
        // A store of session metadata only (provider sessions without request logs): nothing to find, no error.
        await expect(api.handlers['search.query']({ query: 'anything', sourceIds: [info.id] })).resolves.toMatchObject({ total: 0, hits: [] });
        continue;
      }
      expect(probe, `${info.format}: a message with a word`).not.toBeNull();
      const result = await api.handlers['search.query']({ query: probe!.word, sourceIds: [info.id], sessionId: probe!.session, limit: 1000 });
      expect(result.hits.map((h) => h.messageId), `${info.format}: "${probe!.word}"`).toContain(probe!.message);
      expect(result.hits[0]).toMatchObject({ sourceId: info.id, path: info.path, format: info.format });
    }
    expect([...formats].sort()).toEqual(LAYOUTS.map((l) => l.format).sort());
  });

  it('goes on searching when a store is deleted while open (the open connection still reads it), never throwing', async () => {
    const store = createChatHistoryStore();
    store.addSession({ id: 'a' }, [{ role: 'user', content: 'zeppelin in the sqlite store' }]);
    store.close();
    const api = service();
    const { opened: infos } = api.open([store.path, treeStore().root]);
    expect((await api.handlers['search.query']({ query: 'zeppelin' })).total).toBe(2);
    rmSync(store.path);
    const result = await api.handlers['search.query']({ query: 'zeppelin' });
    expect(result.hits.map((h) => h.messageId)).toContain('a-old');
    // A source that cannot be searched at all would be a warning naming it, not a failed call.
    for (const w of result.warnings) expect(w).toMatchObject({ code: 'search-failed', file: infos[0].path });
  });

  it('finds in one session along the active branch, or in every branch saying which', async () => {
    const api = service();
    const [info] = api.open([treeStore().root]).opened;
    await api.handlers['session.open']({ sourceId: info.id, sessionId: 's1' });
    const active = await api.handlers['session.find']({ sourceId: info.id, sessionId: 's1', query: 'answer' });
    expect(active).toEqual({ matches: [], total: 0 });
    const all = await api.handlers['session.find']({ sourceId: info.id, sessionId: 's1', query: 'answer', allBranches: true });
    expect(all.matches).toMatchObject([{ messageId: 'a-old', onActivePath: false, leafId: 'a-old', count: 1 }]);
    const onPath = await api.handlers['session.find']({ sourceId: info.id, sessionId: 's1', query: 'the', allBranches: true });
    expect(onPath.matches.map((m) => [m.messageId, m.onActivePath])).toEqual([['a-new', true], ['a-old', false]]);
  });
});
