import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionQuery, StoreSource } from '../../src/core/adapters/adapter';
import { titleFromText } from '../../src/core/model/content';
import { discoverSources, openStore } from '../../src/core/catalog';
import { UnknownStoreError } from '../../src/core/scan/discover';
import { openWritable } from '../../src/core/sqlite/open';
import { chatExchange, createChatHistoryStore, type ChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { FIXED_NOW, tempDir } from '../fixtures/tmp';

const opened: StoreSource[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

/** Builds a §3 store, closes the writer and opens it the way the app does. */
function storeWith(build: (store: ChatHistoryStore) => void): { source: StoreSource; store: ChatHistoryStore } {
  const store = createChatHistoryStore();
  build(store);
  store.close();
  const source = openStore(store.path, { now: () => FIXED_NOW });
  opened.push(source);
  return { source, store };
}

const ids = (source: StoreSource, query?: SessionQuery) => source.listSessions(query).sessions.map((s) => s.id);

const T = (iso: string) => Date.parse(iso);

describe('sqlite-chat-history adapter (FORMATS §3)', () => {
  it('is detected by its schema, whatever the file is called, and describes itself', () => {
    const root = tempDir();
    const dir = join(root, 'data');
    mkdirSync(dir, { recursive: true });
    const store = createChatHistoryStore({ dir, name: 'state.sqlite3' });
    store.addSession({ id: 'a', device: 'dev-1' }, chatExchange('Hi', 'Hello'));
    store.addMessages('gone', chatExchange('Orphan', 'Yes'));
    store.close();

    const found = discoverSources([root]);
    opened.push(...found.sources);
    expect(found.warnings).toEqual([]);
    expect(found.sources.map((s) => s.format)).toEqual(['sqlite-chat-history']);
    const described = found.sources[0].describe();
    expect(described).toMatchObject({
      path: store.path,
      format: 'sqlite-chat-history',
      label: 'SQLite sessions + chat_history',
      sessionCount: 2,
      groupFields: ['device'],
      hasTranscripts: true,
    });
    expect(described.warnings).toHaveLength(1);
    expect(described.warnings[0].code).toBe('orphaned-history');
  });

  it('lists sessions with device, stored and counted messages, titles and times', () => {
    const { source } = storeWith((s) => {
      s.addSession({ id: 's1', device: 'fp-abc', createdAt: '2026-05-01 10:00:00', lastActive: '2026-05-01 10:05:00' }, [
        { role: 'assistant', content: 'Welcome!' },
        { role: 'user', content: '  How do I reset\nmy password? ' },
        { role: 'assistant', content: 'Click "forgot".' },
      ]);
      s.addSession({ id: 's2', device: null, createdAt: '2026-04-01T09:00:00.123456', lastActive: '2026-04-01T09:30:00Z' }, []);
    });
    const page = source.listSessions();
    expect(page.total).toBe(2);
    expect(page.sessions).toEqual([
      {
        id: 's1',
        title: 'How do I reset my password?',
        createdAt: T('2026-05-01T10:00:00Z'),
        updatedAt: T('2026-05-01T10:05:00Z'),
        expiresAt: null,
        expired: false,
        storedMessageCount: 3,
        messageCount: 3,
        status: 'ok',
        fields: { device: 'fp-abc' },
        warnings: [],
      },
      {
        id: 's2',
        title: null,
        createdAt: T('2026-04-01T09:00:00.123Z'),
        updatedAt: T('2026-04-01T09:30:00Z'),
        expiresAt: null,
        expired: false,
        storedMessageCount: 0,
        messageCount: 0,
        status: 'ok',
        fields: { device: null },
        warnings: [],
      },
    ]);
    expect(source.getSession('s1')).toEqual(page.sessions[0]);
    expect(source.getSession('missing')).toBeNull();
    expect(source.loadSession('missing')).toBeNull();
  });

  it('fills CURRENT_TIMESTAMP defaults and reads them as UTC', () => {
    const before = Date.now();
    const { source } = storeWith((s) => s.addSession({ id: 'd' }, [{ role: 'user', content: 'x' }]));
    const after = Date.now();
    const session = source.getSession('d')!;
    // CURRENT_TIMESTAMP has whole seconds.
    expect(session.createdAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(session.createdAt).toBeLessThanOrEqual(after);
    expect(source.loadSession('d')!.messages[0].timestamp).toBe(session.createdAt);
  });

  it('reads and orders every timestamp form the trap list names', () => {
    const forms: Array<[string, number | string, number]> = [
      ['seconds', 1_700_000_000, 1_700_000_000_000],
      ['millis', 1_700_000_000_500, 1_700_000_000_500],
      ['sqlite', '2023-11-14 22:13:21', Date.UTC(2023, 10, 14, 22, 13, 21)],
      ['iso-z-frac', '2023-11-14T22:13:20.250Z', Date.UTC(2023, 10, 14, 22, 13, 20, 250)],
      ['iso-no-z', '2023-11-14T22:13:19', Date.UTC(2023, 10, 14, 22, 13, 19)],
      ['python-micro', '2023-11-14 22:13:22.123456', Date.UTC(2023, 10, 14, 22, 13, 22, 123)],
      ['iso-offset', '2023-11-15T00:13:23+02:00', Date.UTC(2023, 10, 14, 22, 13, 23)],
      ['text-millis', '1700000004000', 1_700_000_004_000],
    ];
    const { source } = storeWith((s) => {
      for (const [id, t] of forms) s.addSession({ id, createdAt: t, lastActive: t }, [{ role: 'user', content: id, timestamp: t }]);
    });
    const desc = [...forms].sort((a, b) => b[2] - a[2]).map(([id]) => id);
    expect(ids(source)).toEqual(desc);
    expect(ids(source, { direction: 'asc' })).toEqual([...desc].reverse());
    expect(ids(source, { sort: 'created' })).toEqual(desc);
    for (const [id, , ms] of forms) {
      const loaded = source.loadSession(id)!;
      expect([loaded.session.createdAt, loaded.session.updatedAt, loaded.messages[0].timestamp], id).toEqual([ms, ms, ms]);
    }
  });

  it('pages, sorts by every key in both directions and breaks ties by id', () => {
    const sessions = Array.from({ length: 23 }, (_, i) => ({
      id: `s${String(i).padStart(2, '0')}`,
      created: 1_700_000_000 + i,
      active: 1_700_100_000 + (i % 4),
      messages: (i * 7) % 5,
    }));
    const { source } = storeWith((s) => {
      for (const x of sessions) {
        s.addSession(
          { id: x.id, device: `dev-${x.messages}`, createdAt: x.created, lastActive: x.active, messageCount: 99 },
          Array.from({ length: x.messages }, (_, k) => ({ role: k % 2 ? 'assistant' : 'user', content: `${x.id} m${k}` })),
        );
      }
    });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const expectOrder = (key: (x: (typeof sessions)[0]) => number, dir: 1 | -1) =>
      [...sessions].sort((a, b) => (key(a) - key(b)) * dir || byId(a, b)).map((x) => x.id);

    expect(ids(source, { limit: 100 })).toEqual(expectOrder((x) => x.active, -1));
    expect(ids(source, { sort: 'updated', direction: 'asc', limit: 100 })).toEqual(expectOrder((x) => x.active, 1));
    expect(ids(source, { sort: 'created', limit: 100 })).toEqual(expectOrder((x) => x.created, -1));
    expect(ids(source, { sort: 'messages', limit: 100 })).toEqual(expectOrder((x) => x.messages, -1));
    expect(ids(source, { sort: 'messages', direction: 'asc', limit: 100 })).toEqual(expectOrder((x) => x.messages, 1));
    expect(ids(source, { sort: 'id', limit: 2 })).toEqual(['s22', 's21']);

    const all = ids(source, { sort: 'messages', limit: 100 });
    const paged: string[] = [];
    for (let offset = 0; offset < 23; offset += 5) {
      const page = source.listSessions({ sort: 'messages', offset, limit: 5 });
      expect(page).toMatchObject({ total: 23, offset });
      paged.push(...page.sessions.map((x) => x.id));
      // Counts are computed for the page's sessions.
      for (const x of page.sessions) expect(x.messageCount).toBe(sessions.find((y) => y.id === x.id)!.messages);
    }
    expect(paged).toEqual(all);
  });

  it('filters case-insensitively by id, device or first user text, and by the device field', () => {
    const { source } = storeWith((s) => {
      s.addSession({ id: 'one', device: 'iPhone-Ålesund', lastActive: 3 }, chatExchange('Где МОЙ заказ?', 'В пути.'));
      s.addSession({ id: 'two', device: 'android-7', lastActive: 2 }, [{ role: 'assistant', content: 'заказ only in the answer' }]);
      s.addSession({ id: 'three-ORDER', device: 'android-7', lastActive: 1 }, chatExchange('hello', 'hi'));
      s.addMessages('orphan-order', chatExchange('my order is lost', 'sorry', 0));
    });
    expect(ids(source, { filter: 'мой' })).toEqual(['one']);
    expect(ids(source, { filter: 'ЗАКАЗ' })).toEqual(['one']);
    expect(ids(source, { filter: 'ålesund' })).toEqual(['one']);
    expect(source.listSessions({ filter: 'order' })).toMatchObject({ total: 2, sessions: [{ id: 'three-ORDER' }, { id: 'orphan-order' }] });
    expect(source.listSessions({ filter: 'ANDROID' })).toMatchObject({ total: 2 });
    expect(source.listSessions({ fields: { device: 'android-7' } })).toMatchObject({ total: 2, sessions: [{ id: 'two' }, { id: 'three-ORDER' }] });
    expect(ids(source, { fields: { device: 'android-7' }, filter: 'order' })).toEqual(['three-ORDER']);
    expect(source.listSessions({ fields: { device: 'nobody' } })).toEqual({ total: 0, offset: 0, sessions: [] });
    expect(ids(source, { filter: '%' })).toEqual([]);
  });

  it('groups by device, with orphans and sessions without a device under null', () => {
    const { source } = storeWith((s) => {
      s.addSession({ id: 'a', device: 'd1' });
      s.addSession({ id: 'b', device: 'd1' });
      s.addSession({ id: 'c', device: 'd2' });
      s.addSession({ id: 'd', device: null });
      s.addMessages('ghost', [{ role: 'user', content: 'boo' }]);
    });
    expect(source.groupValues('device')).toEqual([
      { value: 'd1', count: 2 },
      { value: 'd2', count: 1 },
      { value: null, count: 2 },
    ]);
    expect(source.groupValues('tenant')).toEqual([]);
  });

  it('shows both counts and warns when message_count disagrees with the rows', () => {
    const { source } = storeWith((s) => {
      s.addSession({ id: 'more', messageCount: 5 }, chatExchange('q', 'a'));
      s.addSession({ id: 'fewer', messageCount: 0 }, chatExchange('q', 'a'));
      s.addSession({ id: 'same', messageCount: 2 }, chatExchange('q', 'a'));
      s.addSession({ id: 'none-kept', messageCount: null }, chatExchange('q', 'a'));
    });
    const more = source.getSession('more')!;
    expect(more).toMatchObject({ storedMessageCount: 5, messageCount: 2, status: 'ok' });
    expect(more.warnings).toEqual([expect.objectContaining({ code: 'count-mismatch', rowId: 'more', sessionId: 'more' })]);
    expect(more.warnings[0].message).toMatch(/5/);
    expect(more.warnings[0].message).toMatch(/2/);
    expect(source.getSession('fewer')).toMatchObject({ storedMessageCount: 0, messageCount: 2, warnings: [{ code: 'count-mismatch' }] });
    expect(source.getSession('same')!.warnings).toEqual([]);
    expect(source.getSession('none-kept')).toMatchObject({ storedMessageCount: null, messageCount: 2, warnings: [] });
    expect(source.loadSession('more')!.warnings.map((w) => w.code)).toEqual(['count-mismatch']);
  });

  it('lists chat_history rows whose session row is gone as unindexed sessions that load', () => {
    const { source } = storeWith((s) => {
      s.addSession({ id: 'kept', device: 'd', lastActive: '2026-01-02 00:00:00' }, chatExchange('kept q', 'kept a'));
      s.addMessages('lost-1', [
        { role: 'user', content: 'Lost question', timestamp: '2026-01-01 10:00:00' },
        { role: 'assistant', content: 'Lost answer', timestamp: '2026-01-03 11:00:00' },
      ]);
      s.addSession({ id: 'kept-2', lastActive: '2026-01-01 12:00:00' }, []);
      s.addMessages('lost-2', [{ role: 'assistant', content: 'only me', timestamp: 1_700_000_000 }]);
      s.addMessages('lost-1', [{ role: 'user', content: 'later row of lost-1', timestamp: '2026-01-04 09:00:00' }]);
    });
    const page = source.listSessions();
    expect(page.total).toBe(4);
    expect(page.sessions.map((x) => [x.id, x.status])).toEqual([
      ['lost-1', 'unindexed'],
      ['kept', 'ok'],
      ['kept-2', 'ok'],
      ['lost-2', 'unindexed'],
    ]);
    const lost = page.sessions[0];
    expect(lost).toMatchObject({
      title: 'Lost question',
      createdAt: T('2026-01-01T10:00:00Z'),
      updatedAt: T('2026-01-04T09:00:00Z'),
      storedMessageCount: null,
      messageCount: 3,
      fields: { orphaned: true },
    });
    expect(lost.warnings).toHaveLength(1);
    expect(lost.warnings[0]).toMatchObject({ code: 'orphaned-history', sessionId: 'lost-1', rowId: 3 });
    expect(lost.warnings[0].message).toContain('3 chat_history rows (ids 3–6)');
    expect(source.getSession('lost-2')).toMatchObject({ status: 'unindexed', messageCount: 1, title: null, fields: { orphaned: true } });
    expect(source.listSessions({ offset: 3, limit: 1 })).toMatchObject({ total: 4, sessions: [{ id: 'lost-2' }] });

    const loaded = source.loadSession('lost-1')!;
    expect(loaded.session).toEqual(lost);
    expect(loaded.messages.map((m) => [m.id, m.parentId, m.role, m.content])).toEqual([
      ['3', null, 'user', [{ type: 'text', text: 'Lost question' }]],
      ['4', '3', 'assistant', [{ type: 'text', text: 'Lost answer' }]],
      ['6', '4', 'user', [{ type: 'text', text: 'later row of lost-1' }]],
    ]);
  });

  it('loads a linear history in id order with parsed metadata, and reports bad metadata with its row id', () => {
    let rowIds: number[] = [];
    const { source } = storeWith((s) => {
      rowIds = s.addSession({ id: 'm', device: 'd' }, [
        { role: 'system', content: 'Be kind.', timestamp: '2026-01-01 10:00:05' },
        { role: 'user', content: 'Hi', timestamp: '2026-01-01 10:00:00', metadata: '{"source":"voice","confidence":0.9}' },
        { role: 'assistant', content: 'Hello', timestamp: 1_767_261_601, metadata: '{"model": "gpt", "tokens": ' },
        { role: 'narrator', content: 'Meanwhile…', metadata: '[1,2]' },
      ]);
    });
    const loaded = source.loadSession('m')!;
    expect(loaded.hasTranscript).toBe(true);
    expect(loaded.branches).toEqual([]);
    expect(loaded.messages.map((m) => [m.id, m.parentId, m.role, m.kind])).toEqual([
      [String(rowIds[0]), null, 'system', 'system'],
      [String(rowIds[1]), String(rowIds[0]), 'user', 'user'],
      [String(rowIds[2]), String(rowIds[1]), 'assistant', 'assistant'],
      [String(rowIds[3]), String(rowIds[2]), 'unknown', 'narrator'],
    ]);
    // Ordered by id, not by timestamp.
    expect(loaded.messages.map((m) => m.timestamp).slice(0, 3)).toEqual([T('2026-01-01T10:00:05Z'), T('2026-01-01T10:00:00Z'), 1_767_261_601_000]);
    expect(loaded.messages[0].metadata).toBeNull();
    expect(loaded.messages[1].metadata).toEqual({ source: 'voice', confidence: 0.9 });
    expect(loaded.messages[2].metadata).toEqual({ raw: '{"model": "gpt", "tokens": ' });
    expect(loaded.messages[3].metadata).toEqual({ value: [1, 2] });
    expect(loaded.messages[1].location).toEqual({ rowId: rowIds[1] });
    expect(loaded.messages[1].raw).toMatchObject({ id: rowIds[1], session_id: 'm', role: 'user', content: 'Hi' });
    expect(loaded.warnings).toEqual([expect.objectContaining({ code: 'bad-metadata', rowId: rowIds[2], sessionId: 'm', messageId: String(rowIds[2]) })]);
    expect(loaded.session).toEqual(source.getSession('m'));
    expect(loaded.session.title).toBe('Hi');
  });

  it('keeps hostile HTML, NUL bytes, emoji and 300 KB values exactly, as text', () => {
    const hostile = '<img src=x onerror="alert(1)"><script>steal()</script>[x](javascript:alert(2))';
    const withNul = 'nul\u0000inside';
    const emoji = '🌲🌳🌴 forest of 👨‍👩‍👧';
    const log = `${'2026-01-01 ERROR something failed at line 42\n'.repeat(7000)}END`; // ~320 KB
    const { source } = storeWith((s) => {
      s.addSession({ id: 'hostile', lastActive: 4 }, chatExchange(hostile, hostile));
      s.addSession({ id: 'nul', lastActive: 3 }, chatExchange(withNul, 'ok'));
      s.addSession({ id: 'emoji', lastActive: 2 }, chatExchange(emoji, '🙂'));
      s.addSession({ id: 'big', lastActive: 1 }, [{ role: 'user', content: log, metadata: JSON.stringify({ attachment: 'B'.repeat(300 * 1024) }) }]);
    });
    expect(source.getSession('hostile')!.title).toBe(titleFromText(hostile));
    expect(source.loadSession('hostile')!.messages.map((m) => m.content)).toEqual([[{ type: 'text', text: hostile }], [{ type: 'text', text: hostile }]]);
    expect(source.getSession('nul')!.title).toBe(withNul);
    expect(source.loadSession('nul')!.messages[0].content).toEqual([{ type: 'text', text: withNul }]);
    expect(ids(source, { filter: 'INSIDE' })).toEqual(['nul']);
    expect(source.getSession('emoji')!.title).toBe(emoji);
    const big = source.loadSession('big')!;
    expect(big.session.title).toBe(titleFromText(log));
    expect(source.getSession('big')!.title).toBe(titleFromText(log));
    expect(big.messages[0].content).toEqual([{ type: 'text', text: log }]);
    expect((big.messages[0].metadata as { attachment: string }).attachment).toHaveLength(300 * 1024);
  });

  it('never modifies the file: same bytes and mtime, no journal or WAL created', () => {
    const store = createChatHistoryStore();
    store.addSession({ id: 'a', device: 'd', messageCount: 7 }, chatExchange('Hello', 'World'));
    store.addMessages('orphan', [{ role: 'user', content: 'x', metadata: '{bad' }]);
    store.close();
    const before = readFileSync(store.path);
    const mtime = statSync(store.path).mtimeMs;
    const filesBefore = readdirSync(store.dir).sort();

    const source = openStore(store.path);
    source.describe();
    for (const sort of ['updated', 'created', 'messages', 'id'] as const) {
      source.listSessions({ sort, direction: 'asc', filter: 'o' });
      source.listSessions({ sort, fields: { device: 'd' } });
    }
    source.groupValues('device');
    source.getSession('orphan');
    source.loadSession('a');
    source.loadSession('orphan');
    expect(readdirSync(store.dir).sort()).toEqual(filesBefore);
    source.close();

    expect(readFileSync(store.path).equals(before)).toBe(true);
    expect(statSync(store.path).mtimeMs).toBe(mtime);
    expect(readdirSync(store.dir).sort()).toEqual(filesBefore);
    for (const suffix of ['-wal', '-shm', '-journal']) expect(existsSync(store.path + suffix)).toBe(false);
  });

  it('leaves a file with only one of the two tables unclaimed, naming its tables', () => {
    const dir = tempDir();
    const path = join(dir, 'sessions.db');
    const db = openWritable(path);
    db.exec(`CREATE TABLE chat_history (id INTEGER PRIMARY KEY, session_id TEXT, role TEXT, content TEXT, timestamp TIMESTAMP)`);
    db.close();
    expect(() => openStore(path)).toThrow(UnknownStoreError);
    expect(() => openStore(path)).toThrow(/chat_history\(id, session_id, role, content, timestamp\)/);
  });
});
