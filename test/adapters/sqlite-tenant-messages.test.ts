import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { sqliteProviderSessionsAdapter } from '../../src/core/stores/sqlite-provider-sessions/reader';
import { sqliteTenantMessagesAdapter } from '../../src/core/stores/sqlite-tenant-messages/reader';
import { plainText } from '../../src/core/model/content';
import { discoverSources, openStore } from '../../src/core/catalog';
import { probeFile, releaseProbe } from '../../src/core/scan/probe';
import { openWritable } from '../../src/core/sqlite/open';
import { createProviderSessionsStore } from '../fixtures/sqlite-provider-sessions';
import { createTenantMessagesStore, type TenantMessagesStore } from '../fixtures/sqlite-tenant-messages';
import { tempDir } from '../fixtures/tmp';

const utc = (...parts: [number, number, number, number?, number?, number?, number?]): number => Date.UTC(...parts);
const BIG = 'data:image/png;base64,' + 'QUJD'.repeat(75_000); // 300 KB
const HTML = 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> 👋';
const LINK = '[click](javascript:alert(3)) <a href="javascript:void(0)">x</a>';

/**
 * Five sessions whose created/updated times come in every form a store writes, inserted in an order
 * that matches neither the time order nor the id order, plus messages whose session row is gone.
 */
function mixedStore(options: { dir?: string; name?: string } = {}): TenantMessagesStore {
  const store = createTenantMessagesStore(options);
  store
    .session({ id: 's-alpha', tenantId: 'acme', userId: 'alice', traits: { plan: 'pro' }, createdAt: '2026-05-01T10:00:00.000Z' })
    .session({ id: 's-beta', tenantId: 'acme', userId: 'bob', createdAt: '2026-05-02 09:00:00' })
    // Unix seconds as text: a text sort would put this first, a time sort puts it last.
    .session({ id: 's-gamma', tenantId: 'globex', userId: null, createdAt: String(utc(2026, 4, 3) / 1000) })
    .session({ id: 's-delta', tenantId: 'globex', userId: 'alice', traits: '{bad json', createdAt: utc(2026, 3, 1) });
  // s-alpha's messages, inserted out of order, with times in five forms.
  store
    .message({ id: 'a3', sessionId: 's-alpha', role: 'assistant', content: LINK, createdAt: '2026-05-01 10:00:05' })
    .message({ id: 'a1', sessionId: 's-alpha', role: 'system', content: 'You are helpful.', createdAt: '2026-05-01T10:00:00Z' })
    .message({ id: 'a5', sessionId: 's-alpha', role: 'assistant', content: 'fifth', createdAt: '2026-05-01T12:00:08.5+02:00' })
    .message({ id: 'a2', sessionId: 's-alpha', role: 'user', content: HTML, createdAt: utc(2026, 4, 1, 10, 0, 2) / 1000 })
    .message({ id: 'a4', sessionId: 's-alpha', role: 'user', content: 'fourth', createdAt: utc(2026, 4, 1, 10, 0, 7) })
    // Same time: the rowid decides, not the id.
    .message({ id: 'a7', sessionId: 's-alpha', role: 'assistant', content: 'tie one', createdAt: '2026-05-01T10:00:09Z' })
    .message({ id: 'a6', sessionId: 's-alpha', role: 'user', content: 'tie two', createdAt: '2026-05-01T10:00:09.000Z' });
  store
    .message({ id: 'b1', sessionId: 's-beta', role: 'user', content: '  Привет,\n мир  ', createdAt: '2026-05-02T09:00:00Z' })
    .message({ id: 'b2', sessionId: 's-beta', role: 'assistant', content: 'Здравствуйте', createdAt: '2026-05-02T09:05:00Z' });
  store
    .message({ id: 'd1', sessionId: 's-delta', role: 'user', content: 'first\u0000after-nul', createdAt: '2026-04-01T00:00:00Z' })
    .message({ id: 'd2', sessionId: 's-delta', role: 'assistant', content: BIG, createdAt: '2026-04-01T00:00:01Z' });
  store.message({ id: 'g1', sessionId: 'ghost', role: 'user', content: 'Where did my session go?', createdAt: '2026-04-15T00:00:00Z' });
  store.close();
  return store;
}

const ids = (source: StoreSource, query: Parameters<StoreSource['listSessions']>[0] = {}) =>
  source.listSessions({ limit: 1000, ...query }).sessions.map((s) => s.id);

describe('sqlite-tenant-messages adapter (FORMATS §4, seed 003)', () => {
  it('is detected by its schema and described with tenant/user grouping', () => {
    const store = mixedStore();
    const source = openStore(store.path);
    expect(source.format).toBe('sqlite-tenant-messages');
    const description = source.describe();
    expect(description).toMatchObject({
      format: 'sqlite-tenant-messages',
      // Four session rows plus the orphaned "ghost"; __drizzle_migrations is not a session.
      sessionCount: 5,
      groupFields: ['tenant', 'user'],
      hasTranscripts: true,
    });
    expect(description.warnings.map((w) => w.code)).toEqual(['orphaned-messages']);
    source.close();
  });

  it('lists sessions newest first by their newest message, with counts, titles and fields', () => {
    const source = openStore(mixedStore().path);
    const page = source.listSessions();
    expect(page.total).toBe(5);
    expect(page.offset).toBe(0);
    // gamma has no messages: its created_at (unix seconds text) is its update time.
    expect(page.sessions.map((s) => s.id)).toEqual(['s-gamma', 's-beta', 's-alpha', 'ghost', 's-delta']);
    const byId = new Map(page.sessions.map((s) => [s.id, s]));
    expect(byId.get('s-alpha')).toMatchObject({
      title: HTML,
      createdAt: utc(2026, 4, 1, 10),
      updatedAt: utc(2026, 4, 1, 10, 0, 9),
      expiresAt: null,
      expired: false,
      storedMessageCount: null,
      messageCount: 7,
      status: 'ok',
      fields: { tenant: 'acme', user: 'alice', traits: '{"plan":"pro"}' },
      warnings: [],
    });
    expect(byId.get('s-beta')).toMatchObject({ title: 'Привет, мир', createdAt: utc(2026, 4, 2, 9), updatedAt: utc(2026, 4, 2, 9, 5), messageCount: 2 });
    expect(byId.get('s-gamma')).toMatchObject({
      title: null,
      createdAt: utc(2026, 4, 3),
      updatedAt: utc(2026, 4, 3),
      messageCount: 0,
      fields: { tenant: 'globex', user: null, traits: null },
    });
    expect(byId.get('s-delta')).toMatchObject({ title: 'first\u0000after-nul', createdAt: utc(2026, 3, 1), messageCount: 2 });
    source.close();
  });

  it('sorts by every key in both directions, mixed time forms in true time order, ties by id', () => {
    const source = openStore(mixedStore().path);
    expect(ids(source, { sort: 'updated', direction: 'asc' })).toEqual(['s-delta', 'ghost', 's-alpha', 's-beta', 's-gamma']);
    // Created: ms number, the orphan's first message, ISO, SQLite form, unix seconds text.
    expect(ids(source, { sort: 'created', direction: 'asc' })).toEqual(['s-delta', 'ghost', 's-alpha', 's-beta', 's-gamma']);
    expect(ids(source, { sort: 'created', direction: 'desc' })).toEqual(['s-gamma', 's-beta', 's-alpha', 'ghost', 's-delta']);
    // beta and delta both have 2 messages: the id breaks the tie, ascending, in either direction.
    expect(ids(source, { sort: 'messages' })).toEqual(['s-alpha', 's-beta', 's-delta', 'ghost', 's-gamma']);
    expect(ids(source, { sort: 'messages', direction: 'asc' })).toEqual(['s-gamma', 'ghost', 's-beta', 's-delta', 's-alpha']);
    expect(ids(source, { sort: 'id', direction: 'asc' })).toEqual(['ghost', 's-alpha', 's-beta', 's-delta', 's-gamma']);
    expect(ids(source, { sort: 'id', direction: 'desc' })).toEqual(['s-gamma', 's-delta', 's-beta', 's-alpha', 'ghost']);
    source.close();
  });

  it('pages without overlap or gaps and reports the total before paging', () => {
    const source = openStore(mixedStore().path);
    const all = ids(source);
    const pages = [0, 2, 4].map((offset) => source.listSessions({ offset, limit: 2 }));
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
    expect(pages.map((p) => p.offset)).toEqual([0, 2, 4]);
    expect(pages.map((p) => p.sessions.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.sessions.map((s) => s.id))).toEqual(all);
    expect(source.listSessions({ offset: 10, limit: 2 })).toEqual({ total: 5, offset: 10, sessions: [] });
    // Counts are computed for each page, not carried over from another.
    expect(pages[1].sessions.map((s) => s.messageCount)).toEqual([7, 1]);
    source.close();
  });

  it('groups by tenant and user, orphans in the empty group', () => {
    const source = openStore(mixedStore().path);
    expect(source.groupValues('tenant')).toEqual([
      { value: 'acme', count: 2 },
      { value: 'globex', count: 2 },
      { value: null, count: 1 },
    ]);
    expect(source.groupValues('user')).toEqual([
      { value: 'alice', count: 2 },
      { value: 'bob', count: 1 },
      { value: null, count: 2 },
    ]);
    expect(source.groupValues('chatId')).toEqual([]);
    source.close();
  });

  it('filters exactly by tenant and user, and by substring over id, title, tenant and user', () => {
    const source = openStore(mixedStore().path);
    expect(ids(source, { fields: { tenant: 'globex' } })).toEqual(['s-gamma', 's-delta']);
    expect(ids(source, { fields: { tenant: 'acme', user: 'bob' } })).toEqual(['s-beta']);
    expect(ids(source, { fields: { user: 'alice' } })).toEqual(['s-alpha', 's-delta']);
    expect(ids(source, { fields: { tenant: 'acm' } })).toEqual([]);
    expect(source.listSessions({ fields: { nosuchfield: 'x' } }).total).toBe(0);
    expect(ids(source, { filter: 'ACME' })).toEqual(['s-beta', 's-alpha']);
    expect(ids(source, { filter: 'ALI' })).toEqual(['s-alpha', 's-delta']);
    // Title, folded beyond ASCII.
    expect(ids(source, { filter: 'ПРИВЕТ' })).toEqual(['s-beta']);
    // Text after a NUL byte is still searched.
    expect(ids(source, { filter: 'after-nul' })).toEqual(['s-delta']);
    expect(ids(source, { filter: 'ghost' })).toEqual(['ghost']);
    expect(ids(source, { filter: '<script>' })).toEqual(['s-alpha']);
    // Wildcards are literal text, not LIKE patterns.
    expect(ids(source, { filter: '%' })).toEqual([]);
    expect(ids(source, { filter: 'globex', fields: { user: 'alice' } })).toEqual(['s-delta']);
    const page = source.listSessions({ filter: 'a', limit: 1, sort: 'id', direction: 'asc' });
    expect(page.total).toBe(4);
    expect(page.sessions.map((s) => s.id)).toEqual(['s-alpha']);
    source.close();
  });

  it('loads a linear history ordered by created_at across time forms, then rowid, with stored ids', () => {
    const source = openStore(mixedStore().path);
    const loaded = source.loadSession('s-alpha')!;
    expect(loaded.hasTranscript).toBe(true);
    expect(loaded.storeActiveLeafId).toBeNull();
    expect(loaded.branches).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.session.id).toBe('s-alpha');
    const m = loaded.messages;
    expect(m.map((x) => x.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a7', 'a6']);
    expect(m.map((x) => x.parentId)).toEqual([null, 'a1', 'a2', 'a3', 'a4', 'a5', 'a7']);
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'assistant', 'user']);
    expect(m.map((x) => x.kind)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'assistant', 'user']);
    expect(m.map((x) => x.timestamp)).toEqual([0, 2, 5, 7, 8.5, 9, 9].map((s) => utc(2026, 4, 1, 10) + s * 1000));
    // Hostile HTML stays text, byte for byte.
    expect(m[1].content).toEqual([{ type: 'text', text: HTML }]);
    expect(m[2].content).toEqual([{ type: 'text', text: LINK }]);
    expect(m[1].location.rowId).toBe(4);
    expect(m[1].raw).toMatchObject({ id: 'a2', session_id: 's-alpha', role: 'user', content: HTML });
    source.close();
  });

  it('keeps NUL bytes, emoji and 300 KB values whole', () => {
    const source = openStore(mixedStore().path);
    const loaded = source.loadSession('s-delta')!;
    expect(loaded.messages.map((m) => plainText(m.content))).toEqual(['first\u0000after-nul', BIG]);
    expect(source.loadSession('s-alpha')!.messages[1].content[0]).toEqual({ type: 'text', text: HTML });
    source.close();

    const store = createTenantMessagesStore();
    store.session({ id: 'long', tenantId: 't', createdAt: '2026-05-01T00:00:00Z' });
    store.message({ id: 'l1', sessionId: 'long', role: 'user', content: `😀${'x'.repeat(300_000)}`, createdAt: '2026-05-01T00:00:01Z' });
    store.close();
    const big = openStore(store.path);
    const summary = big.getSession('long')!;
    expect(summary.title).toHaveLength(80);
    expect(summary.title!.startsWith('😀xxx')).toBe(true);
    expect(summary.title!.endsWith('…')).toBe(true);
    expect(plainText(big.loadSession('long')!.messages[0].content)).toHaveLength(300_002);
    big.close();
  });

  it('reports traits that are not JSON with the row id and keeps them as text', () => {
    const source = openStore(mixedStore().path);
    const delta = source.getSession('s-delta')!;
    expect(delta.status).toBe('ok');
    expect(delta.fields.traits).toBe('{bad json');
    expect(delta.warnings).toHaveLength(1);
    expect(delta.warnings[0]).toMatchObject({ code: 'bad-traits-json', rowId: 4, sessionId: 's-delta' });
    expect(source.getSession('s-alpha')!.warnings).toEqual([]);
    // The session's warnings reach the loaded session too.
    expect(source.loadSession('s-delta')!.warnings.map((w) => w.code)).toEqual(['bad-traits-json']);
    source.close();
  });

  it('lists messages whose session row is gone as an unindexed, orphaned session', () => {
    const source = openStore(mixedStore().path);
    const ghost = source.getSession('ghost')!;
    expect(ghost).toMatchObject({
      id: 'ghost',
      status: 'unindexed',
      title: 'Where did my session go?',
      createdAt: utc(2026, 3, 15),
      updatedAt: utc(2026, 3, 15),
      messageCount: 1,
      fields: { tenant: null, user: null, orphaned: true },
    });
    expect(ghost.warnings.map((w) => w.code)).toEqual(['orphaned-messages']);
    const loaded = source.loadSession('ghost')!;
    expect(loaded.session.status).toBe('unindexed');
    expect(loaded.messages.map((m) => [m.id, plainText(m.content)])).toEqual([['g1', 'Where did my session go?']]);
    expect(source.getSession('nope')).toBeNull();
    expect(source.loadSession('nope')).toBeNull();
    source.close();
  });

  it('warns about times it cannot read and places those messages last', () => {
    const store = createTenantMessagesStore({ migrations: false });
    store.session({ id: 's1', tenantId: 't', createdAt: 'sometime last week' });
    store.message({ id: 'm1', sessionId: 's1', role: 'user', content: 'when?', createdAt: 'garbage' });
    store.message({ id: 'm2', sessionId: 's1', role: 'assistant', content: 'now', createdAt: '2026-05-01T00:00:00Z' });
    store.message({ id: 'm3', sessionId: 's1', role: 'weird-role', content: 'odd', createdAt: '2026-05-01T00:00:01Z' });
    store.close();
    const source = openStore(store.path);
    const s1 = source.getSession('s1')!;
    expect(s1.createdAt).toBeNull();
    expect(s1.updatedAt).toBe(utc(2026, 4, 1, 0, 0, 1));
    expect(s1.warnings).toEqual([expect.objectContaining({ code: 'bad-timestamp', rowId: 1, sessionId: 's1' })]);
    const loaded = source.loadSession('s1')!;
    expect(loaded.messages.map((m) => m.id)).toEqual(['m2', 'm3', 'm1']);
    expect(loaded.messages[1]).toMatchObject({ role: 'unknown', kind: 'weird-role' });
    expect(loaded.messages[2].timestamp).toBeNull();
    expect(loaded.warnings).toContainEqual(expect.objectContaining({ code: 'bad-timestamp', rowId: 1, messageId: 'm1' }));
    source.close();
  });

  it('never modifies the file it reads', () => {
    const store = mixedStore();
    const before = readFileSync(store.path);
    const mtime = statSync(store.path).mtimeMs;
    const source = openStore(store.path);
    source.describe();
    for (const sort of ['updated', 'created', 'messages', 'id'] as const) source.listSessions({ sort, filter: 'a', fields: { tenant: 'acme' } });
    for (const id of ids(source)) source.loadSession(id);
    source.groupValues('tenant');
    source.close();
    expect(readFileSync(store.path).equals(before)).toBe(true);
    expect(statSync(store.path).mtimeMs).toBe(mtime);
    for (const suffix of ['-wal', '-journal', '-shm']) expect(existsSync(store.path + suffix)).toBe(false);
  });

  it('sees messages a backend writes while the store is open', () => {
    const store = mixedStore();
    const source = openStore(store.path);
    expect(source.describe().sessionCount).toBe(5);
    const writer = openWritable(store.path);
    writer.pragma('foreign_keys = OFF');
    writer.prepare('INSERT INTO `messages` VALUES (?, ?, ?, ?, ?)').run('p1', 'phantom', 'user', 'late', '2026-05-20T00:00:00Z');
    writer.close();
    expect(source.describe().sessionCount).toBe(6);
    expect(ids(source)[0]).toBe('phantom');
    source.close();
  });

  it('is judged by schema, not by file name', () => {
    const dir = tempDir();
    const store = mixedStore({ dir, name: 'provider-router.db' });
    const renamed = join(dir, 'no-extension');
    renameSync(store.path, renamed);
    const source = openStore(renamed);
    expect(source.format).toBe('sqlite-tenant-messages');
    source.close();
  });

  it('does not claim seed-002 stores (sessions + chat_history) or the provider-router layout', () => {
    const dir = tempDir();
    const seed002 = join(dir, 'sessions.db');
    const db = openWritable(seed002);
    db.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, device_fingerprint TEXT,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, last_active TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
      message_count INTEGER DEFAULT 0, metadata JSON);
    CREATE TABLE chat_history (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,
      role TEXT NOT NULL, content TEXT NOT NULL, timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, metadata JSON,
      FOREIGN KEY (session_id) REFERENCES sessions(session_id));
    CREATE INDEX idx_chat_history_session ON chat_history(session_id);
    CREATE INDEX idx_chat_history_timestamp ON chat_history(timestamp);`);
    db.prepare(`INSERT INTO sessions (session_id, device_fingerprint) VALUES ('x', 'fp')`).run();
    db.prepare(`INSERT INTO chat_history (session_id, role, content) VALUES ('x', 'user', 'hi')`).run();
    db.close();

    // A `sessions` table beside a `messages` table that is not seed 003's (no tenant) is not claimed either.
    const lookalike = join(dir, 'lookalike.db');
    const db2 = openWritable(lookalike);
    db2.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, created_at TEXT);
      CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT, role TEXT, content TEXT, created_at TEXT);`);
    db2.close();

    const provider = createProviderSessionsStore({ dir: tempDir() });
    provider.session({ id: 'p', chatId: 'c' }).close();

    for (const path of [seed002, lookalike, provider.path]) {
      const probe = probeFile(path);
      try {
        expect(sqliteTenantMessagesAdapter.detect(probe)).toBe(false);
      } finally {
        releaseProbe(probe);
      }
    }
    const probe = probeFile(seed002);
    try {
      expect(sqliteProviderSessionsAdapter.detect(probe)).toBe(false);
    } finally {
      releaseProbe(probe);
    }
    const mine = mixedStore({ dir: tempDir() });
    const mineProbe = probeFile(mine.path);
    try {
      expect(sqliteTenantMessagesAdapter.detect(mineProbe)).toBe(true);
      expect(sqliteProviderSessionsAdapter.detect(mineProbe)).toBe(false);
    } finally {
      releaseProbe(mineProbe);
    }

    // Through discovery: the seed-002 file is never taken for this layout.
    const found = discoverSources([dir]);
    expect(found.sources.map((s) => s.format)).not.toContain('sqlite-tenant-messages');
    for (const s of found.sources) s.close();
  });

  it('is found by discovery in a folder beside other stores', () => {
    const root = tempDir();
    mixedStore({ dir: root, name: 'sessions.db' });
    const provider = createProviderSessionsStore({ dir: root });
    provider.session({ id: 'p', chatId: 'c' }).close();
    const found = discoverSources([root]);
    expect(found.sources.map((s) => s.format).sort()).toEqual(['sqlite-provider-sessions', 'sqlite-tenant-messages']);
    const tenant = found.sources.find((s) => s.format === 'sqlite-tenant-messages')!;
    expect(tenant.listSessions().total).toBe(5);
    for (const s of found.sources) s.close();
  });
});
