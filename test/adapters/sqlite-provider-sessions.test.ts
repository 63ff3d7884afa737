import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { sqliteProviderSessionsAdapter } from '../../src/core/stores/sqlite-provider-sessions/reader';
import { sqliteTenantMessagesAdapter } from '../../src/core/stores/sqlite-tenant-messages/reader';
import { plainText } from '../../src/core/model/content';
import { discoverSources, openStore } from '../../src/core/catalog';
import { probeFile, releaseProbe } from '../../src/core/scan/probe';
import { openWritable } from '../../src/core/sqlite/open';
import { createProviderSessionsStore, HOUR, type ProviderSessionsStore, type Spelling } from '../fixtures/sqlite-provider-sessions';
import { createTenantMessagesStore } from '../fixtures/sqlite-tenant-messages';
import { FIXED_NOW, tempDir } from '../fixtures/tmp';

const MIN = 60_000;
const now = () => FIXED_NOW;
const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>\u0000😀';
const BIG = 'msg-' + 'A'.repeat(300_000);
const md5ish = (n: number) => n.toString(16).padStart(32, '0');

/**
 * Four sessions as the seed's SessionManager writes them, with the traps: times in seconds, ISO text
 * and ms-as-text beside unix ms, a count stored as text, an unreadable time, hostile and huge values.
 */
function routerStore(spelling: Spelling = 'snake', options: { dir?: string; name?: string } = {}): ProviderSessionsStore {
  const store = createProviderSessionsStore({ spelling, ...options });
  store
    .session({ id: md5ish(1), chatId: 'chat-1', parentId: 'msg-9', createdAt: FIXED_NOW - 3 * HOUR, lastAccessed: FIXED_NOW - 10 * MIN, expiresAt: FIXED_NOW + 20 * MIN, messageCount: 4 })
    .session({ id: md5ish(2), chatId: 'chat-2', parentId: null, createdAt: FIXED_NOW - 5 * HOUR, lastAccessed: FIXED_NOW - 2 * HOUR, expiresAt: FIXED_NOW - 90 * MIN, messageCount: 2 })
    .session({
      id: md5ish(3),
      chatId: 'chat-3',
      parentId: BIG,
      // Seconds, ISO text and ms-as-text in columns the DDL calls unix ms.
      createdAt: (FIXED_NOW - 4 * HOUR) / 1000,
      lastAccessed: '2026-05-31T23:00:00Z',
      expiresAt: String(FIXED_NOW - 1),
      messageCount: '7',
    })
    .session({ id: md5ish(4), chatId: 'Чат-😀', parentId: HOSTILE, createdAt: FIXED_NOW - 6 * HOUR, lastAccessed: 'yesterday', expiresAt: FIXED_NOW + HOUR, messageCount: 0 });
  store.close();
  return store;
}

const ids = (source: StoreSource, query: Parameters<StoreSource['listSessions']>[0] = {}) =>
  source.listSessions({ limit: 1000, ...query }).sessions.map((s) => s.id);

function snapshot(path: string) {
  return { bytes: readFileSync(path), mtime: statSync(path).mtimeMs };
}

describe('sqlite-provider-sessions adapter (FORMATS §5, seed 004)', () => {
  for (const spelling of ['snake', 'camel'] as const) {
    it(`lists ${spelling}_case sessions as metadata only, with chat and parent ids, counts and expiry`, () => {
      const store = routerStore(spelling);
      const source = openStore(store.path, { now });
      expect(source.format).toBe('sqlite-provider-sessions');
      expect(source.describe()).toMatchObject({ sessionCount: 4, hasTranscripts: false, groupFields: [], warnings: [] });
      const page = source.listSessions();
      expect(page.total).toBe(4);
      // Newest access first; the unreadable access time falls back to the creation time.
      expect(page.sessions.map((s) => s.id)).toEqual([md5ish(1), md5ish(3), md5ish(2), md5ish(4)]);
      const [s1, s3, s2, s4] = page.sessions;
      expect(s1).toEqual({
        id: md5ish(1),
        title: null,
        createdAt: FIXED_NOW - 3 * HOUR,
        updatedAt: FIXED_NOW - 10 * MIN,
        expiresAt: FIXED_NOW + 20 * MIN,
        expired: false,
        storedMessageCount: 4,
        messageCount: null,
        status: 'metadata-only',
        fields: { chatId: 'chat-1', parentId: 'msg-9' },
        warnings: [],
      });
      expect(s2).toMatchObject({ expired: true, expiresAt: FIXED_NOW - 90 * MIN, storedMessageCount: 2, fields: { chatId: 'chat-2', parentId: null } });
      expect(s3).toMatchObject({
        createdAt: FIXED_NOW - 4 * HOUR,
        updatedAt: FIXED_NOW - HOUR,
        expiresAt: FIXED_NOW - 1,
        expired: true,
        storedMessageCount: 7,
        fields: { chatId: 'chat-3', parentId: BIG },
        warnings: [],
      });
      expect(s4).toMatchObject({ createdAt: FIXED_NOW - 6 * HOUR, updatedAt: FIXED_NOW - 6 * HOUR, expired: false, storedMessageCount: 0, fields: { chatId: 'Чат-😀', parentId: HOSTILE } });
      expect(s4.warnings).toEqual([expect.objectContaining({ code: 'bad-timestamp', rowId: 4, sessionId: md5ish(4) })]);
      source.close();
    });
  }

  it('reads both spellings to the same sessions, and a table that mixes them', () => {
    const snake = openStore(routerStore('snake').path, { now });
    const camel = openStore(routerStore('camel').path, { now });
    // Warning texts name the column as the store spells it; everything else is identical.
    const comparable = (source: StoreSource) =>
      source.listSessions({ sort: 'created' }).sessions.map((s) => ({ ...s, warnings: s.warnings.map(({ message: _m, ...w }) => w) }));
    expect(comparable(camel)).toEqual(comparable(snake));
    expect(camel.getSession(md5ish(4))!.warnings[0].message).toContain('lastAccessed');
    snake.close();
    camel.close();

    const path = join(tempDir(), 'mixed.db');
    const db = openWritable(path);
    db.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, chatId TEXT NOT NULL, parent_id TEXT,
      createdAt INTEGER NOT NULL, last_accessed INTEGER NOT NULL, expiresAt INTEGER NOT NULL, messageCount INTEGER DEFAULT 0)`);
    db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)').run('m1', 'chat-m', 'p-m', FIXED_NOW - HOUR, FIXED_NOW - MIN, FIXED_NOW - 1, 3);
    db.close();
    const mixed = openStore(path, { now });
    expect(mixed.getSession('m1')).toMatchObject({
      createdAt: FIXED_NOW - HOUR,
      updatedAt: FIXED_NOW - MIN,
      expired: true,
      storedMessageCount: 3,
      fields: { chatId: 'chat-m', parentId: 'p-m' },
    });
    mixed.close();
  });

  it('decides expiry with the clock it is given', () => {
    const path = routerStore().path;
    const early = openStore(path, { now: () => FIXED_NOW - 3 * HOUR });
    expect(early.listSessions().sessions.filter((s) => s.expired)).toEqual([]);
    early.close();
    const late = openStore(path, { now: () => FIXED_NOW + 2 * HOUR });
    expect(late.listSessions().sessions.every((s) => s.expired)).toBe(true);
    late.close();
  });

  it('sorts by every key in both directions, mixed time forms in true time order, ties by id', () => {
    const source = openStore(routerStore().path, { now });
    expect(ids(source, { sort: 'updated', direction: 'asc' })).toEqual([md5ish(4), md5ish(2), md5ish(3), md5ish(1)]);
    // Session 3's creation is in seconds: a numeric sort would put it first.
    expect(ids(source, { sort: 'created', direction: 'asc' })).toEqual([md5ish(4), md5ish(2), md5ish(3), md5ish(1)]);
    expect(ids(source, { sort: 'created' })).toEqual([md5ish(1), md5ish(3), md5ish(2), md5ish(4)]);
    // The text count '7' sorts as 7.
    expect(ids(source, { sort: 'messages' })).toEqual([md5ish(3), md5ish(1), md5ish(2), md5ish(4)]);
    expect(ids(source, { sort: 'messages', direction: 'asc' })).toEqual([md5ish(4), md5ish(2), md5ish(1), md5ish(3)]);
    expect(ids(source, { sort: 'id', direction: 'asc' })).toEqual([1, 2, 3, 4].map(md5ish));
    expect(ids(source, { sort: 'id', direction: 'desc' })).toEqual([4, 3, 2, 1].map(md5ish));
    source.close();

    const ties = createProviderSessionsStore();
    for (const id of ['c', 'a', 'b']) ties.session({ id, chatId: id, createdAt: FIXED_NOW, lastAccessed: FIXED_NOW });
    ties.close();
    const tied = openStore(ties.path, { now });
    expect(ids(tied)).toEqual(['a', 'b', 'c']);
    expect(ids(tied, { direction: 'asc' })).toEqual(['a', 'b', 'c']);
    tied.close();
  });

  it('pages, filters by substring and exactly by chat or parent id', () => {
    const source = openStore(routerStore().path, { now });
    const first = source.listSessions({ limit: 3 });
    const second = source.listSessions({ limit: 3, offset: 3 });
    expect([first.total, second.total]).toEqual([4, 4]);
    expect([...first.sessions, ...second.sessions].map((s) => s.id)).toEqual(ids(source));
    expect(second.sessions.map((s) => s.id)).toEqual([md5ish(4)]);
    expect(ids(source, { filter: 'CHAT-2' })).toEqual([md5ish(2)]);
    expect(ids(source, { filter: 'чат' })).toEqual([md5ish(4)]);
    expect(ids(source, { filter: 'onerror' })).toEqual([md5ish(4)]);
    expect(ids(source, { filter: '0003' })).toEqual([md5ish(3)]);
    expect(ids(source, { filter: 'msg-' })).toEqual([md5ish(1), md5ish(3)]);
    expect(ids(source, { fields: { chatId: 'chat-3' } })).toEqual([md5ish(3)]);
    expect(ids(source, { fields: { parentId: 'msg-9' } })).toEqual([md5ish(1)]);
    expect(ids(source, { fields: { chatId: 'chat' } })).toEqual([]);
    expect(source.listSessions({ fields: { tenant: 'acme' } }).total).toBe(0);
    expect(source.groupValues('chatId')).toEqual([
      { value: 'chat-1', count: 1 },
      { value: 'chat-2', count: 1 },
      { value: 'chat-3', count: 1 },
      { value: 'Чат-😀', count: 1 },
    ]);
    expect(source.groupValues('parentId').find((g) => g.value === null)).toEqual({ value: null, count: 1 });
    expect(source.groupValues('tenant')).toEqual([]);
    source.close();
  });

  it('says plainly that a session has no transcript', () => {
    const source = openStore(routerStore().path, { now });
    const loaded = source.loadSession(md5ish(4))!;
    expect(loaded).toMatchObject({ hasTranscript: false, messages: [], branches: [], storeActiveLeafId: null });
    expect(loaded.session).toMatchObject({ id: md5ish(4), status: 'metadata-only', messageCount: null, fields: { parentId: HOSTILE } });
    expect(loaded.warnings.map((w) => w.code)).toEqual(['bad-timestamp']);
    expect(source.getSession('nope')).toBeNull();
    expect(source.loadSession('nope')).toBeNull();
    source.close();
  });

  it('reads a request/response log table as the transcript of the sessions it names', () => {
    const store = createProviderSessionsStore();
    store.session({ id: 's1', chatId: 'chat-1', messageCount: 2 }).session({ id: 's2', chatId: 'chat-2' });
    const t0 = FIXED_NOW - HOUR;
    store
      .log({ sessionId: 's1', request: 'second question', response: 'second answer', createdAt: t0 + 2000 })
      .log({ sessionId: 's1', request: 'first question', response: HOSTILE, createdAt: t0 + 1000 })
      // Same time as the second exchange, later row: after it. No response yet.
      .log({ sessionId: 's1', request: 'third question', response: null, createdAt: t0 + 2000 })
      // Seconds, not ms: still the earliest.
      .log({ sessionId: 's1', request: 'zeroth', response: BIG, createdAt: t0 / 1000 })
      .log({ sessionId: 'ghost', request: 'lost', response: 'lost too', createdAt: t0 });
    store.close();
    const source = openStore(store.path, { now });
    const description = source.describe();
    expect(description.hasTranscripts).toBe(true);
    expect(description.warnings.map((w) => w.code)).toEqual(['log-table-transcript', 'orphaned-log-rows']);
    const s1 = source.getSession('s1')!;
    expect(s1).toMatchObject({ status: 'ok', messageCount: 7, storedMessageCount: 2 });
    expect(source.getSession('s2')).toMatchObject({ status: 'metadata-only', messageCount: null });
    expect(ids(source, { sort: 'messages' })).toEqual(['s1', 's2']);

    const loaded = source.loadSession('s1')!;
    expect(loaded.hasTranscript).toBe(true);
    expect(loaded.messages.map((m) => [m.role, plainText(m.content)])).toEqual([
      ['user', 'zeroth'],
      ['assistant', BIG],
      ['user', 'first question'],
      ['assistant', HOSTILE],
      ['user', 'second question'],
      ['assistant', 'second answer'],
      ['user', 'third question'],
    ]);
    expect(loaded.messages.map((m) => m.parentId)).toEqual([null, ...loaded.messages.slice(0, -1).map((m) => m.id)]);
    expect(new Set(loaded.messages.map((m) => m.id)).size).toBe(7);
    expect(loaded.messages[0]).toMatchObject({ timestamp: t0, location: { rowId: 4 } });
    expect(loaded.messages[6]).toMatchObject({ timestamp: t0 + 2000, location: { rowId: 3 } });
    expect(source.loadSession('s2')).toMatchObject({ hasTranscript: false, messages: [] });
    source.close();
  });

  it('reads a role/content log table with camelCase columns', () => {
    const store = createProviderSessionsStore({ spelling: 'camel' });
    store.session({ id: 's1', chatId: 'chat-1' });
    store.db.exec(`CREATE TABLE message_log (id INTEGER PRIMARY KEY, sessionId TEXT, role TEXT, content TEXT, createdAt INTEGER)`);
    const insert = store.db.prepare('INSERT INTO message_log (sessionId, role, content, createdAt) VALUES (?, ?, ?, ?)');
    insert.run('s1', 'assistant', 'hello back', FIXED_NOW - 1000);
    insert.run('s1', 'user', 'hello', FIXED_NOW - 2000);
    insert.run('s1', 'system', 'be nice', '2026-05-31T23:59:57Z');
    store.close();
    const source = openStore(store.path, { now });
    const loaded = source.loadSession('s1')!;
    expect(loaded.messages.map((m) => [m.role, m.kind, plainText(m.content)])).toEqual([
      ['system', 'system', 'be nice'],
      ['user', 'user', 'hello'],
      ['assistant', 'assistant', 'hello back'],
    ]);
    expect(source.getSession('s1')).toMatchObject({ status: 'ok', messageCount: 3 });
    source.close();
  });

  it('ignores other tables that carry a session id but no message text', () => {
    const store = createProviderSessionsStore();
    store.session({ id: 's1', chatId: 'chat-1' });
    store.db.exec(`CREATE TABLE session_metrics (session_id TEXT, latency_ms INTEGER)`);
    store.db.prepare('INSERT INTO session_metrics VALUES (?, ?)').run('s1', 120);
    store.close();
    const source = openStore(store.path, { now });
    expect(source.describe()).toMatchObject({ hasTranscripts: false, warnings: [] });
    expect(source.loadSession('s1')).toMatchObject({ hasTranscript: false, messages: [] });
    source.close();
  });

  it('never modifies the file it reads', () => {
    const store = createProviderSessionsStore();
    store.session({ id: 's1', chatId: 'chat-1' }).session({ id: 's2', chatId: 'chat-2', expiresAt: FIXED_NOW - HOUR });
    store.log({ sessionId: 's1', request: 'q', response: 'a', createdAt: FIXED_NOW - HOUR });
    store.close();
    const before = snapshot(store.path);
    const source = openStore(store.path, { now });
    source.describe();
    for (const sort of ['updated', 'created', 'messages', 'id'] as const) source.listSessions({ sort, filter: 's', fields: { chatId: 'chat-1' } });
    source.loadSession('s1');
    source.loadSession('s2');
    source.groupValues('chatId');
    source.close();
    const after = snapshot(store.path);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.mtime).toBe(before.mtime);
    for (const suffix of ['-wal', '-journal', '-shm']) expect(existsSync(store.path + suffix)).toBe(false);
  });

  it('does not claim seed-000, seed-002 or seed-003 stores, and is not judged by file name', () => {
    const dir = tempDir();
    const seed002 = join(dir, 'provider-router.db');
    const db = openWritable(seed002);
    db.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, device_fingerprint TEXT,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, last_active TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
      message_count INTEGER DEFAULT 0, metadata JSON);
    CREATE TABLE chat_history (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,
      role TEXT NOT NULL, content TEXT NOT NULL, timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, metadata JSON,
      FOREIGN KEY (session_id) REFERENCES sessions(session_id));`);
    db.close();
    const seed000 = join(dir, 'json-history.db');
    const db0 = openWritable(seed000);
    db0.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, messages TEXT NOT NULL, created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`);
    db0.close();
    const seed003 = createTenantMessagesStore({ dir: tempDir() });
    seed003.session({ id: 'x', tenantId: 't', createdAt: '2026-05-01T00:00:00Z' }).close();

    for (const path of [seed002, seed000, seed003.path]) {
      const probe = probeFile(path);
      try {
        expect(sqliteProviderSessionsAdapter.detect(probe)).toBe(false);
      } finally {
        releaseProbe(probe);
      }
    }
    const seed002Probe = probeFile(seed002);
    try {
      expect(sqliteTenantMessagesAdapter.detect(seed002Probe)).toBe(false);
    } finally {
      releaseProbe(seed002Probe);
    }
    const found = discoverSources([dir], { now });
    expect(found.sources.map((s) => s.format)).not.toContain('sqlite-provider-sessions');
    for (const s of found.sources) s.close();

    // Its own layout under another layout's default name is still its own.
    const renamed = routerStore('camel', { dir: tempDir(), name: 'sessions.db' });
    const source = openStore(renamed.path, { now });
    expect(source.format).toBe('sqlite-provider-sessions');
    source.close();
  });
});
