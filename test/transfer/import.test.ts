import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { sqliteDigest } from '../../src/core/safety/content-digest';
import { restoreBackup } from '../../src/core/safety/restore';
import { listTrash } from '../../src/core/safety/trash';
import { openReadOnly } from '../../src/core/sqlite/open';
import { importSessions } from '../../src/core/catalog';
import { WRITABLE_LAYOUT_NAMES } from '../../src/core/catalog';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { createProviderSessionsStore } from '../fixtures/sqlite-provider-sessions';
import { canonicalById, exportStore, folderDigest, NOW, readExport, storePathIn } from './helpers';

/** Importing into stores that already hold sessions: conflicts, dry runs, backups, store-to-store copies. */

let shared: string;
let stores: Record<string, string>;
let trash: string;
const exported: Record<string, string> = {};

beforeAll(async () => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-import-'));
  trash = join(shared, 'trash');
  process.env.ARBOR_TRASH_DIR = trash;
  stores = buildDemoStores(join(shared, 'stores'), { hostile: true });
  for (const format of WRITABLE_LAYOUT_NAMES) {
    exported[format] = join(shared, `${format}.jsonl`);
    await exportStore(stores[format], exported[format]);
  }
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

/** A copy of a demo store to write into. */
async function filled(format: (typeof WRITABLE_LAYOUT_NAMES)[number]): Promise<string> {
  const into = storePathIn(mkdtempSync(join(shared, 'target-')), format);
  await importSessions(exported[format], { into, layout: format, now: NOW });
  return into;
}

function digest(path: string): unknown {
  return existsSync(join(path, 'sessions.json')) ? folderDigest(path) : sqliteDigest(path).digest('hex');
}

describe('conflicts', () => {
  for (const format of WRITABLE_LAYOUT_NAMES) {
    it(`${format}: skip keeps the store as it is, rename adds copies, replace swaps them`, async () => {
      const into = await filled(format);
      const before = digest(into);
      const count = readExport(exported[format]).filter((s) => s.status !== 'missing' && !(s.status === 'unreadable' && format !== 'sqlite-json-history')).length;

      const skipped = await importSessions(exported[format], { into, onConflict: 'skip', now: NOW });
      expect(skipped).toMatchObject({ added: 0, renamed: 0, replaced: 0 });
      expect(skipped.backup).toBeNull();
      expect(digest(into)).toEqual(before);

      const renamed = await importSessions(exported[format], { into, onConflict: 'rename', now: NOW });
      expect(renamed.renamed).toBe(count);
      expect(renamed.sessions.filter((s) => s.action === 'renamed').every((s) => s.id === `${s.sourceId}-imported`)).toBe(true);
      expect(renamed.backup).not.toBeNull();

      const replaced = await importSessions(exported[format], { into, onConflict: 'replace', now: NOW });
      expect(replaced.replaced).toBe(count);
      // Replacing with the same content, then renaming again, gives "-imported-2".
      const again = await importSessions(exported[format], { into, onConflict: 'rename', now: NOW, dryRun: true });
      expect(again.sessions.filter((s) => s.action === 'renamed').every((s) => s.id === `${s.sourceId}-imported-2`)).toBe(true);

      // The store reads back: originals and renamed copies side by side, same content.
      const out = join(shared, `${format}-after.jsonl`);
      await exportStore(into, out);
      const back = readExport(out);
      // An external key keeps naming the session it named (the import warns); copies have none.
      const byId = canonicalById(back.map((s) => ({ ...s, metadata: { ...s.metadata, keys: undefined } })), false) as Record<string, { id: string }>;
      for (const s of renamed.sessions.filter((x) => x.action === 'renamed')) {
        expect({ ...byId[s.id], id: s.sourceId }).toEqual(byId[s.sourceId]);
      }
    });
  }

  it('replaces a tenant session whose message ids would collide, and renames ids another session holds', async () => {
    const into = await filled('sqlite-tenant-messages');
    const report = await importSessions(exported['sqlite-tenant-messages'], { into, onConflict: 'rename', now: NOW });
    expect(report.lost).toContain('message ids already used in the store (renamed)');
    const db = openReadOnly(into);
    const ids = db.prepare("SELECT id FROM messages WHERE session_id = 'acme-1-imported' ORDER BY created_at").pluck().all();
    db.close();
    expect(ids).toEqual(['acme-1-imported:acme-1-m0', 'acme-1-imported:acme-1-m1', 'acme-1-imported:acme-1-m2']);
  });
});

describe('dry run, backup, restore', () => {
  it('a dry run writes nothing, takes no backup, and says what the import would do', async () => {
    const into = await filled('sqlite-chat-history');
    const before = digest(into);
    const trashBefore = listTrash(trash).entries.length;
    const preview = await importSessions(exported['jsonl-tree'], { into, dryRun: true, now: NOW });
    // "hostile" is in both; "vanished" has nothing to import.
    expect(preview).toMatchObject({ dryRun: true, added: 4, skipped: 2, backup: null });
    expect(preview.lost).toContain('branches other than the active one');
    expect(digest(into)).toEqual(before);
    expect(listTrash(trash).entries.length).toBe(trashBefore);
  });

  it('a dry run with --layout creates no store', async () => {
    const into = join(shared, 'never', 'store.db');
    const preview = await importSessions(exported['jsonl-tree'], { into, layout: 'sqlite-tenant-messages', dryRun: true, now: NOW });
    expect(preview).toMatchObject({ added: 5, target: { created: false } });
    expect(existsSync(into)).toBe(false);
  });

  for (const format of ['sqlite-json-history', 'jsonl-tree'] as const) {
    it(`${format}: the import is backed up first and the backup restores the store as it was`, async () => {
      const into = await filled(format);
      const before = digest(into);
      const report = await importSessions(exported['sqlite-tenant-messages'], { into, onConflict: 'replace', now: NOW });
      expect(report.added).toBeGreaterThan(0);
      expect(report.backup).not.toBeNull();
      expect(listTrash(trash).entries.find((e) => e.id === report.backup!.id)).toMatchObject({ operation: 'import', format });
      expect(digest(into)).not.toEqual(before);
      await restoreBackup(report.backup!.id, { root: trash });
      const after = digest(into);
      // A restore of a folder store puts every file back; folders the import added stay, empty.
      expect(after).toEqual(before);
    });
  }

  it('refuses --layout over a store that exists, and an import into a path that is no store', async () => {
    await expect(importSessions(exported['jsonl-tree'], { into: stores['sqlite-chat-history'], layout: 'sqlite-chat-history' })).rejects.toThrow(/exists and is not empty/);
    await expect(importSessions(exported['jsonl-tree'], { into: join(shared, 'nothing.db') })).rejects.toThrow(/does not exist; pass --layout/);
  });
});

describe('the provider-router layout as a target', () => {
  it('writes session rows in the store\'s own camelCase spelling and says the messages cannot go in', async () => {
    const store = createProviderSessionsStore({ dir: mkdtempSync(join(shared, 'camel-')), spelling: 'camel' });
    store.session({ id: 'existing', chatId: 'chat-1' });
    store.close();
    const report = await importSessions(exported['sqlite-json-history'], { into: store.path, now: NOW });
    expect(report.lost).toEqual(expect.arrayContaining(['messages (the layout keeps session metadata only)', 'upstream chat id (the source has none; chat_id left empty)']));
    const db = openReadOnly(store.path);
    const row = db.prepare('SELECT sessionId, chatId, expiresAt, messageCount FROM sessions WHERE sessionId = ?').get('session-button') as Record<string, unknown>;
    db.close();
    // The seed-000 expiry (seconds) arrives in milliseconds; the count is the messages the session had.
    expect(row).toEqual({ sessionId: 'session-button', chatId: '', expiresAt: Date.UTC(2099, 0, 1), messageCount: 4 });
  });
});

describe('store to store', () => {
  it('copies directly from another store, as an export and import would', async () => {
    const dir = mkdtempSync(join(shared, 's2s-'));
    const direct = storePathIn(dir, 'jsonl-tree');
    const viaFile = join(dir, 'via-file');
    const a = await importSessions(stores['sqlite-chat-history'], { into: direct, layout: 'jsonl-tree', now: NOW });
    const b = await importSessions(exported['sqlite-chat-history'], { into: viaFile, layout: 'jsonl-tree', now: NOW });
    expect(a.source.kind).toBe('store');
    expect({ ...a, source: null, target: null, sessions: a.sessions }).toEqual({ ...b, source: null, target: null, sessions: b.sessions });
    expect(folderDigest(direct)).toEqual(folderDigest(viaFile));
  });

  it('copies a selection of sessions, and refuses to copy a store into itself', async () => {
    const into = join(mkdtempSync(join(shared, 'sel-')), 'store.db');
    const report = await importSessions(stores['sqlite-tenant-messages'], { into, layout: 'sqlite-tenant-messages', sessionIds: ['acme-2', 'globex-1'], now: NOW });
    expect(report.sessions.map((s) => s.id)).toEqual(['acme-2', 'globex-1']);
    await expect(importSessions(stores['sqlite-tenant-messages'], { into: stores['sqlite-tenant-messages'] })).rejects.toThrow(/is the store being imported from/);
    await expect(importSessions(stores['sqlite-tenant-messages'], { into, sessionIds: ['nope'] })).rejects.toThrow(/no session "nope"/);
  });
});

describe('the JSONL tree as a target', () => {
  it('stores ids that cannot name a folder under a safe name, and never writes outside the store', async () => {
    const source = new JsonlTreeStore(join(shared, 'odd-src'));
    source.session('plain', [msg('p1', null, 'user', 'hi')]);
    const file = join(shared, 'odd.jsonl');
    await exportStore(source.root, file);
    const text = readFileSync(file, 'utf8').replaceAll('"id":"plain"', '"id":"../../escape"');
    writeFileSync(file, text);
    const into = join(shared, 'odd-target');
    const report = await importSessions(file, { into, layout: 'jsonl-tree', now: NOW });
    expect(report.sessions[0]).toMatchObject({ sourceId: '../../escape', id: '___.._escape', action: 'renamed' });
    expect(existsSync(join(into, '___.._escape', 'messages.jsonl'))).toBe(true);
    expect(existsSync(join(shared, 'escape'))).toBe(false);
  });

  it('updates sessions.json with keys and counts, keeping keys that name other sessions', async () => {
    const into = await filled('jsonl-tree');
    const report = await importSessions(exported['jsonl-tree'], { into, onConflict: 'rename', now: NOW });
    expect(report.warnings).toContain('Key "user:alice" already names session "git-rebase" in the target; it is left as it is.');
    const index = JSON.parse(readFileSync(join(into, 'sessions.json'), 'utf8')) as { keys: Record<string, string>; sessions: Record<string, { messageCount: number }> };
    expect(index.keys['user:alice']).toBe('git-rebase');
    expect(index.sessions['git-rebase-imported'].messageCount).toBe(9);
    expect(readdirNames(into).filter((n) => n.startsWith('.arbor'))).toEqual([]);
  });
});

function readdirNames(dir: string): string[] {
  return Object.keys(folderDigest(dir)).map((p) => p.split('/')[0]);
}
