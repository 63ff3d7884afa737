import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionQuery, StoreSource } from '../../src/core/adapters/adapter';
import { normalizeContent, plainText, titleFromText } from '../../src/core/model/content';
import { discoverSources, openStore } from '../../src/core/catalog';
import { UnknownStoreError } from '../../src/core/scan/discover';
import { openWritable } from '../../src/core/sqlite/open';
import { BASE_S, createJsonHistoryStore, exchange, type JsonHistoryRow } from '../fixtures/sqlite-json-history';
import { FIXED_NOW, tempDir } from '../fixtures/tmp';

const opened: StoreSource[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

/** Builds a §1 store with `rows`, closes the writer and opens it the way the app does. */
function storeWith(rows: JsonHistoryRow[]): { source: StoreSource; path: string } {
  const store = createJsonHistoryStore();
  for (const row of rows) store.add(row);
  store.close();
  const source = openStore(store.path, { now: () => FIXED_NOW });
  opened.push(source);
  return { source, path: store.path };
}

const ids = (source: StoreSource, query?: SessionQuery) => source.listSessions(query).sessions.map((s) => s.id);

/** What JSON.parse says about a text, to compare with the warning the user sees. */
function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected invalid JSON');
}

describe('sqlite-json-history adapter (FORMATS §1)', () => {
  it('is detected by its schema, whatever the file is called, and describes itself', () => {
    const root = tempDir();
    const dir = join(root, 'backend', 'data');
    mkdirSync(dir, { recursive: true });
    const store = createJsonHistoryStore({ dir, name: 'chat-archive.bin' });
    store.add({ id: 's1', messages: exchange('Hi', 'Hello') }).add({ id: 's2', messages: [] });
    store.close();

    const found = discoverSources([root], { now: () => FIXED_NOW });
    opened.push(...found.sources);
    expect(found.warnings).toEqual([]);
    expect(found.sources).toHaveLength(1);
    const source = found.sources[0];
    expect(source.format).toBe('sqlite-json-history');
    expect(source.path).toBe(store.path);
    expect(source.describe()).toEqual({
      path: store.path,
      format: 'sqlite-json-history',
      label: 'SQLite JSON history',
      sessionCount: 2,
      groupFields: [],
      hasTranscripts: true,
      warnings: [],
    });
    expect(source.groupValues('device')).toEqual([]);
  });

  it('lists sessions with titles from the first user text, counted messages and times in ms', () => {
    const { source } = storeWith([
      { id: 'plain', messages: exchange('  How do\n\ntrees   grow? ', 'Slowly.'), createdAt: BASE_S - 100, updatedAt: BASE_S },
      {
        id: 'blocks',
        messages: [
          { role: 'assistant', content: 'I speak first.' },
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
              { type: 'text', text: 'What is in' },
              { type: 'text', text: 'this picture?' },
            ],
          },
          { role: 'assistant', content: 'A tree.' },
        ],
        createdAt: BASE_S - 200,
        updatedAt: BASE_S - 50,
      },
      { id: 'no-user', messages: [{ role: 'assistant', content: 'Alone.' }], updatedAt: BASE_S - 60 },
    ]);
    const page = source.listSessions();
    expect(page.total).toBe(3);
    expect(page.offset).toBe(0);
    expect(page.sessions).toEqual([
      {
        id: 'plain',
        title: 'How do trees grow?',
        createdAt: (BASE_S - 100) * 1000,
        updatedAt: BASE_S * 1000,
        expiresAt: (BASE_S + 7 * 86400) * 1000,
        expired: false,
        storedMessageCount: null,
        messageCount: 2,
        status: 'ok',
        fields: {},
        warnings: [],
      },
      expect.objectContaining({ id: 'blocks', title: 'What is in this picture?', messageCount: 3, updatedAt: (BASE_S - 50) * 1000 }),
      expect.objectContaining({ id: 'no-user', title: null, messageCount: 1 }),
    ]);
    expect(source.getSession('blocks')).toEqual(page.sessions[1]);
    expect(source.getSession('nope')).toBeNull();
    expect(source.loadSession('nope')).toBeNull();
  });

  it('computes the same title in SQL as the app does from the loaded message', () => {
    const firstUser = [
      'plain text',
      [{ type: 'text', text: 'one' }, 'two', { type: 'input_text', text: 'three' }],
      [
        { type: 'tool_result', tool_use_id: 't1', content: 'tool said hi' },
        { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'nested' }, { type: 'image', source: {} }] },
        { type: 'text', text: 42 },
        { type: 'mystery', text: 'not text' },
        { type: 'text', text: 'end' },
      ],
      { type: 'text', text: 'a single block object' },
      [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }],
      '',
      'x'.repeat(200),
    ];
    const { source } = storeWith(firstUser.map((content, i) => ({ id: `t${i}`, messages: [{ role: 'user', content }] })));
    for (const [i, content] of firstUser.entries()) {
      const expected = titleFromText(plainText(normalizeContent(content)));
      expect(source.getSession(`t${i}`)!.title, `t${i}`).toBe(expected);
      expect(source.loadSession(`t${i}`)!.session.title, `t${i}`).toBe(expected);
    }
    expect(source.getSession('t0')!.title).toBe('plain text');
    expect(source.getSession('t2')!.title).toBe('tool said hi nested end');
    expect(source.getSession('t6')!.title).toBe(`${'x'.repeat(79)}…`);
  });

  it('reads and orders every timestamp form the trap list names', () => {
    const forms: Array<[string, number | string, number]> = [
      ['seconds', 1_700_000_000, 1_700_000_000_000],
      ['millis', 1_700_000_000_500, 1_700_000_000_500],
      ['sqlite', '2023-11-14 22:13:21', Date.UTC(2023, 10, 14, 22, 13, 21)],
      ['iso-z-frac', '2023-11-14T22:13:20.250Z', Date.UTC(2023, 10, 14, 22, 13, 20, 250)],
      ['iso-no-z', '2023-11-14T22:13:19', Date.UTC(2023, 10, 14, 22, 13, 19)],
      ['iso-micro', '2023-11-14T22:13:22.123456', Date.UTC(2023, 10, 14, 22, 13, 22, 123)],
      ['iso-offset', '2023-11-15T00:13:23+02:00', Date.UTC(2023, 10, 14, 22, 13, 23)],
      ['text-seconds', '1700000004', 1_700_000_004_000],
    ];
    const { source } = storeWith(forms.map(([id, t]) => ({ id, messages: exchange(id, 'ok'), createdAt: t, updatedAt: t, expiresAt: t })));
    const byUpdatedDesc = [...forms].sort((a, b) => b[2] - a[2]).map(([id]) => id);
    expect(ids(source)).toEqual(byUpdatedDesc);
    expect(ids(source, { sort: 'updated', direction: 'asc' })).toEqual([...byUpdatedDesc].reverse());
    expect(ids(source, { sort: 'created', direction: 'asc' })).toEqual([...byUpdatedDesc].reverse());
    for (const [id, , ms] of forms) {
      const s = source.getSession(id)!;
      expect([s.createdAt, s.updatedAt, s.expiresAt], id).toEqual([ms, ms, ms]);
      expect(s.expired, id).toBe(true);
    }
  });

  it('pages, sorts by every key in both directions and breaks ties by id', () => {
    const rows: JsonHistoryRow[] = [];
    for (let i = 0; i < 25; i++) {
      const messages = Array.from({ length: i % 5 }, (_, k) => ({ role: k % 2 ? 'assistant' : 'user', content: `m${k}` }));
      rows.push({ id: `s${String(i).padStart(2, '0')}`, messages, createdAt: BASE_S - i, updatedAt: BASE_S - (i % 7) });
    }
    const { source } = storeWith(rows);
    const all = ids(source, { limit: 1000 });
    const expected = [...rows]
      .sort((a, b) => (b.updatedAt as number) - (a.updatedAt as number) || (a.id < b.id ? -1 : 1))
      .map((r) => r.id);
    expect(all).toEqual(expected);

    const pages: string[] = [];
    for (let offset = 0; offset < 25; offset += 10) {
      const page = source.listSessions({ offset, limit: 10 });
      expect(page.total).toBe(25);
      expect(page.offset).toBe(offset);
      pages.push(...page.sessions.map((s) => s.id));
    }
    expect(pages).toEqual(all);
    expect(source.listSessions({ offset: 30, limit: 10 })).toEqual({ total: 25, offset: 30, sessions: [] });

    const byCount = [...rows].sort((a, b) => (b.messages as unknown[]).length - (a.messages as unknown[]).length || (a.id < b.id ? -1 : 1));
    expect(ids(source, { sort: 'messages', limit: 100 })).toEqual(byCount.map((r) => r.id));
    const byCountAsc = [...rows].sort((a, b) => (a.messages as unknown[]).length - (b.messages as unknown[]).length || (a.id < b.id ? -1 : 1));
    expect(ids(source, { sort: 'messages', direction: 'asc', limit: 100 })).toEqual(byCountAsc.map((r) => r.id));
    expect(ids(source, { sort: 'created', limit: 3 })).toEqual(['s00', 's01', 's02']);
    expect(ids(source, { sort: 'id', limit: 3 })).toEqual(['s24', 's23', 's22']);
    expect(ids(source, { sort: 'id', direction: 'asc', offset: 23 })).toEqual(['s23', 's24']);
  });

  it('filters case-insensitively by id or first user text, in any script', () => {
    const { source } = storeWith([
      { id: 'alpha-1', messages: exchange('Как растут ДЕРЕВЬЯ?', 'Медленно.'), updatedAt: BASE_S },
      { id: 'beta-2', messages: exchange('Where is the Alpha Centauri?', 'Far.'), updatedAt: BASE_S - 1 },
      { id: 'gamma-3', messages: exchange('Nothing here', 'alpha in an answer does not count'), updatedAt: BASE_S - 2 },
      { id: 'broken-alpha', messages: '[{"role":"user","content":"alpha', updatedAt: BASE_S - 3 },
    ]);
    expect(source.listSessions({ filter: 'ALPHA' })).toMatchObject({ total: 3, sessions: [{ id: 'alpha-1' }, { id: 'beta-2' }, { id: 'broken-alpha' }] });
    expect(ids(source, { filter: 'деревья' })).toEqual(['alpha-1']);
    expect(ids(source, { filter: '  centauri ' })).toEqual(['beta-2']);
    expect(source.listSessions({ filter: 'no such text' })).toEqual({ total: 0, offset: 0, sessions: [] });
    expect(source.listSessions({ filter: 'a', limit: 2, offset: 1 })).toMatchObject({ total: 4, sessions: [{ id: 'beta-2' }, { id: 'gamma-3' }] });
    // LIKE wildcards in the filter are plain characters.
    expect(ids(source, { filter: '%' })).toEqual([]);
    expect(ids(source, { filter: '_' })).toEqual([]);
  });

  it('lists a row whose messages are not JSON as unreadable, and loading it shows the error', () => {
    const truncated = '[{"role":"user","content":"Hello"},{"role":"assistant","content":"Hi th';
    const { source } = storeWith([
      { id: 'good', messages: exchange('Fine', 'Yes'), updatedAt: BASE_S },
      { id: 'cut', messages: truncated, updatedAt: BASE_S - 10 },
      { id: 'object', messages: '{"role":"user","content":"not in an array"}', updatedAt: BASE_S - 20 },
      { id: 'empty-text', messages: '', updatedAt: BASE_S - 30 },
    ]);
    const page = source.listSessions();
    expect(page.total).toBe(4);
    const [good, cut, object, empty] = page.sessions;
    expect(good).toMatchObject({ id: 'good', status: 'ok', messageCount: 2, warnings: [] });
    expect(cut).toMatchObject({ id: 'cut', status: 'unreadable', messageCount: null, storedMessageCount: null, title: null, updatedAt: (BASE_S - 10) * 1000 });
    expect(cut.warnings).toHaveLength(1);
    expect(cut.warnings[0]).toMatchObject({ code: 'unreadable-row', rowId: 'cut', sessionId: 'cut' });
    expect(cut.warnings[0].message).toContain(parseError(truncated));
    expect(object).toMatchObject({ status: 'unreadable', messageCount: null, warnings: [{ code: 'unreadable-row', rowId: 'object' }] });
    expect(object.warnings[0].message).toMatch(/not an array/);
    expect(empty).toMatchObject({ status: 'unreadable', warnings: [{ code: 'unreadable-row', rowId: 'empty-text' }] });
    expect(empty.warnings[0].message).toContain(parseError(''));

    const loaded = source.loadSession('cut')!;
    expect(loaded.messages).toEqual([]);
    expect(loaded.session).toEqual(cut);
    expect(loaded.warnings).toEqual(cut.warnings);
    expect(loaded.hasTranscript).toBe(true);

    // Unreadable rows sort last by message count in either direction, and never break a query.
    expect(ids(source, { sort: 'messages' })).toEqual(['good', 'cut', 'empty-text', 'object']);
    expect(ids(source, { sort: 'messages', direction: 'asc' })).toEqual(['good', 'cut', 'empty-text', 'object']);
  });

  it('loads a linear history with derived ids, normalised blocks and the raw MessageParam', () => {
    const messages = [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Need the tool.', signature: 'sig' },
          { type: 'redacted_thinking', data: 'xyz' },
          { type: 'tool_use', id: 'tu1', name: 'weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: [{ type: 'text', text: '18°C' }], is_error: false }] },
      { role: 'assistant', content: [{ type: 'future_block', payload: { a: 1 } }, { type: 'text', text: 'It is 18°C.' }] },
    ];
    const { source } = storeWith([{ id: 'w', messages }]);
    const loaded = source.loadSession('w')!;
    expect(loaded.warnings).toEqual([]);
    expect(loaded.branches).toEqual([]);
    expect(loaded.storeActiveLeafId).toBeNull();
    expect(loaded.hasTranscript).toBe(true);
    expect(loaded.session).toEqual(source.getSession('w'));
    expect(loaded.messages.map((m) => [m.id, m.parentId, m.role, m.kind, m.timestamp])).toEqual([
      ['w#0', null, 'user', 'user', null],
      ['w#1', 'w#0', 'assistant', 'assistant', null],
      ['w#2', 'w#1', 'user', 'user', null],
      ['w#3', 'w#2', 'assistant', 'assistant', null],
    ]);
    expect(loaded.messages.map((m) => m.location)).toEqual([0, 1, 2, 3].map((index) => ({ rowId: 'w', index })));
    expect(loaded.messages.map((m) => m.raw)).toEqual(messages);
    expect(loaded.messages[1].content).toEqual([
      { type: 'thinking', text: 'Need the tool.', redacted: false },
      { type: 'thinking', text: '', redacted: true },
      { type: 'tool_call', id: 'tu1', name: 'weather', input: { city: 'Paris' } },
    ]);
    expect(loaded.messages[2].content).toEqual([{ type: 'tool_result', toolCallId: 'tu1', content: [{ type: 'text', text: '18°C' }], isError: false }]);
    expect(loaded.messages[3].content[0]).toEqual({ type: 'unknown', raw: { type: 'future_block', payload: { a: 1 } } });
    // Derived ids are stable: loading again gives the same ids.
    expect(source.loadSession('w')!.messages.map((m) => m.id)).toEqual(['w#0', 'w#1', 'w#2', 'w#3']);
  });

  it('keeps array elements that are not messages, with role "unknown" and a warning each', () => {
    const { source } = storeWith([
      { id: 'odd', messages: [{ role: 'user', content: 'first' }, 'a bare string', 7, null, { content: 'no role' }, { role: 3, content: 'x' }, { role: 'assistant', content: 'last' }] },
    ]);
    expect(source.getSession('odd')).toMatchObject({ status: 'ok', messageCount: 7, title: 'first' });
    const loaded = source.loadSession('odd')!;
    expect(loaded.messages.map((m) => [m.id, m.parentId, m.role])).toEqual([
      ['odd#0', null, 'user'],
      ['odd#1', 'odd#0', 'unknown'],
      ['odd#2', 'odd#1', 'unknown'],
      ['odd#3', 'odd#2', 'unknown'],
      ['odd#4', 'odd#3', 'unknown'],
      ['odd#5', 'odd#4', 'unknown'],
      ['odd#6', 'odd#5', 'assistant'],
    ]);
    expect(loaded.messages[1].content).toEqual([{ type: 'text', text: 'a bare string' }]);
    expect(loaded.messages[2].content).toEqual([{ type: 'unknown', raw: 7 }]);
    expect(loaded.messages[4].content).toEqual([{ type: 'text', text: 'no role' }]);
    expect(loaded.messages[3].raw).toBeNull();
    expect(loaded.warnings.map((w) => [w.code, w.messageId, w.rowId])).toEqual(
      [1, 2, 3, 4, 5].map((i) => ['malformed-message', `odd#${i}`, 'odd']),
    );
  });

  it('keeps hostile HTML, NUL bytes, emoji and 300 KB values exactly, as text', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> [click](javascript:alert(3))';
    const withNul = 'before\u0000after';
    const emoji = '👩‍👩‍👧‍👦 family 🌳 tree';
    const log = `${'log line with some words\n'.repeat(12_000)}END`; // ~300 KB
    const image = 'A'.repeat(300 * 1024);
    const { source } = storeWith([
      { id: 'hostile', messages: exchange(hostile, hostile) },
      { id: 'nul', messages: exchange(withNul, 'ok') },
      { id: 'emoji', messages: exchange(emoji, '🙂') },
      {
        id: 'big',
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: image } }, { type: 'text', text: log }] },
          { role: 'assistant', content: 'Read it.' },
        ],
      },
    ]);
    expect(source.getSession('hostile')!.title).toBe(titleFromText(hostile));
    expect(source.getSession('hostile')!.title!.startsWith('<script>alert(1)</script>')).toBe(true);
    expect(source.loadSession('hostile')!.messages.map((m) => m.content)).toEqual([
      [{ type: 'text', text: hostile }],
      [{ type: 'text', text: hostile }],
    ]);
    expect(source.getSession('nul')!.title).toBe(withNul);
    expect(source.loadSession('nul')!.messages[0].content).toEqual([{ type: 'text', text: withNul }]);
    expect(ids(source, { filter: 'AFTER' })).toEqual(['nul']);
    expect(source.getSession('emoji')!.title).toBe(emoji);
    expect(ids(source, { filter: '🌳' })).toEqual(['emoji']);

    const big = source.getSession('big')!;
    expect(big).toMatchObject({ status: 'ok', messageCount: 2 });
    expect(big.title).toBe(titleFromText(log));
    const loaded = source.loadSession('big')!;
    expect(loaded.messages[0].content).toEqual([
      { type: 'image', mediaType: 'image/png', data: image, url: null },
      { type: 'text', text: log },
    ]);
    expect(ids(source, { sort: 'messages', limit: 1 })).toEqual(['big']);
  });

  it('lists an empty history as an ok session with no messages', () => {
    const { source } = storeWith([{ id: 'empty', messages: [] }]);
    expect(source.getSession('empty')).toMatchObject({ status: 'ok', messageCount: 0, title: null, warnings: [] });
    expect(source.loadSession('empty')).toMatchObject({ messages: [], warnings: [] });
  });

  it('marks sessions whose expires_at is before now as expired', () => {
    const now = FIXED_NOW / 1000;
    const { source } = storeWith([
      { id: 'past', messages: [], expiresAt: now - 1 },
      { id: 'exactly-now', messages: [], expiresAt: now },
      { id: 'future', messages: [], expiresAt: now + 1 },
      { id: 'past-ms', messages: [], expiresAt: FIXED_NOW - 1 },
    ]);
    const expired = Object.fromEntries(source.listSessions().sessions.map((s) => [s.id, s.expired]));
    expect(expired).toEqual({ past: true, 'exactly-now': false, future: false, 'past-ms': true });
    expect(source.getSession('past')!.expiresAt).toBe(FIXED_NOW - 1000);
  });

  it('never modifies the file: same bytes and mtime, no journal or WAL created', () => {
    const store = createJsonHistoryStore();
    store.add({ id: 'a', messages: exchange('Hello', 'World') }).add({ id: 'b', messages: '[broken' });
    store.close();
    const before = readFileSync(store.path);
    const mtime = statSync(store.path).mtimeMs;
    const filesBefore = readdirSync(store.dir).sort();

    const source = openStore(store.path, { now: () => FIXED_NOW });
    source.describe();
    for (const sort of ['updated', 'created', 'messages', 'id'] as const) {
      source.listSessions({ sort, direction: 'asc', filter: 'a' });
      source.listSessions({ sort });
    }
    source.getSession('a');
    source.loadSession('a');
    source.loadSession('b');
    expect(readdirSync(store.dir).sort()).toEqual(filesBefore);
    source.close();

    expect(readFileSync(store.path).equals(before)).toBe(true);
    expect(statSync(store.path).mtimeMs).toBe(mtime);
    expect(readdirSync(store.dir).sort()).toEqual(filesBefore);
    for (const suffix of ['-wal', '-shm', '-journal']) expect(existsSync(store.path + suffix)).toBe(false);
  });

  it('is not claimed when a column is missing, and an unknown SQLite file names its tables', () => {
    const dir = tempDir();
    const path = join(dir, 'sessions.db');
    const db = openWritable(path);
    // §1 without expires_at: close, but not this layout.
    db.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, messages TEXT NOT NULL, created_at INTEGER, updated_at INTEGER);
      CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);`);
    db.close();
    expect(() => openStore(path)).toThrow(UnknownStoreError);
    let message = '';
    try {
      openStore(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('sessions(session_id, messages, created_at, updated_at)');
    expect(message).toContain('notes(id, body)');
    // The tables are named; the layouts Arbor reads are listed by the caller (the CLI, the app's dialog), not in every message.
    expect(message).toContain('Map columns…');

    const found = discoverSources([dir]);
    expect(found.sources).toEqual([]);
    expect(found.warnings.map((w) => w.code)).toEqual(['unknown-sqlite', 'no-stores-found']);
  });
});
