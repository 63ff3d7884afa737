import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { importSessions, openStore } from '../../src/core/catalog';
import { openReadOnly, openWritable } from '../../src/core/sqlite/open';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { CHAT_MESSAGE_DDL, copySample, createWebuiStore } from '../fixtures/open-webui';
import { tempDir } from '../fixtures/tmp';
import { NOW, canonicalById, expectedAfterImport, exportStore, readExport } from '../transfer/helpers';

/**
 * Arbor as an import target for Open WebUI: it must write what Open WebUI's own reader reads. Proved
 * three ways: Arbor's reader gives back exactly what the import preview promised; every chat row and
 * its JSON have the shape Open WebUI's code walks (the sample's DDL and NOT NULL columns, both tree
 * links true, `currentId` a leaf whose path is the legacy `messages` list, times in seconds, the
 * owner an existing user); and the newer schema's columns and `chat_message` rows are kept right.
 */

let shared: string;
let demo: Record<string, string>;
let exported: string;
beforeAll(async () => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-owui-import-'));
  demo = buildDemoStores(join(shared, 'stores'), { hostile: true });
  exported = join(shared, 'tree.jsonl');
  await exportStore(demo['jsonl-tree'], exported);
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

const USERS: Array<[string, string, string, string]> = [
  ['u-admin', 'Ada Admin', 'ada@example.com', 'admin'],
  ['u-bob', 'Bob', 'bob@example.com', 'user'],
];

type Json = Record<string, unknown>;

function rows(path: string): Json[] {
  const db = openReadOnly(path);
  try {
    return db.prepare('SELECT * FROM chat ORDER BY rowid').all() as Json[];
  } finally {
    db.close();
  }
}

/** What Open WebUI's frontend and its repair code need of every chat's JSON. */
function expectOpenWebuiShape(row: Json, userIds: string[]): void {
  expect(userIds).toContain(row.user_id);
  expect(typeof row.title).toBe('string');
  for (const column of ['created_at', 'updated_at']) {
    expect(Number.isInteger(row[column])).toBe(true);
    expect(row[column] as number).toBeLessThan(1e11); // seconds, as int(time.time())
  }
  expect(row.archived).toBe(0);
  expect(typeof JSON.parse(row.meta as string)).toBe('object');
  const chat = JSON.parse(row.chat as string) as Json;
  expect(Object.keys(chat)).toEqual(expect.arrayContaining(['id', 'title', 'models', 'params', 'history', 'messages', 'tags', 'timestamp', 'files']));
  expect(Array.isArray(chat.models)).toBe(true);
  const history = chat.history as { messages: Record<string, Json>; currentId: string | null };
  const messages = history.messages;
  const ids = Object.keys(messages);
  for (const [id, m] of Object.entries(messages)) {
    expect(m.id).toBe(id);
    expect(['user', 'assistant', 'system', 'tool']).toContain(m.role);
    expect(typeof m.content).toBe('string');
    if (m.timestamp !== undefined) expect(m.timestamp as number).toBeLessThan(1e11);
    // Both links agree: the children listed are exactly those that name this message as parent.
    const children = ids.filter((c) => messages[c].parentId === id);
    expect([...(m.childrenIds as string[])].sort()).toEqual(children.sort());
    if (m.parentId !== null) expect(ids).toContain(m.parentId);
  }
  if (ids.length === 0) {
    expect(history.currentId).toBeNull();
    return;
  }
  const current = messages[history.currentId!];
  expect(current).toBeDefined();
  expect(current.childrenIds).toEqual([]);
  const path: string[] = [];
  for (let id: string | null = history.currentId; id !== null; id = messages[id].parentId as string | null) path.unshift(id);
  expect((chat.messages as Json[]).map((m) => m.id)).toEqual(path);
}

describe('Open WebUI as an import target', () => {
  it('takes the demo tree store into a copy of the real sample: Arbor reads back what the preview promised, in the shape Open WebUI walks', async () => {
    const dir = tempDir();
    const into = copySample(dir, { users: USERS });
    const preview = await importSessions(exported, { into, now: NOW, dryRun: true, trashRoot: join(dir, 'trash') });
    const report = await importSessions(exported, { into, now: NOW, trashRoot: join(dir, 'trash') });
    expect({ ...report, dryRun: true }).toEqual({ ...preview, backup: report.backup, dryRun: true });
    expect(report.target.format).toBe('open-webui');
    expect(report.backup).not.toBeNull();
    expect(report.warnings.some((w) => /filed under Ada Admin <ada@example.com>, the first admin/.test(w))).toBe(true);

    // Arbor's own reader: exactly what the projection said.
    const again = join(dir, 'again.jsonl');
    await exportStore(into, again);
    const back = readExport(again).filter((s) => s.id !== '1e73212a-0a1d-4108-a08b-3ba00056dd94');
    const sent = readExport(exported);
    const expected = expectedAfterImport(sent, 'open-webui').filter((s) => report.sessions.some((r) => r.id === s.id && r.action !== 'skipped'));
    const strip = (list: typeof back) => list.map((s) => ({ ...s, metadata: {}, title: null }));
    expect(canonicalById(strip(back), true)).toEqual(canonicalById(strip(expected), true));

    // What Open WebUI needs: every row, the sample's own chat included.
    const all = rows(into);
    expect(all.length).toBe(1 + report.added);
    for (const row of all) expectOpenWebuiShape(row, ['u-admin', 'u-bob', 'b7ea82c3-4414-4bf1-b6cf-2ce6fde496ad']);

    // The fork survives as a fork; the newest branch is the one Open WebUI shows.
    const source = openStore(into);
    try {
      const rebase = buildSessionTree(source.loadSession('git-rebase')!);
      expect(rebase.index.forks.length).toBeGreaterThan(0);
      const chat = JSON.parse(all.find((r) => r.id === 'git-rebase')!.chat as string);
      expect(rebase.index.nodes[rebase.activeLeaf].id).toBe(chat.history.currentId);
    } finally {
      source.close();
    }
  });

  it('files chats under the owner named (by email), refuses one the database does not have, and a database without users', async () => {
    const dir = tempDir();
    const into = copySample(dir, { users: USERS });
    const report = await importSessions(exported, { into, now: NOW, tenant: 'BOB@example.com', trashRoot: join(dir, 'trash') });
    expect(report.warnings.filter((w) => /filed under/.test(w))).toEqual([]);
    expect(new Set(rows(into).filter((r) => r.id !== '1e73212a-0a1d-4108-a08b-3ba00056dd94').map((r) => r.user_id))).toEqual(new Set(['u-bob']));

    const fresh = copySample(tempDir(), { users: USERS });
    await expect(importSessions(exported, { into: fresh, now: NOW, tenant: 'carol@example.com', dryRun: true })).rejects.toThrow(/"carol@example.com" is no user of this Open WebUI database; its users: Ada Admin <ada@example.com>, Bob <bob@example.com>/);

    const bare = copySample(tempDir());
    await expect(importSessions(exported, { into: bare, now: NOW })).rejects.toThrow(/has no user table: Open WebUI shows a chat only to the user who owns it/);
    expect(rows(bare)).toHaveLength(1);
  });

  it('never creates a webui.db: --layout open-webui is refused in words that say what to do', async () => {
    const into = join(tempDir(), 'new.db');
    await expect(importSessions(exported, { into, layout: 'open-webui', now: NOW })).rejects.toThrow(/does not create one .*leave --layout out and give the existing store as --into/);
  });

  it('copies Open WebUI into Open WebUI exactly: message records, the current branch, pins and meta kept', async () => {
    const dir = tempDir();
    const from = copySample(join(dir), { users: [['b7ea82c3-4414-4bf1-b6cf-2ce6fde496ad', 'Owner', 'o@example.com', 'admin']] });
    const otherDir = join(dir, 'other');
    const into = copySample((await import('node:fs')).mkdirSync(otherDir, { recursive: true }) ?? otherDir, { users: [['b7ea82c3-4414-4bf1-b6cf-2ce6fde496ad', 'Owner', 'o@example.com', 'admin']] });
    const db = openWritable(into);
    db.prepare('DELETE FROM chat').run();
    db.close();
    const report = await importSessions(from, { into, now: NOW, trashRoot: join(dir, 'trash') });
    expect(report.added).toBe(1);
    expect(report.lost).toEqual([]);
    const [original] = rows(from);
    const [copy] = rows(into);
    expect(copy).toMatchObject({ id: original.id, user_id: original.user_id, title: original.title, created_at: original.created_at, updated_at: original.updated_at, meta: original.meta, pinned: 0 });
    const a = JSON.parse(original.chat as string);
    const b = JSON.parse(copy.chat as string);
    expect(b.history).toEqual(a.history);
    expect(b.history.currentId).toBe('4f7dce0d-81f6-42b6-96be-add04438c43c');
    expect(b.messages).toEqual(a.messages);
    expect(b.timestamp).toBe(a.timestamp);
  });

  it('fills the newer columns (current_message_id, last_read_at) and clears stale chat_message rows of a replaced chat', async () => {
    const dir = tempDir();
    const store = createWebuiStore({ dir, extraDdl: `${CHAT_MESSAGE_DDL}; ALTER TABLE chat ADD COLUMN current_message_id TEXT; ALTER TABLE chat ADD COLUMN last_read_at BIGINT;` });
    store.addUser('u-ada', 'Ada', 'ada@example.com', 'admin');
    store.db.prepare(`INSERT INTO chat_message (id, chat_id, role, content) VALUES ('git-rebase-old', 'git-rebase', 'user', '"stale"')`).run();
    store.close();
    await importSessions(exported, { into: store.path, now: NOW, onConflict: 'replace', trashRoot: join(dir, 'trash') });
    const row = rows(store.path).find((r) => r.id === 'git-rebase')!;
    const chat = JSON.parse(row.chat as string);
    expect(row.current_message_id).toBe(chat.history.currentId);
    expect(row.last_read_at).toBe(row.updated_at);
    const db = openReadOnly(store.path);
    expect(db.prepare(`SELECT count(*) FROM chat_message WHERE chat_id = 'git-rebase'`).pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a chat table with a required column it does not know, naming it', async () => {
    const dir = tempDir();
    const store = createWebuiStore({ dir, extraDdl: `ALTER TABLE chat ADD COLUMN org_id TEXT NOT NULL DEFAULT 'x'; CREATE TABLE t (x); ` });
    store.addUser('u-ada', 'Ada', 'ada@example.com', 'admin');
    store.close();
    // A NOT NULL column with a default is fine: it takes the default.
    await expect(importSessions(exported, { into: store.path, now: NOW, dryRun: true })).resolves.toMatchObject({ target: { format: 'open-webui' } });
    const strict = createWebuiStore({ dir: tempDir(), extraDdl: `CREATE TABLE chat2 AS SELECT * FROM chat;` });
    strict.db.exec(`DROP TABLE chat; CREATE TABLE chat (id TEXT NOT NULL, user_id TEXT NOT NULL, title TEXT NOT NULL, chat JSON, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, archived INTEGER NOT NULL, tenant_slug TEXT NOT NULL)`);
    strict.addUser('u-ada', 'Ada', 'ada@example.com', 'admin');
    strict.close();
    await expect(importSessions(exported, { into: strict.path, now: NOW, dryRun: true })).rejects.toThrow(/requires "tenant_slug" \(NOT NULL, no default\)/);
  });
});
