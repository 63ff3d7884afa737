import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { normalizeContent, plainText } from '../../src/core/model/content';
import type { FormatName } from '../../src/core/model/types';
import { openReadOnly } from '../../src/core/sqlite/open';
import { importSessions } from '../../src/core/catalog';
import { WRITABLE_LAYOUT_NAMES } from '../../src/core/catalog';
import type { TransferSession } from '../../src/core/transfer/session';
import { canonicalById, expectedAfterImport, exportStore, NOW, readExport, storePathIn } from './helpers';

/**
 * The round-trip matrix: every demo store (all five layouts, hostile and damaged sessions included)
 * is exported, imported into a new store of every layout, and exported again. What comes back must be
 * the canonical content that went in, apart from what the import's preview said the target cannot
 * hold; and the target backend's own query must see the messages in order.
 */

let shared: string;
let stores: Record<string, string>;
const exported: Record<string, string> = {};

beforeAll(async () => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-roundtrip-'));
  process.env.ARBOR_TRASH_DIR = join(shared, 'trash');
  stores = buildDemoStores(join(shared, 'stores'), { hostile: true });
  for (const format of WRITABLE_LAYOUT_NAMES) {
    exported[format] = join(shared, `${format}.jsonl`);
    await exportStore(stores[format], exported[format]);
  }
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

describe('round trip between every pair of layouts', () => {
  for (const from of WRITABLE_LAYOUT_NAMES) {
    for (const to of WRITABLE_LAYOUT_NAMES) {
      it(`${from} → ${to}`, async () => {
        const dir = mkdtempSync(join(shared, `${from}--${to}-`));
        const into = storePathIn(dir, to);
        const preview = await importSessions(exported[from], { into, layout: to, now: NOW, dryRun: true });
        const report = await importSessions(exported[from], { into, layout: to, now: NOW });
        // The preview is the promise: the import did exactly that.
        expect({ ...report, dryRun: true, target: preview.target }).toEqual({ ...preview, target: preview.target });

        const sent = readExport(exported[from]);
        const again = join(dir, 'again.jsonl');
        await exportStore(into, again);
        const back = readExport(again);
        const expected = expectedAfterImport(sent, to);
        // Linear layouts number their messages themselves: compare those by position.
        const ids = to === 'jsonl-tree';
        expect(canonicalById(back, ids)).toEqual(canonicalById(expected, ids));
        for (const s of expected) expectBackendOrder(to, into, s);

        if (from === to) {
          // Within one layout nothing is lost but what the layout itself derives or corrects.
          const allowed = new Set(['message ids (layout derives ids)', 'stored message counts that disagreed with the messages (recounted)']);
          expect(report.lost.filter((l) => !allowed.has(l))).toEqual([]);
        }
      });
    }
  }
});

describe('what a copy keeps', () => {
  it('keeps a tree whole in the JSONL tree store: forks, named branches, tool calls, metadata, ids', async () => {
    const dir = mkdtempSync(join(shared, 'tree-'));
    const into = storePathIn(dir, 'jsonl-tree');
    const report = await importSessions(exported['jsonl-tree'], { into, layout: 'jsonl-tree', now: NOW });
    expect(report.lost).toEqual([]);
    await exportStore(into, join(dir, 'again.jsonl'));
    const sent = readExport(exported['jsonl-tree']).filter((s) => s.status !== 'missing');
    const back = readExport(join(dir, 'again.jsonl'));
    // Identical content, ids and tree; only the source path and the counts the store keeps differ.
    const strip = (s: TransferSession): TransferSession => ({ ...s, source: { format: 'jsonl-tree', path: '' }, metadata: { ...s.metadata, storedMessageCount: null }, status: 'ok' });
    expect(canonicalById(back.map(strip), true)).toEqual(canonicalById(sent.map(strip), true));
    const rebase = back.find((s) => s.id === 'git-rebase')!;
    expect(rebase.branches).toEqual([expect.objectContaining({ name: 'concise', leafMessageId: 'a2' })]);
  });

  it('splits a tree into one session per leaf with --tree leaves, the active leaf keeping the id', async () => {
    const dir = mkdtempSync(join(shared, 'leaves-'));
    const into = storePathIn(dir, 'sqlite-chat-history');
    const report = await importSessions(exported['jsonl-tree'], { into, layout: 'sqlite-chat-history', tree: 'leaves', now: NOW });
    const rebase = report.sessions.filter((s) => s.sourceId === 'git-rebase');
    expect(rebase.map((s) => s.id)).toEqual(['git-rebase', 'git-rebase~2', 'git-rebase~3', 'git-rebase~4']);
    expect(report.lost).toContain('the tree (each leaf became its own session; shared messages are repeated)');
    await exportStore(into, join(dir, 'again.jsonl'));
    const back = readExport(join(dir, 'again.jsonl'));
    expect(canonicalById(back, false)).toEqual(canonicalById(expectedAfterImport(readExport(exported['jsonl-tree']), 'sqlite-chat-history', 'leaves'), false));
  });

  it('says per session what a text-only layout flattens, and flattens it readably', async () => {
    const dir = mkdtempSync(join(shared, 'flatten-'));
    const into = storePathIn(dir, 'sqlite-chat-history');
    const report = await importSessions(exported['sqlite-json-history'], { into, layout: 'sqlite-chat-history', now: NOW });
    const button = report.sessions.find((s) => s.id === 'session-button')!;
    expect(button.lost).toEqual(expect.arrayContaining(['tool blocks flattened to text', 'images (the layout holds text only; a placeholder names each)', 'thinking blocks (the layout holds text only)']));
    expect(report.sessions.find((s) => s.sourceId === 'session-broken')).toMatchObject({ action: 'skipped' });
    const db = openReadOnly(into);
    const rows = db.prepare('SELECT role, content FROM chat_history WHERE session_id = ? ORDER BY id').all('session-button') as Array<{ role: string; content: string }>;
    db.close();
    expect(rows.map((r) => r.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(rows[1].content).toContain('[tool call write_file (toolu_1)] {"path":"Button.tsx"');
    expect(rows[2].content).toBe('[tool result (toolu_1)]\nWrote Button.tsx (1 line)');
    expect(rows[3].content).toContain('[image image/png]');
  });

  it('copies an unreadable seed-000 row byte for byte into the same layout, and nowhere else', async () => {
    const dir = mkdtempSync(join(shared, 'unreadable-'));
    const into = storePathIn(dir, 'sqlite-json-history');
    await importSessions(exported['sqlite-json-history'], { into, layout: 'sqlite-json-history', now: NOW });
    const read = (path: string) => {
      const db = openReadOnly(path);
      const row = db.prepare('SELECT * FROM sessions WHERE session_id = ?').get('session-broken');
      db.close();
      return row;
    };
    expect(read(into)).toEqual(read(stores['sqlite-json-history']));
  });

  it('keeps a tenant given with --tenant, else the source tenant, else "imported"', async () => {
    const dir = mkdtempSync(join(shared, 'tenant-'));
    const into = storePathIn(dir, 'sqlite-tenant-messages');
    const report = await importSessions(exported['sqlite-chat-history'], { into, layout: 'sqlite-tenant-messages', tenant: 'acme', now: NOW });
    expect(report.lost).not.toContain("tenant required: using --tenant or 'imported'");
    const db = openReadOnly(into);
    expect(db.prepare('SELECT DISTINCT tenant_id FROM sessions').pluck().all()).toEqual(['acme']);
    db.close();
  });
});

/** The backend's own query for a session's transcript (FORMATS.md), in its own order. */
function expectBackendOrder(format: FormatName, path: string, s: TransferSession): void {
  const text = (content: unknown) => plainText(normalizeContent(content));
  const want = s.messages.map((m) => ({ role: m.kind, text: plainText(m.content) }));
  if (format === 'jsonl-tree') {
    const lines = readFileSync(join(path, s.id, 'messages.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toEqual(s.messages.map((m) => m.id));
    const index = JSON.parse(readFileSync(join(path, 'sessions.json'), 'utf8')) as { sessions: Record<string, { messageCount: number }> };
    expect(index.sessions[s.id].messageCount).toBe(s.messages.length);
    return;
  }
  const db = openReadOnly(path);
  try {
    if (format === 'sqlite-json-history') {
      // The backend's own query fails on an unreadable row, in the source as in the copy.
      if (s.status === 'unreadable') return;
      const row = db.prepare('SELECT json_array_length(messages) AS n, messages FROM sessions WHERE session_id = ?').get(s.id) as { n: number; messages: string };
      expect(row.n).toBe(s.messages.length);
      const items = JSON.parse(row.messages) as Array<{ role: string; content: unknown }>;
      expect(items.map((m) => ({ role: m.role, text: text(m.content) }))).toEqual(want);
    } else if (format === 'sqlite-chat-history') {
      const rows = db.prepare('SELECT role, content FROM chat_history WHERE session_id = ? ORDER BY id').all(s.id) as Array<{ role: string; content: string }>;
      expect(rows.map((r) => ({ role: r.role, text: text(r.content) }))).toEqual(want);
      expect(db.prepare('SELECT message_count FROM sessions WHERE session_id = ?').pluck().get(s.id)).toBe(s.messages.length);
    } else if (format === 'sqlite-tenant-messages') {
      const rows = db.prepare('SELECT role, content FROM messages WHERE session_id = ? ORDER BY created_at').all(s.id) as Array<{ role: string; content: string }>;
      expect(rows.map((r) => ({ role: r.role, text: text(r.content) }))).toEqual(want);
      expect(db.prepare('SELECT tenant_id FROM sessions WHERE id = ?').pluck().get(s.id)).toBeTypeOf('string');
    } else {
      const row = db.prepare('SELECT chat_id, message_count FROM sessions WHERE session_id = ?').get(s.id) as { chat_id: string; message_count: number | null };
      expect(row.message_count).toBe(s.metadata.storedMessageCount);
    }
  } finally {
    db.close();
  }
}
